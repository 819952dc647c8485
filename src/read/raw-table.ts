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
}

export interface RawTable {
  readonly format: 'csv' | 'json' | 'xlsx';
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
}

/** Records per batch handed from a reader to the mapper and writer. */
export const BATCH_SIZE = 2000;
