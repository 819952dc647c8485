/**
 * Streaming JSON reader on stream-json: the Comtrade API reply `{"data": [ {...}, ... ]}`, the
 * legacy Comtrade API's `{"validation": {...}, "dataset": [ {...}, ... ]}`, or a bare array of
 * records. A document without records resolves to null: what it says instead (an API's error,
 * an answer that nothing matched) is for the caller and the source to read (open-table.ts). Memory holds one batch of records, never the whole document, so a
 * 250,000-record API reply loads like a CSV of the same size.
 */
import { basename } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import StreamJson from 'stream-json';
import Pick from 'stream-json/filters/Pick.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { SourceFormatError } from '../errors.ts';
import { maxLineChars } from './csv-reader.ts';
import { faultWhere, locateJsonFault } from './json-fault.ts';
import { batchRows, type RawRecord, type RawTable } from './raw-table.ts';

/** Links streams so that an error anywhere surfaces on the last one, which is iterated. */
function link(first: Readable, ...rest: Transform[]): Transform {
  let previous: Readable = first;
  for (const stream of rest) {
    previous.on('error', (e) => stream.destroy(e));
    previous = previous.pipe(stream);
  }
  return previous as Transform;
}

/** True when the sniffed head is the whole document and it parses: a small API reply. */
function parsesWhole(head: string): boolean {
  try {
    JSON.parse(head);
    return true;
  } catch {
    return false;
  }
}

export interface JsonReadOptions {
  readonly path: string;
  readonly encoding: string;
  readonly head: string;
}

/**
 * The chunks, failing the file on a run of more characters than a line may hold (csv-reader's
 * limit) without a quote: a string value that long exhausts the parser's memory (fuzzing found a
 * 50 MB one doing so), and no record of figures holds one.
 */
async function* boundedValues(
  chunks: AsyncIterable<string>,
  name: string,
  held: { failure: SourceFormatError | null },
): AsyncGenerator<string> {
  const limit = maxLineChars();
  let sinceQuote = 0;
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const at = chunk.indexOf('"', from);
      const run = sinceQuote + (at < 0 ? chunk.length : at) - from;
      if (run > limit) {
        // Kept as well as thrown: the parser's stream chain may end quietly on a source error.
        held.failure = new SourceFormatError(
          name,
          'value_too_long',
          `${name} holds a value of more than ${limit.toLocaleString('en-US')} characters: no record of figures does, so the file is damaged or not a reply of records. Nothing of it was loaded. Check the file; if the value is genuine, set CORRIDOR_MAX_LINE_CHARS higher.`,
        );
        throw held.failure;
      }
      if (at < 0) {
        sinceQuote = run;
        break;
      }
      sinceQuote = 0;
      from = at + 1;
    }
    yield chunk;
  }
}

/** Resolves to null when the document holds no records. */
export async function readJson(
  chunks: AsyncIterable<string>,
  options: JsonReadOptions,
): Promise<RawTable | null> {
  const name = basename(options.path);
  const wrapped = options.head.trimStart().startsWith('{');
  const stages: Transform[] = [StreamJson.parser() as unknown as Transform];
  // `data` in the v1 API, `dataset` in the pre-v1 (legacy) API.
  if (wrapped) stages.push(Pick.pick({ filter: /^(data|dataset)$/ }) as unknown as Transform);
  stages.push(StreamArray.streamArray() as unknown as Transform);
  const bound: { failure: SourceFormatError | null } = { failure: null };
  const items = link(Readable.from(boundedValues(chunks, name, bound)), ...stages)[
    Symbol.asyncIterator
  ]() as AsyncIterator<{
    key: number;
    value: unknown;
  }>;

  const badJson = async (cause: unknown): Promise<SourceFormatError> => {
    if (cause instanceof SourceFormatError) return cause;
    const message = (cause as Error).message;
    if (/should be an array/i.test(message)) {
      return new SourceFormatError(
        name,
        'bad_json',
        `${name}: ${wrapped ? 'its "data" (or "dataset") field' : 'the document'} is not an array of records. Corridor reads {"data": [...]} replies, the legacy API's {"dataset": [...]}, or a bare array.`,
        { cause },
      );
    }
    const fault = await locateJsonFault(options.path, options.encoding);
    if (fault.kind === 'truncated') {
      return new SourceFormatError(
        name,
        'truncated_file',
        `${name} looks cut off: the JSON ends${faultWhere(fault)} before the document closes, so records are missing. Nothing of it was loaded. Download it again (a reply cut in transfer is the usual cause).`,
        { cause },
      );
    }
    const detail = fault.kind === 'damaged' ? fault.detail : message;
    return new SourceFormatError(
      name,
      'bad_json',
      `${name} looks damaged: it is not valid JSON${faultWhere(fault)} (${detail}). Nothing of it was loaded. Download it again; if it was edited by hand, fix the JSON there.`,
      { cause },
    );
  };
  const notRecord = (index: number) =>
    new SourceFormatError(
      name,
      'bad_json',
      `${name}: record ${index + 1} of ${wrapped ? 'its records' : 'the array'} is not an object with named fields.`,
    );

  let first: IteratorResult<{ key: number; value: unknown }>;
  try {
    first = await items.next();
  } catch (cause) {
    if (bound.failure !== null) throw bound.failure;
    // `{"data": null, "error": "..."}` is valid JSON without records: the caller explains it.
    if (wrapped && parsesWhole(options.head)) return null;
    throw await badJson(cause);
  }
  if (bound.failure !== null) throw bound.failure;
  if (first.done) return null;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(first.value.value)) throw notRecord(0);
  const header = Object.keys(first.value.value);

  async function* batches(): AsyncGenerator<readonly RawRecord[]> {
    let batch: RawRecord[] = [];
    let next = first;
    try {
      while (!next.done) {
        const { key, value } = next.value;
        if (!isObject(value)) throw notRecord(key);
        batch.push({ row: key + 1, cells: header.map((h) => value[h]) });
        if (batch.length >= batchRows(header.length)) {
          yield batch;
          batch = [];
        }
        next = await items.next();
      }
    } catch (cause) {
      throw bound.failure ?? (await badJson(cause));
    }
    if (bound.failure !== null) throw bound.failure;
    if (batch.length > 0) yield batch;
  }

  return {
    format: 'json',
    header,
    rowUnit: 'record',
    sheet: null,
    encoding: options.encoding,
    delimiter: null,
    batches: batches(),
  };
}
