/** ind_concentration: Herfindahl–Hirschman concentration of a reporter's trade over products and over partners. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE } from './indicator.ts';
import { FLOW, PERIOD_COLUMNS, REPORTER, SOURCE } from './trade-columns.ts';
import { COUNTRY_PARTNER } from './trade-inputs.ts';

export const tradeConcentration: IndicatorDefinition = {
  table: 'ind_concentration',
  description:
    "How concentrated a reporter's exports or imports are: over the HS codes of one level (its trade with the world), or over its partner economies (World, groups and areas n.e.s. left out, as WITS does). Only items with trade count.",
  formula:
    'HHI = Σ_k s_k²; normalised (HHI − 1/N) / (1 − 1/N); UNCTAD form (√HHI − √(1/N)) / (1 − √(1/N)); N = items with trade. NULL normalised forms when N = 1.',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: ['dimension', 'source', 'reporter_iso3', 'flow', 'freq', 'period', 'classification', 'hs_level'],
  columns: [
    { name: 'dimension', type: 'text', description: 'products (HS codes of one level) or partners.' },
    SOURCE,
    REPORTER,
    FLOW,
    ...PERIOD_COLUMNS,
    { name: 'classification', type: 'text', description: "The HS edition for products; '' for partners." },
    {
      name: 'hs_level',
      type: 'integer',
      description: 'Digits of the HS codes compared; 0 for partners (totals).',
    },
    { name: 'items', type: 'integer', description: 'N: products or partners with trade.' },
    { name: 'total_usd', type: 'real', unit: 'USD', description: 'The sum the shares are taken of.' },
    { name: 'hhi', type: 'real', unit: 'ratio', description: 'Σ s², from 1/N (even) to 1 (one item).' },
    {
      name: 'hhi_normalised',
      type: 'real',
      unit: 'ratio',
      description: '(HHI − 1/N) / (1 − 1/N), from 0 to 1.',
    },
    {
      name: 'hhi_unctad',
      type: 'real',
      unit: 'ratio',
      description: "UNCTAD's form, (√HHI − √(1/N)) / (1 − √(1/N)).",
    },
    {
      name: 'world_basis',
      type: 'text',
      description:
        "What the items are shares of. products: world_row (the reporter's trade with the World row, per code) or sum_of_partners_loaded (only the partners loaded: a Comtrade extract of one pair measures the pair's mix); partners: partners_loaded.",
    },
    { ...NULL_REASON, description: `Why hhi (or its normalised forms) is NULL. ${NULL_REASON.description}` },
    { ...SMALL_BASE, description: '1 when fewer than 3 items have trade: the index says little.' },
  ],
  select: (scope) => `
    with items as (
      select 'products' as dimension, source, reporter_iso3, flow, freq, period, year, month,
             hs_edition as classification, hs_level, value_usd, world_basis
      from input_world_products where value_usd > 0 and ${scope.write('year')}
      union all
      select 'partners', source, reporter_iso3, flow, freq, period, year, month, '', 0, value_usd,
             'partners_loaded'
      from input_pair_totals where value_usd > 0 and ${COUNTRY_PARTNER('partner_iso3')} and ${scope.write('year')}
    ),
    shared as (
      select *, value_usd / sum(value_usd) over (
               partition by dimension, source, reporter_iso3, flow, freq, period, classification, hs_level) as s
      from items
    ),
    indexed as (
      select dimension, source, reporter_iso3, flow, freq, period, year, month, classification, hs_level,
             count(*) as n, sum(value_usd) as total_usd, sum(s * s) as hhi, max(world_basis) as world_basis
      from shared
      group by dimension, source, reporter_iso3, flow, freq, period, year, month, classification, hs_level
    )
    select dimension, source, reporter_iso3, flow, freq, period, year, month, classification, hs_level,
           n, total_usd, hhi,
           case when n > 1 then (hhi - 1.0 / n) / (1 - 1.0 / n) end,
           case when n > 1 then (sqrt(hhi) - sqrt(1.0 / n)) / (1 - sqrt(1.0 / n)) end,
           world_basis,
           case when n = 1 then 'single_item' end,
           n < 3
    from indexed`,
};
