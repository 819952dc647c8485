/**
 * What every reader yields, whatever the file format: a header and batches of records whose
 * cells line up with it. Records carry the row number the user sees, so a reject can point at
 * the row in the file.
 */

export interface RawRecord {
  /** Spreadsheet row number (header = row 1) for CSV; record number (1-based) for JSON. */
  readonly row: number;
  /** Cells in header order: text for CSV, JSON values for JSON. */
  readonly cells: readonly unknown[];
  /** The sheet the record came from, when a table spans sheets (otherwise the table's). */
  readonly sheet?: string | null;
  /**
   * The file's column each cell came from, when it differs from the header (a figure of a
   * wide table comes from its year's column): a reject then names the column the user sees.
   */
  readonly origins?: readonly (string | null)[];
  /**
   * The row's text as the file has it, when the reader can split it again (`RawTable.cellsOfText`):
   * what is kept of the row for duplicate lookups, one string instead of one per cell.
   */
  readonly text?: string;
}

export interface RawTable {
  readonly format: 'csv' | 'json' | 'xlsx' | 'xls';
  /** Column names as the file spells them. */
  readonly header: readonly string[];
  /** How row numbers read in messages. */
  readonly rowUnit: 'row' | 'record';
  /** Sheet name for spreadsheets, null otherwise. */
  readonly sheet: string | null;
  readonly encoding: string;
  readonly delimiter: string | null;
  /** Records in batches; memory holds one batch at a time. */
  readonly batches: AsyncIterable<readonly RawRecord[]>;
  /**
   * How far into the file the reader has got, in bytes comparable with the file's size, for
   * progress and time left; null (or absent) when the reader cannot tell cheaply. Read between
   * batches, never per record.
   */
  readonly bytesRead?: () => number | null;
  /** The cells of a record's `text`, every one of them. */
  readonly cellsOfText?: (text: string) => readonly unknown[];
  /**
   * Tells the reader which columns' cells its user reads (their indexes in the header): a
   * record's other cells may then come empty, as many as ever. Rejects and duplicates take
   * their cells from `cellsOfText`, whole. Readers that cannot save work by it leave it out.
   */
  readonly readsOnly?: (columns: readonly number[]) => void;
  /**
   * Set when the file is its publisher's answer that nothing matched (validate/publisher-reply.ts):
   * the note for the journal ("the file holds no data: ..."). Such a table has no records, and
   * loads as 0 rows.
   */
  readonly noData?: string;
}

/** Most records per batch handed from a reader to the mapper and writer. */
export const BATCH_SIZE = 2000;

/**
 * A spreadsheet row's cells lined up with the header: Excel omits empty cells at the end of a
 * row, so the row is padded to the header's width; cells past it are kept only when they hold
 * something, so the mapper can report the misaligned row.
 */
export function alignCells(cells: unknown[], width: number): unknown[] {
  while (cells.length > width && (cells[cells.length - 1] === null || cells[cells.length - 1] === ''))
    cells.pop();
  while (cells.length < width) cells.push(null);
  return cells;
}

/** True when every cell is empty or spaces: such rows are skipped, and never a header. */
export const isBlankRow = (cells: readonly unknown[]): boolean =>
  cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

/** Cells per batch: narrow files get BATCH_SIZE rows, wide ones fewer. */
const BATCH_CELLS = 24_000;

/**
 * Records per batch for a table `width` columns wide. What a batch holds (and the few recent
 * batches kept for duplicate lookups) then takes about the same memory whatever the width:
 * 2,000 rows of BACI's 6 columns, 510 rows of a 47-column Comtrade file.
 */
export function batchRows(width: number): number {
  return Math.max(100, Math.min(BATCH_SIZE, Math.floor(BATCH_CELLS / Math.max(1, width))));
}
