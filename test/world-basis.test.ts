/**
 * The world of RCA and trade intensity (issue 19 point 3): with only two Comtrade reporters
 * loaded there is no world, so both are NULL with no_world_basis; once a BACI year of the same
 * year and HS edition is loaded, the world is every BACI exporter, computed here by hand from the
 * BACI file itself; a reporter's World partner row is its own total, never the world's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

const BACI_SAMPLE = join(PROJECT_ROOT, 'sources/baci/samples/BACI_HS17_Y2021_V202401b_illustrative.csv');

let folder = '';
const db = () => join(folder, 'w.db');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const COUNTRY: Record<string, [number, string]> = {
  PAK: [586, 'Pakistan'],
  KAZ: [398, 'Kazakhstan'],
  W00: [0, 'World'],
};

/** Comtrade (H5, BACI HS17's edition): reporter, partner, HS code or TOTAL, US dollars, year (2021). */
const FLOWS: [string, string, string, number, number?][] = [
  ['PAK', 'KAZ', 'TOTAL', 10_000_000],
  ['PAK', 'KAZ', '630231', 6_000_000],
  ['PAK', 'KAZ', '100630', 4_000_000],
  // PAK's World rows: its own exports to the world (x_ik and X_i of its RCA), never added to
  // the world's x_wk or X_w.
  ['PAK', 'W00', 'TOTAL', 200_000_000],
  ['PAK', 'W00', '630231', 50_000_000],
  ['PAK', 'W00', '100630', 30_000_000],
  ['KAZ', 'PAK', 'TOTAL', 5_000_000],
  ['KAZ', 'PAK', '100199', 3_000_000],
  ['KAZ', 'PAK', '310420', 2_000_000],
  // A year BACI does not hold.
  ['KAZ', 'PAK', 'TOTAL', 4_000_000, 2020],
  ['KAZ', 'PAK', '100199', 4_000_000, 2020],
];

function comtradeFile(reporter: string): string {
  const rows = FLOWS.filter(([r]) => r === reporter).map(([r, p, code, value, year = 2021]) =>
    plusRow({
      refYear: year,
      period: String(year),
      reporterCode: COUNTRY[r]![0],
      reporterISO: r,
      reporterDesc: COUNTRY[r]![1],
      partnerCode: COUNTRY[p]![0],
      partnerISO: p,
      partnerDesc: COUNTRY[p]![1],
      flowCode: 'X',
      flowDesc: 'Export',
      cmdCode: code,
      fobvalue: value,
      primaryValue: value,
    }),
  );
  const path = join(folder, `${reporter}.csv`);
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return path;
}

/** The BACI sample's exports in US dollars (v is in thousands): by code, to a partner, in all. */
function baciWorld() {
  const lines = readFileSync(BACI_SAMPLE, 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((l) => l.split(',')).map(([, , j, k, v]) => ({ j, k, v: Number(v) * 1000 }));
  const sum = (keep: (r: (typeof rows)[number]) => boolean) =>
    rows.filter(keep).reduce((total, r) => total + r.v, 0);
  return {
    product: (code: string) => sum((r) => r.k === code),
    toPartner: (code: string) => sum((r) => r.j === code),
    total: sum(() => true),
  };
}

const rca = (product: string) =>
  query(
    db(),
    `select * from ind_rca where source = 'comtrade' and reporter_iso3 = 'PAK' and period = '2021' and product = '${product}'`,
  );
const intensity = () =>
  query(
    db(),
    "select * from ind_trade_intensity where source = 'comtrade' and reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and period = '2021'",
  );

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-world-basis-'));
  const loaded = await cli([
    'load',
    comtradeFile('PAK'),
    comtradeFile('KAZ'),
    '--source',
    'comtrade',
    '--db',
    db(),
  ]);
  expect(loaded.code, loaded.stderr).toBe(0);
});

describe('the world basis of RCA and trade intensity', () => {
  it('is none with two Comtrade reporters loaded: NULL with no_world_basis, not their sum', () => {
    expect(rca('630231')).toEqual([
      expect.objectContaining({
        exports_usd: 50_000_000,
        reporter_exports_usd: 80_000_000,
        world_product_exports_usd: null,
        world_exports_usd: null,
        rca: null,
        world_basis: 'none',
        partner_basis: 'world_row',
        null_reason: 'no_world_basis',
      }),
    ]);
    expect(intensity()).toEqual([
      expect.objectContaining({
        exports_usd: 10_000_000,
        intensity: null,
        world_basis: 'none',
        null_reason: 'no_world_basis',
      }),
    ]);
    const basisOfAll = query(db(), 'select distinct world_basis, null_reason from ind_rca');
    expect(basisOfAll).toEqual([{ world_basis: 'none', null_reason: 'no_world_basis' }]);
  });

  it("takes every BACI exporter of the year as the world once BACI's 2021 is loaded", async () => {
    const loaded = await cli(['load', BACI_SAMPLE, '--source', 'baci', '--db', db()]);
    expect(loaded.code, loaded.stderr).toBe(0);
    const world = baciWorld();

    // x_PAK,630231 = 50 M and X_PAK = 80 M (its World rows, its own totals); x_w and X_w from BACI.
    const [cotton] = rca('630231');
    expect(cotton).toMatchObject({
      world_basis: 'baci:V202401b',
      null_reason: null,
      partner_basis: 'world_row',
    });
    expect(cotton!.world_product_exports_usd).toBeCloseTo(world.product('630231'), 3);
    expect(cotton!.world_exports_usd).toBeCloseTo(world.total, 3);
    expect(cotton!.rca).toBeCloseTo(50 / 80 / (world.product('630231') / world.total), 9);
    // PAK's World row (50 M) is its own total, never part of the world: x_w is BACI's sum alone.

    // X_PAK,KAZ = 10 M; X_PAK = 200 M (PAK's World TOTAL); X_w,KAZ and X_w from BACI.
    const [tii] = intensity();
    expect(tii).toMatchObject({
      world_basis: 'baci:V202401b',
      null_reason: null,
      reporter_exports_usd: 200_000_000,
    });
    expect(tii!.world_exports_to_partner_usd).toBeCloseTo(world.toPartner('398'), 3);
    expect(tii!.intensity).toBeCloseTo(10 / 200 / (world.toPartner('398') / world.total), 9);

    // KAZ's 2020: BACI holds 2021 only, so 2020 has no world.
    expect(
      query(
        db(),
        "select rca, world_basis, null_reason from ind_rca where reporter_iso3 = 'KAZ' and period = '2020'",
      ),
    ).toEqual([{ rca: null, world_basis: 'none', null_reason: 'no_world_basis' }]);
  });
});
