/**
 * Two layouts read over one file (issue 17): each is a load of its own, the unchanged-file skip
 * is per file and layout, layouts that yield different keys keep both sets, and a key that two
 * layouts both yield is one figure: the later load wins, and the journal says so.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');

/** A table layout reading one figure column of the workbook as one flow. */
const layout = (column: 'exports' | 'imports', flow: 'X' | 'M') => `{
  name: 'bureau',
  columns: {
    partner: { labels: ['Partner'] },
    exports: { labels: ['Exports'] },
    imports: { labels: ['Imports'] },
  },
  figures: ['${column}'],
  context: { year: [{ from: 'title', pattern: /in (\\d{4})/ }] },
  map: {
    reporter: { value: 'PAK' }, partner: { column: 'partner' }, flow: { value: '${flow}' },
    period: { column: 'year' }, value: { column: '${column}' },
  },
}`;

function pipeline(name: string, layouts: readonly string[]): void {
  mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
  const sources = layouts.map((l) => `{ source: 'table', files: ['trade.xlsx'], table: ${l} }`).join(', ');
  writeFileSync(
    join(tmp(), 'pipelines', `${name}.pipeline.ts`),
    `export default { name: '${name}', sources: [${sources}] };\n`,
  );
}

const run = (name: string) => cli(['run', name, '--db', db(), '--no-derive'], tmp());

it('keeps both sets of two layouts over one file, skips each once loaded, and lets a later layout win a shared key', async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Data').addRows([
    ['Trade with Central Asia in 2023, million US dollars'],
    [],
    ['Partner', 'Exports', 'Imports'],
    ['Kazakhstan', 10, 4],
    ['Uzbekistan', 7, 2],
  ]);
  await wb.xlsx.writeFile(join(tmp(), 'trade.xlsx'));
  pipeline('both', [layout('exports', 'X'), layout('imports', 'M')]);

  const first = await run('both');
  expect(first.code, first.stderr).toBe(0);
  expect(
    query(db(), 'select status, rows_inserted, layout_key is not null as keyed from load_files'),
  ).toEqual([
    { status: 'loaded', rows_inserted: 2, keyed: 1 },
    { status: 'loaded', rows_inserted: 2, keyed: 1 },
  ]);
  expect(
    query(db(), 'select partner_iso3, flow, value_usd from trade_flows order by flow, partner_iso3'),
  ).toEqual([
    { partner_iso3: 'KAZ', flow: 'M', value_usd: 4_000_000 },
    { partner_iso3: 'UZB', flow: 'M', value_usd: 2_000_000 },
    { partner_iso3: 'KAZ', flow: 'X', value_usd: 10_000_000 },
    { partner_iso3: 'UZB', flow: 'X', value_usd: 7_000_000 },
  ]);

  const again = await run('both');
  expect(again.code).toBe(0);
  expect(scalar(db(), "select count(*) from load_files where status = 'skipped'")).toBe(2);

  // A third layout reads the imports column as exports: the same keys as the first, other values.
  pipeline('misread', [layout('imports', 'X')]);
  const misread = await run('misread');
  expect(misread.code, misread.stderr).toBe(0);
  expect(query(db(), "select partner_iso3, value_usd from trade_flows where flow = 'X' order by 1")).toEqual([
    { partner_iso3: 'KAZ', value_usd: 4_000_000 },
    { partner_iso3: 'UZB', value_usd: 2_000_000 },
  ]);
  const last = query<{ rows_changed: number; notes: string }>(
    db(),
    'select rows_changed, notes from load_files order by load_id desc limit 1',
  )[0]!;
  expect(last.rows_changed).toBe(2);
  expect(last.notes).toContain('revised 2 figures of its earlier load 1');
  expect(scalar(db(), 'select count(*) from trade_flows_history')).toBe(6);
});
