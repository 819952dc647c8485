/**
 * UN Comtrade's published layouts, written by the tests (docs/comtrade-layouts.md): the legacy
 * API's JSON, the legacy downloads' human-readable headings, Comtrade+ answers and downloads
 * with names, and its bulk files with codes only; and the same rows of a comtradr extract
 * re-written in each of them, to check that every layout loads the same figures.
 */
import { gzipSync } from 'node:zlib';
import { type Cell, csvText } from './comtrade-csv.ts';

/** A row in the order of a header, from a record of its cells by column name. */
export const inOrder = (header: readonly string[], cells: Readonly<Record<string, Cell>>): Cell[] =>
  header.map((h) => cells[h] ?? null);

// The legacy API (comtrade.un.org/api/get, head=M), as it answered until 2023.
export const legacyRecord = (over: Record<string, unknown>) => ({
  pfCode: 'H4',
  yr: 2015,
  period: 2015,
  periodDesc: '2015',
  aggrLevel: 0,
  IsLeaf: 0,
  rgCode: 1,
  rgDesc: 'Import',
  rtCode: 586,
  rtTitle: 'Pakistan',
  rt3ISO: 'PAK',
  ptCode: 0,
  ptTitle: 'World',
  pt3ISO: 'WLD',
  ptCode2: null,
  ptTitle2: '',
  pt3ISO2: '',
  cstCode: '',
  cstDesc: '',
  motCode: '',
  motDesc: '',
  cmdCode: 'TOTAL',
  cmdDescE: 'All Commodities',
  qtCode: 1,
  qtDesc: 'No Quantity',
  qtAltCode: null,
  qtAltDesc: '',
  TradeQuantity: null,
  AltQuantity: null,
  NetWeight: null,
  GrossWeight: null,
  TradeValue: 43990000000,
  CIFValue: null,
  FOBValue: null,
  estCode: 0,
  ...over,
});

export const legacyReply = (dataset: readonly unknown[], message: string | null = null, status = 'Ok') =>
  JSON.stringify({
    validation: {
      status: { name: status, value: status === 'Ok' ? 0 : 5004, category: 0, description: '', helpUrl: '' },
      message,
      count: { value: dataset.length, started: '2015-05-11T11:29:41', finished: '2015-05-11T11:29:57' },
      datasetTimer: { started: '2015-05-11T11:29:41', finished: '2015-05-11T11:30:39' },
    },
    dataset,
  });

// The legacy downloads (the site's CSV, bulk files, api/get?fmt=csv): human-readable headings.
export const LEGACY_HEADER = [
  'Classification',
  'Year',
  'Period',
  'Period Desc.',
  'Aggregate Level',
  'Is Leaf Code',
  'Trade Flow Code',
  'Trade Flow',
  'Reporter Code',
  'Reporter',
  'Reporter ISO',
  'Partner Code',
  'Partner',
  'Partner ISO',
  '2nd Partner Code',
  '2nd Partner',
  '2nd Partner ISO',
  'Customs Proc. Code',
  'Customs',
  'Mode of Transport Code',
  'Mode of Transport',
  'Commodity Code',
  'Commodity',
  'Qty Unit Code',
  'Qty Unit',
  'Qty',
  'Alt Qty Unit Code',
  'Alt Qty Unit',
  'Alt Qty',
  'Netweight (kg)',
  'Gross weight (kg)',
  'Trade Value (US$)',
  'CIF Trade Value (US$)',
  'FOB Trade Value (US$)',
  'Flag',
];

export const legacyRow = (over: Record<string, Cell>) =>
  inOrder(LEGACY_HEADER, {
    Classification: 'H4',
    Year: 2014,
    Period: 2014,
    'Period Desc.': 2014,
    'Aggregate Level': 0,
    'Is Leaf Code': 0,
    'Reporter Code': 398,
    Reporter: 'Kazakhstan',
    'Reporter ISO': 'KAZ',
    'Partner Code': 586,
    Partner: 'Pakistan',
    'Partner ISO': 'PAK',
    'Commodity Code': 'TOTAL',
    Commodity: 'All Commodities',
    'Qty Unit Code': 1,
    'Qty Unit': 'No Quantity',
    Flag: 0,
    ...over,
  });

// Comtrade+ (API v1): the 47 fields, as the API, the site's Download button and comtradr give them.
export const PLUS_FIELDS = [
  'typeCode',
  'freqCode',
  'refPeriodId',
  'refYear',
  'refMonth',
  'period',
  'reporterCode',
  'reporterISO',
  'reporterDesc',
  'flowCode',
  'flowDesc',
  'partnerCode',
  'partnerISO',
  'partnerDesc',
  'partner2Code',
  'partner2ISO',
  'partner2Desc',
  'classificationCode',
  'classificationSearchCode',
  'isOriginalClassification',
  'cmdCode',
  'cmdDesc',
  'aggrLevel',
  'isLeaf',
  'customsCode',
  'customsDesc',
  'mosCode',
  'motCode',
  'motDesc',
  'qtyUnitCode',
  'qtyUnitAbbr',
  'qty',
  'isQtyEstimated',
  'altQtyUnitCode',
  'altQtyUnitAbbr',
  'altQty',
  'isAltQtyEstimated',
  'netWgt',
  'isNetWgtEstimated',
  'grossWgt',
  'isGrossWgtEstimated',
  'cifvalue',
  'fobvalue',
  'primaryValue',
  'legacyEstimationFlag',
  'isReported',
  'isAggregate',
];

export const plusRow = (over: Record<string, Cell>) =>
  inOrder(PLUS_FIELDS, {
    typeCode: 'C',
    freqCode: 'A',
    refPeriodId: 20220101,
    refYear: 2022,
    refMonth: 52,
    period: 2022,
    reporterCode: 586,
    reporterISO: 'PAK',
    reporterDesc: 'Pakistan',
    partner2Code: 0,
    partner2ISO: 'W00',
    partner2Desc: 'World',
    classificationCode: 'H6',
    classificationSearchCode: 'HS',
    isOriginalClassification: 'True',
    aggrLevel: 6,
    isLeaf: 'True',
    customsCode: 'C00',
    customsDesc: 'TOTAL CPC',
    mosCode: 0,
    motCode: 0,
    motDesc: 'TOTAL MOT',
    qtyUnitCode: -1,
    qtyUnitAbbr: 'N/A',
    isQtyEstimated: 'False',
    altQtyUnitCode: -1,
    altQtyUnitAbbr: 'N/A',
    isAltQtyEstimated: 'False',
    isNetWgtEstimated: 'False',
    isGrossWgtEstimated: 'False',
    legacyEstimationFlag: 0,
    isReported: 'True',
    isAggregate: 'False',
    ...over,
  });

/** The Comtrade+ bulk files' fields: codes only, spelled as the data dictionary spells them. */
export const BULK_FIELDS = [
  'typeCode',
  'freqCode',
  'refPeriodId',
  'refYear',
  'refMonth',
  'period',
  'reporterCode',
  'flowCode',
  'partnerCode',
  'partner2Code',
  'classificationCode',
  'classificationSearchCode',
  'isOriginalClassification',
  'cmdCode',
  'customsCode',
  'mosCode',
  'motCode',
  'qtyUnitCode',
  'qty',
  'isQtyEstimated',
  'altQtyUnitCode',
  'altQty',
  'isAltQtyEstimated',
  'netWgt',
  'isnetWgtEstimated',
  'grossWgt',
  'isgrossWgtEstimated',
  'cifValue',
  'fobValue',
  'primaryValue',
  'legacyEstimationFlag',
  'isReported',
  'isAggregate',
];

/** A bulk file as the UN serves it: tab-separated text, gzip-compressed. */
export const bulkFile = (header: readonly string[], rows: readonly (readonly Cell[])[]): Buffer =>
  gzipSync(
    Buffer.from(
      `${[header, ...rows].map((r) => r.map((c) => (c === null ? '' : String(c))).join('\t')).join('\n')}\n`,
    ),
  );

/** A row of a comtradr extract: its snake_case columns, as text. */
export type ComtradrRow = Readonly<Record<string, string>>;

const fold = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const number = (cell: string | undefined): number | null =>
  cell === undefined || cell.trim() === '' ? null : Number(cell);
/** A Comtrade+ field's cell in a comtradr row (comtradr's snake_case folds to the field's name). */
const plusCell = (row: ComtradrRow, field: string): string | null => {
  const column = Object.keys(row).find((c) => fold(c) === fold(field));
  return column === undefined ? null : (row[column] ?? null);
};

const LEGACY_FLOW: Readonly<Record<string, number>> = { M: 1, X: 2, RX: 3, RM: 4 };
/** The legacy unit list: code 1 was "No Quantity"; the others are today's codes, in words. */
const LEGACY_UNIT: Readonly<Record<string, readonly [number, string]>> = {
  '-1': [1, 'No Quantity'],
  '5': [5, 'Number of items'],
  '8': [8, 'Weight in kilograms'],
  '12': [12, 'Volume in cubic meters'],
};
const legacyUnit = (row: ComtradrRow) => {
  const unit = LEGACY_UNIT[row.qty_unit_code!];
  if (unit === undefined) throw new Error(`no legacy unit for qty_unit_code ${row.qty_unit_code}`);
  return unit;
};
const legacyFlow = (row: ComtradrRow) => {
  const code = LEGACY_FLOW[row.flow_code!];
  if (code === undefined) throw new Error(`no legacy flow code for ${row.flow_code}`);
  return code;
};
/** The legacy API wrote World as WLD. */
const legacyIso = (iso: string | undefined) => (iso?.trim() === 'W00' ? 'WLD' : (iso ?? ''));

/**
 * The rows of a comtradr extract in the other layouts, by file name: the legacy API's JSON, a
 * legacy download, a Comtrade+ bulk file and the Comtrade+ site download.
 */
export function inEveryLayout(rows: readonly ComtradrRow[]): Record<string, string | Buffer> {
  const legacyJson = legacyReply(
    rows.map((r) => {
      const [qtCode, qtDesc] = legacyUnit(r);
      return legacyRecord({
        pfCode: r.classification_code,
        yr: Number(r.ref_year),
        period: Number(r.period),
        periodDesc: r.period,
        aggrLevel: Number(r.aggr_level),
        IsLeaf: r.is_leaf === 'True' ? 1 : 0,
        rgCode: legacyFlow(r),
        rgDesc: r.flow_desc,
        rtCode: Number(r.reporter_code),
        rtTitle: r.reporter_desc,
        rt3ISO: legacyIso(r.reporter_iso),
        ptCode: Number(r.partner_code),
        ptTitle: r.partner_desc,
        pt3ISO: legacyIso(r.partner_iso),
        cmdCode: r.cmd_code,
        cmdDescE: r.cmd_desc,
        qtCode,
        qtDesc,
        TradeQuantity: number(r.qty),
        NetWeight: number(r.net_wgt),
        GrossWeight: number(r.gross_wgt),
        TradeValue: number(r.primary_value),
        CIFValue: number(r.cifvalue),
        FOBValue: number(r.fobvalue),
        estCode: number(r.legacy_estimation_flag),
      });
    }),
  );
  const legacyCsv = csvText(
    LEGACY_HEADER,
    rows.map((r) => {
      const [qtCode, qtDesc] = legacyUnit(r);
      return legacyRow({
        Classification: r.classification_code!,
        Year: r.ref_year!,
        Period: r.period!,
        'Period Desc.': r.period!,
        'Aggregate Level': r.aggr_level!,
        'Is Leaf Code': r.is_leaf === 'True' ? 1 : 0,
        'Trade Flow Code': legacyFlow(r),
        'Trade Flow': r.flow_desc!,
        'Reporter Code': r.reporter_code!,
        Reporter: r.reporter_desc!,
        'Reporter ISO': legacyIso(r.reporter_iso),
        'Partner Code': r.partner_code!,
        Partner: r.partner_desc!,
        'Partner ISO': legacyIso(r.partner_iso),
        'Commodity Code': r.cmd_code!,
        Commodity: r.cmd_desc!,
        'Qty Unit Code': qtCode,
        'Qty Unit': qtDesc,
        Qty: r.qty ?? null,
        'Netweight (kg)': r.net_wgt ?? null,
        'Gross weight (kg)': r.gross_wgt ?? null,
        'Trade Value (US$)': r.primary_value!,
        'CIF Trade Value (US$)': r.cifvalue ?? null,
        'FOB Trade Value (US$)': r.fobvalue ?? null,
        Flag: r.legacy_estimation_flag!,
      });
    }),
  );
  return {
    'legacy_api.json': legacyJson,
    'legacy_download.csv': legacyCsv,
    'COMTRADE-FINAL-bulk.txt.gz': bulkFile(
      BULK_FIELDS,
      rows.map((r) => BULK_FIELDS.map((f) => plusCell(r, f))),
    ),
    'TradeData_site.csv': csvText(
      PLUS_FIELDS,
      rows.map((r) => PLUS_FIELDS.map((f) => plusCell(r, f))),
    ),
  };
}
