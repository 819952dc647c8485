/**
 * Streaming CSV reader: rows split by csv-fast-rows.ts (papaparse for what that leaves to it).
 * Finds the delimiter (`,` `;` tab `|`) from the header line, takes the first non-blank row as
 * the header, and yields records in batches with the row number a spreadsheet would show (a
 * quoted value spanning lines is still one row).
 */
import { SourceFormatError } from '../errors.ts';
import { fastCsvRows, NOT_SPLIT, RowTexts } from './csv-fast-rows.ts';
import { type CsvEnding, isCutLastRow } from './csv-rows.ts';
import { HEADER_SEARCH_ROWS, HeaderSearch, type HeaderTest, headerText } from './header-search.ts';
import { batchRows, type RawRecord, type RawTable } from './raw-table.ts';

// The row splitters and limits other readers use too.
export { type CsvEnding, isCutLastRow, maxLineChars, parseCsvRows } from './csv-rows.ts';

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
  const texts = new RowTexts(delimiter);
  const cellsOfText = (text: string) => trimTrailing(texts.splitAll(text), width);
  const readCells = (text: string) => trimTrailing(texts.split(text), width);
  const chunks = fastCsvRows(chunkSource, delimiter, ending, texts);
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
  // Past the header, rows are split when the mapper reads them (TextRecord), not as read.
  texts.cellsWanted = false;
  let row = chosen + 1;
  let pending: string[][] = scanned;
  const at = chosen + 1;
  const width = header.length;
  const perBatch = batchRows(width);

  async function* batches(): AsyncGenerator<readonly RawRecord[]> {
    let batch: RawRecord[] = [];
    /** The last non-blank row read, checked once the text has ended. */
    let last: RawRecord | null = null;
    const take = (rows: readonly string[][], from: number, lines: readonly string[] | null) => {
      for (let i = from; i < rows.length; i++) {
        row++;
        if (lines !== null && rows[i] === NOT_SPLIT) {
          const text = lines[i]!;
          if (mayBeBlank(text, delimiter) && isBlankRow(texts.splitAll(text))) continue;
          last = new TextRecord(row, text, readCells);
        } else {
          const cells = rows[i]!;
          if (isBlankRow(cells)) continue;
          last = { row, cells: trimTrailing(cells, width) };
        }
        batch.push(last);
      }
    };
    take(pending, at, null);
    pending = [];
    for await (const rows of chunks) {
      take(rows, 0, texts.current);
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
    cellsOfText,
    readsOnly: (columns) => {
      const wanted = new Uint8Array(width);
      for (const column of columns) if (column >= 0 && column < width) wanted[column] = 1;
      texts.wanted = wanted;
    },
  };
}

/**
 * A record read from its text: its cells are split each time they are asked for. A batch of
 * records then holds one string per row, not an array and a string per cell: the cells live
 * only while the mapper reads them, and die young (csv-fast-rows.ts RowTexts says why).
 */
class TextRecord implements RawRecord {
  constructor(
    readonly row: number,
    readonly text: string,
    readonly split: (text: string) => string[],
  ) {}

  get cells(): string[] {
    return this.split(this.text);
  }
}

/** False when the row's text shows a character that is neither a delimiter, a quote nor a space. */
function mayBeBlank(text: string, delimiter: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== delimiter && c !== '"' && c.trim() !== '') return false;
  }
  return true;
}

/** A trailing delimiter gives one empty extra cell; that is not a misaligned row. */
function trimTrailing(cells: string[], width: number): string[] {
  while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
  return cells;
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
