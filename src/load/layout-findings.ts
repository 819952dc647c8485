/**
 * A table's printed totals and subtotals that do not add up to their rows, as data-quality
 * findings (`dq_findings`, check `printed_subtotal`): the layout toolkit finds them while it
 * reads the file (src/layout/aggregate-check.ts) and reports them as warnings; the loader stores
 * them here when the file's load commits, so they reach `corridor check` and the nightly summary
 * rather than a log line. A later load of the same file and sheet that adds up resolves them.
 */
import { type Finding, type FindingScope, recordFindings } from '../db/dq-findings.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { LayoutReport } from '../layout/layout-report.ts';

export const PRINTED_SUBTOTAL = 'printed_subtotal';

/** What a finding's table is called: the file without its folder, and the sheet. */
export const tableOfSheet = (fileName: string, sheet: string | null): string =>
  sheet === null ? fileName : `${fileName} › ${sheet}`;

/** Consecutive row numbers as ranges: [9, 10, 11, 14] → "9-11, 14". */
export function rowRanges(rows: readonly number[]): string {
  const ranges: string[] = [];
  let start: number | null = null;
  let last = Number.NaN;
  for (const row of rows) {
    if (start !== null && row === last + 1) {
      last = row;
      continue;
    }
    if (start !== null) ranges.push(start === last ? `${start}` : `${start}-${last}`);
    start = row;
    last = row;
  }
  if (start !== null) ranges.push(start === last ? `${start}` : `${start}-${last}`);
  return ranges.join(', ');
}

/**
 * The report's aggregate mismatches as findings. The key is the row's label and the column, so
 * a finding is the same one in next month's edition of the table even when rows move; a label
 * printed twice in one sheet ("Total" under exports and under imports) adds its row number.
 */
export function printedSubtotalFindings(
  report: LayoutReport,
  file: { readonly fileName: string; readonly origin: string },
): Finding[] {
  const findings: Finding[] = [];
  const keys = new Set<string>();
  for (const w of report.warnings) {
    if (w.code !== 'aggregate_mismatch' || w.aggregate === undefined) continue;
    const table = tableOfSheet(file.fileName, w.sheet);
    const plain = `${w.aggregate.label} › ${w.column}`;
    const key = keys.has(`${table}\n${plain}`) ? `${plain} (row ${w.row})` : plain;
    keys.add(`${table}\n${key}`);
    findings.push({
      check: PRINTED_SUBTOTAL,
      severity: 'warning',
      table,
      key,
      expected: w.aggregate.printed,
      found: w.aggregate.summed,
      rows: {
        row: w.row,
        part_rows: rowRanges(w.aggregate.partRows),
        parts: w.aggregate.partRows.length,
        unit: w.aggregate.unit,
      },
      message: w.message,
      file: file.origin,
      sheet: w.sheet,
    });
  }
  return findings;
}

/**
 * Stores the report's findings for a load, inside the caller's transaction, and resolves the
 * earlier ones of the sheets it checked that no longer stand.
 */
export async function recordLayoutFindings(
  warehouse: Warehouse,
  load: {
    readonly loadId: number;
    readonly runId: number;
    readonly fileName: string;
    readonly origin: string;
  },
  report: LayoutReport,
): Promise<void> {
  const findings = printedSubtotalFindings(report, load);
  // Only sheets whose aggregates were compared say anything about their earlier findings.
  const checked: FindingScope[] =
    report.aggregatesChecked === 0
      ? []
      : report.sheets.map((s) => ({ check: PRINTED_SUBTOTAL, table: tableOfSheet(load.fileName, s.name) }));
  if (findings.length === 0 && checked.length === 0) return;
  await recordFindings(warehouse, load.loadId, findings, { runId: load.runId, checked });
}
