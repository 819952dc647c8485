/**
 * ind_trade_sums: every sum over HS codes the other trade tables use (a pair's total, each
 * chapter, each category), with what it drew on, so an analyst can see how a figure was made
 * and defend it. Computed along the HS tree (trade-hierarchy.ts).
 */
import { type IndicatorDefinition, NULL_REASON } from './indicator.ts';
import { FLOW, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import {
  CHAPTER_SCHEME,
  CODES_LISTED,
  SUM_TOLERANCE_FRACTION,
  SUM_TOLERANCE_USD,
} from './trade-hierarchy.ts';

const tolerance = `${SUM_TOLERANCE_FRACTION.default * 100} % or ${SUM_TOLERANCE_USD.default.toLocaleString('en')} USD`;

export const tradeSums: IndicatorDefinition = {
  table: 'ind_trade_sums',
  description: `A reporter's trade with a partner in one flow and period, in total, per chapter and per category, as summed along the HS tree: on each branch, the most detailed level the file publishes that adds up to the row above it (within ${tolerance}, settings sum_tolerance_fraction and sum_tolerance_usd), else the coarser row as published; no branch counted twice. The total is the published TOTAL row where there is one.`,
  formula:
    'S_C = Σ over the rows used on each branch of C: a row is used when every row of C above it adds up to its children within the tolerance, and it is a leaf or its own children do not add up to it.',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: [
    'source',
    'reporter_iso3',
    'partner_iso3',
    'flow',
    'freq',
    'period',
    'product_kind',
    'classification',
    'product',
  ],
  columns: [
    ...TRADE_PAIR_COLUMNS,
    FLOW,
    { name: 'product_kind', type: 'text', description: 'total, chapter or category.' },
    {
      name: 'classification',
      type: 'text',
      description:
        "'' for the total, the HS edition for a chapter (H5…), the category scheme for a category (corridor, section).",
    },
    { name: 'product', type: 'text', description: 'TOTAL, the chapter (two digits) or the category code.' },
    {
      name: 'hs_edition',
      type: 'text',
      description: 'The HS edition of the rows summed (one per source, reporter and period).',
    },
    {
      name: 'value_usd',
      type: 'real',
      unit: 'USD',
      description:
        'The sum; NULL with null_reason coarser_than_category where the file publishes only codes wider than the category.',
    },
    {
      name: 'sum_basis',
      type: 'text',
      description:
        'How the sum was made. published: the TOTAL row as published. exact: every branch at its most detailed level, each adding up to the row above it. from_coarser: some branch taken at a coarser published row, as its finer rows are missing some of it or do not add up to it. partial: a lower bound, as a row above the category is not matched by its finer rows and the category may be in the gap (suppressed or confidential figures, or codes not extracted). NULL with value_usd.',
    },
    {
      name: 'hs_levels',
      type: 'text',
      description:
        "The HS levels of the rows summed, space-separated ('2', '2 6'); '0' for a published TOTAL.",
    },
    {
      name: 'codes_drawn_on',
      type: 'text',
      description: `The codes summed, space-separated, when there are at most ${CODES_LISTED} ('52 62 63'); NULL when more (row_count says how many).`,
    },
    { name: 'row_count', type: 'integer', description: 'How many published rows the sum drew on.' },
    {
      name: 'parts_usd',
      type: 'real',
      unit: 'USD',
      description:
        'For the total: the sum of its parts along the HS tree, which a published TOTAL must not be below; NULL for chapters and categories, or where the file has no part.',
    },
    {
      name: 'net_weight_kg',
      type: 'real',
      unit: 'kg',
      description:
        'For a chapter or category: the net weights of the rows summed, where reported; NULL for the total, or when none was.',
    },
    {
      name: 'net_weight_complete',
      type: 'integer',
      description:
        '1 when every row summed had a net weight; 0 when some had none, so net_weight_kg is short.',
    },
    NULL_REASON,
  ],
  select: (scope) => `
    select source, reporter_iso3, partner_iso3, freq, period, year, month, flow,
           'total', '', 'TOTAL', hs_edition, value_usd, sum_basis, hs_levels, codes_drawn_on, row_count,
           parts_usd, null, null, null
    from input_pair_totals
    where ${scope.write('year')}
    union all
    select source, reporter_iso3, partner_iso3, freq, period, year, month, flow,
           case scheme when '${CHAPTER_SCHEME}' then 'chapter' else 'category' end,
           case scheme when '${CHAPTER_SCHEME}' then hs_edition else scheme end,
           category, hs_edition, value_usd, sum_basis, hs_levels, codes_drawn_on, row_count, null,
           net_weight_kg, net_weight_complete, null_reason
    from input_category_sums
    where ${scope.write('year')}`,
};
