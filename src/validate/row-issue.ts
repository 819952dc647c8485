/**
 * Row problems are data, not exceptions: each bad row becomes a RowIssue with a stable code,
 * is stored in `rejects`, and the run goes on. Codes never change meaning once released;
 * tools and analysts filter on them.
 */

import type { RowIssueCode } from '../error-codes.ts';

// The codes, their meaning and their fix are declared once, with every other code, in
// src/error-codes.ts (kind `row`).
export type { RowIssueCode } from '../error-codes.ts';

/** One problem with one row, before it is tied to a place in a file. */
export interface RowIssue {
  readonly code: RowIssueCode;
  /** The column as the file names it, or null when the problem is the whole row. */
  readonly column: string | null;
  /** The offending cell as text, or null. */
  readonly value: string | null;
  /** What is wrong and how to fix it, without the place (the formatter adds it). */
  readonly message: string;
}

/** Where a row is: the file, the sheet (spreadsheets only) and the row number the user sees. */
export interface RowPlace {
  readonly file: string;
  readonly sheet: string | null;
  /** Spreadsheet row number (header = row 1) for CSV and XLSX; record number for JSON. */
  readonly row: number;
  /** How the row number reads: `row` or `record`. */
  readonly unit: 'row' | 'record';
}

export interface PlacedRowIssue extends RowIssue {
  readonly place: RowPlace;
}

/**
 * One line for a terminal or a log.
 *
 * @example
 * formatRowIssue(issue)
 * // 'trade_2024.csv › row 418, column "cmdCode": "8703.2" is not an HS code. …'
 */
export function formatRowIssue(issue: PlacedRowIssue, fileLabel = issue.place.file): string {
  const where = [fileLabel, issue.place.sheet].filter((p) => p !== null).join(' › ');
  const column = issue.column === null ? '' : `, column "${issue.column}"`;
  return `${where} › ${issue.place.unit} ${issue.place.row}${column}: ${issue.message}`;
}

/** A cell shown inside a message: quoted, shortened, with invisible characters made visible. */
export function showCell(value: unknown): string {
  if (value === null || value === undefined) return 'an empty cell';
  const text = String(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(shown);
}
