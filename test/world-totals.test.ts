/**
 * The world bases RCA and trade intensity compare with beyond BACI (issue 19 point 3): a
 * world-totals file the user supplies (loaded, validated and versioned like every source), and
 * a Comtrade extract of all reporters; which one wins for a year; and that a few reporters are
 * never the world. Every expected figure is computed here by hand from the files written here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const BACI_SAMPLE = join(PROJECT_ROOT, 'sources/baci/samples/BACI_HS17_Y2021_V202401b_illustrative.csv');

let folder = '';
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-world-totals-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};

async function load(db: string, file: string, source: string, ...more: string[]) {
  const run = await cli(['load', file, '--source', source, '--db', db, ...more]);
  expect(run.code, run.stderr).toBeLessThanOrEqual(3);
  return run;
}

/** Pakistan's World exports in 2021 (H5): x_ik of its RCA, by code; its own total is never the world's. */
const PAK_EXPORTS: [string, number][] = [
  ['TOTAL', 200_000_000],
  ['630231', 50_000_000],
  ['100630', 30_000_000],
  ['63', 60_000_000],
  ['10', 35_000_000],
];

function comtradeFile(
  name: string,
  rows: { reporter: [number, string]; partner: [number, string]; code: string; value: number }[],
) {
  return write(
    name,
    csvText(
      PLUS_HEADER,
      rows.map(({ reporter, partner, code, value }) =>
        plusRow({
          reporterCode: reporter[0],
          reporterISO: reporter[1],
          reporterDesc: reporter[1],
          partnerCode: partner[0],
          partnerISO: partner[1],
          partnerDesc: partner[1],
          cmdCode: code,
          fobvalue: value,
          primaryValue: value,
        }),
      ),
    ),
  );
}

const PAK: [number, string] = [586, 'PAK'];
const WORLD: [number, string] = [0, 'W00'];
const pakFile = () =>
  comtradeFile(
    'pak.csv',
    PAK_EXPORTS.map(([code, value]) => ({ reporter: PAK, partner: WORLD, code, value })),
  );

/** The world's 2021 exports (H5) as the user's file gives them: HS6 codes and TOTAL, no chapters. */
const WORLD_TOTALS: [string, number][] = [
  ['TOTAL', 20_000_000_000],
  ['630231', 500_000_000],
  ['100630', 2_000_000_000],
  ['100199', 3_000_000_000],
];
const HEADER = ['year', 'hs_edition', 'hs_code', 'flow', 'value_usd', 'source_note'];
const worldTotalsText = (rows = WORLD_TOTALS, note = 'WITS world 2021') =>
  csvText(
    HEADER,
    rows.map(([code, value]) => [2021, 'H5', code, 'X', value, note]),
  );

const rca = (db: string, product: string) =>
  query(
    db,
    `select * from ind_rca where source = 'comtrade' and reporter_iso3 = 'PAK' and period = '2021' and product = '${product}'`,
  )[0]!;

describe('a world-totals file', () => {
  const db = () => join(folder, 'totals.db');

  beforeAll(async () => {
    await load(db(), pakFile(), 'comtrade');
    await load(db(), write('world-2021.csv', worldTotalsText()), 'world-totals');
  });

  it('is the world of RCA: x_wk from its codes, chapters summed from them, X_w its TOTAL row', () => {
    // x_PAK,630231 = 50 M of X_PAK = 80 M (its HS6 codes); the world: 500 M of 20,000 M.
    expect(rca(db(), '630231')).toMatchObject({
      exports_usd: 50_000_000,
      reporter_exports_usd: 80_000_000,
      world_product_exports_usd: 500_000_000,
      world_exports_usd: 20_000_000_000,
      world_basis: 'world-totals:WITS world 2021',
      world_reporters: null,
      null_reason: null,
    });
    expect(rca(db(), '630231').rca).toBeCloseTo(50 / 80 / (500 / 20_000), 9);
    // Chapter 63 (PAK 60 M of 95 M in chapters): the file has no chapters, so 63 is its HS6 codes' sum (500 M).
    expect(rca(db(), '63')).toMatchObject({ world_product_exports_usd: 500_000_000 });
    expect(rca(db(), '63').rca).toBeCloseTo(60 / 95 / (500 / 20_000), 9);
    // Chapter 10 = 100630 + 100199 = 5,000 M.
    expect(rca(db(), '10').rca).toBeCloseTo(35 / 95 / (5_000 / 20_000), 9);
  });

  it('balances its journal and loads again as unchanged; a corrected file replaces its year', async () => {
    const file = join(folder, 'world-2021.csv');
    const again = await load(db(), file, 'world-totals');
    expect(again.stdout + again.stderr).toMatch(/skipped|unchanged/i);
    await load(db(), file, 'world-totals', '--force');
    const forced = query(
      db(),
      "select rows_read, rows_rejected, rows_inserted, rows_changed, rows_unchanged from load_files where source = 'world-totals' and status = 'loaded' order by load_id desc limit 1",
    )[0];
    expect(forced).toEqual({
      rows_read: 4,
      rows_rejected: 0,
      rows_inserted: 0,
      rows_changed: 0,
      rows_unchanged: 4,
    });

    // The correction: 630231 revised to 400 M, 100199 dropped.
    const corrected = WORLD_TOTALS.filter(([c]) => c !== '100199').map(([c, v]): [string, number] =>
      c === '630231' ? [c, 400_000_000] : [c, v],
    );
    await load(
      db(),
      write('world-2021-corrected.csv', worldTotalsText(corrected, 'WITS world 2021 rev')),
      'world-totals',
    );
    const last = query(
      db(),
      "select rows_read, rows_inserted, rows_changed, rows_unchanged, rows_retired from load_files where source = 'world-totals' order by load_id desc limit 1",
    )[0];
    expect(last).toEqual({
      rows_read: 3,
      rows_inserted: 0,
      rows_changed: 3,
      rows_unchanged: 0,
      rows_retired: 1,
    });
    expect(scalar(db(), 'select count(*) from world_trade_totals')).toBe(3);
    expect(scalar(db(), "select count(*) from world_trade_totals_history where closed_by = 'retired'")).toBe(
      1,
    );
    expect(rca(db(), '630231')).toMatchObject({
      world_product_exports_usd: 400_000_000,
      world_basis: 'world-totals:WITS world 2021 rev',
    });
    // 100199 is gone: chapter 10 is 100630 alone.
    expect(rca(db(), '10').world_product_exports_usd).toBe(2_000_000_000);
  });

  it.each([
    ['header case', (t: string) => t.replace(/^[^\n]+/, (h) => h.toUpperCase())],
    [
      'column order',
      () =>
        csvText(
          ['value_usd', 'hs_code', 'source_note', 'year', 'flow', 'hs_edition'],
          WORLD_TOTALS.map(([c, v]) => [v, c, 'WITS world 2021', 2021, 'X', 'H5']),
        ),
    ],
    ['a byte-order mark and CRLF', (t: string) => `\uFEFF${t.replace(/\n/g, '\r\n')}`],
    [
      'flow as flowCode, HS 2017 as HS17',
      () =>
        csvText(
          ['year', 'hs_edition', 'hs_code', 'flowCode', 'value_usd', 'source_note'],
          WORLD_TOTALS.map(([c, v]) => [2021, 'HS17', c, 'X', v, 'WITS world 2021']),
        ),
    ],
  ])('reads the same figures with %s', async (name, variant) => {
    const variantDb = join(folder, `variant-${name.replace(/\W+/g, '-')}.db`);
    await load(
      variantDb,
      write(`variant-${name.replace(/\W+/g, '-')}.csv`, variant(worldTotalsText())),
      'world-totals',
    );
    expect(
      query(
        variantDb,
        'select year, hs_edition, flow, hs_code, hs_level, value_usd, source_note from world_trade_totals order by hs_code',
      ),
    ).toEqual(
      [...WORLD_TOTALS]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, value]) => ({
          year: 2021,
          hs_edition: 'H5',
          flow: 'X',
          hs_code: code,
          hs_level: code === 'TOTAL' ? 0 : code.length,
          value_usd: value,
          source_note: 'WITS world 2021',
        })),
    );
  });

  it('refuses a file that does not say its flow: world imports must not pass for exports', async () => {
    const text = csvText(['year', 'hs_edition', 'hs_code', 'value_usd'], [[2021, 'H5', 'TOTAL', 1_000]]);
    const run = await load(join(folder, 'no-flow.db'), write('no-flow.csv', text), 'world-totals');
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/flow/);
  });

  it('rejects bad rows with their row, column, code and a fix, and loads the rest', async () => {
    const badDb = join(folder, 'bad.db');
    const text = csvText(HEADER, [
      [2021, 'H5', 'TOTAL', 'X', 1_000, ''],
      [2021, 'H5', '630231', 'X', -5, ''],
      [2021, 'H9', '100630', 'X', 10, ''],
      [2021, 'H5', 'TOTAL', 'X', 2_000, ''],
      [2021, 'H5', '8703.2', 'X', 10, ''],
      [2021, 'H5', '100630', 'M', 10, ''],
      [1850, 'H5', '100630', 'X', 10, ''],
      [2021, 'H5', '100630', 'X', 10, ''],
    ]);
    await load(badDb, write('bad.csv', text), 'world-totals');
    expect(
      query(badDb, 'select row_number as row, column_name as col, code from rejects order by row_number'),
    ).toEqual([
      { row: 3, col: 'value_usd', code: 'negative_value' },
      { row: 4, col: 'hs_edition', code: 'unknown_edition' },
      { row: 5, col: null, code: 'duplicate_key' },
      { row: 6, col: 'hs_code', code: 'bad_hs_code' },
      { row: 7, col: 'flow', code: 'bad_flow' },
      { row: 8, col: 'year', code: 'bad_period' },
    ]);
    expect(scalar(badDb, "select message from rejects where code = 'unknown_edition'")).toMatch(/H0 to H6/);
    expect(scalar(badDb, "select message from rejects where code = 'duplicate_key'")).toMatch(/row 2/);
    const counts = query(
      badDb,
      'select rows_read, rows_rejected, rows_inserted, rows_changed, rows_unchanged from load_files',
    )[0];
    expect(counts).toEqual({
      rows_read: 8,
      rows_rejected: 6,
      rows_inserted: 2,
      rows_changed: 0,
      rows_unchanged: 0,
    });
  });
});

describe('which world a year takes', () => {
  const db = () => join(folder, 'precedence.db');

  it('takes the world-totals file before BACI, and BACI again once the file is reverted', async () => {
    await load(db(), pakFile(), 'comtrade');
    await load(db(), BACI_SAMPLE, 'baci');
    expect(rca(db(), '630231').world_basis).toBe('baci:V202401b');
    await load(db(), write('precedence-world.csv', worldTotalsText()), 'world-totals');
    expect(rca(db(), '630231')).toMatchObject({
      world_basis: 'world-totals:WITS world 2021',
      world_product_exports_usd: 500_000_000,
    });

    const loadId = scalar(
      db(),
      "select load_id from load_files where source = 'world-totals' and status = 'loaded'",
    );
    const reverted = await cli(['revert', String(loadId), '--db', db()]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(rca(db(), '630231').world_basis).toBe('baci:V202401b');
  });
});

/** 120 single economies with their Comtrade codes, and the European Union (a group). */
function reporters(): [number, string][] {
  const rows = Papa.parse<Record<string, string>>(
    readFileSync(join(PROJECT_ROOT, 'warehouse/reference/countries.csv'), 'utf8'),
    { header: true, skipEmptyLines: true },
  ).data;
  // Codes where Comtrade and ISO agree; PAK and KAZ are the test's own.
  const special = new Set(['USA', 'FRA', 'IND', 'NOR', 'CHE', 'PAK', 'KAZ']);
  return rows
    .filter((r) => r.kind === 'country' && r.iso_numeric !== '' && !special.has(r.iso3!))
    .slice(0, 119)
    .map((r): [number, string] => [Number(r.iso_numeric), r.iso3!]);
}

describe('a Comtrade extract of all reporters', () => {
  const db = () => join(folder, 'all-reporters.db');
  const KAZ: [number, string] = [398, 'KAZ'];
  const EU: [number, string] = [97, 'EUR'];

  it('is the world when 120 reporters give their World exports, never a group or a few', async () => {
    // Reporter i exports (i + 1) M of 630231 and 2 M of 100630 to the world, 1 M to Kazakhstan.
    const others = reporters();
    expect(others).toHaveLength(119);
    const rows = others.flatMap((reporter, i) => [
      { reporter, partner: WORLD, code: 'TOTAL', value: 10_000_000 },
      { reporter, partner: WORLD, code: '630231', value: (i + 1) * 1_000_000 },
      { reporter, partner: WORLD, code: '100630', value: 2_000_000 },
      { reporter, partner: KAZ, code: 'TOTAL', value: 1_000_000 },
    ]);
    // The EU is no exporter of the world: its rows must change nothing.
    rows.push({ reporter: EU, partner: WORLD, code: '630231', value: 9_000_000_000 });
    rows.push({ reporter: EU, partner: KAZ, code: 'TOTAL', value: 9_000_000_000 });
    const pakRows = [
      ...PAK_EXPORTS.map(([code, value]) => ({ reporter: PAK, partner: WORLD, code, value })),
      { reporter: PAK, partner: KAZ, code: 'TOTAL', value: 10_000_000 },
    ];
    const file = comtradeFile('all-reporters.csv', [...pakRows, ...rows]);
    const loaded = await load(db(), file, 'comtrade');
    expect(scalar(db(), 'select rows_rejected from load_files'), loaded.stdout).toBe(0);

    // x_w,630231 = 50 M (PAK) + 1 + 2 + … + 119 M; X_w = the sum of the reporters' HS6 codes.
    const cotton = 50_000_000 + ((119 * 120) / 2) * 1_000_000;
    const rice = 30_000_000 + 119 * 2_000_000;
    const [rcaRow] = [rca(db(), '630231')];
    expect(rcaRow).toMatchObject({
      world_basis: 'comtrade:all-reporters(120)',
      world_reporters: 120,
      world_product_exports_usd: cotton,
      world_exports_usd: cotton + rice,
      null_reason: null,
    });
    expect(rcaRow.rca).toBeCloseTo(50 / 80 / (cotton / (cotton + rice)), 9);

    // Intensity: X_PAK,KAZ = 10 M of X_PAK = 200 M; X_w,KAZ = 10 M + 119 M; X_w = 200 M + 119 × 10 M.
    const tii = query(
      db(),
      "select * from ind_trade_intensity where source = 'comtrade' and reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ'",
    )[0]!;
    expect(tii).toMatchObject({
      world_basis: 'comtrade:all-reporters(120)',
      world_exports_to_partner_usd: 129_000_000,
      world_exports_usd: 1_390_000_000,
    });
    expect(tii.intensity).toBeCloseTo(10 / 200 / (129 / 1_390), 9);
  });

  it('is not the world under the reporters the setting asks for, which may not be a few', async () => {
    const raised = await cli(['derive', '--world-min-reporters', '121', '--db', db()]);
    expect(raised.code, raised.stderr).toBe(0);
    expect(rca(db(), '630231')).toMatchObject({
      rca: null,
      world_basis: 'none',
      null_reason: 'no_world_basis',
    });

    const few = await cli(['derive', '--world-min-reporters', '2', '--db', db()]);
    expect(few.code).not.toBe(0);
    expect(few.stderr).toMatch(/at least 10/);
  });
});
