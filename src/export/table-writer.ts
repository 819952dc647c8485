/**
 * What every export format implements: rows in, in batches and in a stable order; files out.
 * The export stage (export-table.ts) reads rows from the warehouse as a stream and hands them to
 * one writer, so a 5,000,000-row table never sits in memory whole.
 */
import type { ColumnDoc } from '../../warehouse/dictionary/table-doc.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'ndjson', 'parquet', 'sdmx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A column as exported: the dictionary's words where the table is documented. */
export interface ExportColumn extends ColumnDoc {}

/** A row: one value per column, in column order. Text, numbers, null (SQLite's types; integers may be bigint). */
export type ExportRow = readonly (string | number | bigint | null)[];

export interface WriterOptions {
  /** The file to write (a writer may add more beside it, e.g. a second sheet's overflow). */
  readonly path: string;
  readonly columns: readonly ExportColumn[];
  /** The table or view exported, or null for a query. */
  readonly table: string | null;
}

export interface TableWriter {
  /** Writes a batch; resolves when the batch may be let go (backpressure). */
  write(rows: readonly ExportRow[]): Promise<void>;
  /** Completes the file(s). */
  finish(): Promise<WrittenExport>;
  /** Abandons the export and removes what was written. */
  abort(): Promise<void>;
}

export interface WrittenExport {
  /** Files written, the main one first. */
  readonly files: readonly string[];
  readonly rows: number;
}
