/** ind_complementarity: how well one reporter's exports match another's imports. */
import { type IndicatorDefinition, NULL_REASON } from './indicator.ts';
import { PERIOD_COLUMNS, SOURCE } from './trade-columns.ts';

export const tradeComplementarity: IndicatorDefinition = {
  table: 'ind_complementarity',
  description:
    "The trade complementarity index between an exporter and an importer, both reporters of the same source: how far the exporter's export mix matches the importer's import mix, over the HS codes of one edition and level (each side's trade with the world).",
  formula:
    "TC_jk = 100 × (1 − Σ_p |m_kp − x_jp| / 2), shares as fractions of each side's total at that level; equal to 100 × Σ_p min(m_kp, x_jp). 0 = no overlap, 100 = identical mixes.",
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: ['source', 'exporter_iso3', 'importer_iso3', 'freq', 'period', 'classification', 'hs_level'],
  columns: [
    SOURCE,
    { name: 'exporter_iso3', type: 'text', description: 'j: the reporter whose exports are compared.' },
    { name: 'importer_iso3', type: 'text', description: 'k: the reporter whose imports are compared.' },
    ...PERIOD_COLUMNS,
    { name: 'classification', type: 'text', description: 'The HS edition of both sides (never mixed).' },
    { name: 'hs_level', type: 'integer', description: 'Digits of the HS codes: 2, 4 or 6.' },
    { name: 'exported_products', type: 'integer', description: 'Codes the exporter exports.' },
    { name: 'imported_products', type: 'integer', description: 'Codes the importer imports.' },
    { name: 'complementarity', type: 'real', unit: 'index 0–100', description: 'TC_jk.' },
    {
      name: 'world_basis',
      type: 'text',
      description:
        "world_row when both mixes come from World partner rows; sum_of_partners_loaded when either is summed over the partners loaded only (a Comtrade extract of one pair compares the pair's trade, not each side's whole trade).",
    },
    NULL_REASON,
  ],
  select: (scope, flavor) => `
    with shares as (
      select source, reporter_iso3, flow, freq, period, year, month, hs_edition, hs_level, hs_code, world_basis,
             value_usd / sum(value_usd) over (
               partition by source, reporter_iso3, flow, freq, period, hs_edition, hs_level) as s
      from input_world_products where value_usd > 0 and ${scope.write('year')}
    ),
    sides as (
      select source, reporter_iso3, flow, freq, period, year, month, hs_edition, hs_level, count(*) as n,
             max(world_basis) as world_basis
      from shares group by source, reporter_iso3, flow, freq, period, year, month, hs_edition, hs_level
    ),
    overlap as (
      select x.source, x.reporter_iso3 as exporter, m.reporter_iso3 as importer, x.freq, x.period,
             x.hs_edition, x.hs_level, sum(${flavor.least('x.s', 'm.s')}) as common
      from shares x
      join shares m on m.source = x.source and m.freq = x.freq and m.period = x.period
                   and m.hs_edition = x.hs_edition and m.hs_level = x.hs_level and m.hs_code = x.hs_code
                   and m.flow = 'M' and m.reporter_iso3 <> x.reporter_iso3
      where x.flow = 'X'
      group by x.source, x.reporter_iso3, m.reporter_iso3, x.freq, x.period, x.hs_edition, x.hs_level
    )
    select x.source, x.reporter_iso3, m.reporter_iso3, x.freq, x.period, x.year, x.month, x.hs_edition, x.hs_level,
           x.n, m.n, 100 * coalesce(o.common, 0),
           case when x.world_basis = 'world_row' and m.world_basis = 'world_row' then 'world_row'
                else 'sum_of_partners_loaded' end,
           null
    from sides x
    join sides m on m.source = x.source and m.freq = x.freq and m.period = x.period
                and m.hs_edition = x.hs_edition and m.hs_level = x.hs_level
                and m.flow = 'M' and m.reporter_iso3 <> x.reporter_iso3
    left join overlap o on o.source = x.source and o.exporter = x.reporter_iso3 and o.importer = m.reporter_iso3
                       and o.freq = x.freq and o.period = x.period and o.hs_edition = x.hs_edition
                       and o.hs_level = x.hs_level
    where x.flow = 'X'`,
};
