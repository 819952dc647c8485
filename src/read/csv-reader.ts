/**
 * Streaming CSV reader on papaparse. Finds the delimiter (`,` `;` tab `|`) from the header line,
 * takes the first non-blank row as the header, and yields records in batches with the row
 * number a spreadsheet would show (a quoted value spanning lines is still one row).
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { HEADER_SEARCH_ROWS, HeaderSearch, type HeaderTest, headerText } from './header-search.ts';
import { batchRows, type RawRecord, type RawTable } from './raw-table.ts';

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter that splits the header line most, ignoring delimiters inside quotes. */
export function sniffDelimiter(head: string): string {
  return mostSplitting(nonEmptyLines(head).slice(0, 1));
}

/**
 * The delimiter of a file that may open with title lines: the one that splits most the line
 * it splits most, among the first HEADER_SEARCH_ROWS non-empty lines. A title ("Exports,
 * 2023") has a delimiter or two; the header and the data rows have many.
 */
export function sniffDelimiterOfTable(head: string): string {
  return mostSplitting(nonEmptyLines(head).slice(0, HEADER_SEARCH_ROWS));
}

const nonEmptyLines = (text: string) => text.split(/\r?\n/).filter((line) => line.trim() !== '');

/** The candidate delimiter that splits one of `lines` most, ignoring delimiters inside quotes; `,` by default. */
function mostSplitting(lines: readonly string[]): string {
  let best = ',';
  let bestCount = 0;
  for (const line of lines) {
    const unquoted = line.replace(/"[^"]*"/g, '');
    for (const d of CANDIDATE_DELIMITERS) {
      const count = unquoted.split(d).length - 1;
      if (count > bestCount) {
        best = d;
        bestCount = count;
      }
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
  /** Which row is the header, when titles may sit above it (see HeaderTest). */
  readonly isHeader?: HeaderTest;
}

/**
 * papaparse's chunk mode, as an async iterator of row arrays. Backpressure pauses the *input*
 * stream, never the parser: pausing papaparse's parser mid-chunk makes it re-scan the rest of
 * the chunk on every resume, which turned a 200,000-row load from 0.2 s of parsing into 24 s.
 */
export async function* parseCsvRows(
  chunks: AsyncIterable<string>,
  delimiter: string,
): AsyncGenerator<string[][]> {
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
  const delimiter =
    options.isHeader === undefined ? sniffDelimiter(options.head) : sniffDelimiterOfTable(options.head);
  const chunks = parseCsvRows(chunkSource, delimiter);

  // Rows are walked chunk by chunk in plain loops: an async step per row would cost a promise
  // and a microtask on each of millions of rows. The first rows are kept until the header is
  // chosen among them; whole chunks are kept, since rows after the header are data.
  const scanned: string[][] = [];
  const search = new HeaderSearch(options.isHeader);
  while (!search.done) {
    const next = await chunks.next();
    if (next.done) break;
    for (const cells of next.value) {
      scanned.push(cells);
      search.offer(cells, isBlankRow(cells));
    }
  }
  const chosen = search.index;
  if (chosen < 0) return null;
  const header = headerText(scanned[chosen]!);
  let row = chosen + 1;
  let pending: string[][] = scanned;
  const at = chosen + 1;
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
