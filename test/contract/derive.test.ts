/**
 * The derive stage and the checks on the backend under test (SQLite in `npm test`, PostgreSQL in
 * `npm run test:pg`): a hand-made Comtrade file (Pakistan and Kazakhstan reporting, partners the
 * World, each other and China, TOTAL, chapter and HS6 rows, 2021 and 2022) is loaded and
 * derived, and the indicator figures and check findings are compared with values worked out by
 * hand below. test/postgres/derive-parity.test.ts compares every indicator table row by row
 * between the two backends.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestWarehouse, testWarehouse } from '../helpers/backends.ts';
import { csvText, PLUS_HEADER } from '../helpers/comtrade-csv.ts';
import { DERIVE_FIXTURE } from '../helpers/derive-fixture.ts';
import { cli } from '../helpers/run-cli.ts';

const M = 1_000_000;
let warehouse: TestWarehouse;
let folder = '';

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-derive-contract-'));
  warehouse = await testWarehouse(folder);
  const file = join(folder, 'corridor-trade.csv');
  writeFileSync(file, csvText(PLUS_HEADER, DERIVE_FIXTURE));
  const load = await cli(['load', file, '--source', 'comtrade', '--db', warehouse.db]);
  expect(load.code, load.stderr).toBe(0);
  const derive = await cli(['derive', '--full', '--db', warehouse.db]);
  expect(derive.code, derive.stderr).toBe(0);
  expect(derive.stdout).toMatch(/Rebuilt 14 indicator tables/);
}, 120_000);
afterAll(async () => {
  await warehouse?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

/** One row of `table` where each of `where`'s columns equals its value. */
async function row(table: string, where: Record<string, string | number>): Promise<Record<string, unknown>> {
  const keys = Object.keys(where);
  const rows = await warehouse.query(
    `select * from ${table} where ${keys.map((k) => `${k} = ?`).join(' and ')}`,
    Object.values(where),
  );
  expect(rows, `${table} ${JSON.stringify(where)}`).toHaveLength(1);
  return rows[0]!;
}

/** Equal within 1e-9 of the figure (1.1 × 100 M is 110,000,000.00000001 in floating point). */
const close = (value: unknown, expected: number) => {
  expect(typeof value).toBe('number');
  expect(Math.abs((value as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

const pair = (reporter: string, partner: string, period: string) => ({
  source: 'comtrade',
  reporter_iso3: reporter,
  partner_iso3: partner,
  freq: 'A',
  period,
});

describe('derived figures', () => {
  it('ind_trade_balance: exports beside imports, in total and per HS code', async () => {
    const world = await row('ind_trade_balance', { ...pair('PAK', 'W00', '2021'), product: 'TOTAL' });
    expect(world).toMatchObject({ exports_usd: 100 * M, imports_usd: 80 * M, balance_usd: 20 * M });
    expect(world).toMatchObject({
      exports_reported: 1,
      imports_reported: 1,
      small_base: 0,
      null_reason: null,
    });
    close(world.normalised_balance, 20 / 180);
    const kaz = await row('ind_trade_balance', { ...pair('PAK', 'KAZ', '2022'), product: 'TOTAL' });
    close(kaz.exports_usd, 44 * M);
    close(kaz.imports_usd, 35.2 * M);
    close(kaz.normalised_balance, 8.8 / 79.2);
    const cotton = await row('ind_trade_balance', { ...pair('PAK', 'W00', '2021'), product: '520100' });
    expect(cotton).toMatchObject({ product_kind: 'hs', classification: 'H5', hs_level: 6 });
    expect(cotton).toMatchObject({ exports_usd: 20 * M, imports_usd: 5 * M, balance_usd: 15 * M });
    close(cotton.normalised_balance, 0.6);
    // Fertilizers: imported only; PAK reported chapter exports, so its exports of 31 are a 0.
    const fertilizers = await row('ind_trade_balance', { ...pair('PAK', 'W00', '2021'), product: '31' });
    expect(fertilizers).toMatchObject({ exports_usd: 0, exports_reported: 0, imports_reported: 1 });
    expect(fertilizers).toMatchObject({ imports_usd: 30 * M, balance_usd: -30 * M, normalised_balance: -1 });
  });

  it('ind_trade_growth: year on year, with the first year missing its base', async () => {
    const total = await row('ind_trade_growth', {
      ...pair('PAK', 'W00', '2022'),
      flow: 'X',
      product: 'TOTAL',
    });
    close(total.value_usd, 110 * M);
    expect(total.previous_value_usd).toBe(100 * M);
    close(total.yoy_growth_pct, 10);
    expect(total).toMatchObject({ null_reason: null, falls_to_zero: 0, small_base: 0 });
    const grain = await row('ind_trade_growth', { ...pair('PAK', 'W00', '2022'), flow: 'X', product: '10' });
    expect(grain).toMatchObject({ value_usd: 20 * M, previous_value_usd: 40 * M });
    close(grain.yoy_growth_pct, -50);
    const first = await row('ind_trade_growth', {
      ...pair('PAK', 'W00', '2021'),
      flow: 'X',
      product: 'TOTAL',
    });
    expect(first).toMatchObject({
      previous_value_usd: null,
      yoy_growth_pct: null,
      null_reason: 'missing_input',
    });
    expect(first).toMatchObject({ cagr_3y_pct: null, cagr_3y_null_reason: 'missing_input' });
  });

  it('ind_shares: a product within its pair, a partner within the world', async () => {
    const product = await row('ind_shares', {
      ...pair('PAK', 'KAZ', '2021'),
      share_kind: 'product',
      flow: 'X',
      product: '52',
    });
    expect(product).toMatchObject({ denominator_usd: 40 * M, denominator_basis: 'reported_total' });
    close(product.value_usd, 24 * M);
    close(product.share, 0.6);
    const partner = await row('ind_shares', {
      ...pair('PAK', 'KAZ', '2021'),
      share_kind: 'partner',
      flow: 'X',
    });
    expect(partner).toMatchObject({
      value_usd: 40 * M,
      denominator_usd: 100 * M,
      denominator_basis: 'world_row',
    });
    close(partner.share, 0.4);
    // A category the file is coarser than (grain within chapter 10) has no share at all.
    const grain = await row('ind_shares', {
      ...pair('PAK', 'W00', '2021'),
      share_kind: 'product',
      flow: 'X',
      product: 'grain',
    });
    expect(grain).toMatchObject({ value_usd: null, share: null, null_reason: 'coarser_than_category' });
  });

  it('ind_rca: no world basis from two reporters, and the Grubel–Lloyd index per code', async () => {
    const rca = await row('ind_rca', {
      source: 'comtrade',
      reporter_iso3: 'PAK',
      period: '2021',
      classification: 'H5',
      product: '520100',
    });
    expect(rca).toMatchObject({ exports_usd: 20 * M, reporter_exports_usd: 60 * M, rca: null });
    expect(rca).toMatchObject({
      null_reason: 'no_world_basis',
      world_basis: 'none',
      partner_basis: 'world_row',
    });
    const gl = await row('ind_grubel_lloyd', { ...pair('PAK', 'W00', '2021'), product: '520100' });
    close(gl.grubel_lloyd, 0.4);
  });

  it('ind_trade_sums: each sum with how it was made', async () => {
    const sums = await warehouse.query<Record<string, unknown>>(
      `select product_kind, classification, product, value_usd, sum_basis, hs_levels, codes_drawn_on, row_count,
              null_reason
       from ind_trade_sums
       where reporter_iso3 = 'PAK' and partner_iso3 = 'W00' and flow = 'X' and period = '2021'
         and product in ('TOTAL', '52', '10', 'textiles', 'grain')
       order by product_kind, product`,
    );
    expect(sums).toEqual([
      {
        product_kind: 'category',
        classification: 'corridor',
        product: 'grain',
        value_usd: null,
        sum_basis: null,
        hs_levels: null,
        codes_drawn_on: null,
        row_count: 0,
        null_reason: 'coarser_than_category',
      },
      {
        product_kind: 'category',
        classification: 'corridor',
        product: 'textiles',
        value_usd: 60 * M,
        sum_basis: 'exact',
        hs_levels: '6',
        codes_drawn_on: '520100 520512',
        row_count: 2,
        null_reason: null,
      },
      {
        product_kind: 'chapter',
        classification: 'H5',
        product: '10',
        value_usd: 40 * M,
        sum_basis: 'exact',
        hs_levels: '2',
        codes_drawn_on: '10',
        row_count: 1,
        null_reason: null,
      },
      {
        product_kind: 'chapter',
        classification: 'H5',
        product: '52',
        value_usd: 60 * M,
        sum_basis: 'exact',
        hs_levels: '6',
        codes_drawn_on: '520100 520512',
        row_count: 2,
        null_reason: null,
      },
      {
        product_kind: 'total',
        classification: '',
        product: 'TOTAL',
        value_usd: 100 * M,
        sum_basis: 'published',
        hs_levels: '0',
        codes_drawn_on: 'TOTAL',
        row_count: 1,
        null_reason: null,
      },
    ]);
    // KAZ's imports of chapter 52: 520512 is half of it, so the chapter stands for its branch.
    const chapter = await row('ind_trade_sums', {
      ...pair('KAZ', 'W00', '2021'),
      flow: 'M',
      product_kind: 'chapter',
      product: '52',
    });
    expect(chapter).toMatchObject({ value_usd: 18 * M, sum_basis: 'from_coarser', hs_levels: '2' });
  });
});

describe('checks', () => {
  it('records the findings the figures call for, and corridor check lists them', async () => {
    const open = await warehouse.query<{ check_name: string; severity: string; n: number }>(
      `select check_name, severity, count(*) as n from dq_findings where resolved_at is null
       group by check_name, severity order by check_name, severity`,
    );
    // PAK declares 24 M of chapter 52 exports to KAZ in 2021 (26.4 M in 2022); KAZ declares
    // 3.6 M (3.96 M) of imports: a discrepancy of 0.74 with a gap above 1 M USD.
    expect(open).toEqual([
      { check_name: 'mirror_gap', severity: 'warning', n: 2 },
      { check_name: 'total_vs_chapters', severity: 'info', n: 17 },
      { check_name: 'world_vs_partners', severity: 'info', n: 4 },
    ]);
    const gap = await row('dq_findings', {
      check_name: 'mirror_gap',
      finding_key: 'PAK KAZ A 2021 H5:52 comtrade/comtrade',
    });
    close(gap.expected, 24 * M);
    close(gap.found, 3.6 * M);
    const check = await cli(['check', '--format', 'json', '--db', warehouse.db]);
    expect(check.code, check.stderr).toBe(0);
    const report = JSON.parse(check.stdout) as { findings: { check_name: string }[] };
    expect(report.findings).toHaveLength(23);
    // A threshold that makes the 0.74 discrepancy ordinary resolves both.
    const relaxed = await cli([
      'check',
      '--mirror-discrepancy',
      '0.8',
      '--format',
      'json',
      '--db',
      warehouse.db,
    ]);
    expect(relaxed.code, relaxed.stderr).toBe(0);
    expect((JSON.parse(relaxed.stdout) as { findings: unknown[] }).findings).toHaveLength(21);
    // What the load's run recorded last, listed without checking again (later checks took
    // the findings they found again): the same rows as the table holds for it.
    const listed = await cli(['check', '--run', '1', '--format', 'json', '--db', warehouse.db]);
    expect(listed.code, listed.stderr).toBe(0);
    const ofRun = JSON.parse(listed.stdout) as { run: number; findings: { run_id: number }[] };
    expect(ofRun.run).toBe(1);
    expect(ofRun.findings.length).toBe(
      await warehouse.scalar('select count(*) from dq_findings where run_id = 1'),
    );
    expect(ofRun.findings.every((f) => f.run_id === 1)).toBe(true);
  });

  it('refreshes nothing when nothing was loaded since', async () => {
    const again = await cli(['derive', '--json', '--db', warehouse.db]);
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as { indicators: { mode: string; tables: unknown[] } };
    expect(result.indicators.mode).toBe('incremental');
    expect(result.indicators.tables).toEqual([]);
  });
});
