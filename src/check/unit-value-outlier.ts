/**
 * `unit_value_outlier`: unit values (ind_unit_values.usd_per_kg) of an HS6 code outside a
 * robust band drawn over all its years, reporters and partners: the median ± k median absolute
 * deviations, on ln(USD/kg), since unit values are skewed (a band of ±k·MAD on the log scale is
 * a factor of e^(k·MAD) either side of the median). Median and MAD resist the outliers they
 * look for, where ind_unit_values' z-score (mean and standard deviation of one period) does
 * not. Codes with fewer observations than the minimum, or a MAD of 0 (most values equal), get
 * no band. The medians are taken in SQL (the middle rows by rank, on both backends), so only
 * the outliers come back, however many unit values a warehouse holds.
 */
import type { Finding } from '../db/dq-findings.ts';
import { flowWord, type WarehouseCheck } from './warehouse-check.ts';

export const UNIT_VALUE_OUTLIER = 'unit_value_outlier';
const TABLE = 'ind_unit_values';

/** The columns that make one code's observations (one band). */
const CODE = ['source', 'flow', 'freq', 'classification', 'product'] as const;

interface Outlier {
  source: string;
  flow: string;
  freq: string;
  classification: string;
  product: string;
  reporter_iso3: string;
  partner_iso3: string;
  period: string;
  usd_per_kg: number;
  /** Observations of the code. */
  n: number;
  /** The median of ln(USD/kg) and the median absolute deviation from it. */
  center: number;
  mad: number;
}

/** SQL: the mean of the middle row or rows of `rank` among `count` (the median when ranked by the value). */
const MIDDLE = (rank: string, count: string) => `${rank} in ((${count} + 1) / 2, (${count} + 2) / 2)`;

export const unitValueOutlier: WarehouseCheck = {
  name: UNIT_VALUE_OUTLIER,
  severities: ['warning'],
  table: TABLE,
  recordedBy: 'check',
  reads: [TABLE],
  description:
    'Unit values (USD/kg) of an HS6 code outside median ± k·MAD of ln(USD/kg) over its years, reporters and partners (per source, flow and frequency); at least unitValueMinObservations observations.',
  async run(warehouse, settings) {
    const code = CODE.join(', ');
    // Windows only, no joins: each step adds a column over the code's partition, so both
    // backends sort each code's rows and never match codes across tables (a join of 1M unit
    // values against their codes' medians made PostgreSQL's planner choose a nested loop).
    const outliers = await warehouse.sql.all<Outlier>(
      `with observed as (
         select ${code}, reporter_iso3, partner_iso3, period, usd_per_kg, ln(usd_per_kg) as ln_uv
         from ${TABLE}
         where hs_level = 6 and usd_per_kg > 0
           and partner_iso3 in (select iso3 from countries where kind in ('country', 'historical'))
       ),
       ranked as (
         select o.*, row_number() over (partition by ${code} order by ln_uv) as ln_rank,
                count(*) over (partition by ${code}) as n
         from observed o
       ),
       centered as (
         select r.*, avg(case when n >= ? and ${MIDDLE('ln_rank', 'n')} then ln_uv end)
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
       where mad > 0 and deviation > ? * mad
       order by ${code}, ln_uv, reporter_iso3, partner_iso3, period`,
      [settings.unitValueMinObservations, settings.unitValueK],
    );
    return outliers.map((o): Finding => {
      const reach = settings.unitValueK * o.mad;
      const typical = Math.exp(o.center);
      const [low, high] = [Math.exp(o.center - reach), Math.exp(o.center + reach)];
      return {
        check: UNIT_VALUE_OUTLIER,
        severity: 'warning',
        table: TABLE,
        key: `${o.source} ${o.reporter_iso3} ${o.partner_iso3} ${o.flow} ${o.freq} ${o.period} ${o.classification} ${o.product}`,
        expected: typical,
        found: o.usd_per_kg,
        rows: { observations: o.n, band_usd_per_kg: [low, high], ln_mad: o.mad },
        message: `${o.reporter_iso3}'s ${flowWord(o.flow)} of HS ${o.product} (${o.classification}) with ${o.partner_iso3} in ${o.period} are worth ${o.usd_per_kg.toPrecision(4)} USD/kg, outside ${low.toPrecision(4)} to ${high.toPrecision(4)} USD/kg (median ${typical.toPrecision(4)} ± ${settings.unitValueK} MAD over ${o.n} observations of the code). Check the weight and the value of the row in the file: a weight in tonnes read as kg, or a value in thousands, gives such a figure.`,
      };
    });
  },
};
