/**
 * ind_port_trade_coverage links every category the port map shares with the HS categories, not
 * grain alone (issue 19 point 4): Karachi's 2023 fertiliser and petroleum tonnes, written straight
 * into `port_throughput_rows` of a real warehouse, against Pakistan's seaborne customs loaded
 * through the CLI from a Comtrade file. A port category counts in the categories above it, as
 * its HS codes do: potash and urea in fertilizers, crude and POL in oil_petroleum.
 *
 * Monthly port imports (t): Potash 10,000, Urea 20,000, Crude oil 500,000, POL 250,000.
 * Customs 2023 imports by sea (t): 310420 100,000, 310210 200,000, 270900 5,000,000, 271019 2,500,000.
 * Every ratio is then 12 × monthly / customs = 1.2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldName } from '../src/normalize/fold-name.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

let folder = '';
const db = () => join(folder, 'w.db');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const MONTHLY_IMPORTS: Record<string, number> = {
  Potash: 10_000,
  Urea: 20_000,
  'Crude oil': 500_000,
  POL: 250_000,
};
const CUSTOMS_TONNES: Record<string, number> = {
  '310420': 100_000,
  '310210': 200_000,
  '270900': 5_000_000,
  '271019': 2_500_000,
};

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-port-categories-'));
  expect((await cli(['init', '--db', db()])).code).toBe(0);
  const sqlite = new Database(db());
  const insert = sqlite.prepare(
    `insert into port_throughput_rows (source, port_locode, period, freq, year, month, direction, cargo_group,
       commodity_raw, commodity_key, unit, quantity, source_row, load_id)
     values ('kpt', 'PKKHI', ?, 'M', 2023, ?, 'import', 'all', ?, ?, 't', ?, ?, 0)`,
  );
  let row = 0;
  for (let month = 1; month <= 12; month++)
    for (const [label, tonnes] of Object.entries(MONTHLY_IMPORTS))
      insert.run(`2023-${String(month).padStart(2, '0')}`, month, label, foldName(label), tonnes, ++row);
  sqlite.close();
  const customs = join(folder, 'pak-sea-2023.csv');
  writeFileSync(
    customs,
    csvText(
      PLUS_HEADER,
      Object.entries(CUSTOMS_TONNES).map(([cmdCode, tonnes]) =>
        plusRow({
          refYear: 2023,
          period: '2023',
          flowCode: 'M',
          flowDesc: 'Import',
          partnerCode: 0,
          partnerISO: 'W00',
          partnerDesc: 'World',
          cmdCode,
          motCode: 2100,
          netWgt: tonnes * 1000,
          primaryValue: tonnes * 300,
          cifvalue: tonnes * 300,
          fobvalue: null,
        }),
      ),
    ),
  );
  expect((await cli(['load', customs, '--source', 'comtrade', '--db', db()])).code).toBe(0);
  expect((await cli(['derive', '--full', '--db', db()])).code).toBe(0);
});

describe('ind_port_trade_coverage across the one category vocabulary', () => {
  const coverage = () =>
    query<{ category: string; port_tonnes: number; customs_net_tonnes_sea: number; coverage_ratio: number }>(
      db(),
      `select category, port_tonnes, customs_net_tonnes_sea, coverage_ratio, null_reason
       from ind_port_trade_coverage where country_iso3 = 'PAK' and flow = 'M' and period = '2023' order by category`,
    );

  it('links fertilizers, potash and petroleum, each port category also counted in the categories above it', () => {
    const rows = coverage();
    expect(rows.map((r) => r.category)).toEqual([
      'crude_oil',
      'fertilizers',
      'nitrogenous_fertilizers',
      'oil_petroleum',
      'petroleum_products',
      'potash',
    ]);
    const byCategory = Object.fromEntries(rows.map((r) => [r.category, r]));
    expect(byCategory.potash).toMatchObject({
      port_tonnes: 120_000,
      customs_net_tonnes_sea: 100_000,
      null_reason: null,
    });
    expect(byCategory.fertilizers).toMatchObject({ port_tonnes: 360_000, customs_net_tonnes_sea: 300_000 });
    expect(byCategory.crude_oil).toMatchObject({ port_tonnes: 6_000_000, customs_net_tonnes_sea: 5_000_000 });
    expect(byCategory.oil_petroleum).toMatchObject({
      port_tonnes: 9_000_000,
      customs_net_tonnes_sea: 7_500_000,
    });
    for (const r of rows) expect(r.coverage_ratio, r.category).toBeCloseTo(1.2, 12);
  });
});
