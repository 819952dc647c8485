/** ind_shares: a product's share of a reporter's trade with a partner, and a partner's share of the reporter's trade. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { FLOW, PRODUCT_COLUMNS, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import { COUNTRY_PARTNER } from './trade-inputs.ts';

/** A reporter's World row at least one partner's trade (within floating-point noise). */
const WORLD_NOT_BELOW = 'p.value_usd <= w.value_usd + 1e-9 * abs(w.value_usd)';
/**
 * A product within its pair's total. A category summed from finer rows under a row whose
 * children overshoot it could exceed a total summed at that row: no share above 1, ever.
 */
const PART_NOT_ABOVE = 'coalesce(s.value_usd <= t.value_usd + 1e-9 * abs(t.value_usd), true)';

export const tradeShares: IndicatorDefinition = {
  table: 'ind_shares',
  description:
    "Shares of a reporter's trade. product: an HS code's or category's share of the reporter's exports to (or imports from) the partner, W00 being the world. partner: the partner's share of the reporter's exports or imports with the world.",
  formula: 'product share x_ijk / X_ij; partner share X_ij / X_i.',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: [
    'share_kind',
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
    { name: 'share_kind', type: 'text', description: 'product or partner.' },
    ...TRADE_PAIR_COLUMNS,
    FLOW,
    ...PRODUCT_COLUMNS,
    {
      name: 'value_usd',
      type: 'real',
      unit: 'USD',
      description: 'The numerator: x_ijk, or X_ij for a partner share.',
    },
    {
      name: 'denominator_usd',
      type: 'real',
      unit: 'USD',
      description: "The whole: the reporter's total with the partner (X_ij), or with the world (X_i).",
    },
    {
      name: 'share',
      type: 'real',
      unit: 'ratio',
      description:
        'value_usd / denominator_usd, from 0 to 1. NULL with null_reason total_below_parts where the whole is below its parts: a published TOTAL below the sum of its HS rows (all the shares of that pair, flow and period), or a World row below a partner.',
    },
    {
      name: 'denominator_basis',
      type: 'text',
      description:
        'Where the whole comes from: reported_total (a published TOTAL row), sum_of_parts (no TOTAL row: the HS rows summed, each branch of the HS tree counted once at the coarsest level published, and never less than the sum at any one level), world_row (a World partner row) or sum_of_partners_loaded (only the partners loaded: not the world).',
    },
    {
      name: 'total_basis',
      type: 'text',
      description:
        "How the pair's total was taken (the denominator of a product share, the numerator of a partner share): published (the TOTAL row) or summed (no TOTAL row: the sum of the parts, as denominator_basis says).",
    },
    {
      name: 'parts_usd',
      type: 'real',
      unit: 'USD',
      description:
        "Product shares: the sum of the pair's HS rows along the HS tree (each branch once, at its most detailed level that adds up: ind_trade_sums), which a published total must not be below. NULL for partner shares.",
    },
    NULL_REASON,
    { ...SMALL_BASE, description: `1 when the whole is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.` },
  ],
  // A share is at most 1 by construction (a whole at least its parts); least(…, 1) only absorbs
  // the floating-point noise of a part equal to the whole. A NULL part (a category the file is
  // coarser than) has no share: PostgreSQL's least would ignore it and give 1.
  select: (scope, flavor) => `
    select 'product', s.source, s.reporter_iso3, s.partner_iso3, s.freq, s.period, s.year, s.month, s.flow,
           s.product_kind, s.classification, s.hs_level, s.product, s.value_usd,
           t.value_usd,
           case when t.value_usd > 0 and not t.below_parts and ${PART_NOT_ABOVE}
                 and s.value_usd is not null then ${flavor.least('s.value_usd / t.value_usd', '1.0')} end,
           case t.total_basis when 'published' then 'reported_total' when 'summed' then 'sum_of_parts' end,
           t.total_basis, t.parts_usd,
           case when s.null_reason is not null then s.null_reason
                when t.value_usd is null then 'missing_input' when t.value_usd = 0 then 'zero_base'
                when t.value_usd < 0 then 'negative_base'
                when t.below_parts or not ${PART_NOT_ABOVE} then 'total_below_parts' end,
           coalesce(t.value_usd, 0) < ${SMALL_TRADE_USD}
    from input_series s
    left join input_pair_totals t
      on t.source = s.source and t.reporter_iso3 = s.reporter_iso3 and t.partner_iso3 = s.partner_iso3
     and t.flow = s.flow and t.freq = s.freq and t.period = s.period
    where s.product_kind <> 'total' and ${scope.write('s.year')}
    union all
    select 'partner', p.source, p.reporter_iso3, p.partner_iso3, p.freq, p.period, p.year, p.month, p.flow,
           'total', '', 0, 'TOTAL', p.value_usd,
           w.value_usd,
           case when w.value_usd > 0 and ${WORLD_NOT_BELOW} and p.value_usd is not null
                then ${flavor.least('p.value_usd / w.value_usd', '1.0')} end,
           w.world_basis, p.total_basis, null,
           case when w.value_usd = 0 then 'zero_base' when w.value_usd < 0 then 'negative_base'
                when not ${WORLD_NOT_BELOW} then 'total_below_parts' end,
           w.value_usd < ${SMALL_TRADE_USD}
    from input_pair_totals p
    join input_reporter_totals w
      on w.source = p.source and w.reporter_iso3 = p.reporter_iso3 and w.flow = p.flow
     and w.freq = p.freq and w.period = p.period
    where ${COUNTRY_PARTNER('p.partner_iso3')} and ${scope.write('p.year')}`,
};
