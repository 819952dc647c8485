/**
 * Streaming CSV reader on papaparse. Finds the delimiter (`,` `;` tab `|`) from the header line,
 * takes the first non-blank row as the header, and yields records in batches with the row
 * number a spreadsheet would show (a quoted value spanning lines is still one row).
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { batchRows, type RawRecord, type RawTable } from './raw-table.ts';

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter that splits the header line most, ignoring delimiters inside quotes. */
export function sniffDelimiter(head: string): string {
  const firstLine = head.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** True when every cell is empty or spaces; stops at the first filled cell, so data rows cost one check. */
function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

export interface CsvReadOptions {
  readonly encoding: string;
  readonly head: string;
}

/**
 * papaparse's chunk mode, as an async iterator of row arrays. Backpressure pauses the *input*
 * stream, never the parser: pausing papaparse's parser mid-chunk makes it re-scan the rest of
 * the chunk on every resume, which turned a 200,000-row load from 0.2 s of parsing into 24 s.
 */
async function* parseRows(chunks: AsyncIterable<string>, delimiter: string): AsyncGenerator<string[][]> {
  const input = Readable.from(chunks);
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
    header: false,
    skipEmptyLines: false,
    chunk: (results: Papa.ParseResult<string[]>) => {
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

/**
 * Reads the header, then returns the table whose batches stream the rest.
 * Resolves to null when the file holds no non-blank row at all.
 */
export async function readCsv(
  chunkSource: AsyncIterable<string>,
  options: CsvReadOptions,
): Promise<RawTable | null> {
  const delimiter = sniffDelimiter(options.head);
  const chunks = parseRows(chunkSource, delimiter);

  // Rows are walked chunk by chunk in plain loops: an async step per row would cost a promise
  // and a microtask on each of millions of rows.
  let row = 0;
  let header: string[] | null = null;
  let pending: string[][] = [];
  let at = 0;
  while (header === null) {
    if (at >= pending.length) {
      const next = await chunks.next();
      if (next.done) return null;
      pending = next.value;
      at = 0;
      continue;
    }
    const cells = pending[at++]!;
    row++;
    if (!isBlankRow(cells)) header = cells.map((h) => h.trim());
  }
  const width = header.length;
  const perBatch = batchRows(width);

  async function* batches(): AsyncGenerator<readonly RawRecord[]> {
    let batch: RawRecord[] = [];
    const take = (rows: readonly string[][], from: number) => {
      for (let i = from; i < rows.length; i++) {
        const cells = rows[i]!;
        row++;
        if (isBlankRow(cells)) continue;
        // A trailing delimiter gives one empty extra cell; that is not a misaligned row.
        while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
        batch.push({ row, cells });
      }
    };
    take(pending, at);
    pending = [];
    for await (const rows of chunks) {
      take(rows, 0);
      // Chunks hold a few thousand rows; a batch may run past its size by less than one chunk.
      if (batch.length >= perBatch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  return {
    format: 'csv',
    header,
    rowUnit: 'row',
    sheet: null,
    encoding: options.encoding,
    delimiter,
    batches: batches(),
  };
}
