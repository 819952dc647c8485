/**
 * Parquet and SDMX-CSV through `corridor export`, read back by a real Parquet reader and by
 * papaparse, and compared with the warehouse row by row: values, types, order.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-roundtrip-'));
  db = join(dir, 'w.db');
  expect((await cli(['run', 'nightly', '--db', db, '--quiet'])).code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export round trips', () => {
  it('Parquet: every row of trade_flows back, in key order, codes as text, numbers as numbers', async () => {
    const run = await cli(['export', 'trade_flows', '--format', 'parquet', '--out', `${dir}/`, '--db', db]);
    expect(run.code).toBe(0);
    const back = await parquetReadObjects({
      file: await asyncBufferFromFile(join(dir, 'trade_flows.parquet')),
    });
    const pkg = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8')) as {
      resources: { path: string; schema: { primaryKey: string[] } }[];
    };
    const key = pkg.resources.find((r) => r.path === 'trade_flows.parquet')!.schema.primaryKey;
    const expected = query<Record<string, unknown>>(
      db,
      `select * from trade_flows order by ${key.join(', ')}`,
    );
    expect(back).toHaveLength(expected.length);
    const same = (a: Record<string, unknown>) => key.map((k) => String(a[k])).join('|');
    expect(back.map(same)).toEqual(expected.map(same));
    // Values and types, column by column (INT64 comes back as bigint).
    for (let i = 0; i < expected.length; i += 37) {
      for (const [column, value] of Object.entries(expected[i]!)) {
        const got = back[i]![column];
        if (typeof value === 'number' && typeof got === 'bigint') expect(Number(got)).toBe(value);
        else expect(got ?? null).toEqual(value);
      }
    }
    expect(back.some((r) => r.hs_code === 'TOTAL')).toBe(true);
    expect(back.every((r) => typeof r.hs_code === 'string' && typeof r.value_usd === 'number')).toBe(true);
  });

  it('SDMX-CSV: the balance indicator as observations, header and values as in the warehouse', async () => {
    const run = await cli([
      'export',
      'ind_trade_balance',
      '--format',
      'sdmx',
      '--agency',
      'PBS',
      '--dataflow',
      'PAK_KAZ',
      '--version',
      '1.0',
      '--out',
      `${dir}/`,
      '--db',
      db,
    ]);
    expect(run.code).toBe(0);
    const parsed = Papa.parse<Record<string, string>>(
      readFileSync(join(dir, 'ind_trade_balance.sdmx.csv'), 'utf8'),
      {
        header: true,
        skipEmptyLines: true,
      },
    );
    const header = parsed.meta.fields!;
    expect(header.slice(0, 3)).toEqual(['STRUCTURE', 'STRUCTURE_ID', 'ACTION']);
    expect(header.slice(-4)).toEqual(['OBS_VALUE', 'UNIT_MEASURE', 'UNIT_MULT', 'OBS_STATUS']);
    expect(header).toContain('TIME_PERIOD');
    expect(header).toContain('INDICATOR');
    const obs = parsed.data;
    expect(
      obs.every(
        (o) => o.STRUCTURE === 'dataflow' && o.STRUCTURE_ID === 'PBS:PAK_KAZ(1.0)' && o.ACTION === 'I',
      ),
    ).toBe(true);
    // Each measure of each warehouse row is one observation with its value.
    const rows = query<Record<string, unknown>>(db, 'select * from ind_trade_balance');
    const balances = obs.filter((o) => o.INDICATOR === 'BALANCE_USD' || o.INDICATOR === 'balance_usd');
    expect(balances.length).toBe(rows.length);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(balances.filter((o) => o.OBS_VALUE !== '').map((o) => Number(o.OBS_VALUE)))).toBeCloseTo(
      sum(rows.map((r) => (r.balance_usd as number | null) ?? 0)),
      2,
    );
    expect(new Set(balances.map((o) => o.UNIT_MEASURE))).toEqual(new Set(['USD']));
  });
});
