/** ind_trade_growth: year-on-year growth and compound annual growth of every trade series. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { FLOW, PRODUCT_COLUMNS, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import { yearsBefore } from './trade-inputs.ts';

/** The row's period one year later: `2023` → `2024`, `2023-07` → `2024-07`. */
const nextYear = (alias: string) => yearsBefore(`${alias}.period`, `${alias}.year`, -1);

/**
 * Whether the pair reported the row's flow at the period `coverageAt` joined: in the row's HS
 * edition and level for an HS code, at all for a total or a category.
 */
const reported = (flow: string, kind: string) =>
  `case when ${kind} = 'hs'
        then (${flow} = 'X' and ec.has_exports) or (${flow} = 'M' and ec.has_imports)
        else (${flow} = 'X' and pc.has_exports) or (${flow} = 'M' and pc.has_imports) end`;

/** Joins the pair's coverage (`pc`) and its coverage in the row's edition (`ec`) at `period`. */
const coverageAt = (alias: string, period: string) => `left join input_coverage pc
        on pc.source = ${alias}.source and pc.reporter_iso3 = ${alias}.reporter_iso3
       and pc.partner_iso3 = ${alias}.partner_iso3 and pc.freq = ${alias}.freq and pc.period = ${period}
      left join input_edition_coverage ec
        on ec.source = ${alias}.source and ec.reporter_iso3 = ${alias}.reporter_iso3
       and ec.partner_iso3 = ${alias}.partner_iso3 and ec.freq = ${alias}.freq and ec.period = ${period}
       and ec.hs_edition = ${alias}.classification and ec.hs_level = ${alias}.hs_level`;

/**
 * Which flows each pair (and, in `editions`, each pair in an edition and at a level) reported
 * 1, 3 and 5 years before each period: looked up once per coverage row, not once per series row.
 */
function history(table: string, extraKey: readonly string[]): string {
  const join = (years: number) => `left join ${table} p${years}
        on p${years}.source = c.source and p${years}.reporter_iso3 = c.reporter_iso3
       and p${years}.partner_iso3 = c.partner_iso3 and p${years}.freq = c.freq
       and p${years}.period = ${yearsBefore('c.period', 'cast(substr(c.period, 1, 4) as integer)', years)}
       ${extraKey.map((k) => `and p${years}.${k} = c.${k}`).join(' ')}`;
  return `select c.source, c.reporter_iso3, c.partner_iso3, c.freq, c.period${extraKey.map((k) => `, c.${k}`).join('')},
             p1.has_exports as x1, p1.has_imports as m1, p3.has_exports as x3, p3.has_imports as m3,
             p5.has_exports as x5, p5.has_imports as m5
      from ${table} c ${join(1)} ${join(3)} ${join(5)}`;
}

/**
 * For n years back: 1 when the pair reported the row's flow then (for an HS code, in its edition
 * and at its level), 0 when it reported the flow only otherwise (an edition break), NULL when not.
 */
const reportedThen = (years: number) =>
  `case when case when s.product_kind = 'hs'
                  then (s.flow = 'X' and e.x${years}) or (s.flow = 'M' and e.m${years})
                  else (s.flow = 'X' and h.x${years}) or (s.flow = 'M' and h.m${years}) end then 1
        when (s.flow = 'X' and h.x${years}) or (s.flow = 'M' and h.m${years}) then 0 end as r${years}`;

/** The value `years` earlier: the series' own, else 0 when the pair reported the flow then, else NULL. */
const valueThen = (years: number) =>
  `case when s.q${years} is null then coalesce(s.v${years}, case when s.r${years} = 1 then 0 end) end`;

/** Why the value `years` earlier is missing or unusable. */
const reasonThen = (base: string, years: number) =>
  `case when s.null_reason is not null then s.null_reason when s.q${years} is not null then s.q${years}
        when ${base} is null and s.r${years} = 0 then 'edition_break'
        when ${base} is null then 'missing_input' when ${base} = 0 then 'zero_base'
        when ${base} < 0 then 'negative_base' end`;

/** The series' value at the same point `years` earlier: annual t − 1 year, monthly t − 12 months. */
const lagged = (years: number) =>
  `first_value(value_usd) over (partition by source, reporter_iso3, partner_iso3, flow, freq, product_kind,
     classification, product order by moment range between ${12 * years} preceding and ${12 * years} preceding) as v${years},
   first_value(null_reason) over (partition by source, reporter_iso3, partner_iso3, flow, freq, product_kind,
     classification, product order by moment range between ${12 * years} preceding and ${12 * years} preceding) as q${years}`;

/** CAGR over `years`, in per cent, from the value then (`v0`) to now (`s.value_usd`). */
const cagr = (v0: string, years: number) =>
  `case when ${v0} > 0 and s.value_usd >= 0 then (power(s.value_usd / ${v0}, 1.0 / ${years}) - 1) * 100 end`;

const cagrReason = (v0: string, years: number) =>
  `case when s.value_usd < 0 then 'negative_base' else ${reasonThen(v0, years)} end`;

export const tradeGrowth: IndicatorDefinition = {
  table: 'ind_trade_growth',
  description:
    'Growth of each trade series (a reporter, partner, flow and product): year on year (monthly figures against the same month a year earlier) and compound annual growth over 3 and 5 years. A product the pair traded a year earlier and no longer, while it reported the flow, has a row at 0 (falls_to_zero).',
  formula:
    'YoY = (V_t − V_(t−1)) / V_(t−1) × 100, monthly against t−12. CAGR = ((V_T / V_0)^(1/n) − 1) × 100 with n = 3 or 5 years; NULL when V_0 ≤ 0 or V_T < 0; V_T = 0 gives −100 and is flagged.',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 5,
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
    ...PRODUCT_COLUMNS,
    { name: 'value_usd', type: 'real', unit: 'USD', description: 'V_t: the value of the period.' },
    {
      name: 'previous_value_usd',
      type: 'real',
      unit: 'USD',
      description:
        'V_(t−1): the same period a year earlier; 0 when the reporter reported the flow with the partner then (in the same HS edition, for a code) but not this product; NULL when not.',
    },
    {
      name: 'yoy_growth_pct',
      type: 'real',
      unit: 'percent',
      description: 'Year-on-year growth; NULL with null_reason.',
    },
    {
      ...NULL_REASON,
      description: `Why yoy_growth_pct is NULL. ${NULL_REASON.description} edition_break: the pair reported the flow a year earlier in another HS edition, so the code cannot be compared (see trade_flows_converted).`,
    },
    {
      name: 'cagr_3y_pct',
      type: 'real',
      unit: 'percent',
      description: 'Compound annual growth from the same period 3 years earlier.',
    },
    { name: 'cagr_3y_null_reason', type: 'text', description: 'Why cagr_3y_pct is NULL (as null_reason).' },
    {
      name: 'cagr_5y_pct',
      type: 'real',
      unit: 'percent',
      description: 'Compound annual growth from the same period 5 years earlier.',
    },
    { name: 'cagr_5y_null_reason', type: 'text', description: 'Why cagr_5y_pct is NULL (as null_reason).' },
    {
      name: 'falls_to_zero',
      type: 'integer',
      description: '1 when the series fell to 0 from a positive base: growth is −100 % and says little.',
    },
    {
      ...SMALL_BASE,
      description: `1 when the previous value is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.`,
    },
  ],
  select: (scope) => `
    with candidates as (
      select source, reporter_iso3, partner_iso3, flow, freq, period, year, month,
             product_kind, classification, hs_level, product, value_usd, null_reason
      from input_series
      union all
      -- A product the pair traded a year earlier and not now, while it reported the flow now
      -- (in the same edition): 0 now, so that its fall to zero shows.
      select s.source, s.reporter_iso3, s.partner_iso3, s.flow, s.freq, ${nextYear('s')}, s.year + 1, s.month,
             s.product_kind, s.classification, s.hs_level, s.product, 0, null
      from input_series s
      ${coverageAt('s', nextYear('s'))}
      where ${reported('s.flow', 's.product_kind')}
        and not exists (
          select 1 from input_series n
          where n.source = s.source and n.reporter_iso3 = s.reporter_iso3 and n.partner_iso3 = s.partner_iso3
            and n.flow = s.flow and n.freq = s.freq and n.period = ${nextYear('s')}
            and n.product_kind = s.product_kind and n.classification = s.classification and n.product = s.product)
    ),
    series as (
      -- Months counted from year 0, so that 12 back is a year back for annual and monthly series.
      select *, ${lagged(1)}, ${lagged(3)}, ${lagged(5)}
      from (select *, year * 12 + coalesce(month, 0) as moment from candidates) as timed
    ),
    pair_history as materialized (
      ${history('input_coverage', [])}
    ),
    edition_history as materialized (
      ${history('input_edition_coverage', ['hs_edition', 'hs_level'])}
    ),
    covered as (
      select s.*, ${reportedThen(1)}, ${reportedThen(3)}, ${reportedThen(5)}
      from series s
      left join pair_history h
        on h.source = s.source and h.reporter_iso3 = s.reporter_iso3 and h.partner_iso3 = s.partner_iso3
       and h.freq = s.freq and h.period = s.period
      left join edition_history e
        on s.product_kind = 'hs' and e.source = s.source and e.reporter_iso3 = s.reporter_iso3
       and e.partner_iso3 = s.partner_iso3 and e.freq = s.freq and e.period = s.period
       and e.hs_edition = s.classification and e.hs_level = s.hs_level
      where ${scope.write('s.year')}
    ),
    measured as (
      select s.*, ${valueThen(1)} as b1, ${valueThen(3)} as b3, ${valueThen(5)} as b5
      from covered s
    )
    select s.source, s.reporter_iso3, s.partner_iso3, s.freq, s.period, s.year, s.month, s.flow,
           s.product_kind, s.classification, s.hs_level, s.product, s.value_usd,
           s.b1 as previous_value_usd,
           case when s.b1 > 0 then (s.value_usd - s.b1) / s.b1 * 100 end as yoy_growth_pct,
           ${reasonThen('s.b1', 1)} as null_reason,
           ${cagr('s.b3', 3)} as cagr_3y_pct, ${cagrReason('s.b3', 3)} as cagr_3y_null_reason,
           ${cagr('s.b5', 5)} as cagr_5y_pct, ${cagrReason('s.b5', 5)} as cagr_5y_null_reason,
           s.value_usd = 0 and coalesce(s.b1, 0) > 0 as falls_to_zero,
           case when s.b1 is not null then s.b1 < ${SMALL_TRADE_USD} end as small_base
    from measured s`,
};
