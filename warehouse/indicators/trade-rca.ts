/** ind_rca: Balassa's revealed comparative advantage against the world as loaded. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PERIOD_COLUMNS, REPORTER, SOURCE } from './trade-columns.ts';

export const tradeRca: IndicatorDefinition = {
  table: 'ind_rca',
  description:
    "Balassa's revealed comparative advantage of a reporter in an HS code: its share of the reporter's exports against the code's share of the exports of every reporter loaded from the same source, period, edition and level. The \"world\" is the reporters loaded, not the world: with Comtrade extracts of two countries it compares those two; with a whole BACI year it is the world.",
  formula: 'RCA_ik = (x_ik / X_i) / (x_wk / X_w), w = the reporters loaded; > 1 reveals an advantage.',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: ['source', 'reporter_iso3', 'freq', 'period', 'classification', 'product'],
  columns: [
    SOURCE,
    REPORTER,
    ...PERIOD_COLUMNS,
    { name: 'classification', type: 'text', description: 'The HS edition of the codes (H5…).' },
    { name: 'hs_level', type: 'integer', description: 'Digits of the HS code: 2, 4 or 6.' },
    { name: 'product', type: 'text', description: 'The HS code (text, leading zeros kept).' },
    {
      name: 'exports_usd',
      type: 'real',
      unit: 'USD',
      description: "x_ik: the reporter's exports of the code to the world.",
    },
    {
      name: 'reporter_exports_usd',
      type: 'real',
      unit: 'USD',
      description: "X_i: the reporter's exports of every code at that level (same edition).",
    },
    {
      name: 'world_product_exports_usd',
      type: 'real',
      unit: 'USD',
      description: 'x_wk: exports of the code by every reporter loaded.',
    },
    {
      name: 'world_exports_usd',
      type: 'real',
      unit: 'USD',
      description: 'X_w: exports of every code by every reporter loaded.',
    },
    { name: 'rca', type: 'real', unit: 'ratio', description: 'The index; NULL with null_reason.' },
    {
      name: 'world_reporters',
      type: 'integer',
      description:
        'How many reporters make up the "world" of the comparison. With 1 the index is 1 by construction and is NULL (single_item).',
    },
    {
      name: 'world_basis',
      type: 'text',
      description:
        "Always reporters_loaded: the world is the reporters in the warehouse, not UN Comtrade's world.",
    },
    {
      name: 'partner_basis',
      type: 'text',
      description:
        "How the reporter's exports to the world were taken: world_row (its World partner rows) or sum_of_partners_loaded (only the partners loaded).",
    },
    NULL_REASON,
    {
      ...SMALL_BASE,
      description: `1 when the reporter's exports of the code are under ${SMALL_TRADE_USD.toLocaleString('en')} USD.`,
    },
  ],
  select: (scope) => `
    with exports as (
      select *,
             sum(value_usd) over (partition by source, reporter_iso3, freq, period, hs_edition, hs_level) as reporter_total,
             sum(value_usd) over (partition by source, freq, period, hs_edition, hs_code) as world_product,
             sum(value_usd) over (partition by source, freq, period, hs_edition, hs_level) as world_total
      from input_world_products where flow = 'X' and value_usd is not null and ${scope.write('year')}
    ),
    reporters as (
      select source, freq, period, hs_edition, hs_level, count(distinct reporter_iso3) as n
      from exports group by source, freq, period, hs_edition, hs_level
    )
    select e.source, e.reporter_iso3, e.freq, e.period, e.year, e.month, e.hs_edition, e.hs_level, e.hs_code,
           e.value_usd, e.reporter_total, e.world_product, e.world_total,
           case when r.n > 1 and e.reporter_total > 0 and e.world_product > 0 and e.world_total > 0
                then (e.value_usd / e.reporter_total) / (e.world_product / e.world_total) end,
           r.n, 'reporters_loaded', e.world_basis,
           case when r.n = 1 then 'single_item'
                when e.reporter_total = 0 or e.world_product = 0 or e.world_total = 0 then 'zero_base'
                when e.reporter_total < 0 or e.world_product < 0 then 'negative_base' end,
           e.value_usd < ${SMALL_TRADE_USD}
    from exports e
    join reporters r using (source, freq, period, hs_edition, hs_level)`,
};
