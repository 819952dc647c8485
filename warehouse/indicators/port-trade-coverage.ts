/** ind_port_trade_coverage: tonnage through a country's ports against its customs' seaborne net weight. */
import { type IndicatorDefinition, NULL_REASON } from './indicator.ts';

/** Comtrade's mode-of-transport code for sea (motCode 2100). */
const SEA = "'2100'";

export const portTradeCoverage: IndicatorDefinition = {
  table: 'ind_port_trade_coverage',
  description:
    "Modelled link between ports and customs: the tonnes a country's ports handled in a category (imports or exports, calendar year) against the net weight its customs recorded for that category arriving or leaving by sea (Comtrade motCode 2100, partner World). Near 1 for bulk; above 1 for packaged goods (ports weigh gross, customs net) or with transit cargo (Kazakh or Afghan goods through Karachi are port tonnage but not Pakistani trade); below 1 when ports are missing or months offset. Fiscal-year ports are summed over calendar months, and a year counts only when every port has its 12 months.",
  formula: 'ρ_c = T_ports,c / (netWgt_c,World,sea / 1000).',
  family: 'both',
  lookback: 0,
  lookahead: 0,
  key: ['country_iso3', 'category', 'flow', 'period', 'customs_source'],
  columns: [
    { name: 'country_iso3', type: 'text', description: 'The country of the ports and of the customs.' },
    {
      name: 'category',
      type: 'text',
      description:
        'The category (scheme corridor of categories.csv) of the port commodities and of the HS codes; a port commodity counts in its category and in every category above it (wheat in grain).',
    },
    { name: 'flow', type: 'text', description: 'M for port imports against customs imports, X for exports.' },
    { name: 'period', type: 'text', description: 'The calendar year, YYYY.' },
    { name: 'year', type: 'integer', description: 'The calendar year.' },
    {
      name: 'port_tonnes',
      type: 'real',
      unit: 't',
      description: "T_ports,c: tonnes handled by the country's ports.",
    },
    { name: 'ports', type: 'integer', description: 'Ports whose tonnage is summed.' },
    {
      name: 'complete_year',
      type: 'integer',
      description: '1 when every port has all 12 months of the year.',
    },
    {
      name: 'customs_source',
      type: 'text',
      description: "The source of the customs figure; '' when none is loaded.",
    },
    {
      name: 'customs_net_tonnes_sea',
      type: 'real',
      unit: 't',
      description: 'Net weight by sea with the world, in tonnes (kg / 1000).',
    },
    {
      name: 'customs_weights_complete',
      type: 'integer',
      description:
        '1 when every customs row summed has a net weight; without, the tonnes would be short and the ratio is NULL.',
    },
    { name: 'coverage_ratio', type: 'real', unit: 'ratio', description: 'ρ_c; NULL with null_reason.' },
    {
      name: 'is_modelled',
      type: 'integer',
      description: 'Always 1: a modelled comparison, not an observed figure.',
    },
    NULL_REASON,
  ],
  select: (scope) => `
    with recursive counted_in(category, counted_as) as (
      -- A port category counts in itself and in every category above it (wheat in grain, potash
      -- in fertilizers), as its HS codes do in hs_code_categories: one vocabulary, one nesting.
      select category, category from hs_categories where scheme = 'corridor'
      union
      select category, category from port_commodities where category is not null
      union
      select c.category, h.parent from counted_in c
      join hs_categories h on h.scheme = 'corridor' and h.category = c.counted_as
      where h.parent is not null
    ),
    port_months as (
      select p.country_iso3, k.counted_as as category,
             case t.direction when 'import' then 'M' else 'X' end as flow,
             t.year, t.port_locode, count(distinct t.month) as months, sum(t.quantity) as tonnes
      from port_throughput t join ports p on p.locode = t.port_locode
      join counted_in k on k.category = t.category
      where t.unit = 't' and t.freq = 'M' and t.direction in ('import', 'export')
        and ${scope.write('t.year')}
      group by p.country_iso3, k.counted_as, t.direction, t.year, t.port_locode
    ),
    port_side as (
      select country_iso3, category, flow, year, sum(tonnes) as tonnes, count(*) as ports,
             min(months) = 12 as complete_year
      from port_months group by country_iso3, category, flow, year
    ),
    sea as (
      select t.source, t.reporter_iso3, t.flow, t.year, t.hs_level, c.category, t.net_weight_kg,
             max(t.hs_level) over (partition by t.source, t.reporter_iso3, t.flow, t.period, t.hs_edition, c.category) as finest
      from trade_flows t
      join hs_code_categories c on c.edition = t.hs_edition and c.code = t.hs_code and c.scheme = 'corridor'
      where t.mode_of_transport = ${SEA} and t.partner_iso3 = 'W00' and t.partner2_iso3 = 'W00'
        and t.customs_procedure = 'C00' and t.freq = 'A' and t.flow in ('X', 'M') and ${scope.write('t.year')}
    ),
    customs_side as (
      select source, reporter_iso3, flow, year, category, sum(net_weight_kg) / 1000 as tonnes,
             count(net_weight_kg) = count(*) as weights_complete
      from sea where hs_level = finest group by source, reporter_iso3, flow, year, category
    )
    select p.country_iso3, p.category, p.flow, cast(p.year as text), p.year, p.tonnes, p.ports, p.complete_year,
           coalesce(c.source, ''), c.tonnes, c.weights_complete,
           case when p.complete_year and c.weights_complete and c.tonnes > 0 then p.tonnes / c.tonnes end,
           1,
           case when c.tonnes is null or not p.complete_year or not c.weights_complete then 'missing_input'
                when c.tonnes = 0 then 'zero_base' end
    from port_side p
    left join customs_side c on c.reporter_iso3 = p.country_iso3 and c.flow = p.flow and c.year = p.year
                            and c.category = p.category`,
};
