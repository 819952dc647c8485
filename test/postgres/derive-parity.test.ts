/**
 * Issue 21, points 1 and 4: the derive stage gives the same indicator tables on SQLite and on
 * PostgreSQL. The same trade file and port rows go into a SQLite file and a PostgreSQL
 * database; each is derived in full, then again after a load of one more year (an incremental
 * refresh, which on PostgreSQL deletes and computes one year's rows: those partitions of the
 * fact tables); every ind_* table is compared row by row, numbers within 1e-9 relative.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/db/warehouse.ts';
import { INDICATORS } from '../../warehouse/indicators/index.ts';
import { type TestWarehouse, testWarehouse } from '../helpers/backends.ts';
import { csvText, PLUS_HEADER, tradeRow } from '../helpers/comtrade-csv.ts';
import { DERIVE_FIXTURE } from '../helpers/derive-fixture.ts';
import { cli } from '../helpers/run-cli.ts';

/** PAK's exports of 620342 to six partners: about 1 USD/kg, and one at 20 (unit_value_outlier). */
const UNIT_VALUES = (
  [
    ['KAZ', 1.0],
    ['CHN', 1.1],
    ['UZB', 0.9],
    ['KGZ', 1.05],
    ['TJK', 0.95],
    ['AFG', 20],
  ] as const
).map(([partner, perKg]) =>
  tradeRow({ partner, flow: 'X', code: '620342', usd: 1_000_000, kg: 1_000_000 / perKg, year: 2021 }),
);

let folder = '';
let sqlite: TestWarehouse;
let pg: TestWarehouse;
const M = 1_000_000;

/** Karachi's monthly tonnes, FY2021-22 and FY2022-23, straight into the fact table (no port file format needed). */
async function insertPortRows(location: string): Promise<void> {
  const warehouse = await openWarehouse(location);
  try {
    let row = 0;
    for (const start of [2021, 2022]) {
      for (let i = 0; i < 12; i++) {
        const month = ((6 + i) % 12) + 1;
        const year = month >= 7 ? start : start + 1;
        for (const [label, direction, tonnes] of [
          ['Wheat', 'import', 100_000 + 10_000 * (start - 2021)],
          ['Coal', 'import', 50_000],
          ['Rice', 'export', 60_000 + 5_000 * i],
        ] as const) {
          await warehouse.sql.run(
            `insert into port_throughput_rows (source, port_locode, period, freq, year, month, direction, cargo_group,
               commodity_raw, commodity_key, unit, quantity, source_row, load_id)
             values ('kpt', 'PKKHI', ?, 'M', ?, ?, ?, 'all', ?, ?, 't', ?, ?, 0)`,
            [
              `${year}-${String(month).padStart(2, '0')}`,
              year,
              month,
              direction,
              label,
              label.toLowerCase(),
              tonnes,
              ++row,
            ],
          );
        }
      }
    }
  } finally {
    await warehouse.close();
  }
}

async function load(location: string, name: string, text: string): Promise<void> {
  const file = join(folder, name);
  writeFileSync(file, text);
  const run = await cli(['load', file, '--source', 'comtrade', '--db', location]);
  expect(run.code, run.stderr).toBe(0);
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-derive-parity-'));
  sqlite = await testWarehouse(folder, 'sqlite');
  pg = await testWarehouse(folder, 'postgres');
  for (const w of [sqlite, pg]) {
    expect((await cli(['init', '--db', w.db])).code).toBe(0);
    await insertPortRows(w.db);
    await load(w.db, 'trade.csv', csvText(PLUS_HEADER, DERIVE_FIXTURE));
    await load(w.db, 'unit-values.csv', csvText(PLUS_HEADER, UNIT_VALUES));
  }
}, 180_000);

afterAll(async () => {
  await pg?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

const same = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number'
    ? a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
    : a === b;

/** Every ind_* table of both warehouses: the rows that differ, as text. */
async function differences(): Promise<{ rows: number; differing: string[] }> {
  let rows = 0;
  const differing: string[] = [];
  for (const d of INDICATORS) {
    const columns = d.columns.map((c) => c.name);
    const text = `select ${columns.join(', ')} from ${d.table} order by ${d.key.join(', ')}`;
    const [a, b] = [await sqlite.query(text), await pg.query(text)];
    rows += a.length;
    if (a.length !== b.length)
      differing.push(`${d.table}: ${a.length} rows on SQLite, ${b.length} on PostgreSQL`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      for (const c of columns) {
        if (!same(a[i]![c], b[i]![c]))
          differing.push(
            `${d.table} ${d.key.map((k) => a[i]![k]).join(' ')} ${c}: ${a[i]![c]} / ${b[i]![c]}`,
          );
      }
    }
  }
  return { rows, differing };
}

/** The open findings of both warehouses, figures parsed: they must agree within 1e-9. */
interface OpenFinding {
  check_name: string;
  finding_key: string;
  expected: number;
  found: number;
  rows_involved: unknown;
}

async function findings(w: TestWarehouse): Promise<OpenFinding[]> {
  const rows = await w.query<OpenFinding>(
    `select check_name, severity, table_name, finding_key, expected, found, rows_involved, message
     from dq_findings where resolved_at is null order by check_name, table_name, finding_key`,
  );
  return rows.map((r) => ({ ...r, rows_involved: JSON.parse(String(r.rows_involved ?? 'null')) }));
}

const near = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((x, i) => near(x, b[i]))
    : a !== null && b !== null && typeof a === 'object' && typeof b === 'object'
      ? Object.keys(a).length === Object.keys(b).length &&
        Object.entries(a).every(([k, v]) => near(v, (b as Record<string, unknown>)[k]))
      : same(a, b);

describe('the indicator tables on both backends', () => {
  it('are the same after a full refresh, port tables included', async () => {
    for (const w of [sqlite, pg]) {
      const derived = await cli(['derive', '--full', '--db', w.db]);
      expect(derived.code, derived.stderr).toBe(0);
    }
    const { rows, differing } = await differences();
    expect(differing).toEqual([]);
    expect(rows).toBeGreaterThan(1000);
    for (const table of ['ind_port_growth', 'ind_port_mix', 'ind_trade_growth', 'ind_mirror'])
      expect(await pg.scalar(`select count(*) from ${table}`), table).toBeGreaterThan(0);
  }, 120_000);

  it('give the same check findings, the unit value band (medians taken in SQL) included', async () => {
    const [a, b] = [await findings(sqlite), await findings(pg)];
    expect(b.map((f) => f.finding_key)).toEqual(a.map((f) => f.finding_key));
    for (let i = 0; i < a.length; i++) expect(near(a[i], b[i]), JSON.stringify([a[i], b[i]])).toBe(true);
    const outlier = b.find((f) => f.check_name === 'unit_value_outlier');
    // ln(USD/kg) of 0.9, 0.95, 1, 1.05, 1.1 and 20: the median is ln(1 × 1.05) / 2.
    expect(outlier).toMatchObject({ finding_key: 'comtrade PAK AFG X A 2021 H5 620342', found: 20 });
    expect(outlier!.expected as number).toBeCloseTo(Math.sqrt(1.05), 9);
    expect(outlier!.rows_involved).toMatchObject({ observations: 6 });
  });

  it('are the same after an incremental refresh of one more year, which leaves the other years alone', async () => {
    const more = [
      tradeRow({ reporter: 'PAK', partner: 'W00', flow: 'X', code: 'TOTAL', usd: 130 * M, year: 2023 }),
      tradeRow({ reporter: 'PAK', partner: 'W00', flow: 'X', code: '52', usd: 70 * M, year: 2023 }),
      tradeRow({ reporter: 'PAK', partner: 'KAZ', flow: 'X', code: 'TOTAL', usd: 50 * M, year: 2023 }),
    ];
    const before = await pg.scalar<number>('select max(derive_id) from ind_trade_balance where year = 2021');
    for (const w of [sqlite, pg]) await load(w.db, 'trade-2023.csv', csvText(PLUS_HEADER, more));
    const runs = await pg.query<{ mode: string; trade_years: string }>(
      'select mode, trade_years from derive_runs order by derive_id desc limit 1',
    );
    expect(runs[0]).toEqual({ mode: 'incremental', trade_years: '{"comtrade":[2023]}' });
    // 2021's rows were not computed again; 2023's are there.
    expect(await pg.scalar('select max(derive_id) from ind_trade_balance where year = 2021')).toBe(before);
    const growth = await pg.query<{ yoy_growth_pct: number }>(
      `select yoy_growth_pct from ind_trade_growth where reporter_iso3 = 'PAK' and partner_iso3 = 'W00'
         and flow = 'X' and period = '2023' and product = 'TOTAL'`,
    );
    expect(growth[0]!.yoy_growth_pct).toBeCloseTo((130 / 110 - 1) * 100, 9);
    const { differing } = await differences();
    expect(differing).toEqual([]);
  }, 120_000);
});
