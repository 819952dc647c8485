/**
 * Row problems are data, not exceptions: each bad row becomes a RowIssue with a stable code,
 * is stored in `rejects`, and the run goes on. Codes never change meaning once released;
 * tools and analysts filter on them.
 */

export const ROW_ISSUE_CODES = {
  missing_value: 'A required cell is empty.',
  bad_number: 'A cell that must hold a number does not.',
  negative_value: 'A value, weight or quantity is below zero.',
  bad_hs_code: 'The commodity code is not an HS code of 2, 4 or 6 digits, nor TOTAL.',
  unknown_hs_code: 'The commodity code is well formed but not in the classification the file uses.',
  unknown_edition: 'The HS edition is not one of H0 to H6.',
  unknown_country: 'A reporter or partner code or name is not in the country reference.',
  inconsistent_country: "A row's numeric area code and its ISO code name different countries.",
  bad_flow: 'The trade flow is not one of the Comtrade flow codes.',
  bad_period: 'The period or year is not a valid year or month.',
  bad_boolean: 'A flag is not true/false.',
  unsupported_classification: 'The row is classified in SITC or BEC, not HS.',
  wrong_field_count: 'The row has a different number of fields than the header.',
  duplicate_key: 'The same flow appears twice in one file.',
  unknown_port:
    'A port is neither a known UN/LOCODE nor a name or alias of one (corridor ports add, corridor ports alias).',
  bad_direction: 'A port figure is not import, export, transit, transshipment or total.',
  unknown_unit: 'A port figure is in a unit port_throughput does not keep (t, TEU, boxes, calls).',
} as const;

export type RowIssueCode = keyof typeof ROW_ISSUE_CODES;

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
