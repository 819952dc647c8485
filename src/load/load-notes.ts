/**
 * The notes a file's load leaves in the journal (`load_files.notes`) beyond its counts: whose
 * rows its slices replaced, and what the layout toolkit did with a table made for people.
 */
import { basename } from 'node:path';
import { formatCount } from '../cli/output.ts';
import type { LayoutReport } from '../layout/layout-report.ts';
import type { Warehouse } from './warehouse.ts';

/**
 * Says which earlier loads a file's slices replaced. Replacing a revision of the same file is
 * the point; replacing rows that came from a differently named file is worth a warning, since
 * it usually means two different extracts cover the same reporter and period.
 */
export async function describeReplacedLoads(
  warehouse: Warehouse,
  replaced: ReadonlyMap<number, number>,
  path: string,
  revisionsExpected: boolean,
  sliceKey: string,
): Promise<{ text: string; warn: boolean }[]> {
  if (replaced.size === 0) return [];
  const loads = await warehouse.db
    .selectFrom('load_files')
    .select(['load_id', 'file_name', 'path'])
    .where('load_id', 'in', [...replaced.keys()])
    .execute();
  return loads.map((l) => {
    const rows = replaced.get(l.load_id) ?? 0;
    const sameFile = l.path === path || l.file_name === basename(path);
    if (sameFile) return { text: `replaced ${rows} rows of its earlier load ${l.load_id}`, warn: false };
    // A source whose later files revise earlier periods (a bureau's previous-year sheet).
    if (revisionsExpected)
      return {
        text: `revised ${rows} rows loaded from ${l.file_name} (load ${l.load_id}) with this file's figures for the same periods`,
        warn: false,
      };
    return {
      text: `replaced ${rows} rows loaded from a different file, ${l.file_name} (load ${l.load_id}), covering the same ${sliceKey}; if both extracts should stay, merge them into one file`,
      warn: true,
    };
  });
}

/** Journal notes on what the layout toolkit did with a table made for people. */
export function describeLayout(report: LayoutReport): string[] {
  const notes = report.sheets.map(
    (s) =>
      `${s.name === null ? 'table' : `sheet ${s.name}`}: header at row ${s.headerRow}${s.units.length > 0 ? `, figures in ${s.units.join(' and ')}` : ''}${
        Object.keys(s.context).length > 0
          ? `, ${Object.entries(s.context)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`
          : ''
      }`,
  );
  for (const sheet of report.sheets)
    if (sheet.unread.length > 0)
      notes.push(
        `${sheet.name === null ? 'table' : `sheet ${sheet.name}`}: column(s) not read: ${sheet.unread.slice(0, 6).join(', ')}${sheet.unread.length > 6 ? ', …' : ''}`,
      );
  for (const skipped of report.skippedSheets)
    notes.push(`sheet ${skipped.name} passed over: ${skipped.reason}`);
  const mismatches = report.warnings.filter((w) => w.code === 'aggregate_mismatch').length;
  if (report.aggregateRecords > 0)
    notes.push(
      `${formatCount(report.aggregateRecords)} figures on total and subtotal rows not loaded; ${formatCount(report.aggregatesChecked)} checked against their parts, ${mismatches === 0 ? 'all match' : `${mismatches} do not match (see load_warnings)`}`,
    );
  if (report.nilCells > 0)
    notes.push(`${formatCount(report.nilCells)} cells without a figure ("-", "…", blank) skipped`);
  if (report.rowsWithoutFigures > 0)
    notes.push(`${formatCount(report.rowsWithoutFigures)} rows without any figure (notes, headings) skipped`);
  return notes;
}
