/**
 * `corridor load` end to end: real files written into a temp folder, a real SQLite warehouse,
 * the CLI run in-process. Every assertion reads the warehouse file directly (warehouse-query.ts),
 * never through Corridor's own query code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Cell, csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { realSubheadings } from './helpers/hs-codes.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

const PAK_SAMPLE = join(PROJECT_ROOT, 'sources/comtrade/samples/pak_trade_2019_2023_illustrative.csv');
const KAZ_SAMPLE = join(
  PROJECT_ROOT,
  'sources/comtrade/samples/kaz_trade_with_pak_2019_2023_illustrative.json',
);
const BACI_SAMPLE = join(PROJECT_ROOT, 'sources/baci/samples/BACI_HS17_Y2021_V202401b_illustrative.csv');

function writeFile(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

const loadComtrade = (files: readonly string[], ...extra: string[]) =>
  cli(['load', ...files, '--source', 'comtrade', '--db', dbPath(), ...extra]);

interface LoadFileRow {
  load_id: number;
  run_id: number;
  file_name: string;
  status: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rejects_stored: number;
  rows_replaced: number;
  notes: string | null;
  error_message: string | null;
}

const loadFiles = () => query<LoadFileRow>(dbPath(), 'select * from load_files order by load_id');

interface RejectRow {
  reject_id: number;
  run_id: number;
  load_id: number;
  file: string;
  row_number: number;
  column_name: string | null;
  code: string;
  message: string;
  value: string | null;
  raw: string;
}

/** Moves the WAL into the main file, so that any later write shows in the bytes of one of the two. */
function checkpoint(): void {
  const db = new Database(dbPath());
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** sha256 of the warehouse file and its WAL. */
function fingerprint(): string {
  const hash = createHash('sha256');
  for (const suffix of ['', '-wal']) {
    hash.update(`${suffix}:`);
    if (existsSync(dbPath() + suffix)) hash.update(readFileSync(dbPath() + suffix));
  }
  return hash.digest('hex');
}

const rejects = () => query<RejectRow>(dbPath(), 'select * from rejects order by row_number, reject_id');

/** The invariant the README promises for every load: nothing lost, nothing doubled. */
function expectJournalBalanced(): void {
  const files = loadFiles().filter((f) => f.status === 'loaded');
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(f.rows_read, f.file_name).toBe(f.rows_loaded + f.rows_rejected);
  const loadedRows = scalar(dbPath(), 'select count(*) from trade_flows');
  // Every current row was inserted by a load and not retired since (merge by key, issue 17).
  const current = scalar(
    dbPath(),
    "select coalesce(sum(rows_inserted - rows_retired + rows_reopened), 0) from load_files where status = 'loaded'",
  );
  expect(loadedRows).toBe(current);
  for (const f of query<{ rows_loaded: number; n: number; name: string }>(
    dbPath(),
    "select rows_loaded, rows_inserted + rows_changed + rows_unchanged as n, file_name as name from load_files where status = 'loaded'",
  ))
    expect(f.rows_loaded, f.name).toBe(f.n);
}

/** A one-line summary on stdout: `Loaded 12,345 rows (37 rejected) from 3 files into trade_flows in 2.1s.` */
function summaryPattern(loaded: string, rejected: string, files: string): RegExp {
  return new RegExp(
    `^Loaded ${loaded} rows \\(${rejected} rejected\\) from ${files} into trade_flows in \\d+(ms|\\.\\ds|m\\d\\ds)\\.$`,
    'm',
  );
}

/** Real HS 2017 subheadings (the edition plusRow declares), in nomenclature order: 010121, 010129, … */
const H5_CODES = realSubheadings('H5', 2500);

/** `n` valid export rows to Kazakhstan with distinct real H5 subheadings H5_CODES[from], H5_CODES[from + 1], … */
const plusRows = (n: number, from = 0): Cell[][] =>
  Array.from({ length: n }, (_, i) => plusRow({ cmdCode: H5_CODES[from + i]!, primaryValue: i + 1 }));

describe('corridor load: Comtrade+ camelCase CSV', () => {
  it('loads every row, keeps HS codes as text and restores the leading zero a spreadsheet dropped', async () => {
    const file = writeFile(
      'pak_2021.csv',
      csvText(PLUS_HEADER, [
        plusRow({
          cmdCode: '030617',
          qtyUnitCode: 8,
          qtyUnitAbbr: 'kg',
          qty: 1500,
          netWgt: 1500,
          fobvalue: 12345.5,
          primaryValue: 12345.5,
        }),
        plusRow({
          flowCode: 'M',
          flowDesc: 'Import',
          cmdCode: '30617',
          cifvalue: 500.25,
          fobvalue: null,
          primaryValue: 500.25,
        }),
        plusRow({ cmdCode: '0306', primaryValue: 20000, fobvalue: 20000 }),
        plusRow({ cmdCode: 'TOTAL', primaryValue: 68912305.664, fobvalue: 68912305.664 }),
      ]),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(summaryPattern('4', '0', '1 file'));
    const rows = query(
      dbPath(),
      `select source, source_row, reporter_iso3, reporter_code, partner_iso3, partner_code, partner2_iso3, flow, freq,
              period, year, month, hs_edition, hs_code, typeof(hs_code) as hs_type, hs_level, value_usd, cif_value_usd,
              fob_value_usd, net_weight_kg, qty, qty_unit_code, mode_of_transport, customs_procedure
       from trade_flows order by source_row`,
    );
    expect(rows).toEqual([
      {
        source: 'comtrade',
        source_row: 2,
        reporter_iso3: 'PAK',
        reporter_code: '586',
        partner_iso3: 'KAZ',
        partner_code: '398',
        partner2_iso3: 'W00',
        flow: 'X',
        freq: 'A',
        period: '2021',
        year: 2021,
        month: null,
        hs_edition: 'H5',
        hs_code: '030617',
        hs_type: 'text',
        hs_level: 6,
        value_usd: 12345.5,
        cif_value_usd: null,
        fob_value_usd: 12345.5,
        net_weight_kg: 1500,
        qty: 1500,
        qty_unit_code: '8',
        mode_of_transport: '0',
        customs_procedure: 'C00',
      },
      expect.objectContaining({
        source_row: 3,
        flow: 'M',
        hs_code: '030617',
        hs_type: 'text',
        hs_level: 6,
        value_usd: 500.25,
        cif_value_usd: 500.25,
        fob_value_usd: null,
      }),
      expect.objectContaining({
        source_row: 4,
        hs_code: '0306',
        hs_type: 'text',
        hs_level: 4,
        value_usd: 20000,
      }),
      expect.objectContaining({ source_row: 5, hs_code: 'TOTAL', hs_level: 0, value_usd: 68912305.664 }),
    ]);
    const [journal] = loadFiles();
    expect(journal).toMatchObject({
      status: 'loaded',
      file_name: 'pak_2021.csv',
      rows_read: 4,
      rows_loaded: 4,
      rows_rejected: 0,
      rejects_stored: 0,
    });
    expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(0);
    expectJournalBalanced();
  });

  it('resolves the special partners W00, _X, X1, X2, XX and S19 by area code and by ISO code alone', async () => {
    const specials: [number, string, string][] = [
      [0, 'W00', 'World'],
      [899, '_X ', 'Areas, nes'], // Comtrade pads this ISO code with a space
      [837, 'X1', 'Bunkers'],
      [838, 'X2', 'Free Zones'],
      [839, 'XX', 'Special Categories'],
      [490, 'S19', 'Other Asia, nes'],
    ];
    const byCode = specials.map(([code, iso, name], i) =>
      plusRow({
        partnerCode: code,
        partnerISO: iso,
        partnerDesc: name,
        primaryValue: 100 + i,
        fobvalue: 100 + i,
      }),
    );
    // Imports with the ISO code only (no numeric code): the same areas must resolve.
    const byIso = specials.map(([, iso, name], i) =>
      plusRow({
        flowCode: 'M',
        flowDesc: 'Import',
        partnerCode: null,
        partnerISO: iso,
        partnerDesc: name,
        primaryValue: 200 + i,
        cifvalue: 200 + i,
        fobvalue: null,
      }),
    );
    const file = writeFile('specials.csv', csvText(PLUS_HEADER, [...byCode, ...byIso]));

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    const rows = query<{
      flow: string;
      partner_iso3: string;
      partner_code: string | null;
      value_usd: number;
    }>(dbPath(), 'select flow, partner_iso3, partner_code, value_usd from trade_flows order by source_row');
    expect(rows).toEqual([
      { flow: 'X', partner_iso3: 'W00', partner_code: '0', value_usd: 100 },
      { flow: 'X', partner_iso3: '_X', partner_code: '899', value_usd: 101 },
      { flow: 'X', partner_iso3: 'X1', partner_code: '837', value_usd: 102 },
      { flow: 'X', partner_iso3: 'X2', partner_code: '838', value_usd: 103 },
      { flow: 'X', partner_iso3: 'XX', partner_code: '839', value_usd: 104 },
      { flow: 'X', partner_iso3: 'S19', partner_code: '490', value_usd: 105 },
      { flow: 'M', partner_iso3: 'W00', partner_code: null, value_usd: 200 },
      { flow: 'M', partner_iso3: '_X', partner_code: null, value_usd: 201 },
      { flow: 'M', partner_iso3: 'X1', partner_code: null, value_usd: 202 },
      { flow: 'M', partner_iso3: 'X2', partner_code: null, value_usd: 203 },
      { flow: 'M', partner_iso3: 'XX', partner_code: null, value_usd: 204 },
      { flow: 'M', partner_iso3: 'S19', partner_code: null, value_usd: 205 },
    ]);
    expectJournalBalanced();
  });

  it('rejects a row whose area code and ISO code name different countries as inconsistent_country', async () => {
    const file = writeFile(
      'inconsistent.csv',
      csvText(PLUS_HEADER, [
        plusRow(),
        plusRow({
          flowCode: 'M',
          flowDesc: 'Import',
          partnerCode: 156,
          partnerISO: 'IND',
          partnerDesc: 'India',
        }),
      ]),
    );

    const run = await loadComtrade([file], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    expect(rejects()).toMatchObject([
      { row_number: 3, column_name: 'partnerCode', code: 'inconsistent_country', value: '156' },
    ]);
    expect(rejects()[0]!.message).toMatch(/156/);
    expect(rejects()[0]!.message).toMatch(/IND/);
    expectJournalBalanced();
  });
});

describe('corridor load: other Comtrade layouts', () => {
  it('keeps reporter 588 (Pakistan before 1972) in reporter_code, with reporter_iso3 PAK beside 586', async () => {
    // Pre-v1 API field names, numeric rgCode flows (1 M, 2 X, 3 RX, 4 RM).
    const file = writeFile(
      'pak_1970_1973.csv',
      csvText(
        [
          'pfCode',
          'yr',
          'period',
          'rgCode',
          'rgDesc',
          'rtCode',
          'rtTitle',
          'ptCode',
          'ptTitle',
          'cmdCode',
          'TradeValue',
        ],
        [
          ['H0', 1970, 1970, 1, 'Import', 588, 'East and West Pakistan', 156, 'China', 'TOTAL', 1000],
          ['H0', 1971, 1971, 2, 'Export', 588, 'East and West Pakistan', 156, 'China', 'TOTAL', 2000],
          ['H0', 1972, 1972, 3, 'Re-Export', 586, 'Pakistan', 156, 'China', 'TOTAL', 3000],
          ['H0', 1973, 1973, 4, 'Re-Import', 586, 'Pakistan', 156, 'China', 'TOTAL', 4000],
        ],
      ),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(
      query(
        dbPath(),
        'select reporter_iso3, reporter_code, period, flow, value_usd from trade_flows order by period',
      ),
    ).toEqual([
      { reporter_iso3: 'PAK', reporter_code: '588', period: '1970', flow: 'M', value_usd: 1000 },
      { reporter_iso3: 'PAK', reporter_code: '588', period: '1971', flow: 'X', value_usd: 2000 },
      { reporter_iso3: 'PAK', reporter_code: '586', period: '1972', flow: 'RX', value_usd: 3000 },
      { reporter_iso3: 'PAK', reporter_code: '586', period: '1973', flow: 'RM', value_usd: 4000 },
    ]);
    expectJournalBalanced();
  });

  it('reads comtradr snake_case exports and stores comtradr 0.0 weights and values as NULL, never zero', async () => {
    // The header comtradr writes (a subset of its 47 columns), and its cells as R writes them.
    const file = writeFile(
      'fra_0306.csv',
      [
        'type_code,freq_code,ref_year,ref_month,period,reporter_code,reporter_iso,reporter_desc,flow_code,flow_desc,partner_code,partner_iso,partner_desc,partner2code,partner2iso,classification_code,cmd_code,customs_code,mot_code,qty_unit_code,qty_unit_abbr,qty,net_wgt,is_net_wgt_estimated,gross_wgt,cifvalue,fobvalue,primary_value',
        'C,A,2020,52,2020,251,FRA,France,M,Import,0,W00,World,0,W00,H5,0306,C00,0,8,kg,126650461.645,126650461.645,True,0.0,1067110546.649,,1067110546.649',
        'C,A,2020,52,2020,251,FRA,France,X,Export,0,W00,World,0,W00,H5,0306,C00,0,8,kg,0.0,0.0,False,0.0,0.0,177596517.517,177596517.517',
        'C,A,2020,52,2020,251,FRA,France,RX,Re-export,0,W00,World,0,W00,H5,30617,C00,0,8,kg,,,False,,,,lots',
        '',
      ].join('\n'),
    );

    const run = await loadComtrade([file], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    expect(
      query(
        dbPath(),
        'select flow, hs_code, value_usd, cif_value_usd, fob_value_usd, net_weight_kg, net_weight_estimated, gross_weight_kg, qty from trade_flows order by source_row',
      ),
    ).toEqual([
      {
        flow: 'M',
        hs_code: '0306',
        value_usd: 1067110546.649,
        cif_value_usd: 1067110546.649,
        fob_value_usd: null,
        net_weight_kg: 126650461.645,
        net_weight_estimated: 1,
        gross_weight_kg: null,
        qty: 126650461.645,
      },
      {
        flow: 'X',
        hs_code: '0306',
        value_usd: 177596517.517,
        cif_value_usd: null,
        fob_value_usd: 177596517.517,
        net_weight_kg: null,
        net_weight_estimated: 0,
        gross_weight_kg: null,
        qty: null,
      },
    ]);
    // The bad value is named by the column as this file spells it.
    const [reject] = rejects();
    expect(reject).toMatchObject({
      row_number: 4,
      column_name: 'primary_value',
      code: 'bad_number',
      value: 'lots',
    });
    expect(JSON.parse(reject!.raw)).toMatchObject({
      cmd_code: '30617',
      primary_value: 'lots',
      flow_code: 'RX',
    });
    expectJournalBalanced();
  });

  it('reads the legacy bulk-download headers ("Trade Value (US$)", numeric "Trade Flow Code")', async () => {
    const file = writeFile(
      'comtrade_legacy.csv',
      [
        'Classification,Year,Period,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,Qty Unit Code,Qty,Netweight (kg),Trade Value (US$),CIF Trade Value (US$),FOB Trade Value (US$)',
        'H4,2015,2015,1,Import,586,Pakistan,PAK,156,China,CHN,030617,Shrimps,8,5000,5000,42000,,',
        'H4,2015,2015,2,Export,586,Pakistan,PAK,156,China,CHN,30617,Shrimps,8,7000,7000,63000,,',
        'H4,2015,2015,3,Re-Export,586,Pakistan,PAK,0,World,WLD,TOTAL,All,,,,999,,',
        'H4,2015,2015,4,Re-Import,586,Pakistan,PAK,0,World,WLD,TOTAL,All,,,,111,,',
        '',
      ].join('\n'),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(
      query(
        dbPath(),
        'select flow, partner_iso3, hs_code, hs_edition, value_usd, net_weight_kg from trade_flows order by source_row',
      ),
    ).toEqual([
      {
        flow: 'M',
        partner_iso3: 'CHN',
        hs_code: '030617',
        hs_edition: 'H4',
        value_usd: 42000,
        net_weight_kg: 5000,
      },
      {
        flow: 'X',
        partner_iso3: 'CHN',
        hs_code: '030617',
        hs_edition: 'H4',
        value_usd: 63000,
        net_weight_kg: 7000,
      },
      {
        flow: 'RX',
        partner_iso3: 'W00',
        hs_code: 'TOTAL',
        hs_edition: 'H4',
        value_usd: 999,
        net_weight_kg: null,
      },
      {
        flow: 'RM',
        partner_iso3: 'W00',
        hs_code: 'TOTAL',
        hs_edition: 'H4',
        value_usd: 111,
        net_weight_kg: null,
      },
    ]);
    expectJournalBalanced();
  });

  it('reads a Comtrade+ JSON reply whose codes are JSON numbers, restoring the HS leading zero', async () => {
    const record = (cmdCode: string | number, partnerCode: number, value: number) => ({
      freqCode: 'A',
      refYear: 2022,
      refMonth: 52,
      period: '2022',
      reporterCode: 398,
      reporterISO: 'KAZ',
      flowCode: 'M',
      partnerCode,
      partnerISO: null,
      classificationCode: 'H6',
      cmdCode,
      motCode: 0,
      customsCode: 'C00',
      qtyUnitCode: -1,
      qty: null,
      netWgt: null,
      cifvalue: value,
      fobvalue: null,
      primaryValue: value,
    });
    const file = writeFile(
      'kaz_2022.json',
      JSON.stringify({
        elapsedTime: '0.1 secs',
        count: 4,
        data: [
          record(30617, 586, 10.5),
          record('030617', 156, 11),
          record('TOTAL', 586, 12),
          record('TOTAL', 586, -1),
        ],
        error: '',
      }),
    );

    const run = await loadComtrade([file], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    // For JSON the row number is the record number, 1-based.
    expect(rejects().map((r) => [r.row_number, r.column_name, r.code])).toEqual([
      [4, 'primaryValue', 'negative_value'],
      [4, 'cifvalue', 'negative_value'],
    ]);
    expect(JSON.parse(rejects()[0]!.raw)).toMatchObject({
      cmdCode: 'TOTAL',
      primaryValue: -1,
      reporterCode: 398,
    });
    expect(
      query(
        dbPath(),
        'select source_row, partner_iso3, hs_code, typeof(hs_code) as t, value_usd from trade_flows order by source_row',
      ),
    ).toEqual([
      { source_row: 1, partner_iso3: 'PAK', hs_code: '030617', t: 'text', value_usd: 10.5 },
      { source_row: 2, partner_iso3: 'CHN', hs_code: '030617', t: 'text', value_usd: 11 },
      { source_row: 3, partner_iso3: 'PAK', hs_code: 'TOTAL', t: 'text', value_usd: 12 },
    ]);
    expectJournalBalanced();
  });
});

describe('corridor load: the bundled samples', () => {
  it('loads the Pakistan sample: 245 rows, and quarantines its two deliberately malformed rows', async () => {
    const run = await loadComtrade([PAK_SAMPLE]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(summaryPattern('245', '2', '1 file'));
    expect(run.stdout).toMatch(/rejects: corridor rejects --run 1/);
    expect(loadFiles()).toMatchObject([
      {
        file_name: 'pak_trade_2019_2023_illustrative.csv',
        status: 'loaded',
        rows_read: 247,
        rows_loaded: 245,
        rows_rejected: 2,
        // Row 248 has two problems (primaryValue and fobvalue are both negative): two rejects, one row.
        rejects_stored: 3,
      },
    ]);
    const stored = rejects();
    expect(stored.map((r) => [r.row_number, r.column_name, r.code, r.value])).toEqual([
      [247, 'cmdCode', 'bad_hs_code', '8703.2'],
      [248, 'primaryValue', 'negative_value', '-48213.5'],
      [248, 'fobvalue', 'negative_value', '-48213.5'],
    ]);
    expect(stored[0]!.file).toBe(PAK_SAMPLE);
    expect(stored[0]!.message).toMatch(/not an HS code/);
    // The raw row is the whole line of the file, as text, keyed by the file's own header.
    const raw = JSON.parse(stored[0]!.raw) as Record<string, string>;
    expect(Object.keys(raw)).toHaveLength(47);
    expect(raw).toMatchObject({
      cmdCode: '8703.2',
      reporterCode: '586',
      partnerISO: 'KAZ',
      primaryValue: '18450.25',
    });
    // Codes stay text with their leading zeros.
    expect(
      scalar(
        dbPath(),
        "select count(*) from trade_flows where hs_code = '080521' and typeof(hs_code) = 'text'",
      ),
    ).toBeGreaterThan(0);
    expect(scalar(dbPath(), "select count(*) from trade_flows where hs_code = '80521'")).toBe(0);
    // README of the samples: Pakistan's 2021 exports to Kazakhstan, FOB.
    expect(
      scalar(
        dbPath(),
        "select value_usd from trade_flows where reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and flow = 'X' and period = '2021' and hs_code = 'TOTAL'",
      ),
    ).toBeCloseTo(68912305.664, 3);
    expectJournalBalanced();
  });

  it('loads the Kazakhstan JSON sample: 170 records with Pakistan and World', async () => {
    const run = await loadComtrade([KAZ_SAMPLE]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(summaryPattern('170', '0', '1 file'));
    expect(loadFiles()).toMatchObject([
      { status: 'loaded', rows_read: 170, rows_loaded: 170, rows_rejected: 0 },
    ]);
    expect(
      query(dbPath(), 'select partner_iso3, count(*) as n from trade_flows group by 1 order by 1'),
    ).toEqual([
      { partner_iso3: 'PAK', n: 160 },
      { partner_iso3: 'W00', n: 10 },
    ]);
    // Kazakh bureau, Pakistan row 2021 (DOMAIN.md §7): exports 65,892.53539 kUSD.
    expect(
      scalar(
        dbPath(),
        "select value_usd from trade_flows where reporter_iso3 = 'KAZ' and partner_iso3 = 'PAK' and flow = 'X' and period = '2021' and hs_code = 'TOTAL'",
      ),
    ).toBeCloseTo(65892535.39, 2);
    expectJournalBalanced();
  });

  it('loads the BACI sample in US dollars and kilograms (v × 1000, q × 1000) as exports of the exporter', async () => {
    const run = await cli(['load', BACI_SAMPLE, '--source', 'baci', '--db', dbPath()]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(summaryPattern('281', '0', '1 file'));
    expect(loadFiles()).toMatchObject([
      { status: 'loaded', rows_read: 281, rows_loaded: 281, rows_rejected: 0 },
    ]);
    // 2021,156,4,080510,3788.020,7408.029
    expect(
      query(
        dbPath(),
        "select source, reporter_iso3, reporter_code, partner_iso3, flow, period, hs_edition, hs_code, value_usd, fob_value_usd, cif_value_usd, net_weight_kg from trade_flows where reporter_code = '156' and partner_code = '4' and hs_code = '080510'",
      ),
    ).toEqual([
      {
        source: 'baci',
        reporter_iso3: 'CHN',
        reporter_code: '156',
        partner_iso3: 'AFG',
        flow: 'X',
        period: '2021',
        hs_edition: 'H5',
        hs_code: '080510',
        value_usd: 3788020,
        fob_value_usd: 3788020,
        cif_value_usd: null,
        net_weight_kg: 7408029,
      },
    ]);
    // A value padded with spaces: 2021,156,276,720915,  16702.862,  17650.020
    expect(
      query(
        dbPath(),
        "select value_usd, net_weight_kg from trade_flows where reporter_iso3 = 'CHN' and partner_iso3 = 'DEU' and hs_code = '720915'",
      ),
    ).toEqual([{ value_usd: 16702862, net_weight_kg: 17650020 }]);
    // q is NA in 7 rows: unknown weight, not zero.
    expect(scalar(dbPath(), 'select count(*) from trade_flows where net_weight_kg is null')).toBe(7);
    // Sample README totals: PAK → KAZ 31,416.081 kUSD, KAZ → PAK 58,477.573 kUSD.
    expect(
      scalar(
        dbPath(),
        "select sum(value_usd) from trade_flows where reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ'",
      ),
    ).toBeCloseTo(31416081, 3);
    expect(
      scalar(
        dbPath(),
        "select sum(value_usd) from trade_flows where reporter_iso3 = 'KAZ' and partner_iso3 = 'PAK'",
      ),
    ).toBeCloseTo(58477573, 3);
    expect(scalar(dbPath(), 'select count(*) from trade_flows where length(hs_code) <> 6')).toBe(0);
    expectJournalBalanced();
  });
});

describe('corridor load: rejected rows', () => {
  it('rejects the second of two identical flows in one file as duplicate_key, naming the first row', async () => {
    const file = writeFile(
      'dup.csv',
      csvText(PLUS_HEADER, [
        plusRow({ cmdCode: '52', primaryValue: 10, fobvalue: 10 }),
        plusRow({ cmdCode: '5205', primaryValue: 20, fobvalue: 20 }),
        plusRow({ cmdCode: '520512', primaryValue: 30, fobvalue: 30 }),
        plusRow({ cmdCode: '5205', primaryValue: 99, fobvalue: 99 }),
      ]),
    );

    const run = await loadComtrade([file], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    expect(loadFiles()).toMatchObject([
      { rows_read: 4, rows_loaded: 3, rows_rejected: 1, rejects_stored: 1 },
    ]);
    const [dup] = rejects();
    expect(dup).toMatchObject({ row_number: 5, code: 'duplicate_key', column_name: null });
    expect(dup!.message).toMatch(/\brow 3\b/);
    expect(JSON.parse(dup!.raw)).toMatchObject({ cmdCode: '5205', primaryValue: '99' });
    // The first is kept.
    expect(query(dbPath(), "select source_row, value_usd from trade_flows where hs_code = '5205'")).toEqual([
      { source_row: 3, value_usd: 20 },
    ]);
    expectJournalBalanced();
  });

  it('finds a duplicate thousands of rows after the first (across read batches)', async () => {
    const rows = plusRows(2500);
    rows.push(plusRow({ cmdCode: H5_CODES[7]!, primaryValue: 5, fobvalue: 5 }));
    const file = writeFile('dup_far.csv', csvText(PLUS_HEADER, rows));

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(loadFiles()).toMatchObject([{ rows_read: 2501, rows_loaded: 2500, rows_rejected: 1 }]);
    expect(rejects()).toMatchObject([{ row_number: 2502, code: 'duplicate_key' }]);
    expect(rejects()[0]!.message).toMatch(/\brow 9\b/);
    expectJournalBalanced();
  });

  it('numbers rejected rows as a spreadsheet shows them, counting blank lines and multi-line cells as one row', async () => {
    const header = [
      'reporterCode',
      'partnerCode',
      'partnerDesc',
      'flowCode',
      'period',
      'cmdCode',
      'primaryValue',
    ];
    const text =
      `${header.join(',')}\r\n` +
      '586,156,China,X,2021,52,10\r\n' + // row 2
      '\r\n' + // row 3: blank
      '586,4,"Afghanistan\r\n(second line of the name)",X,2021,52,11\r\n' + // row 4, two lines
      '586,398,Kazakhstan,X,2021,52,-3\r\n' + // row 5: negative
      '586,860,Uzbekistan,Q,2021,52,7\r\n'; // row 6: bad flow
    const file = writeFile('numbers.csv', text);

    const run = await loadComtrade([file], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    expect(rejects().map((r) => [r.row_number, r.column_name, r.code])).toEqual([
      [5, 'primaryValue', 'negative_value'],
      [6, 'flowCode', 'bad_flow'],
    ]);
    expect(loadFiles()).toMatchObject([{ rows_read: 4, rows_loaded: 2, rows_rejected: 2 }]);
    expect(query(dbPath(), 'select source_row from trade_flows order by 1')).toEqual([
      { source_row: 2 },
      { source_row: 4 },
    ]);
    expectJournalBalanced();
  });

  it('exits 3 when more than 5 % of a file is rejected, yet loads its good rows', async () => {
    const rows = plusRows(9);
    rows.push(plusRow({ cmdCode: '80521', primaryValue: 1, fobvalue: 1 })); // lost its leading zero: restored, not rejected
    rows.push(plusRow({ cmdCode: '8703.2', primaryValue: 1, fobvalue: 1 })); // 1 bad of 11 = 9 %
    const file = writeFile('over.csv', csvText(PLUS_HEADER, rows));

    const run = await loadComtrade([file]);

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(summaryPattern('10', '1', '1 file'));
    expect(run.stdout).toMatch(/threshold/);
    expect(run.stderr).toMatch(/above the threshold of 5%/);
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(10);
    expect(scalar(dbPath(), 'select hs_code from trade_flows where source_row = 11')).toBe('080521');
    expect(query(dbPath(), 'select status, exit_code, rows_loaded, rows_rejected from load_runs')).toEqual([
      { status: 'rejects_over_threshold', exit_code: 3, rows_loaded: 10, rows_rejected: 1 },
    ]);
    expectJournalBalanced();
  });

  it('does not pass the threshold at exactly 5 % (1 bad row in 20)', async () => {
    const rows = plusRows(19);
    rows.push(plusRow({ flowCode: 'Q', flowDesc: 'Quarantine' }));
    const file = writeFile('edge.csv', csvText(PLUS_HEADER, rows));

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(loadFiles()).toMatchObject([{ rows_read: 20, rows_loaded: 19, rows_rejected: 1 }]);
    expectJournalBalanced();
  });

  it('exits 0 for the same file with --reject-threshold 0.5', async () => {
    const rows = plusRows(9);
    rows.push(plusRow({ cmdCode: '8703.2' }));
    rows.push(plusRow({ flowCode: 'Q' }));
    const file = writeFile('over.csv', csvText(PLUS_HEADER, rows));

    const run = await loadComtrade([file], '--reject-threshold', '0.5');

    expect(run.code).toBe(0);
    expect(loadFiles()).toMatchObject([{ rows_read: 11, rows_loaded: 9, rows_rejected: 2 }]);
    expect(query(dbPath(), 'select status, exit_code, reject_threshold from load_runs')).toEqual([
      { status: 'succeeded', exit_code: 0, reject_threshold: 0.5 },
    ]);
    expectJournalBalanced();
  });

  it('keeps only --reject-cap rejects, still counts every rejected row, and says so in the journal', async () => {
    const rows = plusRows(4);
    for (let i = 0; i < 6; i++) rows.push(plusRow({ cmdCode: H5_CODES[4 + i]!, flowCode: 'Q' }));
    const file = writeFile('capped.csv', csvText(PLUS_HEADER, rows));

    const run = await loadComtrade([file], '--reject-cap', '2', '--reject-threshold', '1');

    expect(run.code).toBe(0);
    expect(loadFiles()).toMatchObject([
      { rows_read: 10, rows_loaded: 4, rows_rejected: 6, rejects_stored: 2 },
    ]);
    expect(rejects().map((r) => r.row_number)).toEqual([6, 7]);
    const notes = JSON.parse(loadFiles()[0]!.notes ?? '[]') as string[];
    expect(notes.some((n) => /capped/.test(n) && /\b2\b/.test(n) && /\b6\b/.test(n))).toBe(true);
    expect(run.stderr).toMatch(
      /rejects capped: 2 problems kept in the rejects table; 6 rows rejected in all/,
    );
    expectJournalBalanced();
  });
});

describe('corridor load: output and modes', () => {
  it('prints one parseable JSON document with --json, matching the journal', async () => {
    const file = writeFile(
      'pak_2021.csv',
      csvText(PLUS_HEADER, [...plusRows(3), plusRow({ cmdCode: 'x1', primaryValue: 1 })]),
    );

    const run = await loadComtrade([file], '--json', '--reject-threshold', '1');

    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      runId: number;
      status: string;
      exitCode: number;
      files: { status: string; loadId: number; rowsRead: number; rowsLoaded: number; rowsRejected: number }[];
      totals: { rowsLoaded: number; rowsRejected: number; filesLoaded: number };
    };
    const [journal] = loadFiles();
    expect(doc).toMatchObject({
      runId: journal!.run_id,
      status: 'succeeded',
      exitCode: 0,
      totals: { rowsLoaded: 3, rowsRejected: 1, filesLoaded: 1 },
    });
    expect(doc.files).toMatchObject([
      { status: 'loaded', loadId: journal!.load_id, rowsRead: 4, rowsLoaded: 3, rowsRejected: 1 },
    ]);
    // --json means no progress lines to parse around.
    expect(run.stderr).toBe('');
  });

  it('reports an error as a JSON document with --json', async () => {
    const run = await loadComtrade([join(tmp(), 'missing.csv')], '--json');

    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout) as { error: { code: string; message: string; exitCode: number } };
    expect(doc.error).toMatchObject({ code: 'file_not_found', exitCode: 2 });
    expect(doc.error.message).toContain('missing.csv');
  });

  it('writes nothing with --dry-run: the warehouse file keeps its bytes, and the next real load is not skipped', async () => {
    expect((await loadComtrade([writeFile('pak_2021.csv', csvText(PLUS_HEADER, plusRows(5)))])).code).toBe(0);
    const revised = writeFile(
      'pak_2021_revised.csv',
      csvText(PLUS_HEADER, [...plusRows(3), plusRow({ cmdCode: H5_CODES[3]!, flowCode: 'Q' })]),
    );
    checkpoint();
    const before = fingerprint();
    const counts = () =>
      ['trade_flows', 'load_runs', 'load_files', 'rejects'].map((t) =>
        scalar(dbPath(), `select count(*) from ${t}`),
      );

    const dry = await loadComtrade([revised], '--dry-run', '--reject-threshold', '1');

    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run: would load 3 rows \(1 rejected\) from 1 file/m);
    // A merge: the three rows it holds are already there with the same figures.
    expect(dry.stderr).toMatch(/3 rows would load \(0 new, 0 changed, 3 unchanged\)/);
    expect(fingerprint()).toBe(before);
    expect(counts()).toEqual([5, 1, 1, 0]);

    const real = await loadComtrade([revised], '--reject-threshold', '1');
    expect(real.code).toBe(0);
    expect(loadFiles()[1]).toMatchObject({
      status: 'loaded',
      rows_loaded: 3,
      rows_rejected: 1,
      rows_unchanged: 3,
      rows_replaced: 0,
    });
    expectJournalBalanced();
  });

  it('does not create a warehouse with --dry-run when --db names a file that does not exist', async () => {
    const file = writeFile('pak_2021.csv', csvText(PLUS_HEADER, plusRows(2)));

    const dry = await loadComtrade([file], '--dry-run');

    expect(dry.code).toBe(0);
    expect(existsSync(dbPath())).toBe(false);
  });

  it('loads the good files of a run and exits 1 when another file fails', async () => {
    const good = writeFile('good.csv', csvText(PLUS_HEADER, plusRows(3)));
    const bad = writeFile('bad.csv', 'reporterCode,partnerCode\n586,4\n');

    const run = await loadComtrade([good, bad]);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^Loaded 3 rows \(0 rejected\) from 1 file into trade_flows in .*; 1 file failed\.$/m,
    );
    expect(loadFiles().map((f) => [f.file_name, f.status])).toEqual([
      ['good.csv', 'loaded'],
      ['bad.csv', 'failed'],
    ]);
    expect(loadFiles()[1]!.error_message).toMatch(/commodity code/);
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(3);
    expect(query(dbPath(), 'select status, exit_code, files_loaded, files_failed from load_runs')).toEqual([
      { status: 'failed', exit_code: 1, files_loaded: 1, files_failed: 1 },
    ]);
    expectJournalBalanced();
  });
});
