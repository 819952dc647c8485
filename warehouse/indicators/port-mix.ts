/** ind_port_mix: what a port's tonnage is made of, how concentrated it is, and how much of it leaves. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE } from './indicator.ts';
import { PORT, PORT_SOURCE } from './port-columns.ts';

export const portMix: IndicatorDefinition = {
  table: 'ind_port_mix',
  description:
    "The commodity mix of a port's tonnage in a fiscal year: each commodity's share, the Herfindahl index over commodities, and the export share of the port's tonnage. Tonnes only (TEU count boxes, not cargo); subtotal rows are never loaded, so nothing is counted twice. Direction all is imports and exports together.",
  formula: 's_c = X_c / Σ X; HHI = Σ s_c²; export share E / (I + E).',
  family: 'port',
  lookback: 0,
  lookahead: 1,
  key: ['source', 'port_locode', 'fiscal_year', 'direction', 'commodity'],
  columns: [
    PORT_SOURCE,
    PORT,
    { name: 'fiscal_year', type: 'text', description: "The port's fiscal year (2023-24 for July ports)." },
    { name: 'year', type: 'integer', description: 'The calendar year the fiscal year starts in.' },
    { name: 'direction', type: 'text', description: 'import, export, or all (both).' },
    { name: 'commodity', type: 'text', description: "The canonical commodity, else the port's own label." },
    {
      name: 'quantity_t',
      type: 'real',
      unit: 't',
      description: 'X_c: tonnes of the commodity in the fiscal year (the months loaded).',
    },
    {
      name: 'port_total_t',
      type: 'real',
      unit: 't',
      description: 'Σ X: tonnes of every commodity, same direction.',
    },
    { name: 'share', type: 'real', unit: 'ratio', description: 's_c.' },
    { name: 'commodities', type: 'integer', description: 'Commodities with tonnage, same direction.' },
    { name: 'hhi', type: 'real', unit: 'ratio', description: 'Σ s_c² over the commodities, same direction.' },
    {
      name: 'export_share',
      type: 'real',
      unit: 'ratio',
      description: "E / (I + E): the share of the port's tonnage (all commodities) that was exported.",
    },
    {
      name: 'months',
      type: 'integer',
      description: 'Months of the fiscal year loaded for the port: 12 for a whole year.',
    },
    { ...NULL_REASON, description: `Why export_share is NULL. ${NULL_REASON.description}` },
    {
      ...SMALL_BASE,
      description: '1 when the port total is under 10,000 t, or fewer than 3 commodities make the index.',
    },
  ],
  select: (scope) => `
    with tonnes as (
      select source, port_locode, fiscal_year, cast(substr(fiscal_year, 1, 4) as integer) as year, direction,
             coalesce(commodity, commodity_raw) as commodity, quantity, period
      from port_throughput
      where unit = 't' and freq = 'M' and fiscal_year is not null and direction in ('import', 'export')
        and ${scope.read('port_throughput.year')}
    ),
    by_commodity as (
      select source, port_locode, fiscal_year, year, direction, commodity, sum(quantity) as quantity_t
      from tonnes group by source, port_locode, fiscal_year, year, direction, commodity
      union all
      select source, port_locode, fiscal_year, year, 'all', commodity, sum(quantity)
      from tonnes group by source, port_locode, fiscal_year, year, commodity
    ),
    totals as (
      select *, sum(quantity_t) over whole as port_total_t, count(*) over whole as commodities
      from by_commodity where quantity_t > 0
      window whole as (partition by source, port_locode, fiscal_year, direction)
    ),
    port_years as (
      select source, port_locode, fiscal_year, count(distinct period) as months,
             sum(case when direction = 'export' then quantity end) as exported, sum(quantity) as moved
      from tonnes group by source, port_locode, fiscal_year
    ),
    shared as (
      select t.*, t.quantity_t / t.port_total_t as share,
             sum((t.quantity_t / t.port_total_t) * (t.quantity_t / t.port_total_t)) over (
               partition by t.source, t.port_locode, t.fiscal_year, t.direction) as hhi
      from totals t
    )
    select s.source, s.port_locode, s.fiscal_year, s.year, s.direction, s.commodity, s.quantity_t, s.port_total_t, s.share,
           s.commodities, s.hhi,
           case when y.moved > 0 then coalesce(y.exported, 0) / y.moved end,
           y.months, case when coalesce(y.moved, 0) = 0 then 'zero_base' end,
           s.port_total_t < 10000 or s.commodities < 3
    from shared s
    join port_years y on y.source = s.source and y.port_locode = s.port_locode and y.fiscal_year = s.fiscal_year
    where ${scope.write('s.year')}`,
};
