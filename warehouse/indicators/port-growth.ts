/** ind_port_growth: year-on-year and fiscal-year-to-date growth of port throughput. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE } from './indicator.ts';
import { DIRECTION, PORT, PORT_SOURCE, smallPortBase, UNIT } from './port-columns.ts';
import { yearsBefore } from './trade-inputs.ts';

const SERIES_KEY = ['source', 'port_locode', 'level', 'item', 'direction', 'unit', 'freq'];
const sameSeries = (a: string, b: string) => SERIES_KEY.map((c) => `${a}.${c} = ${b}.${c}`).join(' and ');

export const portGrowth: IndicatorDefinition = {
  table: 'ind_port_growth',
  description:
    "Growth of a port's throughput per commodity, cargo group and in total, in each unit and direction as published: each month against the same month a year earlier, and the fiscal year to date (July–June at Pakistani ports) against the same months of the previous fiscal year. Annual figures are compared with the year before.",
  formula:
    'YoY = X_t / X_(t−12) − 1; FYTD = Σ_(first month..m) X_FY / Σ_(first month..m) X_(FY−1) − 1, only when both fiscal years have every one of those months. In per cent.',
  family: 'port',
  lookback: 2,
  lookahead: 0,
  key: ['source', 'port_locode', 'level', 'item', 'direction', 'unit', 'freq', 'period'],
  columns: [
    PORT_SOURCE,
    PORT,
    { name: 'level', type: 'text', description: 'commodity, cargo_group or total.' },
    {
      name: 'item',
      type: 'text',
      description: "The commodity (canonical, else the port's label), the cargo group, or * for the total.",
    },
    DIRECTION,
    UNIT,
    { name: 'freq', type: 'text', description: 'M for months, A for calendar years.' },
    { name: 'period', type: 'text', description: 'YYYY-MM or YYYY.' },
    { name: 'year', type: 'integer', description: 'The calendar year of the period.' },
    { name: 'month', type: 'integer', description: 'The month; NULL for a year.' },
    {
      name: 'fiscal_year',
      type: 'text',
      description: "The port's fiscal year (2023-24 for July ports; the calendar year elsewhere).",
    },
    {
      name: 'fiscal_month',
      type: 'integer',
      description: 'Month of the fiscal year, 1 for its first (July at July ports).',
    },
    { name: 'quantity', type: 'real', description: 'X_t, in unit.' },
    {
      name: 'previous_quantity',
      type: 'real',
      description: 'X_(t−12) (or the previous year); NULL when not loaded.',
    },
    {
      name: 'yoy_growth_pct',
      type: 'real',
      unit: 'percent',
      description: 'Year-on-year growth; NULL with null_reason.',
    },
    { ...NULL_REASON, description: `Why yoy_growth_pct is NULL. ${NULL_REASON.description}` },
    {
      name: 'fytd_quantity',
      type: 'real',
      description: 'Σ from the first month of the fiscal year to this one.',
    },
    {
      name: 'fytd_previous_quantity',
      type: 'real',
      description: 'The same months of the previous fiscal year.',
    },
    { name: 'fytd_growth_pct', type: 'real', unit: 'percent', description: 'Fiscal-year-to-date growth.' },
    {
      name: 'fytd_null_reason',
      type: 'text',
      description:
        'Why fytd_growth_pct is NULL: missing_input when a month of either fiscal year to date is not loaded, zero_base.',
    },
    {
      ...SMALL_BASE,
      description: '1 when the previous quantity is under 10,000 t or 1,000 TEU; NULL when there is none.',
    },
  ],
  select: (scope) => `
    with levels as (
      select t.source, t.port_locode, 'commodity' as level, coalesce(t.commodity, t.commodity_raw) as item, t.direction, t.unit,
             t.freq, t.period, t.year, t.month, t.fiscal_year, t.quantity
      from port_throughput t where t.freq in ('M', 'A') and ${scope.read('t.year')}
      union all
      select t.source, t.port_locode, 'cargo_group', t.cargo_group, t.direction, t.unit, t.freq, t.period, t.year, t.month,
             t.fiscal_year, t.quantity
      from port_throughput t where t.freq in ('M', 'A') and ${scope.read('t.year')}
      union all
      select t.source, t.port_locode, 'total', '*', t.direction, t.unit, t.freq, t.period, t.year, t.month, t.fiscal_year, t.quantity
      from port_throughput t where t.freq in ('M', 'A') and ${scope.read('t.year')}
    ),
    series as (
      select l.source, l.port_locode, l.level, l.item, l.direction, l.unit, l.freq, l.period, l.year, l.month,
             l.fiscal_year,
             sum(l.quantity) as quantity,
             case when l.freq = 'M' then (l.month - coalesce(p.fiscal_year_start, 1) + 12) % 12 + 1 end as fiscal_month
      from levels l left join ports p on p.locode = l.port_locode
      group by l.source, l.port_locode, l.level, l.item, l.direction, l.unit, l.freq, l.period, l.year, l.month,
               l.fiscal_year, p.fiscal_year_start
    ),
    to_date as (
      select s.*,
             sum(quantity) over fy as fytd_quantity,
             count(*) over fy as fytd_months,
             cast(substr(fiscal_year, 1, 4) as integer) as fy_start
      from series s
      window fy as (partition by ${SERIES_KEY.join(', ')}, fiscal_year order by period rows unbounded preceding)
    )
    select s.source, s.port_locode, s.level, s.item, s.direction, s.unit, s.freq, s.period, s.year, s.month,
           s.fiscal_year, s.fiscal_month, s.quantity,
           p.quantity,
           case when p.quantity > 0 then (s.quantity / p.quantity - 1) * 100 end,
           case when p.quantity is null then 'missing_input' when p.quantity = 0 then 'zero_base'
                when p.quantity < 0 then 'negative_base' end,
           case when s.freq = 'M' then s.fytd_quantity end,
           case when s.freq = 'M' then f.fytd_quantity end,
           case when s.freq = 'M' and s.fytd_months = s.fiscal_month and f.fytd_months = s.fiscal_month
                 and f.fytd_quantity > 0 then (s.fytd_quantity / f.fytd_quantity - 1) * 100 end,
           case when s.freq <> 'M' then 'annual_figure'
                when s.fytd_months <> s.fiscal_month or f.fytd_months is null or f.fytd_months <> s.fiscal_month
                  then 'missing_input'
                when f.fytd_quantity = 0 then 'zero_base' end,
           case when p.quantity is not null then p.quantity < ${smallPortBase('s.unit')} end
    from to_date s
    left join series p on ${sameSeries('p', 's')} and p.period = ${yearsBefore('s.period', 's.year', 1)}
    left join to_date f on ${sameSeries('f', 's')} and f.fy_start = s.fy_start - 1 and f.fiscal_month = s.fiscal_month
    where ${scope.write('s.year')}`,
};
