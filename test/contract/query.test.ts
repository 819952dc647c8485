/**
 * The analysts' reading commands on the backend under test (SQLite in `npm test`, PostgreSQL in
 * `npm run test:pg`), with the same assertions on both: `corridor sql` is read-only (writes
 * refused with query_refused, exit 2, and the warehouse unchanged), stops at --timeout (exit 1,
 * query_timeout), bounds what it shows with --max-rows and says how many more there were, and
 * answers --as-of; `runs`, `rejects`, `revisions` and `status` read the journal. The rows are
 * written straight into the warehouse with SQL (a scratch table and journal rows), so the test
 * does not depend on a load; every check of the warehouse reads it directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestWarehouse, testWarehouse } from '../helpers/backends.ts';
import { cli, PROJECT_ROOT } from '../helpers/run-cli.ts';

const ROWS = 2_345;
let dir: string;
let warehouse: TestWarehouse;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-query-'));
  warehouse = await testWarehouse(dir);
  const init = await cli(['init', '--db', warehouse.db], dir);
  if (init.code !== 0) throw new Error(`corridor init failed (exit ${init.code}): ${init.stderr}`);
  await warehouse.exec(
    `create table analyst_numbers (id integer primary key, label text, value double precision);
     with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS})
     insert into analyst_numbers (id, label, value)
     select i, case when i % 100 = 0 then null else 'row ' || i end, i * 0.5 from n;
     insert into load_runs (run_id, pipeline, status, started_at, duration_ms, files_total, files_loaded,
       rows_read, rows_loaded, rows_rejected, reject_threshold, host, pid, options)
     values (1, 'nightly', 'succeeded', '2024-06-30T01:00:00.000Z', 1500, 1, 1, 3, 2, 1, 0.05, 'test', 1, '{}'),
            (2, 'ports', 'succeeded', '2024-07-02T01:00:00.000Z', 900, 1, 1, 0, 0, 0, 0.05, 'test', 1, '{}');
     insert into load_files (load_id, run_id, source, target_table, path, file_name, status, rows_read,
       rows_loaded, rows_rejected, started_at, finished_at)
     values (1, 1, 'comtrade', 'trade_flows', '/data/a.csv', 'a.csv', 'loaded', 3, 2, 1,
       '2024-06-30T01:00:00.000Z', '2024-06-30T01:00:01.000Z'),
            (2, 2, 'comtrade', 'trade_flows', '/data/b.csv', 'b.csv', 'loaded', 0, 0, 0,
       '2024-07-02T01:00:00.000Z', '2024-07-02T01:00:01.000Z');
     -- Load 1 brought two figures; load 2 retired the first and changed the second (50 → 60).
     insert into trade_flow_rows_closed (source, reporter_iso3, partner_iso3, partner2_iso3, flow, freq, period,
       year, hs_edition, hs_code, hs_level, value_usd, mode_of_transport, customs_procedure, source_row, load_id,
       valid_to_load, closed_by)
     values ('comtrade', 'KAZ', 'PAK', 'W00', 'X', 'A', '2023', 2023, 'H6', '0101', 4, 100, 'TOTAL', 'C00', 1, 1, 2,
       'retired'),
            ('comtrade', 'KAZ', 'PAK', 'W00', 'X', 'A', '2023', 2023, 'H6', '0102', 4, 50, 'TOTAL', 'C00', 2, 1, 2,
       'changed');
     insert into trade_flow_rows (source, reporter_iso3, partner_iso3, partner2_iso3, flow, freq, period, year,
       hs_edition, hs_code, hs_level, value_usd, mode_of_transport, customs_procedure, source_row, load_id)
     values ('comtrade', 'KAZ', 'PAK', 'W00', 'X', 'A', '2023', 2023, 'H6', '0102', 4, 60, 'TOTAL', 'C00', 1, 2);
     insert into rejects (run_id, load_id, source, file, row_number, column_name, code, message, value, raw)
     values (1, 1, 'comtrade', '/data/a.csv', 3, 'primaryValue', 'bad_number', 'not a number', 'abc', '{"primaryValue":"abc"}')`,
  );
}, 60_000);
afterAll(async () => {
  await warehouse?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sql = (...args: string[]) => cli(['sql', ...args, '--db', warehouse.db], dir);

describe('corridor sql', () => {
  it('answers a SELECT, as CSV', async () => {
    const run = await sql(
      'select id, label, value from analyst_numbers where id <= 3 order by id',
      '--format',
      'csv',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('id,label,value\n1,row 1,0.5\n2,row 2,1\n3,row 3,1.5\n');
  });

  it.each([
    "insert into analyst_numbers (id, label) values (0, 'x')",
    'update analyst_numbers set value = 0',
    'delete from analyst_numbers',
    'drop table analyst_numbers',
    'create table analyst_copy (a integer)',
    // A view cannot be deleted from at all: refused as a write all the same, not as bad SQL.
    'delete from trade_flows',
    '/* tidy */ -- up\n truncate analyst_numbers',
  ])('refuses %s with query_refused, exit 2, and writes nothing', async (statement) => {
    const run = await sql(statement, '--json');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'query_refused', exitCode: 2 } });
    expect(await warehouse.scalar('select count(*) from analyst_numbers')).toBe(ROWS);
    expect(await warehouse.scalar('select sum(value) from analyst_numbers')).toBe((ROWS * (ROWS + 1)) / 4);
  });

  it('refuses two statements in one, so a write cannot ride behind a SELECT', async () => {
    const run = await sql('select 1; delete from analyst_numbers');
    expect(run.code).toBe(2);
    expect(await warehouse.scalar('select count(*) from analyst_numbers')).toBe(ROWS);
  });

  it('stops a query at --timeout with query_timeout, exit 1, and a message saying how to give it more', async () => {
    const started = performance.now();
    const run = await sql(
      'with recursive r(i) as (select 1 union all select i + 1 from r) select count(*) from r',
      '--timeout',
      '1',
    );
    const took = performance.now() - started;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The query was stopped at its time limit of 1 s\. Give it more time with --timeout/,
    );
    expect(run.stdout).toBe('');
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(10_000);
    const json = await sql(
      'with recursive r(i) as (select 1 union all select i + 1 from r) select count(*) from r',
      '--timeout',
      '0.5',
      '--json',
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'query_timeout', exitCode: 1 } });
  });

  it('shows at most --max-rows rows, then says how many more there were', async () => {
    const run = await sql('select id from analyst_numbers order by id', '--max-rows', '5', '--format', 'csv');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('id\n1\n2\n3\n4\n5\n');
    expect(run.stderr).toMatch(/\(5 of 2,345 rows shown: 2,340 more\./);
    const all = await sql('select id from analyst_numbers order by id', '--format', 'csv');
    expect(all.stdout.trim().split('\n')).toHaveLength(ROWS + 1);
    expect(all.stderr).not.toMatch(/more/);
  });

  it('answers --as-of a run or a date with the figures current then, and refuses one it does not know', async () => {
    const figures = 'select hs_code, value_usd from trade_flows order by hs_code';
    const run = await sql(figures, '--as-of', '1', '--format', 'csv');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('hs_code,value_usd\n0101,100\n0102,50\n');
    expect(run.stderr).toMatch(/As of run 1 \(through load 1\)/);
    const date = await sql(figures, '--as-of', '2024-07-01', '--format', 'csv');
    expect(date.stdout).toBe(run.stdout);
    const now = await sql(figures, '--as-of', '2', '--format', 'csv');
    expect(now.stdout).toBe('hs_code,value_usd\n0102,60\n');
    expect((await sql(figures, '--format', 'csv')).stdout).toBe(now.stdout);
    const unknown = await sql('select 1', '--as-of', '99', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'bad_as_of' } });
  });
});

describe('the journal commands', () => {
  it('runs: one object per run, with its counts', async () => {
    const run = await cli(['runs', '--db', warehouse.db, '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({ run_id: 2, pipeline: 'ports' }),
      expect.objectContaining({
        run_id: 1,
        pipeline: 'nightly',
        status: 'succeeded',
        duration_ms: 1500,
        files_loaded: 1,
        rows_loaded: 2,
        rows_rejected: 1,
      }),
    ]);
    const files = await cli(['runs', '--files', '1', '--db', warehouse.db, '--json'], dir);
    expect(JSON.parse(files.stdout)).toEqual([
      expect.objectContaining({ load_id: 1, file_name: 'a.csv', status: 'loaded', warnings: 0 }),
    ]);
    const table = await cli(['runs', '--db', warehouse.db], dir);
    expect(table.stdout).toMatch(/nightly\s+succeeded/);
  });

  it('rejects: the rejected row with its place, code and raw record', async () => {
    const run = await cli(['rejects', '--db', warehouse.db, '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({
        run_id: 1,
        row_number: 3,
        column_name: 'primaryValue',
        code: 'bad_number',
        raw: { primaryValue: 'abc' },
      }),
    ]);
    const text = await cli(['rejects', '--db', warehouse.db], dir);
    expect(text.stdout).toContain('a.csv › row 3, column "primaryValue" [bad_number]: not a number');
  });

  it('revisions: what load 1 added, and what load 2 changed (old → new) and retired', async () => {
    const run = await cli(['revisions', '--db', warehouse.db, '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const figure = (code: string) => ({
      source: 'comtrade',
      reporter: 'KAZ',
      partner: 'PAK',
      flow: 'X',
      period: '2023',
      product: `H6 ${code}`,
    });
    const added = [
      {
        load_id: 1,
        change: 'added',
        ...figure('0101'),
        old_value: null,
        new_value: 100,
        changed_columns: null,
      },
      {
        load_id: 1,
        change: 'added',
        ...figure('0102'),
        old_value: null,
        new_value: 50,
        changed_columns: null,
      },
    ];
    expect(JSON.parse(run.stdout)).toEqual([
      ...added,
      {
        load_id: 2,
        change: 'changed',
        ...figure('0102'),
        old_value: 50,
        new_value: 60,
        changed_columns: 'value_usd',
      },
      {
        load_id: 2,
        change: 'retired',
        ...figure('0101'),
        old_value: 100,
        new_value: null,
        changed_columns: null,
      },
    ]);
    const first = await cli(['revisions', '--run', '1', '--db', warehouse.db, '--json'], dir);
    expect(JSON.parse(first.stdout)).toEqual(added);
  });

  it("status: each pipeline's last run", async () => {
    const run = await cli(['status', 'nightly', '--db', warehouse.db, '--json'], PROJECT_ROOT);
    expect(run.code, run.stderr).toBe(0);
    const [nightly] = JSON.parse(run.stdout) as { pipeline: string; lastRun: Record<string, unknown> }[];
    expect(nightly).toMatchObject({
      pipeline: 'nightly',
      lastRun: { run_id: 1, status: 'succeeded', trigger: 'manual', rows_loaded: 2, rows_rejected: 1 },
    });
    const text = await cli(['status', 'nightly', '--db', warehouse.db], PROJECT_ROOT);
    expect(text.stdout).toMatch(
      /last run {2}run 1 succeeded 2024-06-30 01:00 UTC in 1\.5 ?s: 2 rows loaded, 1 rejected/,
    );
  });
});
