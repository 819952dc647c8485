/**
 * The trade indicator tables against values worked out by hand from a small Comtrade fixture
 * (the arithmetic is in the comments), loaded through the CLI into a real warehouse. Edge
 * cases: a missing year (PAK reports nothing for 2021), a zero base, a single item, a product
 * and a partner that appear on one side only, a reporter without imports (CHN).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cell, csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

// One warehouse for the whole file: every test reads what the fixture loaded.
let folder = '';
const tmp = () => folder;
const db = () => join(folder, 'w.db');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const CODES: Record<string, [number, string]> = {
  PAK: [586, 'Pakistan'],
  KAZ: [398, 'Kazakhstan'],
  CHN: [156, 'China'],
  USA: [842, 'USA'],
  TUR: [792, 'Türkiye'],
  DEU: [276, 'Germany'],
  UZB: [860, 'Uzbekistan'],
  KGZ: [417, 'Kyrgyzstan'],
  AFG: [4, 'Afghanistan'],
  ARE: [784, 'United Arab Emirates'],
  RUS: [643, 'Russian Federation'],
  JPN: [392, 'Japan'],
  W00: [0, 'World'],
};

/** reporter, partner, flow, year, HS code (or TOTAL), US dollars, net weight kg, quantity. */
type Flow = [string, string, 'X' | 'M', number, string, number, number?, number?];

const FLOWS: Flow[] = [
  ['PAK', 'KAZ', 'X', 2019, 'TOTAL', 8_000_000],
  ['PAK', 'KAZ', 'X', 2019, '520100', 3_000_000],
  ['PAK', 'KAZ', 'X', 2019, '620342', 0],
  ['PAK', 'KAZ', 'X', 2020, 'TOTAL', 10_000_000],
  ['PAK', 'KAZ', 'X', 2020, '520100', 6_000_000, 3_000_000],
  ['PAK', 'KAZ', 'X', 2020, '620342', 4_000_000, 100_000, 200_000],
  ['PAK', 'KAZ', 'M', 2020, 'TOTAL', 5_000_000],
  ['PAK', 'KAZ', 'M', 2020, '310420', 2_000_000, 10_000_000],
  ['PAK', 'KAZ', 'M', 2020, '100199', 2_000_000],
  ['PAK', 'KAZ', 'M', 2020, '520100', 1_000_000, 400_000],
  ['PAK', 'W00', 'X', 2020, 'TOTAL', 100_000_000],
  ['PAK', 'KAZ', 'X', 2022, 'TOTAL', 12_000_000],
  ['PAK', 'KAZ', 'X', 2022, '520100', 9_000_000],
  ['KAZ', 'PAK', 'X', 2019, 'TOTAL', 1_000_000],
  ['KAZ', 'PAK', 'X', 2019, '100199', 400_000],
  ['KAZ', 'PAK', 'X', 2020, 'TOTAL', 2_500_000],
  ['KAZ', 'PAK', 'X', 2020, '310420', 2_000_000],
  ['KAZ', 'PAK', 'X', 2020, '100199', 500_000],
  ['KAZ', 'PAK', 'M', 2020, 'TOTAL', 8_000_000],
  ['KAZ', 'PAK', 'M', 2020, '520100', 8_000_000],
  ['KAZ', 'PAK', 'X', 2021, 'TOTAL', 3_000_000],
  ['KAZ', 'PAK', 'X', 2021, '310420', 3_000_000],
  ['KAZ', 'PAK', 'X', 2021, '100199', 0],
  ['KAZ', 'PAK', 'M', 2021, 'TOTAL', 1_000_000],
  ['KAZ', 'PAK', 'M', 2021, '520100', 1_000_000],
  ['CHN', 'PAK', 'X', 2020, 'TOTAL', 20_000_000],
  ['CHN', 'PAK', 'X', 2020, '520100', 5_000_000, 2_500_000],
  ['CHN', 'PAK', 'X', 2020, '310420', 15_000_000],
  // 2018: eleven exporters of raw cotton to Pakistan at 2 USD/kg, but KAZ at 2,000 USD/kg.
  ...['CHN', 'USA', 'TUR', 'DEU', 'UZB', 'KGZ', 'AFG', 'ARE', 'RUS', 'JPN'].map(
    (r): Flow => [r, 'PAK', 'X', 2018, '520100', 1_000_000, 500_000],
  ),
  ['KAZ', 'PAK', 'X', 2018, '520100', 1_000_000, 500],
];

function row([reporter, partner, flow, year, code, value, weight, qty]: Flow): Cell[] {
  const [reporterCode, reporterDesc] = CODES[reporter]!;
  const [partnerCode, partnerDesc] = CODES[partner]!;
  return plusRow({
    refYear: year,
    period: String(year),
    reporterCode,
    reporterISO: reporter,
    reporterDesc,
    flowCode: flow,
    flowDesc: flow === 'X' ? 'Export' : 'Import',
    partnerCode,
    partnerISO: partner,
    partnerDesc,
    cmdCode: code,
    netWgt: weight ?? null,
    qty: qty ?? null,
    qtyUnitCode: qty === undefined ? -1 : 5,
    qtyUnitAbbr: qty === undefined ? 'N/A' : 'u',
    fobvalue: flow === 'X' ? value : null,
    cifvalue: flow === 'M' ? value : null,
    primaryValue: value,
  });
}

/** Rows of an indicator table, keyed for lookup. */
function rows(table: string, where: string): Record<string, unknown>[] {
  return query(db(), `select * from ${table} where ${where}`);
}
function one(table: string, where: string): Record<string, unknown> {
  const found = rows(table, where);
  expect(found, `${table} where ${where}`).toHaveLength(1);
  return found[0]!;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-indicators-'));
  // One file per reporter, as Comtrade extracts come.
  for (const reporter of ['PAK', 'KAZ', 'CHN', 'OTHERS']) {
    const mine = FLOWS.filter(([r]) =>
      reporter === 'OTHERS' ? !['PAK', 'KAZ', 'CHN'].includes(r) : r === reporter,
    );
    writeFileSync(join(tmp(), `${reporter}.csv`), csvText(PLUS_HEADER, mine.map(row)));
  }
  const files = ['PAK', 'KAZ', 'CHN', 'OTHERS'].map((r) => join(tmp(), `${r}.csv`));
  const loaded = await cli(['load', ...files, '--source', 'comtrade', '--db', db()]);
  expect(loaded.stdout).toMatch(/\(0 rejected\)/);
  expect(loaded.code).toBe(0);
  expect(loaded.stdout).toMatch(/Rebuilt 14 indicator tables \([\d,]+ rows, their first refresh\)/);
});

describe('ind_trade_balance', () => {
  const balance = (reporter: string, partner: string, product: string, period = '2020') =>
    one(
      'ind_trade_balance',
      `source = 'comtrade' and reporter_iso3 = '${reporter}' and partner_iso3 = '${partner}' and period = '${period}' and product = '${product}'`,
    );

  it('sets exports beside imports, with the balance and the normalised balance', () => {
    // 10 M exports, 5 M imports: balance 5 M, (10 − 5) / (10 + 5) = 1/3.
    expect(balance('PAK', 'KAZ', 'TOTAL')).toMatchObject({
      product_kind: 'total',
      exports_usd: 10_000_000,
      imports_usd: 5_000_000,
      balance_usd: 5_000_000,
      null_reason: null,
      small_base: 0,
    });
    expect(balance('PAK', 'KAZ', 'TOTAL').normalised_balance).toBeCloseTo(1 / 3, 12);
    // Cotton: 6 M out, 1 M in.
    expect(balance('PAK', 'KAZ', '520100')).toMatchObject({ exports_usd: 6_000_000, imports_usd: 1_000_000 });
    expect(balance('PAK', 'KAZ', '520100').normalised_balance).toBeCloseTo(5 / 7, 12);
  });

  it('reads an absent product as 0 when the pair reported the flow, and says missing_input when it did not', () => {
    // PAK exported to KAZ in 2020 but no potash: 0 exports, 2 M imports, normalised −1.
    expect(balance('PAK', 'KAZ', '310420')).toMatchObject({
      exports_usd: 0,
      imports_usd: 2_000_000,
      normalised_balance: -1,
    });
    // PAK gave a World export total but no World imports; CHN reported no imports at all.
    expect(balance('PAK', 'W00', 'TOTAL')).toMatchObject({
      exports_usd: 100_000_000,
      imports_usd: null,
      balance_usd: null,
      null_reason: 'missing_input',
    });
    expect(balance('CHN', 'PAK', 'TOTAL')).toMatchObject({ imports_usd: null, null_reason: 'missing_input' });
    // KAZ reported both flows with PAK in 2021, wheat at 0 both ways: no base.
    expect(balance('KAZ', 'PAK', '100199', '2021')).toMatchObject({
      exports_usd: 0,
      imports_usd: 0,
      normalised_balance: null,
      null_reason: 'zero_base',
      small_base: 1,
    });
  });

  it('has category rows: potash and textiles from their HS codes', () => {
    const potash = one(
      'ind_trade_balance',
      "reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and period = '2020' and product_kind = 'category' and classification = 'corridor' and product = 'potash'",
    );
    expect(potash).toMatchObject({ exports_usd: 0, imports_usd: 2_000_000 });
    const textiles = one(
      'ind_trade_balance',
      "reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and period = '2020' and classification = 'corridor' and product = 'textiles'",
    );
    // Cotton 520100 (6 M out, 1 M in) and trousers 620342 (4 M out).
    expect(textiles).toMatchObject({ exports_usd: 10_000_000, imports_usd: 1_000_000 });
  });
});

describe('ind_trade_growth', () => {
  const growth = (reporter: string, partner: string, flow: string, product: string, period: string) =>
    one(
      'ind_trade_growth',
      `reporter_iso3 = '${reporter}' and partner_iso3 = '${partner}' and flow = '${flow}' and product = '${product}' and period = '${period}'`,
    );

  it('computes year-on-year growth and CAGR over 3 years', () => {
    // 8 M → 10 M: +25 %.
    const total2020 = growth('PAK', 'KAZ', 'X', 'TOTAL', '2020');
    expect(total2020.yoy_growth_pct).toBeCloseTo(25, 10);
    expect(total2020).toMatchObject({ previous_value_usd: 8_000_000, cagr_3y_null_reason: 'missing_input' });
    // 2019 → 2022: (12 / 8)^(1/3) − 1 = 14.4714 %; cotton (9 / 3)^(1/3) − 1 = 44.2250 %.
    expect(growth('PAK', 'KAZ', 'X', 'TOTAL', '2022').cagr_3y_pct).toBeCloseTo(
      (1.5 ** (1 / 3) - 1) * 100,
      10,
    );
    expect(growth('PAK', 'KAZ', 'X', '520100', '2022').cagr_3y_pct).toBeCloseTo((3 ** (1 / 3) - 1) * 100, 10);
  });

  it('gives NULL with a reason for a missing year, a zero base, and flags a fall to zero', () => {
    // PAK reported nothing for 2021.
    expect(growth('PAK', 'KAZ', 'X', 'TOTAL', '2022')).toMatchObject({
      previous_value_usd: null,
      yoy_growth_pct: null,
      null_reason: 'missing_input',
    });
    // Trousers: 0 in 2019, 4 M in 2020.
    expect(growth('PAK', 'KAZ', 'X', '620342', '2020')).toMatchObject({
      previous_value_usd: 0,
      yoy_growth_pct: null,
      null_reason: 'zero_base',
    });
    // Potash from KAZ: not among KAZ's 2019 exports to PAK, which it did report: base 0.
    expect(growth('KAZ', 'PAK', 'X', '310420', '2020')).toMatchObject({
      previous_value_usd: 0,
      null_reason: 'zero_base',
    });
    // Wheat from KAZ: 0.5 M in 2020, 0 in 2021: −100 %, flagged, on a small base.
    expect(growth('KAZ', 'PAK', 'X', '100199', '2021')).toMatchObject({
      yoy_growth_pct: -100,
      falls_to_zero: 1,
      small_base: 1,
    });
  });
});

describe('ind_shares', () => {
  it("gives a product's share of the pair's trade and a partner's share of the reporter's", () => {
    const cotton = one(
      'ind_shares',
      "share_kind = 'product' and reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and flow = 'X' and period = '2020' and product = '520100'",
    );
    expect(cotton).toMatchObject({
      value_usd: 6_000_000,
      denominator_usd: 10_000_000,
      denominator_basis: 'reported_total',
    });
    expect(cotton.share).toBeCloseTo(0.6, 12);
    const textiles = one(
      'ind_shares',
      "share_kind = 'product' and reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and flow = 'X' and period = '2020' and product = 'textiles'",
    );
    expect(textiles.share).toBeCloseTo(1, 12);
    // PAK's exports to KAZ against its World row: 10 M / 100 M.
    const kaz = one(
      'ind_shares',
      "share_kind = 'partner' and reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and flow = 'X' and period = '2020'",
    );
    expect(kaz).toMatchObject({ denominator_usd: 100_000_000, denominator_basis: 'world_row' });
    expect(kaz.share).toBeCloseTo(0.1, 12);
    // CHN has no World row: its only partner loaded is the whole, and the basis says so.
    expect(
      one('ind_shares', "share_kind = 'partner' and reporter_iso3 = 'CHN' and period = '2020'"),
    ).toMatchObject({ share: 1, denominator_basis: 'sum_of_partners_loaded' });
  });
});

describe('ind_rca', () => {
  it('refuses a world made of the reporters loaded: no BACI year, no index (issue 19)', () => {
    // Only Comtrade reporters are loaded: the sum over PAK, KAZ and CHN (and PAK's World row)
    // is not the world, so there is no x_wk or X_w; test/world-basis.test.ts has the values.
    const rca = (reporter: string, product: string) =>
      one('ind_rca', `reporter_iso3 = '${reporter}' and period = '2020' and product = '${product}'`);
    expect(rca('PAK', '520100')).toMatchObject({
      exports_usd: 6_000_000,
      reporter_exports_usd: 10_000_000,
      world_product_exports_usd: null,
      world_exports_usd: null,
      rca: null,
      world_reporters: null,
      world_basis: 'none',
      null_reason: 'no_world_basis',
    });
    expect(rca('CHN', '520100')).toMatchObject({ partner_basis: 'sum_of_partners_loaded', rca: null });
    expect(rows('ind_rca', "null_reason is not 'no_world_basis' or world_basis <> 'none'")).toHaveLength(0);
  });
});

describe('ind_concentration', () => {
  it('computes HHI over products and partners, plain and normalised', () => {
    // PAK's 2020 exports: shares 0.6 and 0.4.
    const products = one(
      'ind_concentration',
      "dimension = 'products' and reporter_iso3 = 'PAK' and flow = 'X' and period = '2020' and hs_level = 6",
    );
    const hhi = 0.6 ** 2 + 0.4 ** 2;
    expect(products).toMatchObject({ items: 2, total_usd: 10_000_000, small_base: 1 });
    expect(products.hhi).toBeCloseTo(hhi, 12);
    expect(products.hhi_normalised).toBeCloseTo((hhi - 1 / 2) / (1 - 1 / 2), 12);
    expect(products.hhi_unctad).toBeCloseTo((Math.sqrt(hhi) - Math.sqrt(1 / 2)) / (1 - Math.sqrt(1 / 2)), 12);
    // One partner (World left out): HHI 1, normalised forms undefined.
    expect(
      one(
        'ind_concentration',
        "dimension = 'partners' and reporter_iso3 = 'PAK' and flow = 'X' and period = '2020'",
      ),
    ).toMatchObject({ items: 1, hhi: 1, hhi_normalised: null, null_reason: 'single_item' });
    // 2019: trousers at 0 do not count, so cotton is the single product.
    expect(
      one(
        'ind_concentration',
        "dimension = 'products' and reporter_iso3 = 'PAK' and flow = 'X' and period = '2019'",
      ),
    ).toMatchObject({ items: 1, null_reason: 'single_item' });
  });
});

describe('ind_complementarity and ind_trade_intensity', () => {
  it("matches one reporter's export mix against another's import mix", () => {
    // Export shares 2020: PAK 520100 .6 620342 .4; KAZ 310420 .8 100199 .2; CHN 520100 .25 310420 .75.
    // Import shares: PAK 310420 .4 100199 .4 520100 .2; KAZ 520100 1.
    const tc = (exporter: string, importer: string) =>
      one(
        'ind_complementarity',
        `exporter_iso3 = '${exporter}' and importer_iso3 = '${importer}' and period = '2020'`,
      ).complementarity as number;
    expect(tc('PAK', 'KAZ')).toBeCloseTo(100 * (1 - (Math.abs(1 - 0.6) + 0.4) / 2), 10); // 60
    expect(tc('KAZ', 'PAK')).toBeCloseTo(100 * (1 - (0.4 + 0.2 + 0.2) / 2), 10); // 60
    expect(tc('CHN', 'PAK')).toBeCloseTo(100 * (1 - (0.05 + 0.35 + 0.4) / 2), 10); // 60
    expect(tc('CHN', 'KAZ')).toBeCloseTo(100 * (1 - (0.75 + 0.75) / 2), 10); // 25
    expect(rows('ind_complementarity', "importer_iso3 = 'CHN'")).toHaveLength(0);
    expect(one('ind_complementarity', "exporter_iso3 = 'PAK' and period = '2020'").world_basis).toBe(
      'sum_of_partners_loaded',
    );
  });

  it('has no trade intensity without a world basis: the reporters loaded are not the world', () => {
    // Before issue 19 X_w was 122.5 M: PAK's World row plus KAZ's and CHN's exports.
    const tii = (reporter: string, partner: string) =>
      one(
        'ind_trade_intensity',
        `reporter_iso3 = '${reporter}' and partner_iso3 = '${partner}' and period = '2020'`,
      );
    expect(tii('KAZ', 'PAK')).toMatchObject({
      exports_usd: 2_500_000,
      reporter_exports_usd: 2_500_000,
      world_exports_to_partner_usd: null,
      world_exports_usd: null,
      intensity: null,
      world_basis: 'none',
      null_reason: 'no_world_basis',
    });
    expect(tii('PAK', 'KAZ')).toMatchObject({
      reporter_exports_usd: 100_000_000,
      null_reason: 'no_world_basis',
    });
    expect(rows('ind_trade_intensity', "null_reason is not 'no_world_basis'")).toHaveLength(0);
  });
});

describe('ind_grubel_lloyd', () => {
  it('measures intra-industry trade per code and over all codes', () => {
    const gl = (product: string) =>
      one(
        'ind_grubel_lloyd',
        `reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and period = '2020' and hs_level = 6 and product = '${product}'`,
      );
    expect(gl('520100').grubel_lloyd).toBeCloseTo(1 - 5 / 7, 12);
    expect(gl('620342').grubel_lloyd).toBe(0);
    // Σ(X + M) = 7 + 4 + 2 + 2 = 15; Σ|X − M| = 5 + 4 + 2 + 2 = 13.
    expect(gl('ALL')).toMatchObject({ exports_usd: 10_000_000, imports_usd: 5_000_000 });
    expect(gl('ALL').grubel_lloyd).toBeCloseTo((15 - 13) / 15, 12);
  });
});

describe('ind_unit_values', () => {
  it('divides value by weight and quantity, and says why when it cannot', () => {
    const uv = (reporter: string, flow: string, product: string, period = '2020') =>
      one(
        'ind_unit_values',
        `reporter_iso3 = '${reporter}' and flow = '${flow}' and product = '${product}' and period = '${period}'`,
      );
    expect(uv('PAK', 'X', '520100')).toMatchObject({
      usd_per_kg: 2,
      observations: 2,
      ln_uv_z: null,
      outlier: 0,
    });
    expect(uv('PAK', 'X', '620342')).toMatchObject({ usd_per_kg: 40, usd_per_unit: 20, qty_unit: 'u' });
    expect(uv('PAK', 'M', '310420').usd_per_kg).toBeCloseTo(0.2, 12);
    expect(uv('PAK', 'M', '100199')).toMatchObject({ usd_per_kg: null, null_reason: 'missing_input' });
  });

  it('flags a unit value whose log lies 3 standard deviations from the others', () => {
    // Ten at ln 2, one at ln 2000: z = √10 for the one, −1/√10 for the others.
    const kaz = one('ind_unit_values', "reporter_iso3 = 'KAZ' and period = '2018' and product = '520100'");
    expect(kaz).toMatchObject({ usd_per_kg: 2000, observations: 11, outlier: 1 });
    expect(kaz.ln_uv_z).toBeCloseTo(Math.sqrt(10), 9);
    const usa = one('ind_unit_values', "reporter_iso3 = 'USA' and period = '2018' and product = '520100'");
    expect(usa.outlier).toBe(0);
    expect(usa.ln_uv_z).toBeCloseTo(-1 / Math.sqrt(10), 9);
  });
});

describe('ind_mirror', () => {
  const mirror = (exporter: string, importer: string, product: string, period = '2020') =>
    one(
      'ind_mirror',
      `exporter_iso3 = '${exporter}' and importer_iso3 = '${importer}' and product = '${product}' and period = '${period}'`,
    );

  it('keeps both declarations side by side, with the CIF/FOB ratio and the discrepancy', () => {
    // PAK says 10 M to KAZ; KAZ says 8 M from PAK.
    const total = mirror('PAK', 'KAZ', 'TOTAL');
    expect(total).toMatchObject({
      exports_fob_usd: 10_000_000,
      imports_cif_usd: 8_000_000,
      export_source: 'comtrade',
      import_source: 'comtrade',
      gap_usd: -2_000_000,
      ratio_plausible: 0,
      missing_side: null,
    });
    expect(total.cif_fob_ratio).toBeCloseTo(0.8, 12);
    expect(total.symmetric_discrepancy).toBeCloseTo(2 / 18, 12);
    // KAZ says 2 M of potash to PAK; PAK says 2 M from KAZ: they agree.
    expect(mirror('KAZ', 'PAK', '310420')).toMatchObject({
      cif_fob_ratio: 1,
      symmetric_discrepancy: 0,
      ratio_plausible: 1,
      sides_agree: 1,
    });
    expect(total.sides_agree).toBe(0);
  });

  it('says which side is missing', () => {
    // PAK reported no imports from CHN; KAZ reported no imports in 2019.
    expect(mirror('CHN', 'PAK', 'TOTAL')).toMatchObject({
      imports_cif_usd: null,
      import_source: '',
      missing_side: 'imports',
      null_reason: 'missing_input',
    });
    expect(mirror('PAK', 'KAZ', 'TOTAL', '2019')).toMatchObject({ missing_side: 'imports' });
  });
});
