/** ind_trade_growth: year-on-year growth and compound annual growth of every trade series. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { FLOW, PRODUCT_COLUMNS, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import { yearsBefore } from './trade-inputs.ts';

/** The value `years` earlier: the series' own, else 0 when the pair reported that flow then, else NULL. */
const valueThen = (years: number) =>
  `coalesce(s.v${years}, case when (s.flow = 'X' and h.x${years}) or (s.flow = 'M' and h.m${years}) then 0 end)`;

/** Which flows the pair reported `years` earlier (for valueThen). */
const coverageThen = (years: number) => `left join input_coverage p${years}
        on p${years}.source = c.source and p${years}.reporter_iso3 = c.reporter_iso3
       and p${years}.partner_iso3 = c.partner_iso3 and p${years}.freq = c.freq
       and p${years}.period = ${yearsBefore('c.period', 'cast(substr(c.period, 1, 4) as integer)', years)}`;

/** The series' value at the same point `years` earlier: annual t − 1 year, monthly t − 12 months. */
const lagged = (years: number) =>
  `first_value(value_usd) over (partition by source, reporter_iso3, partner_iso3, flow, freq, product_kind,
     classification, product order by moment range between ${12 * years} preceding and ${12 * years} preceding) as v${years}`;

/** CAGR over `years`, in per cent, from the value then (`v0`) to now (`s.value_usd`). */
const cagr = (v0: string, years: number) =>
  `case when ${v0} > 0 and s.value_usd >= 0 then (power(s.value_usd / ${v0}, 1.0 / ${years}) - 1) * 100 end`;

const cagrReason = (v0: string) =>
  `case when ${v0} is null then 'missing_input' when ${v0} = 0 then 'zero_base'
        when ${v0} < 0 or s.value_usd < 0 then 'negative_base' end`;

export const tradeGrowth: IndicatorDefinition = {
  table: 'ind_trade_growth',
  description:
    'Growth of each trade series (a reporter, partner, flow and product): year on year (monthly figures against the same month a year earlier) and compound annual growth over 3 and 5 years.',
  formula:
    'YoY = (V_t − V_(t−1)) / V_(t−1) × 100, monthly against t−12. CAGR = ((V_T / V_0)^(1/n) − 1) × 100 with n = 3 or 5 years; NULL when V_0 ≤ 0 or V_T < 0; V_T = 0 gives −100 and is flagged.',
  family: 'trade',
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
        'V_(t−1): the same period a year earlier; 0 when the reporter reported the flow then but not this product; NULL when that period is not loaded.',
    },
    {
      name: 'yoy_growth_pct',
      type: 'real',
      unit: 'percent',
      description: 'Year-on-year growth; NULL with null_reason.',
    },
    { ...NULL_REASON, description: `Why yoy_growth_pct is NULL. ${NULL_REASON.description}` },
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
    with series as (
      -- Months counted from year 0, so that 12 back is a year back for annual and monthly series.
      select *, ${lagged(1)}, ${lagged(3)}, ${lagged(5)}
      from (select *, year * 12 + coalesce(month, 0) as moment from input_series)
    ),
    history as (
      select c.source, c.reporter_iso3, c.partner_iso3, c.freq, c.period,
             p1.has_exports as x1, p1.has_imports as m1, p3.has_exports as x3, p3.has_imports as m3,
             p5.has_exports as x5, p5.has_imports as m5
      from input_coverage c
      ${coverageThen(1)}
      ${coverageThen(3)}
      ${coverageThen(5)}
    ),
    measured as (
      select s.*, ${valueThen(1)} as b1, ${valueThen(3)} as b3, ${valueThen(5)} as b5
      from series s
      left join history h on h.source = s.source and h.reporter_iso3 = s.reporter_iso3
                         and h.partner_iso3 = s.partner_iso3 and h.freq = s.freq and h.period = s.period
      where ${scope.write('s.year')}
    )
    select s.source, s.reporter_iso3, s.partner_iso3, s.freq, s.period, s.year, s.month, s.flow,
           s.product_kind, s.classification, s.hs_level, s.product, s.value_usd,
           s.b1 as previous_value_usd,
           case when s.b1 > 0 then (s.value_usd - s.b1) / s.b1 * 100 end as yoy_growth_pct,
           case when s.b1 is null then 'missing_input' when s.b1 = 0 then 'zero_base'
                when s.b1 < 0 then 'negative_base' end as null_reason,
           ${cagr('s.b3', 3)} as cagr_3y_pct, ${cagrReason('s.b3')} as cagr_3y_null_reason,
           ${cagr('s.b5', 5)} as cagr_5y_pct, ${cagrReason('s.b5')} as cagr_5y_null_reason,
           s.value_usd = 0 and coalesce(s.b1, 0) > 0 as falls_to_zero,
           coalesce(s.b1, 0) < ${SMALL_TRADE_USD} as small_base
    from measured s`,
};
