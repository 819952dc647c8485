/**
 * How the indicator tables follow the loads: the first refresh computes everything; later
 * loads rewrite only the years they touched (and the years that look back on them); an
 * unchanged file changes nothing; `corridor derive --full` rebuilds; a table whose columns no
 * longer match its definition is rebuilt; a refresh that fails leaves every table as it was.
 * Each refresh is in the journal with its timings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TRADE_INPUTS } from '../warehouse/indicators/trade-inputs.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');

/** A PAK → KAZ export total per year, as one Comtrade file. */
function exportsFile(name: string, values: Record<number, number>): string {
  const path = join(tmp(), name);
  const rows = Object.entries(values).map(([year, value]) =>
    plusRow({ refYear: Number(year), period: year, primaryValue: value, fobvalue: value }),
  );
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return path;
}

const load = (path: string) => cli(['load', path, '--source', 'comtrade', '--db', db()]);

/** The refresh that last wrote a balance row. */
const balanceWrittenBy = (period: string) =>
  scalar<number>(
    db(),
    "select derive_id from ind_trade_balance where reporter_iso3 = 'PAK' and product = 'TOTAL' and period = ?",
    period,
  );

const lastDerive = () =>
  query<{ mode: string; trade_years: string | null; status: string; run_id: number | null }>(
    db(),
    'select * from derive_runs order by derive_id desc limit 1',
  )[0]!;

describe('refreshing the indicator tables', () => {
  it('rewrites only the years a load touched, and what looks back on them', async () => {
    expect((await load(exportsFile('a.csv', { 2019: 8_000_000, 2020: 10_000_000 }))).code).toBe(0);
    expect(lastDerive()).toMatchObject({ mode: 'full', trade_years: null, status: 'succeeded' });
    const before2019 = balanceWrittenBy('2019');
    const before2020 = balanceWrittenBy('2020');
    const growth2020 = scalar<number>(db(), "select derive_id from ind_trade_growth where period = '2020'");

    // A file of 2022 alone: growth of 2022 reads 2019 (CAGR over 3 years) but 2019's rows stay.
    const later = await load(exportsFile('b.csv', { 2022: 12_000_000 }));
    // Ten trade tables and the port–customs coverage; the port tables have nothing new.
    expect(later.stdout).toMatch(/Refreshed 12 indicator tables for changes in 2022 \(/);
    expect(lastDerive()).toMatchObject({ mode: 'incremental', trade_years: '{"comtrade":[2022]}' });
    expect(balanceWrittenBy('2019')).toBe(before2019);
    expect(balanceWrittenBy('2020')).toBe(before2020);
    expect(scalar(db(), "select derive_id from ind_trade_growth where period = '2020'")).toBe(growth2020);
    expect(balanceWrittenBy('2022')).toBeGreaterThan(before2020);
    expect(
      scalar<number>(
        db(),
        "select cagr_3y_pct from ind_trade_growth where period = '2022' and product = 'TOTAL'",
      ),
    ).toBeCloseTo((1.5 ** (1 / 3) - 1) * 100, 10);

    // A revised 2020 replaces its slice: its balance and the growth that reads it move.
    await load(exportsFile('a-revised.csv', { 2019: 8_000_000, 2020: 16_000_000 }));
    expect(lastDerive()).toMatchObject({ trade_years: '{"comtrade":[2019,2020]}' });
    expect(
      scalar(db(), "select exports_usd from ind_trade_balance where period = '2020' and product = 'TOTAL'"),
    ).toBe(16_000_000);
    expect(
      scalar(db(), "select yoy_growth_pct from ind_trade_growth where period = '2020' and product = 'TOTAL'"),
    ).toBe(100);
  });

  it('changes nothing for an unchanged file, and rebuilds everything on --full, with timings', async () => {
    const file = exportsFile('a.csv', { 2020: 10_000_000 });
    await load(file);
    const refreshes = scalar<number>(db(), 'select count(*) from derive_runs');
    const again = await load(file);
    expect(again.stdout).toMatch(/Nothing new/);
    expect(scalar(db(), 'select count(*) from derive_runs')).toBe(refreshes);

    const full = await cli(['derive', '--full', '--db', db()]);
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/Rebuilt 14 indicator tables \([\d,]+ rows\) in /);
    expect(lastDerive()).toMatchObject({ mode: 'full', run_id: null, status: 'succeeded' });
    const timings = query<{ table_name: string; duration_ms: number; rows_written: number }>(
      db(),
      'select * from derive_tables where derive_id = (select max(derive_id) from derive_runs) order by table_name',
    );
    // The 14 tables, each input table they share, and the inputs' planner statistics (SQLite's ANALYZE).
    expect(timings.map((t) => t.table_name)).toEqual(expect.arrayContaining(['input_flows', 'input_series']));
    expect(timings).toHaveLength(14 + TRADE_INPUTS.length + 1);
    expect(timings.map((t) => t.table_name)).toContain('input_statistics');
    expect(timings.filter((t) => t.table_name.startsWith('input_')).every((t) => t.rows_written === 0)).toBe(
      true,
    );
    expect(timings.every((t) => t.duration_ms >= 0)).toBe(true);
    expect(timings.find((t) => t.table_name === 'ind_trade_balance')?.rows_written).toBeGreaterThan(0);
  });

  it('rebuilds a table whose columns no longer match its definition, and the tables that read it', async () => {
    await load(exportsFile('a.csv', { 2020: 10_000_000 }));
    const sqlite = new Database(db());
    sqlite.exec('alter table ind_trade_balance drop column small_base');
    sqlite.close();
    const derived = await cli(['derive', '--db', db()]);
    expect(derived.code).toBe(0);
    // The balance, and the two tables that read it (Grubel–Lloyd, the mirror).
    expect(derived.stdout).toMatch(/Rebuilt 3 indicator tables whose definition changed/);
    const columns = query<{ name: string }>(db(), "select name from pragma_table_info('ind_trade_balance')");
    expect(columns.map((c) => c.name)).toContain('small_base');
    expect(scalar(db(), "select count(*) from ind_trade_balance where period = '2020'")).toBeGreaterThan(0);
  });

  it('leaves every table as it was when a refresh fails, and says so without a stack trace', async () => {
    await load(exportsFile('a.csv', { 2020: 10_000_000 }));
    const before = scalar<number>(db(), 'select count(*) from ind_trade_balance');
    const sqlite = new Database(db());
    // The second table refreshed fails, after the first was rewritten.
    sqlite.exec(
      "create trigger refuse before insert on ind_trade_growth begin select raise(abort, 'database or disk is full'); end",
    );
    sqlite.close();
    const failed = await cli(['derive', '--full', '--db', db()]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /refreshing the derived indicator tables failed at ind_trade_growth \(database or disk is full\)\. Every indicator table is as it was before/,
    );
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(scalar(db(), 'select count(*) from ind_trade_balance')).toBe(before);
    expect(scalar(db(), 'select max(derive_id) from ind_trade_balance')).toBe(1);
    expect(lastDerive().status).toBe('failed');
  });

  it('compares a month with the same month a year earlier, shows a product that stopped, and an edition break', async () => {
    const path = join(tmp(), 'monthly.csv');
    const month = (period: string, code: string, value: number, edition = 'H5') =>
      plusRow({
        freqCode: 'M',
        refYear: Number(period.slice(0, 4)),
        refMonth: Number(period.slice(4)),
        period,
        classificationCode: edition,
        cmdCode: code,
        primaryValue: value,
        fobvalue: value,
      });
    writeFileSync(
      path,
      csvText(PLUS_HEADER, [
        month('202201', 'TOTAL', 1_000_000),
        month('202201', '100199', 400_000),
        month('202201', '520100', 200_000),
        month('202212', 'TOTAL', 1_500_000),
        month('202301', 'TOTAL', 1_250_000),
        month('202301', '520100', 300_000),
        month('202401', 'TOTAL', 1_300_000, 'H6'),
        month('202401', '520100', 350_000, 'H6'),
      ]),
    );
    expect((await load(path)).code).toBe(0);
    const growth = (period: string, product: string) =>
      query(
        db(),
        "select * from ind_trade_growth where freq = 'M' and period = ? and product = ?",
        period,
        product,
      )[0];
    // January 2023 against January 2022: +25 % (against December it would be −16.7 %).
    expect(growth('2023-01', 'TOTAL')).toMatchObject({
      previous_value_usd: 1_000_000,
      yoy_growth_pct: 25,
      month: 1,
    });
    // Three years back is January 2020, not loaded.
    expect(growth('2023-01', 'TOTAL')).toMatchObject({
      cagr_3y_pct: null,
      cagr_3y_null_reason: 'missing_input',
    });
    // Wheat was exported in January 2022 and not in January 2023, when the pair did report H5 codes.
    expect(growth('2023-01', '100199')).toMatchObject({
      value_usd: 0,
      previous_value_usd: 400_000,
      yoy_growth_pct: -100,
      falls_to_zero: 1,
    });
    // January 2024 is in HS 2022 (H6), January 2023 in HS 2017 (H5): no 0 to compare with.
    expect(growth('2024-01', '520100')).toMatchObject({
      classification: 'H6',
      previous_value_usd: null,
      null_reason: 'edition_break',
      small_base: null,
    });
  });

  it("leaves other sources' rows alone, but refreshes the tables that compare sources", async () => {
    const baci = join(
      PROJECT_ROOT,
      'sources',
      'baci',
      'samples',
      'BACI_HS17_Y2021_V202401b_illustrative.csv',
    );
    expect((await cli(['load', baci, '--source', 'baci', '--db', db()])).code).toBe(0);
    const baciShares = "select distinct derive_id from ind_shares where source = 'baci'";
    expect(query(db(), baciShares)).toEqual([{ derive_id: 1 }]);
    // A Comtrade file of the same year: BACI's 2021 rows are not recomputed.
    expect((await load(exportsFile('c.csv', { 2021: 10_000_000 }))).code).toBe(0);
    expect(lastDerive()).toMatchObject({ mode: 'incremental', trade_years: '{"comtrade":[2021]}' });
    expect(query(db(), baciShares)).toEqual([{ derive_id: 1 }]);
    expect(scalar(db(), "select max(derive_id) from ind_trade_balance where source = 'comtrade'")).toBe(2);
    // The mirror compares sources: its 2021 is recomputed whatever the source.
    expect(scalar(db(), "select min(derive_id) from ind_mirror where period = '2021'")).toBe(2);
  });

  it('fills a 0 only at the HS level and edition the pair reported, and reads one edition per year', async () => {
    const path = join(tmp(), 'levels.csv');
    const row = (flow: 'X' | 'M', code: string, value: number, edition = 'H5') =>
      plusRow({
        refYear: 2022,
        period: '2022',
        flowCode: flow,
        classificationCode: edition,
        cmdCode: code,
        primaryValue: value,
        fobvalue: flow === 'X' ? value : null,
        cifvalue: flow === 'M' ? value : null,
      });
    writeFileSync(
      path,
      csvText(PLUS_HEADER, [
        // Exports given by chapter only, imports by subheading.
        row('X', '31', 100_000),
        row('M', '310420', 50_000),
        // The same year again in HS 2022: the newer edition is read, the older left out.
        row('X', '31', 120_000, 'H6'),
        row('M', '310420', 60_000, 'H6'),
      ]),
    );
    expect((await load(path)).code).toBe(0);
    const potash = query(db(), "select * from ind_trade_balance where product = '310420'");
    // The chapter-level exports say nothing of 310420: missing, not 0.
    expect(potash).toEqual([
      expect.objectContaining({
        classification: 'H6',
        exports_usd: null,
        imports_usd: 60_000,
        null_reason: 'missing_input',
      }),
    ]);
    // Chapter 31 in the newer edition alone: 120,000, not 220,000 added across editions.
    expect(
      scalar(db(), "select value_usd from ind_shares where share_kind = 'product' and product = '31'"),
    ).toBe(120_000);
    expect(
      query(db(), "select distinct classification from ind_trade_balance where product_kind = 'hs'"),
    ).toEqual([{ classification: 'H6' }]);
  });
});
