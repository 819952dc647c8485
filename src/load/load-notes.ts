/**
 * The notes a file's load leaves in the journal (`load_files.notes`) beyond its counts: whose
 * figures it revised or retired, and what the layout toolkit did with a table made for people.
 */
import { basename } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { formatCount } from '../human-format.ts';
import type { LayoutReport } from '../layout/layout-report.ts';

/**
 * Says which earlier loads a file revised: figures it changed (same key, new value; the later
 * load wins and the old value stays in the history) and rows it retired inside its coverage.
 * Revising an earlier load of the same file is the point; changing figures that came from a
 * differently named file is worth a warning, since it usually means two extracts or two
 * layouts give one key two values.
 */
export async function describeRevisedLoads(
  warehouse: Warehouse,
  revised: { readonly changed: ReadonlyMap<number, number>; readonly retired: ReadonlyMap<number, number> },
  path: string,
  revisionsExpected: boolean,
  coverage: string,
): Promise<{ text: string; warn: boolean }[]> {
  const ids = [...new Set([...revised.changed.keys(), ...revised.retired.keys()])];
  if (ids.length === 0) return [];
  const loads = await warehouse.db
    .selectFrom('load_files')
    .select(['load_id', 'file_name', 'path'])
    .where('load_id', 'in', ids)
    .orderBy('load_id')
    .execute();
  const notes: { text: string; warn: boolean }[] = [];
  for (const l of loads) {
    const sameFile = l.path === path || l.file_name === basename(path);
    const changed = revised.changed.get(l.load_id) ?? 0;
    const retired = revised.retired.get(l.load_id) ?? 0;
    const from = sameFile ? `its earlier load ${l.load_id}` : `${l.file_name} (load ${l.load_id})`;
    if (changed > 0) {
      notes.push(
        sameFile || revisionsExpected
          ? {
              text: `revised ${formatCount(changed)} figure${changed === 1 ? '' : 's'} of ${from}; the old value${changed === 1 ? ' stays' : 's stay'} in the history`,
              warn: false,
            }
          : {
              text: `gave ${formatCount(changed)} figure${changed === 1 ? '' : 's'} of ${from} new values (same keys: the later load wins; the old values stay in the history)`,
              warn: true,
            },
      );
    }
    if (retired > 0)
      notes.push({
        text: `retired ${formatCount(retired)} rows of ${from} that this file no longer holds within its coverage (${coverage})`,
        warn: !sameFile && !revisionsExpected,
      });
  }
  return notes;
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
  // Where the flow and period came from; a unit only when the file did not state it.
  for (const sheet of report.sheets)
    for (const f of sheet.facts)
      if (f.fact !== 'unit' || f.origin !== 'file')
        notes.push(
          `${sheet.name === null ? 'table' : `sheet ${sheet.name}`}: ${f.fact} ${f.value} ${f.origin === 'file' ? 'as the file says in' : f.origin === 'declaration' ? 'as' : 'by override:'} ${f.place}`,
        );
  for (const sheet of report.sheets)
    if (sheet.unread.length > 0)
      notes.push(
        `${sheet.name === null ? 'table' : `sheet ${sheet.name}`}: column(s) not read: ${sheet.unread.slice(0, 6).join(', ')}${sheet.unread.length > 6 ? ', …' : ''}`,
      );
  for (const skipped of report.skippedSheets)
    notes.push(`sheet ${skipped.name} passed over: ${skipped.reason}`);
  const mismatches = report.warnings.filter((w) => w.code === 'aggregate_mismatch').length;
  if (report.aggregateRecords > 0 || report.aggregatesChecked > 0)
    notes.push(
      `${report.aggregateRecords > 0 ? `${formatCount(report.aggregateRecords)} figures on total and subtotal rows not loaded; ` : ''}${formatCount(report.aggregatesChecked)} checked against their parts, ${mismatches === 0 ? 'all match' : `${mismatches} do not match (see load_warnings and dq_findings)`}`,
    );
  if (report.nilCells > 0)
    notes.push(`${formatCount(report.nilCells)} cells without a figure ("-", "…", blank) skipped`);
  if (report.rowsWithoutFigures > 0)
    notes.push(`${formatCount(report.rowsWithoutFigures)} rows without any figure (notes, headings) skipped`);
  return notes;
}
