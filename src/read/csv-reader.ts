/**
 * Streaming CSV reader on papaparse. Finds the delimiter (`,` `;` tab `|`) from the header line,
 * takes the first non-blank row as the header, and yields records in batches with the row
 * number a spreadsheet would show (a quoted value spanning lines is still one row).
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { SourceFormatError } from '../errors.ts';
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
  /** The file's name, for messages. */
  readonly name?: string;
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
  ending: CsvEnding = { lastChar: '', insideQuotes: false },
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

async function* noteLastChar(chunks: AsyncIterable<string>, ending: CsvEnding): AsyncGenerator<string> {
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
  const ending: CsvEnding = {
    lastChar: '',
    insideQuotes: false,
    ...(options.name === undefined ? {} : { name: options.name }),
  };
  const chunks = parseCsvRows(chunkSource, delimiter, ending);
  const name = options.name ?? 'The file';

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
    /** The last non-blank row read, checked once the text has ended. */
    let last: RawRecord | null = null;
    const take = (rows: readonly string[][], from: number) => {
      for (let i = from; i < rows.length; i++) {
        const cells = rows[i]!;
        row++;
        if (isBlankRow(cells)) continue;
        // A trailing delimiter gives one empty extra cell; that is not a misaligned row.
        while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
        last = { row, cells };
        batch.push(last);
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
    // Before the last batch goes out: a cut file fails whole, and its rows loaded so far are
    // rolled back with the file's transaction.
    throwIfCut(name, ending, last, width, options.isHeader !== undefined);
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

/** Fails the file when its text ends inside a quoted field or in the middle of its last row. */
function throwIfCut(
  name: string,
  ending: CsvEnding,
  last: RawRecord | null,
  width: number,
  notesAllowed: boolean,
): void {
  if (ending.insideQuotes) {
    const where = last === null ? '' : ` (the field opens on row ${last.row.toLocaleString('en-US')})`;
    throw new SourceFormatError(
      name,
      'truncated_file',
      `${name} looks cut off: it ends inside a quoted field${where}, so its last rows are missing or run together. Nothing of it was loaded. Download or export it again; if the file is whole, a quote in that row is not closed: close it.`,
    );
  }
  // A table with titles may end with a note in one cell ("Source: ...") and no line end.
  const note = notesAllowed && last?.cells.length === 1;
  if (last !== null && !note && isCutLastRow(last.cells.length, width, ending)) {
    throw new SourceFormatError(
      name,
      'truncated_file',
      `${name} looks cut off: its last row (row ${last.row.toLocaleString('en-US')}) has ${last.cells.length} of the header's ${width} fields and no line end after it. Nothing of it was loaded. Download or export it again; if the file is whole, end that row with its missing fields and a line break.`,
    );
  }
}
