/**
 * CSV text into rows with papaparse, streaming: the general row splitter (csv-fast-rows.ts takes
 * well-formed text itself and hands papaparse what it does not), and how a text ended, which
 * tells a cut file from a whole one.
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { SourceFormatError } from '../errors.ts';

/**
 * papaparse's chunk mode, as an async iterator of row arrays. Backpressure pauses the *input*
 * stream, never the parser: pausing papaparse's parser mid-chunk makes it re-scan the rest of
 * the chunk on every resume, which turned a 200,000-row load from 0.2 s of parsing into 24 s.
 */
export async function* parseCsvRows(
  chunks: AsyncIterable<string>,
  delimiter: string,
  ending: CsvEnding = { lastChar: '', insideQuotes: false },
  lineEnd?: string,
): AsyncGenerator<string[][]> {
  const input = Readable.from(noteLastChar(chunks, ending));
  const queue: string[][][] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  input.on('error', (e) => {
    failure = e;
    notify();
  });
  Papa.parse<string[], Papa.LocalFile>(input, {
    delimiter,
    // Given when papaparse takes over part way through a text: the line end of its start.
    ...(lineEnd === undefined ? {} : { newline: lineEnd as '\n' | '\r\n' | '\r' }),
    header: false,
    skipEmptyLines: false,
    chunk: (results: Papa.ParseResult<string[]>) => {
      // papaparse says so only when the input ends inside quotes: a quoted field that opens and
      // never closes swallows the rest of the file as one cell.
      if (results.errors.some((e) => e.code === 'MissingQuotes')) ending.insideQuotes = true;
      queue.push(results.data);
      if (queue.length >= MAX_QUEUED_CHUNKS) input.pause();
      notify();
    },
    complete: () => {
      finished = true;
      notify();
    },
    error: (e: Error) => {
      failure = e;
      notify();
    },
  });
  for (;;) {
    const rows = queue.shift();
    if (rows !== undefined) {
      if (queue.length < MAX_QUEUED_CHUNKS / 2 && input.isPaused()) input.resume();
      yield rows;
      continue;
    }
    if (failure !== null) throw failure;
    if (finished) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

const MAX_QUEUED_CHUNKS = 4;

/** How the text ended, filled in while it is parsed: what tells a cut file from a whole one. */
export interface CsvEnding {
  /** The last character of the text ('' when empty). */
  lastChar: string;
  /** The text ended inside a quoted field. */
  insideQuotes: boolean;
  /** The file's name, for messages. */
  name?: string;
}

/**
 * The longest row read, in characters (1 Mi). No table of trade or port figures has a row near
 * this long; a file that does is damaged or not a table, and papaparse holding a quoted field
 * that long re-scans it on every chunk: the reader thread's 64 MB heap ran out at 4 Mi (fuzzing
 * found a 50 MB quoted cell doing so). `CORRIDOR_MAX_LINE_CHARS` raises it.
 */
export function maxLineChars(): number {
  const set = Number(process.env.CORRIDOR_MAX_LINE_CHARS);
  return Number.isInteger(set) && set > 0 ? set : 1024 * 1024;
}

/**
 * The length of the row still open at the end of `chunk`, given the one open before it; past
 * `limit` as soon as any row of the chunk is. A row ends at a line end outside quotes: a quoted
 * field may hold line breaks, and a 50 MB quoted field is what exhausted the reader. Quotes are
 * counted by parity, so an escaped quote ("") changes nothing. CRLF rows end at their LF, and a
 * chunk without LF at its CR (old Mac files).
 */
function openRowLength(chunk: string, state: { length: number; inQuotes: boolean }, limit: number): void {
  const end = chunk.includes('\n') ? '\n' : '\r';
  let from = 0;
  let quote = chunk.indexOf('"');
  let lineEnd = chunk.indexOf(end);
  for (;;) {
    const next = quote < 0 ? lineEnd : lineEnd < 0 ? quote : Math.min(quote, lineEnd);
    if (next < 0) {
      state.length += chunk.length - from;
      return;
    }
    state.length += next - from;
    if (state.length > limit) return;
    if (next === quote) {
      state.inQuotes = !state.inQuotes;
      quote = chunk.indexOf('"', next + 1);
    } else {
      if (!state.inQuotes) state.length = -1; // the line end itself is not counted
      lineEnd = chunk.indexOf(end, next + 1);
    }
    state.length += 1;
    from = next + 1;
  }
}

export async function* noteLastChar(
  chunks: AsyncIterable<string>,
  ending: CsvEnding,
): AsyncGenerator<string> {
  const open = { length: 0, inQuotes: false };
  const limit = maxLineChars();
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    ending.lastChar = chunk[chunk.length - 1]!;
    openRowLength(chunk, open, limit);
    if (open.length > limit) {
      const name = ending.name ?? 'The file';
      throw new SourceFormatError(
        name,
        'line_too_long',
        `${name} has a row of more than ${limit.toLocaleString('en-US')} characters (line breaks inside quotes included): no table of figures holds one, so the file is damaged or not a table. Nothing of it was loaded. Check the file; if the line is genuine, set CORRIDOR_MAX_LINE_CHARS higher.`,
      );
    }
    yield chunk;
  }
}

/**
 * True when the last row looks cut off: fewer fields than the header and no line end after it.
 * A writer ends every row with its fields, and most end the file with a line end; a transfer
 * that stops mid-row leaves exactly this. A short row with a line end after it, anywhere in the
 * file, is a row of its own and a row reject (`wrong_field_count`), as before.
 */
export function isCutLastRow(fields: number, width: number, ending: CsvEnding): boolean {
  return fields < width && ending.lastChar !== '\n' && ending.lastChar !== '\r';
}
