/**
 * Comtrade+ (API v1) CSV fixtures: RFC 4180 text and rows with every camelCase field the
 * source reads, shared by the load tests.
 */

export type Cell = string | number | null;

/** RFC 4180 CSV text: cells with a comma, quote or line break are quoted. */
export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[], eol = '\n'): string {
  const cell = (c: Cell) => {
    const t = c === null ? '' : String(c);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join(eol) + eol;
}

// Comtrade+ (API v1) CSV: the camelCase field names.
export const PLUS_HEADER = [
  'freqCode',
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
  'classificationCode',
  'cmdCode',
  'customsCode',
  'motCode',
  'qtyUnitCode',
  'qtyUnitAbbr',
  'qty',
  'netWgt',
  'isNetWgtEstimated',
  'grossWgt',
  'cifvalue',
  'fobvalue',
  'primaryValue',
] as const;

const FLOW_WORDS: Readonly<Record<string, string>> = {
  X: 'Export',
  M: 'Import',
  RX: 'Re-export',
  RM: 'Re-import',
};

/** One Comtrade+ row for PAK 2021; `over` sets any field by name. */
export function plusRow(over: Partial<Record<(typeof PLUS_HEADER)[number], Cell>> = {}): Cell[] {
  const base: Record<(typeof PLUS_HEADER)[number], Cell> = {
    freqCode: 'A',
    refYear: 2021,
    refMonth: 52,
    period: '2021',
    reporterCode: 586,
    reporterISO: 'PAK',
    reporterDesc: 'Pakistan',
    flowCode: 'X',
    // The flow in words follows the code, as Comtrade writes it: a row whose two disagree is rejected.
    flowDesc: FLOW_WORDS[String(over.flowCode ?? 'X')] ?? null,
    partnerCode: 398,
    partnerISO: 'KAZ',
    partnerDesc: 'Kazakhstan',
    partner2Code: 0,
    partner2ISO: 'W00',
    classificationCode: 'H5',
    cmdCode: 'TOTAL',
    customsCode: 'C00',
    motCode: 0,
    qtyUnitCode: -1,
    qtyUnitAbbr: 'N/A',
    qty: null,
    netWgt: null,
    isNetWgtEstimated: 'False',
    grossWgt: null,
    cifvalue: null,
    fobvalue: 1000,
    primaryValue: 1000,
    ...over,
  };
  return PLUS_HEADER.map((h) => base[h]);
}

/** Comtrade codes and names of the economies the hand-made trade files use. */
export const ECONOMIES: Readonly<Record<string, readonly [number, string]>> = {
  PAK: [586, 'Pakistan'],
  KAZ: [398, 'Kazakhstan'],
  CHN: [156, 'China'],
  UZB: [860, 'Uzbekistan'],
  KGZ: [417, 'Kyrgyzstan'],
  TJK: [762, 'Tajikistan'],
  AFG: [4, 'Afghanistan'],
  TUR: [792, 'Türkiye'],
  IND: [699, 'India'],
  RUS: [643, 'Russian Federation'],
  IRN: [364, 'Iran'],
  W00: [0, 'World'],
};

export interface TradeFigure {
  readonly reporter?: string;
  readonly partner: string;
  readonly flow?: 'X' | 'M';
  /** An HS code or TOTAL. */
  readonly code: string;
  readonly usd: number;
  readonly kg?: number;
  readonly year?: number;
}

/** A Comtrade+ row of one figure: PAK's exports in 2021 unless said otherwise. */
export function tradeRow({
  reporter = 'PAK',
  partner,
  flow = 'X',
  code,
  usd,
  kg,
  year = 2021,
}: TradeFigure): Cell[] {
  const [reporterCode, reporterDesc] = ECONOMIES[reporter]!;
  const [partnerCode, partnerDesc] = ECONOMIES[partner]!;
  return plusRow({
    refYear: year,
    period: String(year),
    reporterCode,
    reporterISO: reporter,
    reporterDesc,
    partnerCode,
    partnerISO: partner,
    partnerDesc,
    flowCode: flow,
    cmdCode: code,
    fobvalue: flow === 'X' ? usd : null,
    cifvalue: flow === 'M' ? usd : null,
    primaryValue: usd,
    netWgt: kg ?? null,
  });
}
