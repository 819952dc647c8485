import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baciSource, parseBaciFileName } from '../../sources/baci/baci.source.ts';
import { comtradeSource } from '../../sources/comtrade/comtrade.source.ts';
import { SourceFormatError } from '../../src/errors.ts';
import type { CountryResolver } from '../../src/normalize/country-resolver.ts';
import type { HsCodeBook } from '../../src/normalize/hs-code-book.ts';
import type { RawRecord } from '../../src/read/raw-table.ts';
import { bindColumns } from '../../src/validate/header-matcher.ts';
import { createRecordMapper, type RecordMapper } from '../../src/validate/record-mapper.ts';
import type { RowIssue } from '../../src/validate/row-issue.ts';
import type { TradeFlowRow, TradeSource } from '../../src/validate/trade-source.ts';
import { openReferenceWarehouse, type ReferenceWarehouse } from './support/reference-warehouse.ts';

let reference: ReferenceWarehouse;
let countries: CountryResolver;
let hsCodes: HsCodeBook;

beforeAll(async () => {
  reference = await openReferenceWarehouse();
  countries = reference.countries;
  hsCodes = reference.hsCodes;
});

afterAll(async () => {
  await reference.dispose();
});

/** The mapper the loader builds for a file: header bound, source begun, record mapped. */
async function mapperFor<F extends string, P>(
  source: TradeSource<F, P>,
  path: string,
  header: readonly string[],
): Promise<RecordMapper> {
  const name = path.split('/').pop()!;
  const binding = bindColumns(name, header, source.columns, source.required);
  const mapRow = await source.begin({ path, name, countries, hsCodes });
  return createRecordMapper(source, header, binding, mapRow);
}

const isRow = (result: TradeFlowRow | RowIssue[]): result is TradeFlowRow => !Array.isArray(result);

function rowOf(result: TradeFlowRow | RowIssue[]): TradeFlowRow {
  if (!isRow(result)) throw new Error(`expected a row, got issues: ${JSON.stringify(result)}`);
  return result;
}

function issuesOf(result: TradeFlowRow | RowIssue[]): RowIssue[] {
  if (isRow(result)) throw new Error(`expected issues, got a row: ${JSON.stringify(result)}`);
  return result;
}

describe('createRecordMapper with the comtrade source (comtradr snake_case CSV)', () => {
  // A comtradr export, trimmed to the columns Corridor reads plus one it ignores.
  const HEADER = [
    'freq_code',
    'ref_year',
    'ref_month',
    'period',
    'reporter_code',
    'reporter_iso',
    'partner_code',
    'partner_iso',
    'partner2code',
    'flow_code',
    'classification_code',
    'cmd_code',
    'cmd_desc',
    'qty_unit_code',
    'qty_unit_abbr',
    'qty',
    'net_wgt',
    'is_net_wgt_estimated',
    'gross_wgt',
    'cifvalue',
    'fobvalue',
    'primary_value',
    'mot_code',
    'customs_code',
  ] as const;
  type Column = (typeof HEADER)[number];

  // USA imports of raw cotton from Pakistan, 2023, as comtradr writes them: 0.0 where nothing
  // was reported (qty, weights, import FOB).
  const USA_IMPORT: Record<Column, string> = {
    freq_code: 'A',
    ref_year: '2023',
    ref_month: '52',
    period: '2023',
    reporter_code: '842',
    reporter_iso: 'USA',
    partner_code: '586',
    partner_iso: 'PAK',
    partner2code: '0',
    flow_code: 'M',
    classification_code: 'H6',
    cmd_code: '520100',
    cmd_desc: 'Cotton; not carded or combed',
    qty_unit_code: '8',
    qty_unit_abbr: 'kg',
    qty: '0.0',
    net_wgt: '0.0',
    is_net_wgt_estimated: 'False',
    gross_wgt: '0.0',
    cifvalue: '1500000.0',
    fobvalue: '0.0',
    primary_value: '1500000.0',
    mot_code: '0',
    customs_code: 'C00',
  };

  const record = (changes: Partial<Record<Column, string>> = {}, row = 2): RawRecord => ({
    row,
    cells: HEADER.map((h) => changes[h] ?? USA_IMPORT[h]),
  });

  let map: RecordMapper;
  beforeAll(async () => {
    map = await mapperFor(comtradeSource, '/data/usa_2023.csv', HEADER);
  });

  it('maps a comtradr row to a canonical trade flow', () => {
    expect(rowOf(map(record()))).toEqual({
      reporter_iso3: 'USA',
      reporter_code: '842',
      partner_iso3: 'PAK',
      partner_code: '586',
      partner2_iso3: 'W00',
      flow: 'M',
      freq: 'A',
      period: '2023',
      year: 2023,
      month: null,
      hs_edition: 'H6',
      hs_code: '520100',
      hs_level: 6,
      value_usd: 1500000,
      cif_value_usd: 1500000,
      fob_value_usd: null,
      net_weight_kg: null,
      net_weight_estimated: 0,
      gross_weight_kg: null,
      qty: null,
      qty_unit_code: '8',
      qty_unit: 'kg',
      mode_of_transport: '0',
      customs_procedure: 'C00',
    });
  });

  it("stores comtradr's 0.0 weight, quantity and FOB as NULL on a row with trade value", () => {
    const row = rowOf(map(record()));
    expect(row.net_weight_kg).toBeNull();
    expect(row.gross_weight_kg).toBeNull();
    expect(row.qty).toBeNull();
    expect(row.fob_value_usd).toBeNull();
  });

  it('keeps reported weights and quantities as they are', () => {
    const row = rowOf(map(record({ qty: '812000.0', net_wgt: '812000.0', gross_wgt: '815500.5' })));
    expect(row.qty).toBe(812000);
    expect(row.net_weight_kg).toBe(812000);
    expect(row.gross_weight_kg).toBe(815500.5);
  });

  it('keeps zero weights on a row whose trade value is zero too', () => {
    const row = rowOf(map(record({ primary_value: '0.0', cifvalue: '0.0' })));
    expect(row.value_usd).toBe(0);
    expect(row.net_weight_kg).toBe(0);
    expect(row.qty).toBe(0);
  });

  it('drops the quantity and its unit when the unit code is -1 (N/A)', () => {
    const row = rowOf(map(record({ qty_unit_code: '-1', qty_unit_abbr: 'N/A', qty: '5.0' })));
    expect(row.qty).toBeNull();
    expect(row.qty_unit).toBeNull();
    expect(row.qty_unit_code).toBe('-1');
  });

  it('reads True as an estimated net weight', () => {
    expect(rowOf(map(record({ is_net_wgt_estimated: 'True' }))).net_weight_estimated).toBe(1);
  });

  it('reads a monthly row', () => {
    const row = rowOf(map(record({ freq_code: 'M', ref_month: '3', period: '202303' })));
    expect(row).toMatchObject({ freq: 'M', period: '2023-03', year: 2023, month: 3 });
  });

  it('restores the leading zero of a commodity code that went through Excel', () => {
    expect(rowOf(map(record({ cmd_code: '30617' }))).hs_code).toBe('030617');
  });

  it('keeps 588 East and West Pakistan in reporter_code beside PAK', () => {
    const row = rowOf(
      map(
        record({
          ref_year: '1970',
          period: '1970',
          reporter_code: '588',
          reporter_iso: 'PAK',
          partner_code: '841',
          partner_iso: 'USA',
        }),
      ),
    );
    expect(row).toMatchObject({
      reporter_iso3: 'PAK',
      reporter_code: '588',
      partner_iso3: 'USA',
      year: 1970,
    });
  });

  it('rejects a Comtrade area code used outside its years (588 in 2023)', () => {
    const [issue] = issuesOf(map(record({ reporter_code: '588', reporter_iso: 'PAK' })));
    expect(issue).toMatchObject({ code: 'unknown_country', column: 'reporter_code' });
    expect(issue?.message).toMatch(/valid until 1971, not in 2023/);
  });

  it("keeps Namibia's ISO code NA as Namibia", () => {
    expect(rowOf(map(record({ partner_code: '516', partner_iso: 'NA' }))).partner_iso3).toBe('NAM');
  });

  it('defaults the mode of transport to 0 and the customs procedure to C00 when empty', () => {
    const row = rowOf(map(record({ mot_code: '', customs_code: '' })));
    expect(row.mode_of_transport).toBe('0');
    expect(row.customs_procedure).toBe('C00');
  });

  it('rejects a negative trade value, naming the column as the header spells it', () => {
    expect(issuesOf(map(record({ primary_value: '-1500000.0' })))).toEqual([
      {
        code: 'negative_value',
        column: 'primary_value',
        value: '-1500000.0',
        message: expect.stringMatching(/"-1500000\.0" is negative; a trade value cannot be below zero/),
      },
    ]);
  });

  it('rejects a negative net weight under its own column', () => {
    expect(issuesOf(map(record({ net_wgt: '-3' })))).toMatchObject([
      { code: 'negative_value', column: 'net_wgt', value: '-3' },
    ]);
  });

  it('rejects a row with fewer fields than the header', () => {
    const short: RawRecord = { row: 7, cells: ['A', '2023', '52'] };
    expect(issuesOf(map(short))).toEqual([
      {
        code: 'wrong_field_count',
        column: null,
        value: null,
        message: expect.stringMatching(/^has 3 fields but the header has 24\./),
      },
    ]);
  });

  it('rejects a row with more fields than the header', () => {
    const long: RawRecord = { row: 8, cells: [...record().cells, 'extra'] };
    expect(issuesOf(map(long))).toMatchObject([{ code: 'wrong_field_count', column: null }]);
  });

  it('refuses a row classified in SITC', () => {
    expect(issuesOf(map(record({ classification_code: 'S4', cmd_code: '26310' })))).toEqual([
      {
        code: 'unsupported_classification',
        column: 'classification_code',
        value: 'S4',
        message: expect.stringMatching(/"S4" is not HS/),
      },
    ]);
  });

  it('refuses a row classified in BEC', () => {
    expect(issuesOf(map(record({ classification_code: 'B5' })))).toMatchObject([
      { code: 'unsupported_classification', column: 'classification_code' },
    ]);
  });

  it('rejects a thousands separator as a bad number with a hint', () => {
    expect(issuesOf(map(record({ primary_value: '1,500,000' })))).toMatchObject([
      {
        code: 'bad_number',
        column: 'primary_value',
        value: '1,500,000',
        message: expect.stringMatching(/thousands separators/),
      },
    ]);
  });

  it('rejects a flag that is not True or False', () => {
    expect(issuesOf(map(record({ is_net_wgt_estimated: 'maybe' })))).toMatchObject([
      { code: 'bad_boolean', column: 'is_net_wgt_estimated', value: 'maybe' },
    ]);
  });

  it('rejects an empty commodity code as a missing value', () => {
    expect(issuesOf(map(record({ cmd_code: '' })))).toMatchObject([
      { code: 'missing_value', column: 'cmd_code', value: '' },
    ]);
  });

  it('rejects a tariff line as a bad HS code', () => {
    expect(issuesOf(map(record({ cmd_code: '52010000' })))).toMatchObject([
      { code: 'bad_hs_code', column: 'cmd_code', value: '52010000' },
    ]);
  });

  it('rejects an unknown flow', () => {
    expect(issuesOf(map(record({ flow_code: 'T' })))).toMatchObject([
      { code: 'bad_flow', column: 'flow_code', value: 'T' },
    ]);
  });

  it('rejects a period whose month is 13', () => {
    expect(issuesOf(map(record({ freq_code: 'M', period: '202313', ref_month: '13' })))).toMatchObject([
      { code: 'bad_period', column: 'period', value: '202313' },
    ]);
  });

  it('rejects a partner code that is not in the country reference', () => {
    const issues = issuesOf(map(record({ partner_code: '999', partner_iso: '' })));
    expect(issues).toMatchObject([{ code: 'unknown_country', column: 'partner_code', value: '999' }]);
    expect(issues[0]!.message).toContain('country-aliases.csv');
  });

  it('rejects a reporter whose code and ISO code name different countries', () => {
    expect(issuesOf(map(record({ reporter_code: '586', reporter_iso: 'IND' })))).toMatchObject([
      { code: 'inconsistent_country', column: 'reporter_code', value: '586' },
    ]);
  });

  it('reports every problem of a row at once', () => {
    const issues = issuesOf(map(record({ flow_code: 'T', cmd_code: '8703.2', classification_code: 'S3' })));
    expect(issues.map((i) => [i.code, i.column])).toEqual([
      ['bad_flow', 'flow_code'],
      ['unsupported_classification', 'classification_code'],
      ['bad_hs_code', 'cmd_code'],
    ]);
  });

  it('falls back to the FOB value for an export whose primary value is empty', () => {
    const row = rowOf(
      map(record({ flow_code: 'X', primary_value: '', cifvalue: '1000.0', fobvalue: '900.0' })),
    );
    expect(row.value_usd).toBe(900);
    expect(row.fob_value_usd).toBe(900);
    expect(row.cif_value_usd).toBe(1000);
  });

  it('falls back to the CIF value for an import whose primary value is empty', () => {
    const row = rowOf(
      map(record({ flow_code: 'M', primary_value: '', cifvalue: '1000.0', fobvalue: '900.0' })),
    );
    expect(row.value_usd).toBe(1000);
  });

  it('rejects a row whose primary, CIF and FOB values are all empty', () => {
    expect(issuesOf(map(record({ primary_value: '', cifvalue: '', fobvalue: '' })))).toMatchObject([
      { code: 'missing_value', column: 'primary_value', value: '' },
    ]);
  });
});

describe('createRecordMapper with the comtrade source, files without primaryValue', () => {
  const HEADER = ['refYear', 'reporterCode', 'partnerCode', 'flowCode', 'cmdCode', 'cifvalue', 'fobvalue'];

  let map: RecordMapper;
  beforeAll(async () => {
    map = await mapperFor(comtradeSource, '/data/pak_2022.csv', HEADER);
  });

  it('takes the FOB value for exports (X) and re-exports (RX)', () => {
    const x = rowOf(map({ row: 2, cells: ['2022', '586', '398', 'X', '5201', '120.0', '100.0'] }));
    expect(x.value_usd).toBe(100);
    const rx = rowOf(map({ row: 3, cells: ['2022', '586', '398', 'RX', '5201', '120.0', '100.0'] }));
    expect(rx.value_usd).toBe(100);
  });

  it('takes the CIF value for imports (M)', () => {
    const m = rowOf(map({ row: 2, cells: ['2022', '586', '398', 'M', '5201', '120.0', '100.0'] }));
    expect(m.value_usd).toBe(120);
  });

  it('takes the other value when the preferred one is empty', () => {
    expect(rowOf(map({ row: 2, cells: ['2022', '586', '398', 'X', '5201', '120.0', ''] })).value_usd).toBe(
      120,
    );
    expect(rowOf(map({ row: 2, cells: ['2022', '586', '398', 'M', '5201', '', '100.0'] })).value_usd).toBe(
      100,
    );
  });

  it("takes the other value when the preferred one is comtradr's 0.0 for missing", () => {
    const m = rowOf(map({ row: 2, cells: ['2022', '586', '398', 'M', '5201', '0.0', '900.0'] }));
    expect(m.value_usd).toBe(900);
    expect(m.cif_value_usd).toBeNull();
  });

  it('reads "1234,5" as a decimal in a semicolon-delimited file, and only there', async () => {
    const binding = bindColumns('eu.csv', HEADER, comtradeSource.columns, comtradeSource.required);
    const mapRow = await comtradeSource.begin({ path: '/data/eu.csv', name: 'eu.csv', countries, hsCodes });
    const semicolon = createRecordMapper(comtradeSource, HEADER, binding, mapRow, { decimalComma: true });
    const cells = ['2022', '586', '398', 'X', '5201', '', '1234,5'];
    expect(rowOf(semicolon({ row: 2, cells })).value_usd).toBe(1234.5);
    expect(issuesOf(map({ row: 2, cells }))[0]?.code).toBe('bad_number');
  });

  it('reads the year from refYear and defaults the second partner to World', () => {
    const row = rowOf(map({ row: 2, cells: ['2022', '586', '398', 'X', '5201', '', '100.0'] }));
    expect(row).toMatchObject({ freq: 'A', period: '2022', partner2_iso3: 'W00', hs_level: 4 });
  });
});

describe('createRecordMapper with the comtrade source (API v1 JSON records)', () => {
  const HEADER = [
    'freqCode',
    'refYear',
    'refMonth',
    'period',
    'reporterCode',
    'reporterISO',
    'partnerCode',
    'partnerISO',
    'partner2Code',
    'flowCode',
    'classificationCode',
    'cmdCode',
    'qtyUnitCode',
    'qty',
    'netWgt',
    'primaryValue',
    'motCode',
    'customsCode',
  ];

  let map: RecordMapper;
  beforeAll(async () => {
    map = await mapperFor(comtradeSource, '/data/kaz.json', HEADER);
  });

  it('reads JSON numbers, a numeric motCode and ISO codes with trailing spaces', () => {
    const cells = [
      'A',
      2022,
      52,
      '2022',
      398,
      'KAZ',
      899,
      '_X ',
      0,
      'X',
      'H6',
      '310420',
      -1,
      0,
      0,
      2500.5,
      0,
      'C00',
    ];
    expect(rowOf(map({ row: 1, cells }))).toMatchObject({
      reporter_iso3: 'KAZ',
      reporter_code: '398',
      partner_iso3: '_X',
      partner_code: '899',
      partner2_iso3: 'W00',
      period: '2022',
      hs_code: '310420',
      value_usd: 2500.5,
      net_weight_kg: null,
      qty: null,
      qty_unit_code: '-1',
      mode_of_transport: '0',
    });
  });

  it('reads the code 586.0 written by pandas as Pakistan', () => {
    const cells = [
      'A',
      2022,
      99,
      '2022',
      '586.0',
      'PAK',
      398,
      'KAZ',
      0,
      'M',
      'H6',
      '520100',
      8,
      10,
      10,
      99,
      0,
      'C00',
    ];
    expect(rowOf(map({ row: 2, cells }))).toMatchObject({ reporter_iso3: 'PAK', reporter_code: '586' });
  });
});

describe('createRecordMapper with the BACI source', () => {
  const COUNTRY_CODES = [
    'country_code,country_name,country_iso2,country_iso3',
    '251,France,FR,FRA',
    '398,Kazakhstan,KZ,KAZ',
    '586,Pakistan,PK,PAK',
    '699,India,IN,IND',
    '842,USA,US,USA',
  ].join('\n');
  const PRODUCT_CODES = [
    'code,description',
    '080510,"Fruit, edible; oranges, fresh or dried"',
    '310420,"Fertilizers, mineral or chemical; potassic, potassium chloride"',
    '520100,"Cotton; not carded or combed"',
  ].join('\n');
  const HEADER = ['t', 'i', 'j', 'k', 'v', 'q'];
  const DATA = 'BACI_HS17_Y2021_V202401b.csv';

  let dir: string;
  let map: RecordMapper;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-baci-'));
    writeFileSync(join(dir, DATA), `${HEADER.join(',')}\n`);
    writeFileSync(join(dir, 'country_codes_V202401b.csv'), `\uFEFF${COUNTRY_CODES}\n`);
    writeFileSync(join(dir, 'product_codes_HS17_V202401b.csv'), `${PRODUCT_CODES}\n`);
    map = await mapperFor(baciSource, join(dir, DATA), HEADER);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const baci = (cells: string[], row = 2): RawRecord => ({ row, cells });

  it('stores a BACI flow as an export of i to j in dollars and kilograms', () => {
    expect(rowOf(map(baci(['2021', '586', '398', '520100', '1500.25', '812.5'])))).toEqual({
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
      hs_code: '520100',
      hs_level: 6,
      value_usd: 1500250,
      cif_value_usd: null,
      fob_value_usd: 1500250,
      net_weight_kg: 812500,
      net_weight_estimated: null,
      gross_weight_kg: null,
      qty: null,
      qty_unit_code: null,
      qty_unit: null,
      mode_of_transport: '0',
      customs_procedure: 'C00',
    });
  });

  it('multiplies v by 1000 without binary noise (1.234 kUSD is 1234 USD)', () => {
    const row = rowOf(map(baci(['2021', '586', '398', '520100', '1.234', '0.001'])));
    expect(row.value_usd).toBe(1234);
    expect(row.fob_value_usd).toBe(1234);
    expect(row.net_weight_kg).toBe(1);
  });

  it('multiplies q by 1000: tonnes to kilograms', () => {
    expect(rowOf(map(baci(['2021', '586', '398', '520100', '10', '0.5']))).net_weight_kg).toBe(500);
  });

  it('reads v and q padded with spaces, and NA as an unknown quantity', () => {
    const row = rowOf(map(baci(['2021', '586', '398', '520100', '    225.063', '         NA'])));
    expect(row.value_usd).toBe(225063);
    expect(row.net_weight_kg).toBeNull();
  });

  it('takes the HS edition H5 from the HS17 in the file name', () => {
    expect(rowOf(map(baci(['2021', '251', '842', '080510', '1', '1']))).hs_edition).toBe('H5');
  });

  it("reads BACI's country codes 251 and 842 as France and the USA", () => {
    expect(rowOf(map(baci(['2021', '251', '842', '080510', '1', '1'])))).toMatchObject({
      reporter_iso3: 'FRA',
      partner_iso3: 'USA',
    });
  });

  it('restores a product code that lost its leading zero', () => {
    expect(rowOf(map(baci(['2021', '586', '398', '80510', '1', '1']))).hs_code).toBe('080510');
  });

  it('rejects a product that is not in the product list of the release', () => {
    const issues = issuesOf(map(baci(['2021', '586', '398', '999999', '1', '1'])));
    expect(issues).toEqual([
      {
        code: 'unknown_hs_code',
        column: 'k',
        value: '999999',
        message: expect.stringContaining('product_codes_HS17_V202401b.csv'),
      },
    ]);
  });

  it('rejects a product code that is not a 6-digit subheading', () => {
    expect(issuesOf(map(baci(['2021', '586', '398', '5201', '1', '1'])))).toMatchObject([
      { code: 'bad_hs_code', column: 'k', value: '5201' },
    ]);
  });

  it('rejects an exporter in neither the BACI list nor the reference, naming the list', () => {
    const issues = issuesOf(map(baci(['2021', '998', '398', '520100', '1', '1'])));
    expect(issues).toMatchObject([{ code: 'unknown_country', column: 'i', value: '998' }]);
    expect(issues[0]!.message).toContain('country_codes_V202401b.csv');
  });

  it('rejects a negative value under the column v', () => {
    expect(issuesOf(map(baci(['2021', '586', '398', '520100', '-1', '1'])))).toMatchObject([
      { code: 'negative_value', column: 'v', value: '-1' },
    ]);
  });

  it('rejects an empty value as missing', () => {
    expect(issuesOf(map(baci(['2021', '586', '398', '520100', '', '1'])))).toMatchObject([
      { code: 'missing_value', column: 'v' },
    ]);
  });

  it('rejects a year out of range', () => {
    expect(issuesOf(map(baci(['1850', '586', '398', '520100', '1', '1'])))).toMatchObject([
      { code: 'bad_period', column: 't', value: '1850' },
    ]);
  });

  it('rejects a row with the wrong number of fields', () => {
    expect(issuesOf(map(baci(['2021', '586', '398', '520100', '1'])))).toMatchObject([
      { code: 'wrong_field_count', column: null },
    ]);
  });
});

describe('the BACI source without its companion files', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('accepts any 6-digit product and resolves countries from the reference when no lists are beside the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-baci-'));
    const path = join(dir, 'BACI_HS22_Y2022_V202501.csv');
    writeFileSync(path, 't,i,j,k,v,q\n');
    const map = await mapperFor(baciSource, path, ['t', 'i', 'j', 'k', 'v', 'q']);
    expect(rowOf(map({ row: 2, cells: ['2022', '699', '586', '999999', '2', ''] }))).toMatchObject({
      reporter_iso3: 'IND',
      partner_iso3: 'PAK',
      hs_edition: 'H6',
      hs_code: '999999',
      net_weight_kg: null,
    });
  });

  it('takes the edition as HS when the file name does not follow BACI', async () => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-baci-'));
    const path = join(dir, 'baci_extract.csv');
    writeFileSync(path, 't,i,j,k,v,q\n');
    const map = await mapperFor(baciSource, path, ['t', 'i', 'j', 'k', 'v', 'q']);
    expect(rowOf(map({ row: 2, cells: ['2021', '586', '398', '520100', '1', '1'] })).hs_edition).toBe('HS');
  });

  it('refuses a product list with no code column', async () => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-baci-'));
    const path = join(dir, 'BACI_HS17_Y2021_V202401b.csv');
    writeFileSync(path, 't,i,j,k,v,q\n');
    writeFileSync(join(dir, 'product_codes_HS17_V202401b.csv'), 'hs6,description\n520100,Cotton\n');
    await expect(
      Promise.resolve().then(() =>
        baciSource.begin({ path, name: 'BACI_HS17_Y2021_V202401b.csv', countries, hsCodes }),
      ),
    ).rejects.toBeInstanceOf(SourceFormatError);
  });
});

describe('parseBaciFileName', () => {
  it('reads the HS revision and the release from a BACI file name', () => {
    expect(parseBaciFileName('BACI_HS17_Y2021_V202401b.csv')).toEqual({
      edition: 'H5',
      hsTag: '17',
      version: '202401b',
    });
  });

  it.each([
    ['BACI_HS92_Y1995_V202401b.csv', 'H0'],
    ['BACI_HS96_Y1996_V202401b.csv', 'H1'],
    ['BACI_HS02_Y2002_V202401b.csv', 'H2'],
    ['BACI_HS07_Y2007_V202401b.csv', 'H3'],
    ['BACI_HS12_Y2012_V202401b.csv', 'H4'],
    ['BACI_HS22_Y2022_V202501.csv', 'H6'],
  ])('reads %s as edition %s', (name, edition) => {
    expect(parseBaciFileName(name)?.edition).toBe(edition);
  });

  it('reads names with a suffix, a compression extension or in lower case', () => {
    expect(parseBaciFileName('BACI_HS17_Y2021_V202401b_illustrative.csv')?.version).toBe('202401b');
    expect(parseBaciFileName('BACI_HS17_Y2021_V202301.csv.gz')).toEqual({
      edition: 'H5',
      hsTag: '17',
      version: '202301',
    });
    expect(parseBaciFileName('baci_hs12_y2015_v202401b.csv')?.edition).toBe('H4');
  });

  it('knows nothing of names that are not BACI, or of HS revisions that do not exist', () => {
    expect(parseBaciFileName('pak_trade_2023.csv')).toBeNull();
    expect(parseBaciFileName('BACI_HS88_Y1990_V202401b.csv')).toBeNull();
    expect(parseBaciFileName('country_codes_V202401b.csv')).toBeNull();
  });
});
