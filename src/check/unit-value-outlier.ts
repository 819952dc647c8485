/**
 * `unit_value_outlier`: unit values (ind_unit_values.usd_per_kg) of an HS6 code outside a
 * robust band drawn over one calendar year's reporters, partners and periods: the median ± k median absolute
 * deviations, on ln(USD/kg), since unit values are skewed (a band of ±k·MAD on the log scale is
 * a factor of e^(k·MAD) either side of the median). Median and MAD resist the outliers they
 * look for, where ind_unit_values' z-score (mean and standard deviation of one period) does
 * not. Codes with fewer observations than the minimum, or a MAD of 0 (most values equal), get
 * no band. The medians are taken in SQL (the mean of the middle value or two; each backend by
 * the query it runs fastest, to the same figures), so only the outliers come back, however many
 * unit values a warehouse holds.
 *
 * The band is drawn per year because prices move: a code's unit values in 1995 and in 2023
 * differ by inflation and by what the code holds, so one band over thirty years flags the early
 * and late years rather than the odd row. Per year, a finding is about one year's figures, and a
 * refresh that rewrote one year reads that year alone (`byYear`).
 */
import type { Finding } from '../db/dq-findings.ts';
import { type CheckYears, flowWord, inSourceYears, type WarehouseCheck } from './warehouse-check.ts';

export const UNIT_VALUE_OUTLIER = 'unit_value_outlier';
const TABLE = 'ind_unit_values';

/** The columns that make one code's observations in one year (one band). */
const CODE = ['source', 'flow', 'freq', 'classification', 'product', 'year'] as const;

interface Outlier {
  source: string;
  flow: string;
  freq: string;
  classification: string;
  product: string;
  reporter_iso3: string;
  partner_iso3: string;
  period: string;
  year: number;
  usd_per_kg: number;
  /** Observations of the code. */
  n: number;
  /** The median of ln(USD/kg) and the median absolute deviation from it. */
  center: number;
  mad: number;
}

/** SQL: the mean of the middle row or rows of `rank` among `count` (the median when ranked by the value). */
const MIDDLE = (rank: string, count: string) => `${rank} in ((${count} + 1) / 2, (${count} + 2) / 2)`;

const code = CODE.join(', ');
/** The unit values looked at, in `years`: HS6 rows with a positive figure, with single-country partners. */
const observed = (years: CheckYears) => `from ${TABLE} u
  where u.hs_level = 6 and u.usd_per_kg > 0 and ${inSourceYears(TABLE, years, 'u')}
    and u.partner_iso3 in (select iso3 from countries where kind in ('country', 'historical'))`;
/** Joins a row of `a` to its code's row of `b`. */
const sameCode = (a: string, b: string) => CODE.map((c) => `${a}.${c} = ${b}.${c}`).join(' and ');
/** The order of the outliers: by code, then from the lowest unit value. */
const OUTLIER_ORDER = `${code}, usd_per_kg, reporter_iso3, partner_iso3, period`;

/**
 * PostgreSQL: windows only, no joins. Each step adds a column over the code's partition, so the
 * rows of each code are sorted and never matched across tables (a join of 1M unit values
 * against their codes' medians made PostgreSQL's planner choose a nested loop).
 */
const outliersByWindows = (minObservations: number, k: number, years: CheckYears) => `with observed as (
    select ${code}, reporter_iso3, partner_iso3, period, usd_per_kg, ln(usd_per_kg) as ln_uv ${observed(years)}
  ),
  ranked as (
    select o.*, row_number() over (partition by ${code} order by ln_uv) as ln_rank,
           count(*) over (partition by ${code}) as n
    from observed o
  ),
  centered as (
    select r.*, avg(case when n >= ${minObservations} and ${MIDDLE('ln_rank', 'n')} then ln_uv end)
                  over (partition by ${code}) as center
    from ranked r
  ),
  deviations as (
    select c.*, abs(ln_uv - center) as deviation,
           row_number() over (partition by ${code} order by abs(ln_uv - center)) as deviation_rank
    from centered c
    where center is not null
  ),
  spread as (
    select d.*, avg(case when ${MIDDLE('deviation_rank', 'n')} then deviation end)
                  over (partition by ${code}) as mad
    from deviations d
  )
  select ${code}, reporter_iso3, partner_iso3, period, usd_per_kg, n, center, mad
  from spread
  where mad > 0 and deviation > ${k} * mad`;

/**
 * SQL: the median of `expression` over a group, as the windows take it (the mean of the middle
 * value or two): percentile_disc(…, 0.5) is the lower middle value, and the same of the negated
 * values the upper one negated.
 */
const median = (expression: string) =>
  `(percentile_disc(${expression}, 0.5) - percentile_disc(-(${expression}), 0.5)) / 2`;

/**
 * SQLite: the same figures from two grouped passes (SQLite's built-in percentile_disc sorts each
 * code's values in memory) and a third that keeps the outliers. Each window step above sorts
 * all unit values again: five sorts of 1M rows took 11 s for one BACI year, this takes half.
 * CROSS JOIN keeps the order written: each unit value, then its code's row by an index SQLite
 * builds on the few thousand codes.
 */
const outliersByPercentiles = (minObservations: number, k: number, years: CheckYears) => `with observed as (
    select ${code}, ln(usd_per_kg) as ln_uv ${observed(years)}
  ),
  centered as materialized (
    select ${code}, count(*) as n, ${median('ln_uv')} as center
    from observed group by ${code} having count(*) >= ${minObservations}
  ),
  bands as materialized (
    select ${CODE.map((c) => `c.${c}`).join(', ')}, c.n, c.center, ${median('abs(o.ln_uv - c.center)')} as mad
    from observed o cross join centered c
    where ${sameCode('o', 'c')}
    group by ${CODE.map((c) => `c.${c}`).join(', ')}, c.n, c.center
  )
  select ${CODE.map((c) => `u.${c}`).join(', ')}, u.reporter_iso3, u.partner_iso3, u.period, u.usd_per_kg,
         b.n, b.center, b.mad
  from (select u.*, ln(u.usd_per_kg) as ln_uv ${observed(years)}) as u
  cross join bands b
  where ${sameCode('u', 'b')} and b.mad > 0 and abs(u.ln_uv - b.center) > ${k} * b.mad`;

/** Outliers turned into findings per page: a BACI history has hundreds of thousands. */
const PAGE_ROWS = 5000;

/** The finding of one outlier, with the band it fell outside. */
function outlierFinding(o: Outlier, k: number): Finding {
  const reach = k * o.mad;
  const typical = Math.exp(o.center);
  const [low, high] = [Math.exp(o.center - reach), Math.exp(o.center + reach)];
  return {
    check: UNIT_VALUE_OUTLIER,
    severity: 'warning',
    table: TABLE,
    key: `${o.source} ${o.reporter_iso3} ${o.partner_iso3} ${o.flow} ${o.freq} ${o.period} ${o.classification} ${o.product}`,
    year: Number(o.year),
    expected: typical,
    found: o.usd_per_kg,
    rows: { observations: o.n, band_usd_per_kg: [low, high], ln_mad: o.mad },
    message: `${o.reporter_iso3}'s ${flowWord(o.flow)} of HS ${o.product} (${o.classification}) with ${o.partner_iso3} in ${o.period} are worth ${o.usd_per_kg.toPrecision(4)} USD/kg, outside ${low.toPrecision(4)} to ${high.toPrecision(4)} USD/kg (median ${typical.toPrecision(4)} ± ${k} MAD over ${o.n} observations of the code in ${o.year}). Check the weight and the value of the row in the file: a weight in tonnes read as kg, or a value in thousands, gives such a figure.`,
  };
}

export const unitValueOutlier: WarehouseCheck = {
  name: UNIT_VALUE_OUTLIER,
  severities: ['warning'],
  table: TABLE,
  recordedBy: 'check',
  reads: [TABLE],
  byYear: true,
  description:
    'Unit values (USD/kg) of an HS6 code outside median ± k·MAD of ln(USD/kg) over one year’s reporters, partners and periods (per source, flow and frequency); at least unitValueMinObservations observations.',
  /**
   * The outliers go into a temporary table, numbered in their order, and come back a page at a
   * time: memory stays bounded however many there are (224,503 for five 1M-row BACI years held
   * 400 MB as one array).
   */
  async *pages(warehouse, settings, years) {
    const { sql, flavor } = warehouse;
    const outliers = flavor.tempTable('unit_value_outliers');
    // The settings are numbers (check-settings.ts validates them), written into the SQL: a
    // CREATE TABLE AS takes no parameters on PostgreSQL.
    const [minObservations, k] = [Number(settings.unitValueMinObservations), Number(settings.unitValueK)];
    const query = (warehouse.backend === 'sqlite' ? outliersByPercentiles : outliersByWindows)(
      minObservations,
      k,
      years,
    );
    await sql.exec(flavor.dropTable(outliers));
    await sql.exec(
      `create temp table unit_value_outliers as
       select q.*, row_number() over (order by ${OUTLIER_ORDER}) as outlier_order from (${query}) as q`,
    );
    await sql.exec(flavor.tempIndex('unit_value_outliers_order', 'unit_value_outliers', ['outlier_order']));
    for (let first = 1; ; first += PAGE_ROWS) {
      const page = await sql.all<Outlier>(
        `select * from unit_value_outliers where outlier_order between ? and ? order by outlier_order`,
        [first, first + PAGE_ROWS - 1],
      );
      if (page.length === 0) break;
      yield page.map((o) => outlierFinding(o, settings.unitValueK));
    }
    await sql.exec(flavor.dropTable(outliers));
  },
};
