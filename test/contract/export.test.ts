/**
 * `corridor export` on the backend under test (SQLite in `npm test`, PostgreSQL in `npm run
 * test:pg`): a table read back from CSV and from Parquet equals the table as the warehouse holds
 * it, row for row in key order, across several of the export's batches; a --query exports the
 * same; an unknown table and a writing --query are refused. The table is written straight into
 * the warehouse with SQL, and read back directly for the comparison.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestWarehouse, testWarehouse } from '../helpers/backends.ts';
import { cli } from '../helpers/run-cli.ts';

/** More rows than one export batch (5,000), so the round trip spans several. */
const ROWS = 12_345;
let dir: string;
let warehouse: TestWarehouse;

interface Shipment {
  id: number;
  label: string | null;
  value: number;
  tons: number | null;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-export-'));
  warehouse = await testWarehouse(dir);
  const init = await cli(['init', '--db', warehouse.db], dir);
  if (init.code !== 0) throw new Error(`corridor init failed (exit ${init.code}): ${init.stderr}`);
  // Rows inserted out of key order, text with commas, quotes and non-ASCII, NULLs, fractions.
  await warehouse.exec(
    `create table shipments (id integer primary key, label text, value double precision, tons integer);
     with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS})
     insert into shipments (id, label, value, tons)
     select (i * 7919) % ${ROWS} + 1,
            case when i % 50 = 0 then null when i % 7 = 0 then 'Almaty, "south" ' || i else 'Қарағанды ' || i end,
            i * 0.25, case when i % 3 = 0 then null else i * 1000 end
       from n;
     insert into load_runs (run_id, pipeline, status, started_at, reject_threshold, host, pid, options)
     values (1, 'nightly', 'succeeded', '2024-06-30T01:00:00.000Z', 0.05, 'test', 1, '{}'),
            (2, 'nightly', 'succeeded', '2024-07-02T01:00:00.000Z', 0.05, 'test', 1, '{}');
     insert into load_files (load_id, run_id, source, target_table, path, file_name, status, started_at, finished_at)
     values (1, 1, 'comtrade', 'trade_flows', '/data/a.csv', 'a.csv', 'loaded', '2024-06-30T01:00:00.000Z', '2024-06-30T01:00:01.000Z'),
            (2, 2, 'comtrade', 'trade_flows', '/data/b.csv', 'b.csv', 'loaded', '2024-07-02T01:00:00.000Z', '2024-07-02T01:00:01.000Z');
     -- A figure load 1 brought and load 2 (run 2) retired.
     insert into trade_flow_rows_closed (source, reporter_iso3, partner_iso3, partner2_iso3, flow, freq, period,
       year, hs_edition, hs_code, hs_level, value_usd, mode_of_transport, customs_procedure, source_row, load_id,
       valid_to_load, closed_by)
     values ('comtrade', 'KAZ', 'PAK', 'W00', 'X', 'A', '2023', 2023, 'H6', '0101', 4, 100, 'TOTAL', 'C00', 1, 1, 2,
       'retired')`,
  );
}, 60_000);
afterAll(async () => {
  await warehouse?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const stored = () => warehouse.query<Shipment>('select id, label, value, tons from shipments order by id');

const exportTo = (...args: string[]) => cli(['export', ...args, '--db', warehouse.db], dir);

describe('corridor export round trips', () => {
  it('CSV: every row back, in key order, NULL as an empty cell', async () => {
    const run = await exportTo('shipments', '--out', `${dir}/csv/`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Exported 12,345 rows of shipments/);
    const parsed = Papa.parse<string[]>(readFileSync(join(dir, 'csv', 'shipments.csv'), 'utf8').trimEnd(), {
      newline: '\r\n',
    });
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(['id', 'label', 'value', 'tons']);
    const expected = (await stored()).map((r) =>
      [r.id, r.label, r.value, r.tons].map((v) => (v === null ? '' : String(v))),
    );
    expect(rows).toHaveLength(ROWS);
    expect(rows).toEqual(expected);
  });

  it('Parquet: every row back with its types, integers as integers and fractions as fractions', async () => {
    const run = await exportTo('shipments', '--format', 'parquet', '--out', `${dir}/parquet/`);
    expect(run.code, run.stderr).toBe(0);
    const back = await parquetReadObjects({
      file: await asyncBufferFromFile(join(dir, 'parquet', 'shipments.parquet')),
    });
    const plain = back.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
    expect(plain).toEqual(await stored());
    const pkg = JSON.parse(readFileSync(join(dir, 'parquet', 'datapackage.json'), 'utf8')) as {
      resources: { schema: { fields: { name: string; type: string }[]; primaryKey: string[] } }[];
    };
    expect(pkg.resources[0]!.schema.primaryKey).toEqual(['id']);
    expect(pkg.resources[0]!.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:integer',
      'label:string',
      'value:number',
      'tons:integer',
    ]);
  });

  it('--query: the rows of the query, in its order', async () => {
    const run = await exportTo(
      '--query',
      'select id, value from shipments where id <= 6000 order by id desc',
      '--out',
      `${dir}/query.csv`,
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'query.csv'), 'utf8').trimEnd().split('\r\n');
    const expected = await warehouse.query<{ id: number; value: number }>(
      'select id, value from shipments where id <= 6000 order by id desc',
    );
    expect(lines).toEqual(['id,value', ...expected.map((r) => `${r.id},${r.value}`)]);
  });

  it('--since: the figure retired after run 1 as a delete, and nothing after run 2', async () => {
    const run = await exportTo('trade_flows', '--since', '1', '--out', `${dir}/since/`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 to merge and 1 to delete/);
    const rows = Papa.parse<Record<string, string>>(
      readFileSync(join(dir, 'since', 'trade_flows-since-1.csv'), 'utf8').trimEnd(),
      { newline: '\r\n', header: true },
    ).data;
    expect(rows).toEqual([
      expect.objectContaining({
        reporter_iso3: 'KAZ',
        partner_iso3: 'PAK',
        value_usd: '100',
        action: 'delete',
      }),
    ]);
    const none = await exportTo('trade_flows', '--since', '2', '--out', `${dir}/none/`);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/Nothing in trade_flows changed after run 2/);
  });

  it('refuses an unknown table, naming the close ones, and a --query that writes', async () => {
    const unknown = await exportTo('shipment', '--out', `${dir}/x/`, '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'unknown_table' } });
    expect(unknown.stdout).toContain('Did you mean shipments');

    const writing = await exportTo('--query', 'delete from shipments', '--out', `${dir}/y.csv`, '--json');
    expect(writing.code).toBe(2);
    expect(JSON.parse(writing.stdout)).toMatchObject({ error: { code: 'query_refused' } });
    expect(await warehouse.scalar('select count(*) from shipments')).toBe(ROWS);
  });
});
