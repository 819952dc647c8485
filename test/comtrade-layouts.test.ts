/**
 * Every layout UN Comtrade has published loads through the one comtrade source
 * (docs/comtrade-layouts.md): the legacy API's JSON, the legacy downloads with human-readable
 * headings (and comtradr's snake_case of them), the Comtrade+ bulk files with codes only, the
 * Comtrade+ site download with names, and comtradr's snake_case of Comtrade+. An answer that
 * holds no data loads as 0 rows with a note; another output of Comtrade's is refused as such.
 * Each file is written here, loaded with the real CLI into a real warehouse, and read back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { type Cell, csvText } from './helpers/comtrade-csv.ts';
import {
  BULK_FIELDS,
  bulkFile,
  type ComtradrRow,
  inEveryLayout,
  inOrder,
  LEGACY_HEADER,
  legacyRecord,
  legacyReply,
  legacyRow,
  PLUS_FIELDS,
  plusRow,
} from './helpers/comtrade-layouts.ts';
import { cli } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

if (!HAS_SHARED_DATA) console.info(`comtrade-layouts.test.ts: the real extracts are ${SKIP_REASON}`);

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

function writeFile(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

const load = (path: string, ...extra: string[]) =>
  cli(['load', path, '--source', 'comtrade', '--db', dbPath(), ...extra], tmp());

/** The columns that show a layout was read right, in file order. */
const stored = () =>
  query(
    dbPath(),
    `select reporter_iso3, partner_iso3, flow, period, hs_edition, hs_code, value_usd, qty, qty_unit_code, qty_unit, net_weight_kg
       from trade_flows order by source_row`,
  );

const loadFile = () =>
  query<{ status: string; rows_read: number; rows_loaded: number; rows_rejected: number; notes: string }>(
    dbPath(),
    'select status, rows_read, rows_loaded, rows_rejected, notes from load_files',
  )[0]!;

const STEEL =
  'Flat-rolled products of iron or non-alloy steel, of a width of 600mm or more, hot-rolled, not clad, plated or coated';

const PLUS_ROWS = [
  plusRow({
    flowCode: 'M',
    flowDesc: 'Import',
    partnerCode: 384,
    partnerISO: 'CIV',
    partnerDesc: "Côte d'Ivoire",
    cmdCode: '180100',
    cmdDesc: 'Cocoa beans; whole or broken, raw or roasted',
    qtyUnitCode: 8,
    qtyUnitAbbr: 'kg',
    qty: 410000,
    netWgt: 410000,
    cifvalue: 1234567.891,
    primaryValue: 1234567.891,
  }),
  plusRow({
    flowCode: 'X',
    flowDesc: 'Export',
    partnerCode: 792,
    partnerISO: 'TUR',
    partnerDesc: 'Türkiye',
    cmdCode: '520512',
    cmdDesc: 'Cotton yarn; single, of uncombed fibres, 50% or more cotton by weight',
    qtyUnitCode: 8,
    qtyUnitAbbr: 'kg',
    qty: 90000,
    netWgt: 90000,
    fobvalue: 310000,
    primaryValue: 310000,
  }),
  plusRow({
    flowCode: 'RX',
    flowDesc: 'Re-export',
    partnerCode: 0,
    partnerISO: 'W00',
    partnerDesc: 'World',
    cmdCode: 'TOTAL',
    cmdDesc: 'All Commodities',
    aggrLevel: 0,
    isLeaf: 'False',
    fobvalue: 5000,
    primaryValue: 5000,
  }),
];

const PLUS_STORED = [
  {
    reporter_iso3: 'PAK',
    partner_iso3: 'CIV',
    flow: 'M',
    period: '2022',
    hs_edition: 'H6',
    hs_code: '180100',
    value_usd: 1234567.891,
    qty: 410000,
    qty_unit_code: '8',
    qty_unit: 'kg',
    net_weight_kg: 410000,
  },
  {
    reporter_iso3: 'PAK',
    partner_iso3: 'TUR',
    flow: 'X',
    period: '2022',
    hs_edition: 'H6',
    hs_code: '520512',
    value_usd: 310000,
    qty: 90000,
    qty_unit_code: '8',
    qty_unit: 'kg',
    net_weight_kg: 90000,
  },
  {
    reporter_iso3: 'PAK',
    partner_iso3: 'W00',
    flow: 'RX',
    period: '2022',
    hs_edition: 'H6',
    hs_code: 'TOTAL',
    value_usd: 5000,
    qty: null,
    qty_unit_code: '-1',
    qty_unit: null,
    net_weight_kg: null,
  },
];

describe('the legacy API (comtrade.un.org/api/get)', () => {
  it('loads its JSON answer: rgCode flows, rtCode/ptCode areas, pfCode editions, qtCode units', async () => {
    const path = writeFile(
      'legacy_pak_2015.json',
      legacyReply([
        legacyRecord({}),
        legacyRecord({
          rgCode: 2,
          rgDesc: 'Export',
          ptCode: 398,
          ptTitle: 'Kazakhstan',
          pt3ISO: 'KAZ',
          aggrLevel: 6,
          IsLeaf: 1,
          cmdCode: '520512',
          cmdDescE: 'Cotton yarn',
          qtCode: 8,
          qtDesc: 'Weight in kilograms',
          TradeQuantity: 1200000,
          NetWeight: 1200000,
          TradeValue: 3100000.5,
        }),
        legacyRecord({
          rgCode: 3,
          rgDesc: 'Re-Export',
          ptCode: 4,
          ptTitle: 'Afghanistan',
          pt3ISO: 'AFG',
          cmdCode: '1006',
          qtCode: 8,
          qtDesc: 'Weight in kilograms',
          TradeQuantity: 0,
          NetWeight: 50000,
          TradeValue: 25000,
        }),
        legacyRecord({
          rgCode: 4,
          rgDesc: 'Re-Import',
          ptCode: 156,
          ptTitle: 'China',
          pt3ISO: 'CHN',
          TradeValue: 1234.5,
        }),
        legacyRecord({
          period: 201503,
          periodDesc: 'March 2015',
          rgCode: 2,
          rgDesc: 'Export',
          ptCode: 398,
          ptTitle: 'Kazakhstan',
          pt3ISO: 'KAZ',
          cmdCode: '52',
          TradeValue: 777,
        }),
      ]),
    );

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    const common = {
      reporter_iso3: 'PAK',
      qty: null,
      qty_unit_code: '-1',
      qty_unit: null,
      net_weight_kg: null,
    };
    expect(stored()).toEqual([
      {
        ...common,
        partner_iso3: 'W00',
        flow: 'M',
        period: '2015',
        hs_edition: 'H4',
        hs_code: 'TOTAL',
        value_usd: 43990000000,
      },
      {
        reporter_iso3: 'PAK',
        partner_iso3: 'KAZ',
        flow: 'X',
        period: '2015',
        hs_edition: 'H4',
        hs_code: '520512',
        value_usd: 3100000.5,
        qty: 1200000,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 1200000,
      },
      {
        // A zero quantity beside a value and a weight is comtrade's "not reported".
        reporter_iso3: 'PAK',
        partner_iso3: 'AFG',
        flow: 'RX',
        period: '2015',
        hs_edition: 'H4',
        hs_code: '1006',
        value_usd: 25000,
        qty: null,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 50000,
      },
      {
        ...common,
        partner_iso3: 'CHN',
        flow: 'RM',
        period: '2015',
        hs_edition: 'H4',
        hs_code: 'TOTAL',
        value_usd: 1234.5,
      },
      {
        ...common,
        partner_iso3: 'KAZ',
        flow: 'X',
        period: '2015-03',
        hs_edition: 'H4',
        hs_code: '52',
        value_usd: 777,
      },
    ]);
    expect(
      query(dbPath(), 'select distinct partner2_iso3, mode_of_transport, customs_procedure from trade_flows'),
    ).toEqual([{ partner2_iso3: 'W00', mode_of_transport: '0', customs_procedure: 'C00' }]);
    expect(loadFile()).toMatchObject({ status: 'loaded', rows_read: 5, rows_loaded: 5, rows_rejected: 0 });
  });

  it('passes a classification of plain "HS" on as not stated, never as an edition of its own choosing', async () => {
    const path = writeFile(
      'legacy_hs.json',
      legacyReply([
        legacyRecord({ pfCode: 'HS', ptCode: 398, pt3ISO: 'KAZ', cmdCode: '520512', TradeValue: 88 }),
      ]),
    );

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    // `HS` as the file says, or the edition docs/hs-editions.md infers for 2015 (HS2012, H4).
    expect(query(dbPath(), 'select hs_edition, hs_code, value_usd from trade_flows')).toEqual([
      { hs_edition: expect.stringMatching(/^(HS|H4)$/), hs_code: '520512', value_usd: 88 },
    ]);
  });

  it('rejects a row whose flow code and flow in words disagree, naming both', async () => {
    const path = writeFile(
      'legacy_mixed.json',
      legacyReply([
        legacyRecord({}),
        legacyRecord({ rgCode: 1, rgDesc: 'Export', ptCode: 398, pt3ISO: 'KAZ' }),
      ]),
    );

    const run = await load(path, '--reject-threshold', '1');

    expect(run.code, run.stderr).toBe(0);
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(1);
    expect(query(dbPath(), 'select row_number, column_name, code, message from rejects')).toEqual([
      {
        row_number: 2,
        column_name: 'rgCode',
        code: 'bad_flow',
        message: expect.stringMatching(/"1" \(M\) disagrees with the flow in words, "Export" \(X\)/),
      },
    ]);
  });
});

describe('the legacy downloads (human-readable headings)', () => {
  it('loads a bulk download with codes and names: numeric flows, monthly periods, units in words', async () => {
    const path = writeFile(
      'comtrade_legacy_kaz_2014.csv',
      csvText(LEGACY_HEADER, [
        legacyRow({ 'Trade Flow Code': 1, 'Trade Flow': 'Import', 'Trade Value (US$)': 28000000 }),
        legacyRow({
          'Trade Flow Code': 2,
          'Trade Flow': 'Export',
          'Aggregate Level': 4,
          'Commodity Code': '7208',
          Commodity: STEEL,
          'Qty Unit Code': 8,
          'Qty Unit': 'Weight in kilograms',
          Qty: 5000000,
          'Netweight (kg)': 5000000,
          'Trade Value (US$)': 2750000,
        }),
        legacyRow({
          'Trade Flow Code': 3,
          'Trade Flow': 'Re-Export',
          'Partner Code': 0,
          Partner: 'World',
          'Partner ISO': 'WLD',
          'Trade Value (US$)': 999,
        }),
        legacyRow({
          Period: 201406,
          'Period Desc.': 'June 2014',
          'Trade Flow Code': 2,
          'Trade Flow': 'Export',
          'Commodity Code': '7208',
          Commodity: STEEL,
          'Qty Unit Code': 8,
          'Qty Unit': 'Weight in kilograms',
          Qty: 600000,
          'Netweight (kg)': 600000,
          'Trade Value (US$)': 300000,
        }),
      ]),
    );

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    const common = { reporter_iso3: 'KAZ', hs_edition: 'H4' };
    const none = { qty: null, qty_unit_code: '-1', qty_unit: null, net_weight_kg: null };
    expect(stored()).toEqual([
      {
        ...common,
        ...none,
        partner_iso3: 'PAK',
        flow: 'M',
        period: '2014',
        hs_code: 'TOTAL',
        value_usd: 28000000,
      },
      {
        ...common,
        partner_iso3: 'PAK',
        flow: 'X',
        period: '2014',
        hs_code: '7208',
        value_usd: 2750000,
        qty: 5000000,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 5000000,
      },
      {
        ...common,
        ...none,
        partner_iso3: 'W00',
        flow: 'RX',
        period: '2014',
        hs_code: 'TOTAL',
        value_usd: 999,
      },
      {
        ...common,
        partner_iso3: 'PAK',
        flow: 'X',
        period: '2014-06',
        hs_code: '7208',
        value_usd: 300000,
        qty: 600000,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 600000,
      },
    ]);
  });

  it('resolves reporters and partners by name when a download keeps only the names', async () => {
    const header = [
      'Classification',
      'Year',
      'Period',
      'Trade Flow',
      'Reporter',
      'Partner',
      'Commodity Code',
      'Trade Value (US$)',
    ];
    const path = writeFile(
      'legacy_names.csv',
      csvText(header, [
        ['H4', 2014, 2014, 'Import', 'Kazakhstan', 'Pakistan', 'TOTAL', 28000000],
        ['H4', 2014, 2014, 'Re-Import', 'Kazakhstan', 'Rep. of Korea', 'TOTAL', 410],
        ['H4', 2014, 2014, 'Export', 'Kazakhstan', 'World', 'TOTAL', 79460000000],
      ]),
    );

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    expect(
      query(
        dbPath(),
        'select reporter_iso3, partner_iso3, flow, value_usd from trade_flows order by source_row',
      ),
    ).toEqual([
      { reporter_iso3: 'KAZ', partner_iso3: 'PAK', flow: 'M', value_usd: 28000000 },
      { reporter_iso3: 'KAZ', partner_iso3: 'KOR', flow: 'RM', value_usd: 410 },
      { reporter_iso3: 'KAZ', partner_iso3: 'W00', flow: 'X', value_usd: 79460000000 },
    ]);
  });

  it("loads comtradr's snake_case of the legacy API (comtradr before 0.4)", async () => {
    const header = [
      'classification',
      'year',
      'period',
      'trade_flow_code',
      'trade_flow',
      'reporter_code',
      'reporter',
      'reporter_iso',
      'partner_code',
      'partner',
      'partner_iso',
      'second_partner_code',
      'commodity_code',
      'qty_unit_code',
      'qty_unit',
      'qty',
      'netweight_kg',
      'trade_value_usd',
      'cif_trade_value_usd',
      'fob_trade_value_usd',
    ];
    const path = writeFile(
      'comtradr_legacy.csv',
      csvText(header, [
        [
          'H3',
          2011,
          2011,
          2,
          'Export',
          764,
          'Thailand',
          'THA',
          586,
          'Pakistan',
          'PAK',
          '',
          '030613',
          8,
          'Weight in kilograms',
          4739,
          4739,
          21093,
          '',
          21093,
        ],
      ]),
    );

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    expect(stored()).toEqual([
      {
        reporter_iso3: 'THA',
        partner_iso3: 'PAK',
        flow: 'X',
        period: '2011',
        hs_edition: 'H3',
        hs_code: '030613',
        value_usd: 21093,
        qty: 4739,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 4739,
      },
    ]);
  });
});

describe('Comtrade+ (API v1) files', () => {
  it('loads a bulk file with codes only (tab-separated, gzip): areas by code, units from the code', async () => {
    const row = (over: Record<string, Cell>) =>
      inOrder(BULK_FIELDS, {
        typeCode: 'C',
        freqCode: 'M',
        refPeriodId: 20230101,
        refYear: 2023,
        refMonth: 1,
        period: 202301,
        reporterCode: 586,
        partner2Code: 0,
        classificationCode: 'H6',
        classificationSearchCode: 'HS',
        isOriginalClassification: 1,
        customsCode: 'C00',
        mosCode: 0,
        motCode: 0,
        qtyUnitCode: -1,
        isQtyEstimated: 0,
        altQtyUnitCode: -1,
        isAltQtyEstimated: 0,
        isnetWgtEstimated: 0,
        isgrossWgtEstimated: 0,
        legacyEstimationFlag: 0,
        isReported: 1,
        isAggregate: 0,
        ...over,
      });
    const rows = [
      row({
        flowCode: 'X',
        partnerCode: 398,
        cmdCode: '080521',
        motCode: 2100,
        qtyUnitCode: 8,
        qty: 250000,
        netWgt: 250000,
        fobValue: 180000.25,
        primaryValue: 180000.25,
      }),
      row({ flowCode: 'M', partnerCode: 156, cmdCode: 'TOTAL', cifValue: 5000000, primaryValue: 5000000 }),
      row({ flowCode: 'M', partnerCode: 899, cmdCode: 'TOTAL', cifValue: 12, primaryValue: 12 }),
      row({
        flowCode: 'X',
        partnerCode: 0,
        cmdCode: '1006',
        qtyUnitCode: 8,
        qty: 0,
        netWgt: 70,
        fobValue: 42,
        primaryValue: 42,
      }),
    ];
    // The bulk files' fields as the data dictionary spells them (isnetWgtEstimated, cifValue).
    const path = writeFile('COMTRADE-FINAL-CM586202301H6[2023-03-01].txt.gz', bulkFile(BULK_FIELDS, rows));

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    const common = { reporter_iso3: 'PAK', period: '2023-01', hs_edition: 'H6' };
    const none = { qty: null, qty_unit_code: '-1', qty_unit: null, net_weight_kg: null };
    expect(stored()).toEqual([
      {
        ...common,
        partner_iso3: 'KAZ',
        flow: 'X',
        hs_code: '080521',
        value_usd: 180000.25,
        qty: 250000,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 250000,
      },
      { ...common, ...none, partner_iso3: 'CHN', flow: 'M', hs_code: 'TOTAL', value_usd: 5000000 },
      { ...common, ...none, partner_iso3: '_X', flow: 'M', hs_code: 'TOTAL', value_usd: 12 },
      {
        ...common,
        partner_iso3: 'W00',
        flow: 'X',
        hs_code: '1006',
        value_usd: 42,
        qty: null,
        qty_unit_code: '8',
        qty_unit: 'kg',
        net_weight_kg: 70,
      },
    ]);
    expect(
      query(
        dbPath(),
        'select mode_of_transport, reporter_code, partner_code from trade_flows where source_row = 2',
      ),
    ).toEqual([{ mode_of_transport: '2100', reporter_code: '586', partner_code: '398' }]);
  });

  it("loads the site's Download CSV with names, in the Windows encoding it comes in", async () => {
    const path = writeFile(
      'TradeData_2_20_2025_10_30_9.csv',
      Buffer.from(csvText(PLUS_FIELDS, PLUS_ROWS), 'latin1'),
    );

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    expect(stored()).toEqual(PLUS_STORED);
    expect(scalar(dbPath(), 'select encoding from load_files')).not.toBe('utf-8');
    // The names were decoded, not mangled: the raw row of a reject would show them; the load kept none.
    expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(0);
  });

  it('reads the same download with PascalCase headings (ReporterDesc, PrimaryValue)', async () => {
    const pascal = PLUS_FIELDS.map((f) => f[0]!.toUpperCase() + f.slice(1));
    const path = writeFile('TradeData_pascal.csv', `\uFEFF${csvText(pascal, PLUS_ROWS)}`);

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    expect(stored()).toEqual(PLUS_STORED);
  });

  it("loads comtradr's snake_case of Comtrade+, where 0.0 means not reported", async () => {
    const snake = PLUS_FIELDS.map((f) =>
      /^(partner2Code|partner2ISO|partner2Desc|cifvalue|fobvalue)$/.test(f)
        ? f.toLowerCase()
        : f.replace(/[A-Z]+/g, (m) => `_${m.toLowerCase()}`),
    );
    expect(snake).toContain('primary_value');
    expect(snake).toContain('partner2code');
    const rows = PLUS_ROWS.map((r) =>
      r.map((c, i) => (c === null && /wgt|qty$|value$/i.test(PLUS_FIELDS[i]!) ? '0.0' : c)),
    );
    const path = writeFile('comtradr_pak_2022.csv', csvText(snake, rows));

    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    expect(stored()).toEqual(PLUS_STORED);
  });
});

describe('answers that hold no data: 0 rows and a note, exit 0', () => {
  /** The file loaded, with nothing read, nothing rejected, and the note in the journal and on screen. */
  async function expectNoData(path: string, said: RegExp) {
    const run = await load(path);

    expect(run.code, run.stderr).toBe(0);
    const file = loadFile();
    expect(file).toMatchObject({ status: 'loaded', rows_read: 0, rows_loaded: 0, rows_rejected: 0 });
    const notes = JSON.parse(file.notes) as string[];
    expect(notes[0]).toMatch(/^the file holds no data: /);
    expect(notes[0]).toMatch(said);
    expect(run.stdout).toMatch(/^Loaded 0 rows \(0 rejected\) from 1 file/m);
    expect(run.stdout).toContain(`${basename(path)}: ${notes[0]}`);
    expect(run.stderr).toMatch(
      new RegExp(
        `OK +\\S*${basename(path).replace(/[.+]/g, '\\$&')}: the file holds no data: .*; 0 rows loaded in`,
      ),
    );
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(0);
    expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(0);
  }

  it('Comtrade+ JSON: count 0, data [], error ""', async () => {
    await expectNoData(
      writeFile('pak_2031.json', JSON.stringify({ elapsedTime: '0.05 secs', count: 0, data: [], error: '' })),
      /the Comtrade API answered count 0, no records and no error/,
    );
  });

  it('legacy JSON: status Ok and an empty dataset', async () => {
    await expectNoData(
      writeFile('legacy_empty.json', legacyReply([])),
      /legacy Comtrade API answered status "Ok" with an empty dataset/,
    );
  });

  it("legacy JSON: the API's message is passed on", async () => {
    await expectNoData(
      writeFile(
        'legacy_message.json',
        legacyReply(
          [],
          'No data matches your query or your query is too complex. Request JSON or XML format for more information.',
        ),
      ),
      /the API said "No data matches your query or your query is too complex\. Request JSON or XML format for more information\."/,
    );
  });

  it('legacy CSV: the message under the header', async () => {
    const message =
      'No data matches your query or your query is too complex. Request JSON or XML format for more information.';
    await expectNoData(
      writeFile(
        'legacy_nodata.csv',
        csvText(LEGACY_HEADER, [inOrder(LEGACY_HEADER, { Classification: message })]),
      ),
      /the API said "No data matches your query/,
    );
  });

  it('legacy CSV: the message alone', async () => {
    await expectNoData(
      writeFile(
        'legacy_nodata_alone.csv',
        'No data matches your query or your query is too complex. Request JSON or XML format for more information.\r\n',
      ),
      /the API said "No data matches your query/,
    );
  });

  it('Comtrade+ CSV: the whole header and no rows', async () => {
    await expectNoData(
      writeFile('pak_2031.csv', csvText(PLUS_FIELDS, [])),
      /it is the header of a Comtrade\+ answer or download with names/,
    );
  });

  it('a legacy download header and no rows', async () => {
    await expectNoData(
      writeFile('legacy_header.csv', csvText(LEGACY_HEADER, [])),
      /it is the header of a legacy download/,
    );
  });

  it('still fails a header no layout of the UN has, without rows (a cut export, not an answer)', async () => {
    const path = writeFile('mine.csv', 'reporterCode,partnerCode,flowCode,period,cmdCode,primaryValue\n');

    const run = await load(path);

    expect(run.code).toBe(1);
    expect(query(dbPath(), 'select status, error_code from load_files')).toEqual([
      { status: 'failed', error_code: 'empty_file' },
    ]);
  });

  it('fails a legacy answer whose status is not Ok, passing on the status and message', async () => {
    const path = writeFile(
      'legacy_limit.json',
      legacyReply([], 'Usage limit exceeded: 100 requests per hour.', 'Usage limit exceeded'),
    );

    const run = await load(path);

    expect(run.code).toBe(1);
    const [file] = query<{ status: string; error_code: string; error_message: string }>(
      dbPath(),
      'select status, error_code, error_message from load_files',
    );
    expect(file).toMatchObject({ status: 'failed', error_code: 'api_refused' });
    expect(file!.error_message).toContain('status "Usage limit exceeded" 5004');
    expect(file!.error_message).toContain('Usage limit exceeded: 100 requests per hour.');
    expect(run.stderr).toContain(file!.error_message);
  });
});

describe("Comtrade's other outputs are refused as what they are", () => {
  async function expectRefused(path: string, what: RegExp) {
    const run = await load(path);

    expect(run.code).toBe(1);
    const [file] = query<{ status: string; error_code: string; error_message: string }>(
      dbPath(),
      'select status, error_code, error_message from load_files',
    );
    expect(file).toMatchObject({ status: 'failed', error_code: 'not_trade_data' });
    expect(file!.error_message).toMatch(what);
    expect(file!.error_message).toContain('docs/comtrade-layouts.md');
    expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(0);
  }

  it('a reference list (partnerAreas.json)', async () => {
    await expectRefused(
      writeFile(
        'partnerAreas.json',
        JSON.stringify({
          more: false,
          results: [
            { id: '4', text: 'Afghanistan' },
            { id: '8', text: 'Albania' },
          ],
        }),
      ),
      /partnerAreas\.json is a Comtrade reference list/,
    );
  });

  it('a data-availability answer (getDA)', async () => {
    const record = (reporterCode: number) => ({
      datasetCode: 1234,
      typeCode: 'C',
      freqCode: 'A',
      period: '2022',
      reporterCode,
      reporterISO: 'PAK',
      reporterDesc: 'Pakistan',
      classificationCode: 'H6',
      totalRecords: 91234,
      datasetChecksum: 55512,
      firstReleased: '2023-05-01T00:00:00',
      lastReleased: '2023-06-01T00:00:00',
    });
    await expectRefused(
      writeFile(
        'da_pak.json',
        JSON.stringify({ elapsedTime: '0.1 secs', count: 2, data: [record(586), record(398)], error: '' }),
      ),
      /da_pak\.json is a Comtrade data-availability or release listing/,
    );
  });

  it('the quantity-unit list', async () => {
    await expectRefused(
      writeFile(
        'QuantityUnits.csv',
        'qtyCode,qtyAbbr,qtyDescription\n-1,N/A,Not available\n8,kg,Weight in kilograms\n',
      ),
      /QuantityUnits\.csv is Comtrade's list of quantity units/,
    );
  });
});

describe.skipIf(!HAS_SHARED_DATA)(
  'the real comtradr extracts in ../shared, re-written in every layout',
  () => {
    const TRADE = join(SHARED_DATA, 'fixtures/trade');
    // Every column a layout carries, beyond the estimate flags the legacy layouts do not have.
    const COLUMNS = `reporter_iso3, reporter_code, partner_iso3, partner_code, partner2_iso3, flow, freq, period, year,
    month, hs_edition, hs_code, hs_level, value_usd, cif_value_usd, fob_value_usd, net_weight_kg, gross_weight_kg,
    qty, qty_unit_code, qty_unit, mode_of_transport, customs_procedure`;

    const firstOfEachUnit = (n: number) => {
      const seen = new Map<string, number>();
      return (row: ComtradrRow) => {
        const count = (seen.get(row.qty_unit_code!) ?? 0) + 1;
        seen.set(row.qty_unit_code!, count);
        return count <= n;
      };
    };

    /** Loads one file into a warehouse of its own; its rows as stored, in file order. */
    async function loadAlone(label: string, path: string) {
      const db = join(tmp(), `${label}.db`);
      const run = await cli(['load', path, '--source', 'comtrade', '--db', db, '--no-derive'], tmp());
      expect(run.code, `${label}: ${run.stderr}`).toBe(0);
      expect(scalar(db, 'select rows_rejected from load_files'), label).toBe(0);
      return query(db, `select ${COLUMNS} from trade_flows order by source_row`);
    }

    it.each([
      'comtrade_FRA_DEU_0306_World_2020_H5.csv',
      'comtrade_USA_imports_from_FRA_DEU_JPN_MEX_2018_2022_TOTAL.csv',
      'comtrade_THA_shrimp_HS6_all_partners_2007_2011.csv',
      'comtrade_EU27_imports_from_World_HS44_4digit_2018_2022.csv',
    ])(
      '%s: the legacy JSON and download, the bulk file and the site download store the same rows',
      async (name) => {
        const all = Papa.parse<ComtradrRow>(readFileSync(join(TRADE, name), 'utf8'), {
          header: true,
          skipEmptyLines: true,
        }).data;
        // The EU file's 5,004 rows, cut to the first 150 of each quantity unit it has (kg, u, m³, none).
        const rows = all.length <= 2000 ? all : all.filter(firstOfEachUnit(150));
        const original = await loadAlone('comtradr', writeFile(name, Papa.unparse(rows, { newline: '\n' })));
        expect(original).toHaveLength(rows.length);

        for (const [file, content] of Object.entries(inEveryLayout(rows))) {
          const again = await loadAlone(file, writeFile(file, content));
          expect(again, file).toEqual(original);
        }
      },
    );
  },
);
