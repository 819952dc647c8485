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
