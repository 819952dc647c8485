/** ind_trade_growth: year-on-year growth and compound annual growth of every trade series. */
import {
  type IndicatorDefinition,
  NULL_REASON,
  SMALL_BASE,
  SMALL_TRADE_USD,
  type YearScope,
} from './indicator.ts';
import { FLOW, PRODUCT_COLUMNS, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import { yearsBefore } from './trade-inputs.ts';

/** The columns of a series row, in the order the query below carries them. */
const SERIES = `source, reporter_iso3, partner_iso3, flow, freq, period, year, month,
             product_kind, classification, hs_level, product, value_usd, null_reason`;

/** A series key at another period: `a`'s source, pair, flow and product at `period`. */
const sameSeries = (table: string, a: string, period: string) =>
  `${table}.source = ${a}.source and ${table}.reporter_iso3 = ${a}.reporter_iso3
   and ${table}.partner_iso3 = ${a}.partner_iso3 and ${table}.flow = ${a}.flow and ${table}.freq = ${a}.freq
   and ${table}.period = ${period}`;

/**
 * The series of the years `scope` admits with `yearsBefore` years added (0: the years written;
 * 1: the years before them): from the input tables for the years they hold (the years that
 * changed, or all of them on a full refresh), else as the last refresh stored them, in
 * ind_trade_sums (totals and categories; the HS level of a category's sum is the last of its
 * hs_levels) and ind_unit_values (HS codes, one row per published code).
 */
function seriesOf(scope: YearScope, yearsBefore: number): string {
  const at = scope.before(yearsBefore);
  return `
      select ${SERIES} from input_series where ${at.write('year')} and ${scope.read('year')}
      union all
      select source, reporter_iso3, partner_iso3, flow, freq, period, year, month, product_kind, classification,
             case when hs_levels is null then 0 else cast(substr(hs_levels, length(hs_levels), 1) as integer) end,
             product, value_usd, null_reason
      from ind_trade_sums
      where product_kind in ('total', 'category') and ${at.write('year')} and not ${scope.read('year')}
      union all
      select source, reporter_iso3, partner_iso3, flow, freq, period, year, month, 'hs', classification, hs_level,
             product, value_usd, null
      from ind_unit_values where ${at.write('year')} and not ${scope.read('year')}`;
}

/** Whether the series row of `a` exists at `period`. */
const seriesAt = (scope: YearScope, a: string, period: string, year: string) => `
      case when ${scope.read(year, `${a}.source`)}
           then exists (select 1 from input_series n where ${sameSeries('n', a, period)}
                   and n.product_kind = ${a}.product_kind and n.classification = ${a}.classification
                   and n.product = ${a}.product)
           when ${a}.product_kind = 'hs'
           then exists (select 1 from ind_unit_values u where u.year = ${year} and ${sameSeries('u', a, period)}
                   and u.classification = ${a}.classification and u.product = ${a}.product)
           else exists (select 1 from ind_trade_sums t where t.year = ${year} and ${sameSeries('t', a, period)}
                   and t.product_kind = ${a}.product_kind and t.classification = ${a}.classification
                   and t.product = ${a}.product) end`;

/**
 * Whether the pair of `a` reported `a`'s flow at `period`: at all (`pair`), or in `a`'s HS
 * edition and at its level (`edition`). A pair reported a flow when it has a total for it (every
 * reported flow has one); in an edition and level when it has a code of them.
 */
const reportedAt = (scope: YearScope, a: string, period: string, year: string, grain: 'pair' | 'edition') => {
  const flowReported = (c: string) =>
    `case when ${a}.flow = 'X' then ${c}.has_exports else ${c}.has_imports end`;
  const pair = (c: string) =>
    `${c}.source = ${a}.source and ${c}.reporter_iso3 = ${a}.reporter_iso3 and ${c}.partner_iso3 = ${a}.partner_iso3
     and ${c}.freq = ${a}.freq and ${c}.period = ${period}`;
  return grain === 'pair'
    ? `case when ${scope.read(year, `${a}.source`)}
           then exists (select 1 from input_coverage c where ${pair('c')} and ${flowReported('c')})
           else exists (select 1 from ind_trade_sums t where t.year = ${year} and ${sameSeries('t', a, period)}
                          and t.product_kind = 'total') end`
    : `case when ${scope.read(year, `${a}.source`)}
           then exists (select 1 from input_edition_coverage c where ${pair('c')}
                          and c.hs_edition = ${a}.classification and c.hs_level = ${a}.hs_level and ${flowReported('c')})
           else exists (select 1 from ind_unit_values u where u.year = ${year} and ${sameSeries('u', a, period)}
                          and u.classification = ${a}.classification and u.hs_level = ${a}.hs_level) end`;
};

/** Whether `a`'s pair reported its flow at `period` at the grain of its product: its HS edition and level for a code. */
const reportedAsProduct = (scope: YearScope, a: string, period: string, year: string) =>
  `case when ${a}.product_kind = 'hs' then ${reportedAt(scope, a, period, year, 'edition')}
        else ${reportedAt(scope, a, period, year, 'pair')} end`;

/** The series' period `years` earlier: annual t − years, monthly the same month `years` earlier. */
const periodBefore = (a: string, years: number) => yearsBefore(`${a}.period`, `${a}.year`, years);

/** Whether the pair of `s` reported its flow `years` earlier (`p<years>`): the guard of seriesThenJoins. */
const pairThen = (scope: YearScope, years: number) =>
  `${reportedAt(scope, 's', periodBefore('s', years), `s.year - ${years}`, 'pair')} as p${years}`;

/** A pair's flow at one period: what its coverage is looked up by, once for all its series. */
const PAIR = ['source', 'reporter_iso3', 'partner_iso3', 'flow', 'freq', 'period', 'year'];
const samePair = (a: string, b: string) => PAIR.map((c) => `${a}.${c} = ${b}.${c}`).join(' and ');

/** `value` where `guard` holds, else NULL. */
const onlyWhere = (guard: string, value: string) => `case when ${guard} then ${value} end`;

/**
 * The joins of the series row of `s` `years` earlier, where its pair reported the flow then
 * (`s.p<years>`): from input_series where the inputs hold that year, else from ind_unit_values
 * for a code and ind_trade_sums for a total or category. At most one of the three matches.
 *
 * Joins rather than a scalar subquery per column: one seek gives the value and its
 * null_reason. Each guard is part of a key (NULL when it fails) rather than a term beside it,
 * because SQLite skips the seek of a NULL key but tests a term beside the key only after seeking.
 * On a refresh after one year of five this took growth's query from 63 s to 49 s.
 */
function seriesThenJoins(scope: YearScope, years: number): string {
  const then = periodBefore('s', years);
  const inInputs = scope.read(`s.year - ${years}`, 's.source');
  const reported = `s.p${years}`;
  const product = (t: string) => `${t}.classification = s.classification and ${t}.product = s.product`;
  const [n, u, t] = [`n${years}`, `u${years}`, `t${years}`];
  return `
      left join input_series ${n} on ${n}.source = ${onlyWhere(`${reported} and ${inInputs}`, 's.source')}
        and ${sameSeries(n, 's', then)} and ${n}.product_kind = s.product_kind and ${product(n)}
      left join ind_unit_values ${u}
        on ${u}.source = ${onlyWhere(`${reported} and s.product_kind = 'hs' and not ${inInputs}`, 's.source')}
        and ${u}.year = s.year - ${years} and ${sameSeries(u, 's', then)} and ${product(u)}
      left join ind_trade_sums ${t}
        on ${t}.source = ${onlyWhere(`${reported} and s.product_kind <> 'hs' and not ${inInputs}`, 's.source')}
        and ${t}.year = s.year - ${years} and ${sameSeries(t, 's', then)}
        and ${t}.product_kind = s.product_kind and ${product(t)}`;
}

/** The value then of seriesThenJoins. */
const joinedValue = (years: number) =>
  `coalesce(n${years}.value_usd, u${years}.value_usd, t${years}.value_usd)`;

/**
 * From seriesThenJoins, for n years back: the value then (`v`) and its null_reason (`q`); and,
 * where the value then is missing, `r`: 1 when the pair reported the row's flow then at the
 * grain of its product (its HS edition and level, for a code), 0 when only otherwise (an
 * edition break), NULL when not at all.
 */
const seriesThen = (scope: YearScope, years: number) =>
  `${joinedValue(years)} as v${years}, coalesce(n${years}.null_reason, t${years}.null_reason) as q${years},
   case when ${joinedValue(years)} is null and s.p${years} then
     case when s.product_kind <> 'hs'
            or ${reportedAt(scope, 's', periodBefore('s', years), `s.year - ${years}`, 'edition')} then 1 else 0 end
   end as r${years}`;

/** The value `years` earlier: the series' own, else 0 when the pair reported the flow then, else NULL. */
const valueThen = (years: number) =>
  `case when s.q${years} is null then coalesce(s.v${years}, case when s.r${years} = 1 then 0 end) end`;

/** Why the value `years` earlier is missing or unusable. */
const reasonThen = (base: string, years: number) =>
  `case when s.null_reason is not null then s.null_reason when s.q${years} is not null then s.q${years}
        when ${base} is null and s.r${years} = 0 then 'edition_break'
        when ${base} is null then 'missing_input' when ${base} = 0 then 'zero_base'
        when ${base} < 0 then 'negative_base' end`;

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
  readsTables: ['ind_trade_sums', 'ind_unit_values'],
  looksBackOnStoredRows: true,
  lookback: 5,
  lookahead: 0,
  lags: [1, 3, 5],
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
    with previous as (
      ${seriesOf(scope, 1)}
    ),
    candidates as (
      ${seriesOf(scope, 0)}
      union all
      -- A product the pair traded a year earlier and not now, while it reported the flow now
      -- (in the same edition and at the same level, for a code): 0 now, so that its fall to zero shows.
      select p.source, p.reporter_iso3, p.partner_iso3, p.flow, p.freq, ${periodBefore('p', -1)}, p.year + 1, p.month,
             p.product_kind, p.classification, p.hs_level, p.product, 0, null
      from previous p
      where ${reportedAsProduct(scope, 'p', periodBefore('p', -1), 'p.year + 1')}
        and not ${seriesAt(scope, 'p', periodBefore('p', -1), 'p.year + 1')}
    ),
    -- Each pair's coverage then, looked up once for all its series.
    pairs as materialized (
      select s.*, ${pairThen(scope, 1)}, ${pairThen(scope, 3)}, ${pairThen(scope, 5)}
      from (select distinct ${PAIR.join(', ')} from candidates) s
    ),
    paired as (
      select s.*, l.p1, l.p3, l.p5 from candidates s join pairs l on ${samePair('l', 's')}
    ),
    -- Materialized: its columns are read several times over below, and a CTE flattened into
    -- them would run its lookups once per mention.
    covered as materialized (
      select s.*, ${seriesThen(scope, 1)}, ${seriesThen(scope, 3)}, ${seriesThen(scope, 5)}
      from paired s ${seriesThenJoins(scope, 1)} ${seriesThenJoins(scope, 3)} ${seriesThenJoins(scope, 5)}
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
