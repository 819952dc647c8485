/**
 * The layouts UN Comtrade has published over the years, each named by columns that only it has
 * (docs/comtrade-layouts.md). The source's column aliases read them all; these signatures tell
 * which one a header is, so that a header without rows can be recognised as the UN's answer
 * that nothing matched, and a user told which layout a file was taken for.
 *
 * Headers are compared folded (case, spaces, `_` and punctuation ignored), as the header
 * matcher compares them: `primaryValue`, `PrimaryValue` and `primary_value` are one column.
 */
import { foldName } from '../../src/normalize/fold-name.ts';

export interface ComtradeLayout {
  /** What the layout is, for messages: "a Comtrade+ bulk file (codes only)". */
  readonly name: string;
  /** Columns every file of the layout has. */
  readonly columns: readonly string[];
}

// Comtrade+ (2022 on): the API's 47 fields. The API, the site's Download button and comtradr
// (snake_case) give codes and names; the bulk files give codes only.
const PLUS_CODES = [
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
  'cmdCode',
  'customsCode',
  'motCode',
  'qtyUnitCode',
  'qty',
  'netWgt',
  'grossWgt',
  'cifvalue',
  'fobvalue',
  'primaryValue',
];

/** Most specific first: a layout with names also has every column of the one with codes only. */
export const COMTRADE_LAYOUTS: readonly ComtradeLayout[] = [
  {
    name: 'Comtrade+ answer or download with names (API v1, the site, comtradr)',
    columns: [...PLUS_CODES, 'reporterDesc', 'flowDesc', 'partnerDesc'],
  },
  { name: 'Comtrade+ bulk file (codes only)', columns: PLUS_CODES },
  {
    name: 'legacy API answer (comtrade.un.org/api/get)',
    columns: [
      'pfCode',
      'yr',
      'period',
      'rgCode',
      'rtCode',
      'ptCode',
      'cmdCode',
      'qtCode',
      'NetWeight',
      'TradeValue',
    ],
  },
  {
    name: 'legacy download (bulk or CSV, human-readable headings)',
    columns: [
      'Classification',
      'Year',
      'Period',
      'Trade Flow Code',
      'Reporter Code',
      'Partner Code',
      'Commodity Code',
      'Qty Unit Code',
      'Netweight (kg)',
      'Trade Value (US$)',
    ],
  },
  {
    name: 'comtradr export of the legacy API (snake_case, before comtradr 0.4)',
    columns: [
      'classification',
      'year',
      'period',
      'trade_flow_code',
      'reporter_code',
      'partner_code',
      'commodity_code',
      'netweight_kg',
      'trade_value_usd',
    ],
  },
];

/** The published layout a header is, or null for a header of no layout the UN published whole. */
export function comtradeLayoutOf(header: readonly string[]): ComtradeLayout | null {
  const folded = new Set(header.map(foldName));
  return COMTRADE_LAYOUTS.find((layout) => layout.columns.every((c) => folded.has(foldName(c)))) ?? null;
}
