/**
 * The port indicator tables against values worked out by hand. Karachi's monthly tonnes for
 * two fiscal years (July–June) are written straight into `port_throughput_rows` of a real
 * warehouse, and Pakistan's seaborne wheat imports are loaded through the CLI from a Comtrade
 * file; then `corridor derive --full` computes the tables.
 *
 * FY2022-23: wheat imports 100,000 t a month, coal imports 50,000, rice exports 60,000.
 * FY2023-24: wheat 120,000, coal 50,000, rice 80,000.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

let folder = '';
const db = () => join(folder, 'w.db');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const MONTHLY: Record<number, Record<string, [string, number]>> = {
  2022: { Wheat: ['import', 100_000], Coal: ['import', 50_000], Rice: ['export', 60_000] },
  2023: { Wheat: ['import', 120_000], Coal: ['import', 50_000], Rice: ['export', 80_000] },
};

/** The twelve months of the fiscal year starting in July of `start`. */
function fiscalMonths(start: number): [number, number][] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = ((6 + i) % 12) + 1;
    return [month >= 7 ? start : start + 1, month];
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-port-indicators-'));
  expect((await cli(['init', '--db', db()])).code).toBe(0);
  const sqlite = new Database(db());
  const insert = sqlite.prepare(
    `insert into port_throughput_rows (source, port_locode, period, freq, year, month, direction, cargo_group,
       commodity_raw, commodity_key, unit, quantity, source_row, load_id)
     values ('kpt', 'PKKHI', ?, 'M', ?, ?, ?, 'all', ?, ?, 't', ?, ?, 0)`,
  );
  let row = 0;
  for (const [start, commodities] of Object.entries(MONTHLY)) {
    for (const [year, month] of fiscalMonths(Number(start))) {
      for (const [label, [direction, tonnes]] of Object.entries(commodities)) {
        const period = `${year}-${String(month).padStart(2, '0')}`;
        insert.run(period, year, month, direction, label, label.toLowerCase(), tonnes, ++row);
      }
    }
  }
  sqlite.close();
  // Pakistan's customs: 1.1 Mt of wheat (100199, category grain) imported by sea in 2023.
  const customs = join(folder, 'pak-sea-2023.csv');
  writeFileSync(
    customs,
    csvText(PLUS_HEADER, [
      plusRow({
        refYear: 2023,
        period: '2023',
        flowCode: 'M',
        flowDesc: 'Import',
        partnerCode: 0,
        partnerISO: 'W00',
        partnerDesc: 'World',
        cmdCode: '100199',
        motCode: 2100,
        netWgt: 1_100_000_000,
        primaryValue: 330_000_000,
        cifvalue: 330_000_000,
        fobvalue: null,
      }),
    ]),
  );
  expect((await cli(['load', customs, '--source', 'comtrade', '--db', db()])).code).toBe(0);
  const derived = await cli(['derive', '--full', '--db', db()]);
  expect(derived.code).toBe(0);
  expect(derived.stdout).toMatch(/Rebuilt 14 indicator tables/);
});

describe('ind_port_growth', () => {
  const growth = (level: string, item: string, period: string) =>
    query(
      db(),
      `select * from ind_port_growth where port_locode = 'PKKHI' and level = ? and item = ? and unit = 't' and period = ?`,
      level,
      item,
      period,
    );

  it('compares a month with the same month a year earlier, and the fiscal year to date with the same months', () => {
    // July 2023, the first month of FY2023-24: wheat 120,000 against 100,000.
    const [july] = growth('commodity', 'wheat', '2023-07');
    expect(july).toMatchObject({
      fiscal_year: '2023-24',
      fiscal_month: 1,
      quantity: 120_000,
      previous_quantity: 100_000,
    });
    expect(july!.yoy_growth_pct).toBeCloseTo(20, 10);
    // September 2023: three months to date, 360,000 against 300,000.
    const [september] = growth('commodity', 'wheat', '2023-09');
    expect(september).toMatchObject({
      fiscal_month: 3,
      fytd_quantity: 360_000,
      fytd_previous_quantity: 300_000,
    });
    expect(september!.fytd_growth_pct).toBeCloseTo(20, 10);
    // All imports in July 2023: 170,000 against 150,000.
    const [imports] = query(
      db(),
      `select * from ind_port_growth where level = 'total' and direction = 'import' and unit = 't' and period = '2023-07'`,
    );
    expect(imports!.yoy_growth_pct).toBeCloseTo((170_000 / 150_000 - 1) * 100, 10);
  });

  it('gives NULL with missing_input where the year before is not loaded', () => {
    expect(growth('commodity', 'wheat', '2022-07')[0]).toMatchObject({
      yoy_growth_pct: null,
      null_reason: 'missing_input',
      fytd_growth_pct: null,
      fytd_null_reason: 'missing_input',
    });
  });
});

describe('ind_port_mix', () => {
  it("gives each commodity's share of the fiscal year's tonnes, the HHI and the export share", () => {
    // FY2023-24: wheat 1.44 Mt, coal 0.6 Mt, rice 0.96 Mt; 3 Mt in all.
    const mix = query(
      db(),
      `select * from ind_port_mix where port_locode = 'PKKHI' and fiscal_year = '2023-24' and direction = 'all' order by commodity`,
    );
    expect(mix.map((m) => m.commodity)).toEqual(['coal', 'rice', 'wheat']);
    expect(mix.map((m) => m.quantity_t)).toEqual([600_000, 960_000, 1_440_000]);
    expect(mix[2]!.share).toBeCloseTo(0.48, 12);
    expect(mix[0]).toMatchObject({ port_total_t: 3_000_000, commodities: 3, months: 12, small_base: 0 });
    expect(mix[0]!.hhi).toBeCloseTo(0.48 ** 2 + 0.2 ** 2 + 0.32 ** 2, 12);
    expect(mix[0]!.export_share).toBeCloseTo(0.32, 12);
    // Imports alone: wheat and coal, two items, flagged.
    const [coal] = query(
      db(),
      `select * from ind_port_mix where fiscal_year = '2023-24' and direction = 'import' and commodity = 'coal'`,
    );
    expect(coal!.share).toBeCloseTo(0.6 / 2.04, 12);
    expect(coal).toMatchObject({ commodities: 2, small_base: 1 });
  });
});

describe('ind_port_trade_coverage', () => {
  it("sets the ports' tonnes of a category against customs' seaborne net weight, calendar year by calendar year", () => {
    // Calendar 2023: Jan–Jun at 100,000 t (FY2022-23) and Jul–Dec at 120,000 t: 1.32 Mt, against 1.1 Mt.
    const [grain] = query(
      db(),
      `select * from ind_port_trade_coverage where country_iso3 = 'PAK' and category = 'grain' and flow = 'M' and period = '2023'`,
    );
    expect(grain).toMatchObject({
      port_tonnes: 1_320_000,
      ports: 1,
      complete_year: 1,
      customs_source: 'comtrade',
      customs_net_tonnes_sea: 1_100_000,
      is_modelled: 1,
      null_reason: null,
    });
    expect(grain!.coverage_ratio).toBeCloseTo(1.2, 12);
    // 2022 has only July to December loaded: no ratio from half a year.
    const [partial] = query(
      db(),
      `select * from ind_port_trade_coverage where category = 'grain' and flow = 'M' and period = '2022'`,
    );
    expect(partial).toMatchObject({ complete_year: 0, coverage_ratio: null, null_reason: 'missing_input' });
  });
});
