/**
 * `corridor sql` is read-only, and `corridor runs` / `corridor rejects` show the journal and the
 * quarantine. One warehouse, loaded once from the Pakistan sample, serves the whole file; every
 * refused statement is checked against the file's bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

const PAK_SAMPLE = join(PROJECT_ROOT, 'sources/comtrade/samples/pak_trade_2019_2023_illustrative.csv');

let dir = '';
let dbPath = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-sql-'));
  dbPath = join(dir, 'w.db');
  const run = await cli(['load', PAK_SAMPLE, '--source', 'comtrade', '--db', dbPath]);
  expect(run.code).toBe(0);
  // Everything into the main file, so that a write anywhere shows in its bytes or in the WAL.
  const db = new Database(dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `corridor sql "<text>" --db … [extra]`. A query that starts with "-" (a `--` comment) goes
 * after a `--` separator, or the argument parser takes it for an option.
 */
const sql = (text: string, ...extra: string[]) =>
  cli(
    text.startsWith('-')
      ? ['sql', '--db', dbPath, ...extra, '--', text]
      : ['sql', text, '--db', dbPath, ...extra],
    dir,
  );

/** sha256 of the database file and of its WAL, if any. */
function fingerprint(): string {
  const hash = createHash('sha256');
  for (const suffix of ['', '-wal']) {
    const path = dbPath + suffix;
    hash.update(`${suffix}:`);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

const REFUSED: readonly [string, RegExp][] = [
  [
    "INSERT INTO trade_flow_rows (source, reporter_iso3, partner_iso3, flow, freq, period, year, hs_edition, hs_code, hs_level, value_usd, source_row, load_id) VALUES ('x', 'PAK', 'KAZ', 'X', 'A', '1999', 1999, 'H5', 'TOTAL', 0, 1, 1, 1)",
    /read-only/,
  ],
  ['UPDATE trade_flow_rows SET value_usd = 0', /read-only/],
  ['DELETE FROM baci_flows', /read-only/],
  ['DROP TABLE trade_flow_rows', /read-only/],
  // trade_flows is a view over both tables: SQLite cannot even prepare the DELETE, and it is
  // refused as the write it is, not as bad SQL.
  ['DELETE FROM trade_flows', /read-only/],
  ['DROP VIEW trade_flows', /read-only/],
  ['CREATE TABLE scratch (x)', /read-only/],
  ["ATTACH DATABASE 'attached.db' AS other", /ATTACH is refused/],
  ['DETACH DATABASE main', /DETACH is refused/],
  ['PRAGMA user_version = 5', /PRAGMA user_version.*refused/],
  ['PRAGMA journal_mode = DELETE', /PRAGMA journal_mode.*refused/],
  ['VACUUM', /VACUUM is refused/],
  ["VACUUM INTO 'copy.db'", /VACUUM is refused/],
  ["/* c */ attach 'sneaky.db' as s", /ATTACH is refused/],
  ["-- a comment first\nATTACH 'sneaky2.db' AS s", /ATTACH is refused/],
  ['select 1; delete from trade_flows', /one statement/],
  ["; ATTACH 'empty-first.db' AS e", /ATTACH is refused/],
  ["/* -- */ ATTACH 'nested.db' AS n", /ATTACH is refused/],
];

describe('corridor sql refuses anything that would write', () => {
  it.each(REFUSED)('refuses %s with exit 2 and a message saying why', async (statement, why) => {
    const run = await sql(statement);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(why);
    expect(run.stderr).not.toContain('    at ');
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it('leaves the database file byte-for-byte unchanged after all the refused statements', async () => {
    const before = fingerprint();
    const rowsBefore = query(dbPath, 'select count(*) as n, sum(value_usd) as v from trade_flows');

    for (const [statement] of REFUSED) expect((await sql(statement)).code).toBe(2);

    expect(fingerprint()).toBe(before);
    expect(query(dbPath, 'select count(*) as n, sum(value_usd) as v from trade_flows')).toEqual(rowsBefore);
    expect(query(dbPath, 'pragma user_version')).toEqual([{ user_version: 0 }]);
    for (const made of ['attached.db', 'copy.db', 'sneaky.db', 'sneaky2.db', 'empty-first.db', 'nested.db'])
      expect(existsSync(join(dir, made))).toBe(false);
  });
});

describe('corridor sql reads', () => {
  it('prints a table with a header, a rule and a row count', async () => {
    const run = await sql(
      "select reporter_iso3, count(*) as n from trade_flows where partner_iso3 = 'KAZ' group by reporter_iso3",
    );

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^reporter_iso3\s+n$/);
    expect(lines[1]).toMatch(/^-+\s+-+$/);
    const expected = query<{ n: number }>(
      dbPath,
      "select count(*) as n from trade_flows where partner_iso3 = 'KAZ'",
    )[0]!.n;
    expect(lines[2]).toMatch(new RegExp(`^PAK\\s+${expected}$`));
    expect(lines).toHaveLength(3);
    expect(run.stderr).toMatch(/\(1 row\)/);
  });

  it('prints CSV that papaparse reads back to the same values, codes kept as text', async () => {
    const text =
      "select hs_code, partner_iso3, period, value_usd, net_weight_kg from trade_flows where partner_iso3 = 'KAZ' and hs_level = 6 order by period, flow, hs_code";

    const run = await sql(text, '--format', 'csv');

    expect(run.code).toBe(0);
    const parsed = Papa.parse<Record<string, string>>(run.stdout, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['hs_code', 'partner_iso3', 'period', 'value_usd', 'net_weight_kg']);
    const direct = query<Record<string, string | number | null>>(dbPath, text);
    expect(parsed.data).toHaveLength(direct.length);
    expect(direct.length).toBeGreaterThan(10);
    parsed.data.forEach((row, i) => {
      const want = direct[i]!;
      expect(row.hs_code).toBe(want.hs_code);
      expect(row.period).toBe(want.period);
      expect(Number(row.value_usd)).toBe(want.value_usd);
      expect(row.net_weight_kg === '' ? null : Number(row.net_weight_kg)).toBe(want.net_weight_kg);
    });
    expect(parsed.data.some((r) => r.hs_code === '080521')).toBe(true);
  });

  it('prints JSON that parses to the same rows', async () => {
    const text =
      "select period, flow, hs_code, value_usd, cif_value_usd from trade_flows where hs_code = 'TOTAL' and partner_iso3 = 'KAZ' order by period, flow";

    const run = await sql(text, '--format', 'json');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(query(dbPath, text));
  });

  it('defaults to JSON with --json, and prints [] for no rows', async () => {
    const run = await sql("select hs_code from trade_flows where hs_code = 'nope'", '--json');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('allows WITH ... SELECT', async () => {
    const run = await sql(
      "with kaz as (select flow, sum(value_usd) as v from trade_flows where partner_iso3 = 'KAZ' and hs_code = 'TOTAL' and period = '2021' group by flow) select flow, v from kaz order by flow",
      '--format',
      'json',
    );

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { flow: 'M', v: 128087641.352 },
      { flow: 'X', v: 68912305.664 },
    ]);
  });

  it('allows PRAGMA table_info(trade_flows), showing codes stored as TEXT', async () => {
    const run = await sql('PRAGMA table_info(trade_flows)', '--format', 'json');

    expect(run.code).toBe(0);
    const columns = JSON.parse(run.stdout) as { name: string; type: string }[];
    expect(columns.find((c) => c.name === 'hs_code')).toMatchObject({ type: 'TEXT' });
    expect(columns.find((c) => c.name === 'reporter_code')).toMatchObject({ type: 'TEXT' });
    expect(columns).toHaveLength(27);
  });

  it('allows reading PRAGMA journal_mode, which the read-only allow-list names', async () => {
    const run = await sql('PRAGMA journal_mode', '--format', 'json');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ journal_mode: 'wal' }]);
  });

  it('gives exit 2 and a hint for a query on a table that does not exist', async () => {
    const run = await sql('select * from flows');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no such table: flows/);
    expect(run.stderr).toMatch(/sqlite_master/);
  });

  it('gives exit 2 and a clear message, not an internal error, when a query fails while it runs', async () => {
    const run = await sql("select json('{not json') as j", '--format', 'csv');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/malformed JSON/);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stdout).toBe('');
  });

  it('gives exit 2 and tells to run init when the warehouse does not exist, without creating it', async () => {
    const missing = join(dir, 'nowhere', 'none.db');

    const run = await cli(['sql', 'select 1', '--db', missing]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(missing);
    expect(run.stderr).toMatch(/corridor init/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('corridor runs and corridor rejects', () => {
  it('shows the journal as a table and as JSON', async () => {
    const table = await cli(['runs', '--db', dbPath]);
    const json = await cli(['runs', '--db', dbPath, '--json']);

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^run_id\s+pipeline\s+status/m);
    expect(table.stdout).toMatch(/^\s*1\s+load\s+succeeded\s.*\s247\s+245\s+2\s+0$/m);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([
      {
        run_id: 1,
        pipeline: 'load',
        status: 'succeeded',
        exit_code: 0,
        files_loaded: 1,
        rows_read: 247,
        rows_loaded: 245,
        rows_rejected: 2,
      },
    ]);
  });

  it('shows the files of a run with --files', async () => {
    const run = await cli(['runs', '--files', '1', '--db', dbPath, '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject([
      {
        load_id: 1,
        file_name: 'pak_trade_2019_2023_illustrative.csv',
        status: 'loaded',
        rows_read: 247,
        rows_loaded: 245,
        rows_rejected: 2,
        path: PAK_SAMPLE,
      },
    ]);
  });

  it('shows the rejects of a run, one line each with file, row, column, code and message', async () => {
    const run = await cli(['rejects', '--run', '1', '--db', dbPath]);

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^pak_trade_2019_2023_illustrative\.csv › row 247, column "cmdCode" \[bad_hs_code\]: "8703\.2" is not an HS code/,
    );
    expect(lines[1]).toMatch(/› row 248, column "primaryValue" \[negative_value\]: "-48213\.5" is negative/);
    expect(lines[2]).toMatch(/› row 248, column "fobvalue" \[negative_value\]/);
    expect(run.stderr).toMatch(/run 1 rejected 2 rows in all/);
  });

  it('gives the rejects as JSON with the raw row as an object', async () => {
    const run = await cli(['rejects', '--run', '1', '--db', dbPath, '--json']);

    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as {
      row_number: number;
      code: string;
      raw: Record<string, string>;
    }[];
    expect(list.map((r) => [r.row_number, r.code])).toEqual([
      [247, 'bad_hs_code'],
      [248, 'negative_value'],
      [248, 'negative_value'],
    ]);
    expect(list[0]!.raw).toMatchObject({ cmdCode: '8703.2', primaryValue: '18450.25' });
    expect(list[1]!.raw).toMatchObject({ cmdCode: '630221', primaryValue: '-48213.5' });
  });

  it('filters rejects by code', async () => {
    const run = await cli(['rejects', '--run', '1', '--code', 'bad_hs_code', '--db', dbPath, '--json']);

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { code: string }[]).map((r) => r.code)).toEqual(['bad_hs_code']);
  });
});
