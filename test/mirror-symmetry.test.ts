/**
 * ind_mirror pairs what an exporter's rows state with what the importer's rows state, and a
 * product that only one side reports has a row with the other side NULL and the reason,
 * whichever side it is. Hand-made Comtrade files (one per reporter) are loaded through the CLI
 * into two warehouses, one in each order: the mirror must come out the same.
 *
 * PAK and KAZ both report their trade with each other in 2020; each reports a product the
 * other leaves out, in both directions. A product absent from a reported flow is a 0 in the
 * balance (Comtrade leaves zeros out), but it is not a declaration: KAZ reports no exports of
 * wheat to PAK although it reports exports to PAK, so KAZ → PAK wheat is PAK's 1 M beside
 * NULL, not beside a 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

const CODES: Record<string, [number, string]> = {
  PAK: [586, 'Pakistan'],
  KAZ: [398, 'Kazakhstan'],
  UZB: [860, 'Uzbekistan'],
  EUR: [97, 'European Union'],
};

/** reporter, partner, flow, HS code (or TOTAL), US dollars; all in 2020, HS 2017 (H5). */
type Flow = [string, string, 'X' | 'M', string, number];

const PAK_FLOWS: Flow[] = [
  // Exports to KAZ: cotton (KAZ reports it too) and suits (KAZ does not).
  ['PAK', 'KAZ', 'X', 'TOTAL', 10_000_000],
  ['PAK', 'KAZ', 'X', '520100', 6_000_000],
  ['PAK', 'KAZ', 'X', '620342', 4_000_000],
  // Imports from KAZ: wheat (KAZ reports no exports of it), but not the potash KAZ reports.
  ['PAK', 'KAZ', 'M', 'TOTAL', 1_000_000],
  ['PAK', 'KAZ', 'M', '100199', 1_000_000],
  // Imports from UZB, which is not loaded at all.
  ['PAK', 'UZB', 'M', 'TOTAL', 700_000],
  ['PAK', 'UZB', 'M', '520100', 700_000],
  // Imports from the EU, a group of countries: no mirror row, as a reporter or as a partner.
  ['PAK', 'EUR', 'M', 'TOTAL', 800_000],
];

const KAZ_FLOWS: Flow[] = [
  // Imports from PAK: cotton (at 6.3 M, CIF) and wheat, which PAK reports no exports of.
  ['KAZ', 'PAK', 'M', 'TOTAL', 9_000_000],
  ['KAZ', 'PAK', 'M', '520100', 6_300_000],
  ['KAZ', 'PAK', 'M', '100199', 2_700_000],
  // Exports to PAK: potash, which PAK does not report importing.
  ['KAZ', 'PAK', 'X', 'TOTAL', 3_000_000],
  ['KAZ', 'PAK', 'X', '310420', 3_000_000],
];

const EUR_FLOWS: Flow[] = [['EUR', 'PAK', 'X', 'TOTAL', 750_000]];

function csvFile(path: string, flows: Flow[]): string {
  const rows = flows.map(([reporter, partner, flow, code, value]) => {
    const [reporterCode, reporterDesc] = CODES[reporter]!;
    const [partnerCode, partnerDesc] = CODES[partner]!;
    return plusRow({
      refYear: 2020,
      period: '2020',
      reporterCode,
      reporterISO: reporter,
      reporterDesc,
      flowCode: flow,
      flowDesc: flow === 'X' ? 'Export' : 'Import',
      partnerCode,
      partnerISO: partner,
      partnerDesc,
      cmdCode: code,
      fobvalue: flow === 'X' ? value : null,
      cifvalue: flow === 'M' ? value : null,
      primaryValue: value,
    });
  });
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return path;
}

let folder = '';
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const pakFirst = () => join(folder, 'pak-first.db');
const kazFirst = () => join(folder, 'kaz-first.db');

/** Loads the files one at a time, so the second load refreshes the indicators incrementally. */
async function loadInOrder(db: string, files: string[]): Promise<void> {
  for (const file of files) {
    const loaded = await cli(['load', file, '--source', 'comtrade', '--db', db]);
    expect(loaded.stdout, loaded.stderr).toMatch(/\(0 rejected\)/);
    expect(loaded.code).toBe(0);
  }
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-mirror-'));
  const pak = csvFile(join(folder, 'PAK.csv'), PAK_FLOWS);
  const kaz = csvFile(join(folder, 'KAZ.csv'), KAZ_FLOWS);
  const eur = csvFile(join(folder, 'EUR.csv'), EUR_FLOWS);
  await loadInOrder(pakFirst(), [pak, kaz, eur]);
  await loadInOrder(kazFirst(), [eur, kaz, pak]);
});

const KEY = 'exporter_iso3, importer_iso3, period, product_kind, classification, product';

/** The mirror's rows without the refresh that wrote them, in key order. */
function mirrorRows(db: string): Record<string, unknown>[] {
  return query(db, `select * from ind_mirror order by ${KEY}, export_source, import_source`).map(
    ({ derive_id: _, ...row }) => row,
  );
}

function mirror(db: string, exporter: string, importer: string, product: string): Record<string, unknown> {
  const found = query(
    db,
    "select * from ind_mirror where exporter_iso3 = ? and importer_iso3 = ? and product = ? and period = '2020'",
    exporter,
    importer,
    product,
  );
  expect(found, `${exporter} → ${importer} ${product}`).toHaveLength(1);
  return found[0]!;
}

const NO_FIGURES = {
  gap_usd: null,
  cif_fob_ratio: null,
  symmetric_discrepancy: null,
  ratio_plausible: null,
  sides_agree: null,
};

describe.each([
  ['PAK loaded first', pakFirst],
  ['KAZ loaded first', kazFirst],
])('ind_mirror, %s', (_order, db) => {
  it('pairs a product both sides report', () => {
    // PAK: 6 M of cotton to KAZ; KAZ: 6.3 M from PAK. 6.3 / 6 = 1.05; 0.3 / 12.3.
    const cotton = mirror(db(), 'PAK', 'KAZ', '520100');
    expect(cotton).toMatchObject({
      exports_fob_usd: 6_000_000,
      imports_cif_usd: 6_300_000,
      export_source: 'comtrade',
      import_source: 'comtrade',
      ratio_plausible: 1,
      missing_side: null,
      null_reason: null,
    });
    expect(cotton.gap_usd).toBeCloseTo(300_000, 6);
    expect(cotton.cif_fob_ratio).toBeCloseTo(1.05, 12);
    expect(cotton.symmetric_discrepancy).toBeCloseTo(0.3 / 12.3, 12);
  });

  it('keeps a product only the exporter reports, with the importer NULL', () => {
    expect(mirror(db(), 'PAK', 'KAZ', '620342')).toMatchObject({
      exports_fob_usd: 4_000_000,
      export_source: 'comtrade',
      imports_cif_usd: null,
      import_source: '',
      missing_side: 'imports',
      null_reason: 'not_reported_by_importer',
      ...NO_FIGURES,
    });
    // The reverse pair: KAZ's potash, which PAK does not report importing.
    expect(mirror(db(), 'KAZ', 'PAK', '310420')).toMatchObject({
      exports_fob_usd: 3_000_000,
      imports_cif_usd: null,
      missing_side: 'imports',
      null_reason: 'not_reported_by_importer',
      ...NO_FIGURES,
    });
  });

  it('keeps a product only the importer reports, with the exporter NULL', () => {
    // KAZ's wheat from PAK, which PAK does not report exporting.
    expect(mirror(db(), 'PAK', 'KAZ', '100199')).toMatchObject({
      exports_fob_usd: null,
      export_source: '',
      imports_cif_usd: 2_700_000,
      import_source: 'comtrade',
      missing_side: 'exports',
      null_reason: 'not_reported_by_exporter',
      ...NO_FIGURES,
    });
    // The reverse pair: PAK's wheat from KAZ. KAZ reports exports to PAK (potash), so its
    // balance holds wheat exports as a 0 read from their absence: not a declaration.
    expect(mirror(db(), 'KAZ', 'PAK', '100199')).toMatchObject({
      exports_fob_usd: null,
      imports_cif_usd: 1_000_000,
      missing_side: 'exports',
      null_reason: 'not_reported_by_exporter',
      ...NO_FIGURES,
    });
  });

  it('says missing_input when the other side declared nothing of the flow', () => {
    // UZB is not loaded: PAK's imports from it stand alone.
    expect(mirror(db(), 'UZB', 'PAK', 'TOTAL')).toMatchObject({
      exports_fob_usd: null,
      imports_cif_usd: 700_000,
      missing_side: 'exports',
      null_reason: 'missing_input',
      ...NO_FIGURES,
    });
    expect(mirror(db(), 'UZB', 'PAK', '520100')).toMatchObject({ null_reason: 'missing_input' });
  });

  it('has no row for a product neither side reports', () => {
    // PAK → KAZ potash and KAZ → PAK cotton are 0s read from absences on both sides.
    const unreported = query(
      db(),
      "select * from ind_mirror where (exporter_iso3, importer_iso3, product) in (values ('PAK', 'KAZ', '310420'), ('KAZ', 'PAK', '520100'))",
    );
    expect(unreported).toEqual([]);
  });

  it('reads which figures are declared from the balance, which marks a 0 read from an absence', () => {
    const balance = (reporter: string, partner: string, product: string) =>
      query(
        db(),
        "select exports_usd, exports_reported, imports_usd, imports_reported from ind_trade_balance where reporter_iso3 = ? and partner_iso3 = ? and product = ? and period = '2020'",
        reporter,
        partner,
        product,
      );
    expect(balance('KAZ', 'PAK', '100199')).toEqual([
      { exports_usd: 0, exports_reported: 0, imports_usd: 2_700_000, imports_reported: 1 },
    ]);
    expect(balance('PAK', 'UZB', 'TOTAL')).toEqual([
      { exports_usd: null, exports_reported: null, imports_usd: 700_000, imports_reported: 1 },
    ]);
  });

  it('leaves out groups of countries on either side', () => {
    expect(query(db(), "select * from ind_mirror where 'EUR' in (exporter_iso3, importer_iso3)")).toEqual([]);
  });

  it('has every row the files imply, and no other', () => {
    // Categories (their HS codes are another table's business) left aside.
    expect(
      query(
        db(),
        `select exporter_iso3, importer_iso3, product, missing_side from ind_mirror
         where product_kind <> 'category' order by ${KEY}`,
      ),
    ).toEqual([
      { exporter_iso3: 'KAZ', importer_iso3: 'PAK', product: '100199', missing_side: 'exports' },
      { exporter_iso3: 'KAZ', importer_iso3: 'PAK', product: '310420', missing_side: 'imports' },
      { exporter_iso3: 'KAZ', importer_iso3: 'PAK', product: 'TOTAL', missing_side: null },
      { exporter_iso3: 'PAK', importer_iso3: 'KAZ', product: '100199', missing_side: 'exports' },
      { exporter_iso3: 'PAK', importer_iso3: 'KAZ', product: '520100', missing_side: null },
      { exporter_iso3: 'PAK', importer_iso3: 'KAZ', product: '620342', missing_side: 'imports' },
      { exporter_iso3: 'PAK', importer_iso3: 'KAZ', product: 'TOTAL', missing_side: null },
      { exporter_iso3: 'UZB', importer_iso3: 'PAK', product: '520100', missing_side: 'exports' },
      { exporter_iso3: 'UZB', importer_iso3: 'PAK', product: 'TOTAL', missing_side: 'exports' },
    ]);
  });
});

describe('ind_mirror under the load order', () => {
  it('is the same whichever country is loaded first, and the same again computed whole', async () => {
    const pakThenKaz = mirrorRows(pakFirst());
    expect(pakThenKaz.length).toBeGreaterThan(0);
    expect(mirrorRows(kazFirst())).toEqual(pakThenKaz);
    const full = await cli(['derive', '--full', '--db', kazFirst()]);
    expect(full.code, full.stderr).toBe(0);
    expect(mirrorRows(kazFirst())).toEqual(pakThenKaz);
  });
});
