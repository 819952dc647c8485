/** Column definitions that many trade indicator tables share, described once. */
import type { IndicatorColumn } from './indicator.ts';

export const SOURCE: IndicatorColumn = {
  name: 'source',
  type: 'text',
  description:
    'The source the figures come from (comtrade, baci, kz-bns…): sources are never summed together.',
};
export const REPORTER: IndicatorColumn = {
  name: 'reporter_iso3',
  type: 'text',
  description: 'The reporting economy (ISO 3166 alpha-3).',
};
export const PARTNER: IndicatorColumn = {
  name: 'partner_iso3',
  type: 'text',
  description: 'The partner economy (ISO alpha-3); W00 is the world.',
};
export const FLOW: IndicatorColumn = {
  name: 'flow',
  type: 'text',
  description: 'X exports or M imports, as reported.',
};

/** The period columns every trade indicator carries. */
export const PERIOD_COLUMNS: readonly IndicatorColumn[] = [
  {
    name: 'freq',
    type: 'text',
    description: 'A for annual, M for monthly figures: never mixed in one measure.',
  },
  {
    name: 'period',
    type: 'text',
    description: 'YYYY for annual, YYYY-MM for monthly figures (calendar periods).',
  },
  { name: 'year', type: 'integer', description: 'The calendar year of the period.' },
  { name: 'month', type: 'integer', description: 'The month of a monthly period; NULL for annual.' },
];

export const TRADE_PAIR_COLUMNS: readonly IndicatorColumn[] = [SOURCE, REPORTER, PARTNER, ...PERIOD_COLUMNS];

/** What a product row is: the total, an HS code, or a category of a scheme. */
export const PRODUCT_COLUMNS: readonly IndicatorColumn[] = [
  { name: 'product_kind', type: 'text', description: 'total, hs (an HS code) or category.' },
  {
    name: 'classification',
    type: 'text',
    description:
      "The HS edition of an hs row (H5…), the category scheme of a category row (corridor, section); '' for the total.",
  },
  {
    name: 'hs_level',
    type: 'integer',
    description:
      'Digits of the HS codes read: 2, 4 or 6; 0 for the total (reported, or summed from the coarsest level the source gives).',
  },
  {
    name: 'product',
    type: 'text',
    description: 'TOTAL, the HS code (text, leading zeros kept) or the category code.',
  },
];
