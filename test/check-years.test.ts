/**
 * After a load, the refresh runs the checks that look at one year at a time over the years it
 * rewrote, and resolves only their findings of those years (issue 22: a derive proportional to
 * what changed, checks included); `corridor check` still runs every check over every year.
 * Real SQLite warehouse, real CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/check/index.ts';
import { inSourceYears } from '../src/check/warehouse-check.ts';
import { csvText, PLUS_HEADER, type TradeFigure, tradeRow } from './helpers/comtrade-csv.ts';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();
beforeEach(() => warehouseAt(dbPath()));

/** PAK's exports to KAZ in `year`: a TOTAL and two chapters adding up to `chapters`. */
const pakToKaz = (year: number, total: number, chapters: number): TradeFigure[] => [
  { partner: 'W00', code: 'TOTAL', usd: 20_000_000, year },
  { partner: 'KAZ', code: 'TOTAL', usd: total, year },
  { partner: 'KAZ', code: '52', usd: chapters / 2, year },
  { partner: 'KAZ', code: '62', usd: chapters / 2, year },
];

async function load(name: string, flows: readonly TradeFigure[], ...options: string[]) {
  const file = join(tmp(), name);
  writeFileSync(file, csvText(PLUS_HEADER, flows.map(tradeRow)));
  const run = await cli(['load', file, '--source', 'comtrade', '--db', dbPath(), ...options]);
  expect(run.stderr).not.toMatch(/corridor: /);
  return run;
}

interface Row {
  finding_key: string;
  year: number | null;
  last_seen_at: string;
  resolved_at: string | null;
}

const findings = (check = 'total_vs_chapters') =>
  query<Row>(
    dbPath(),
    'select finding_key, year, last_seen_at, resolved_at from dq_findings where check_name = ? order by year',
    check,
  );

describe('checks by year', () => {
  it('are declared for every check the warehouse runs (those recorded by loads and derive aside)', () => {
    const run = CHECKS.filter((c) => c.run !== undefined || c.pages !== undefined);
    expect(run.length).toBeGreaterThan(5);
    expect(run.filter((c) => !c.byYear).map((c) => c.name)).toEqual([]);
  });

  it('after a load of one year, re-examine that year alone; corridor check re-examines every year', async () => {
    // Chapters above the TOTAL in 2021 and in 2022: an error each.
    await load('pak-2021.csv', pakToKaz(2021, 5_000_000, 8_000_000));
    await load('pak-2022.csv', pakToKaz(2022, 5_000_000, 9_000_000));
    const [first2021, first2022] = findings();
    expect(first2021).toMatchObject({ year: 2021, resolved_at: null });
    expect(first2022).toMatchObject({ year: 2022, resolved_at: null });
    expect(first2021!.finding_key).toContain('2021');
    const [firstBelow2021] = findings('total_below_parts');

    // A corrected 2022: its finding is resolved; 2021's was not read again, so it stands unchanged.
    await load('pak-2022-corrected.csv', pakToKaz(2022, 9_000_000, 9_000_000));
    const [after2021, after2022] = findings();
    expect(after2022!.resolved_at).not.toBeNull();
    expect(after2021).toEqual(first2021);
    // The same for the TOTAL below its parts, which the refresh records itself.
    const [below2021, below2022] = findings('total_below_parts');
    expect([below2021!.year, below2022!.year]).toEqual([2021, 2022]);
    expect(below2022!.resolved_at).not.toBeNull();
    expect(below2021!.resolved_at).toBeNull();
    expect(below2021).toEqual(firstBelow2021);
    const [derive] = query<{ trade_years: string }>(
      dbPath(),
      'select trade_years from derive_runs order by derive_id desc limit 1',
    );
    expect(JSON.parse(derive!.trade_years)).toEqual({ comtrade: [2022] });

    // A finding recorded before findings had years is left to corridor check.
    const before = query<{ n: number }>(dbPath(), 'select count(*) as n from dq_findings')[0]!.n;
    const check = await cli(['check', '--db', dbPath()]);
    expect(check.code, check.stderr).toBe(3);
    const [checked2021, checked2022] = findings();
    expect(checked2021!.resolved_at).toBeNull();
    expect(checked2021!.last_seen_at > first2021!.last_seen_at).toBe(true);
    expect(checked2022!.resolved_at).not.toBeNull();
    expect(query<{ n: number }>(dbPath(), 'select count(*) as n from dq_findings')[0]!.n).toBe(before);
  });

  it('leave a finding without a year to corridor check, which resolves it when it is gone', async () => {
    await load('pak-2021.csv', pakToKaz(2021, 5_000_000, 8_000_000));
    // As a warehouse of the previous release holds it: recorded before findings had a year.
    const db = new Database(dbPath());
    db.exec("update dq_findings set year = null where check_name = 'total_vs_chapters'");
    db.close();
    await load('pak-2021-corrected.csv', pakToKaz(2021, 8_000_000, 8_000_000));
    expect(findings()).toEqual([expect.objectContaining({ year: null, resolved_at: null })]);

    expect((await cli(['check', '--db', dbPath()])).code).toBe(0);
    expect(findings()[0]!.resolved_at).not.toBeNull();
  });

  it('draw unit-value bands per year: prices that rose are not outliers, an odd row within its year is', async () => {
    // HS 520100 to seven partners: about 1 USD/kg in 2021 with one row at 3, all about 3 in 2022.
    // One band over both years (its median among the rows at 3) flagged the six 2021 rows near 1.
    const partners = ['KAZ', 'CHN', 'UZB', 'KGZ', 'TJK', 'AFG', 'IND'];
    const perKg = (year: number, uv: (i: number) => number): TradeFigure[] =>
      partners.map((partner, i) => ({
        partner,
        code: '520100',
        usd: 1_000_000,
        kg: 1_000_000 / uv(i),
        year,
      }));
    const near = (centre: number) => (i: number) => centre * (1 + (i - 3) / 100);
    await load(
      'uv-2021.csv',
      perKg(2021, (i) => (i === 6 ? 3 : near(1)(i))),
    );
    await load('uv-2022.csv', perKg(2022, near(3)));
    const [outlier, ...others] = findings('unit_value_outlier');
    expect(others).toEqual([]);
    expect(outlier).toMatchObject({ year: 2021, resolved_at: null });
    expect(outlier!.finding_key).toBe('comtrade PAK IND X A 2021 H5 520100');

    // A revised 2022 (an outlier of its own): 2021's finding is not read again.
    await load(
      'uv-2022-revised.csv',
      perKg(2022, (i) => (i === 0 ? 30 : near(3)(i))),
    );
    const after = findings('unit_value_outlier');
    expect(after.map((f) => [f.year, f.finding_key])).toEqual([
      [2021, 'comtrade PAK IND X A 2021 H5 520100'],
      [2022, 'comtrade PAK KAZ X A 2022 H5 520100'],
    ]);
    expect(after[0]).toEqual(outlier);
  });

  it('are not run at all by a refresh that rewrote nothing', async () => {
    await load('pak-2021.csv', pakToKaz(2021, 5_000_000, 8_000_000));
    const [before] = findings();
    const run = await cli(['derive', '--db', dbPath()]);
    expect(run.code, run.stderr).not.toBe(2);
    expect(findings()).toEqual([before]);
  });
});

describe('inSourceYears', () => {
  /** A table clustered on source and year, as the indicator tables are, with two sources and three years. */
  function clusteredTable() {
    const db = new Database(':memory:');
    db.exec(`create table ind_example (source text not null, year integer not null, k text not null,
      value real, primary key (source, year, k)) without rowid`);
    const insert = db.prepare('insert into ind_example values (?, ?, ?, ?)');
    for (const source of ['baci', 'comtrade', 'national'])
      for (const year of [2017, 2018, 2019])
        for (let k = 0; k < 50; k++)
          if (source !== 'national' || year !== 2019) insert.run(source, year, `k${k}`, k);
    return db;
  }

  it('admits the rows of those years of every source, and reads them as ranges of the key, not the whole table', () => {
    const db = clusteredTable();
    const where = inSourceYears('ind_example', [2019, 2017], 'e');
    const rows = db
      .prepare(`select source, year, count(*) as n from ind_example e where ${where} group by source, year`)
      .all();
    expect(rows).toEqual([
      { source: 'baci', year: 2017, n: 50 },
      { source: 'baci', year: 2019, n: 50 },
      { source: 'comtrade', year: 2017, n: 50 },
      { source: 'comtrade', year: 2019, n: 50 },
      { source: 'national', year: 2017, n: 50 },
    ]);
    const plan = (
      db.prepare(`explain query plan select * from ind_example e where ${where}`).all() as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan[0]).toMatch(/^SEARCH e USING PRIMARY KEY \(source=\? AND year=\?\)/);
    db.close();
  });

  it('is true for every year and false for none', () => {
    const db = clusteredTable();
    const count = (where: string) =>
      (db.prepare(`select count(*) as n from ind_example where ${where}`).get() as { n: number }).n;
    expect(count(inSourceYears('ind_example', null))).toBe(400);
    expect(count(inSourceYears('ind_example', []))).toBe(0);
    db.close();
  });
});
