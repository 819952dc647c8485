/**
 * `unit_value_outlier`: unit values (ind_unit_values.usd_per_kg) of an HS6 code outside a
 * robust band drawn over all its years, reporters and partners: the median ± k median absolute
 * deviations, on ln(USD/kg), since unit values are skewed (a band of ±k·MAD on the log scale is
 * a factor of e^(k·MAD) either side of the median). Median and MAD resist the outliers they
 * look for, where ind_unit_values' z-score (mean and standard deviation of one period) does
 * not. Codes with fewer observations than the minimum, or a MAD of 0 (most values equal), get
 * no band. Rows are read in code order and one code is held in memory at a time.
 */
import type { Finding } from '../db/dq-findings.ts';
import type { CheckSettings } from './check-settings.ts';
import { flowWord, type WarehouseCheck } from './warehouse-check.ts';

export const UNIT_VALUE_OUTLIER = 'unit_value_outlier';
const TABLE = 'ind_unit_values';

interface Observation {
  source: string;
  flow: string;
  freq: string;
  classification: string;
  product: string;
  reporter_iso3: string;
  partner_iso3: string;
  period: string;
  usd_per_kg: number;
  ln_uv: number;
}

/** The median of sorted numbers. */
function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The findings of one code's observations (sorted by ln_uv). */
function outliersOf(group: readonly Observation[], settings: CheckSettings): Finding[] {
  if (group.length < settings.unitValueMinObservations) return [];
  const center = median(group.map((o) => o.ln_uv));
  const mad = median(group.map((o) => Math.abs(o.ln_uv - center)).sort((a, b) => a - b));
  if (mad === 0) return [];
  const reach = settings.unitValueK * mad;
  const typical = Math.exp(center);
  return group
    .filter((o) => Math.abs(o.ln_uv - center) > reach)
    .map((o) => ({
      check: UNIT_VALUE_OUTLIER,
      severity: 'warning',
      table: TABLE,
      key: `${o.source} ${o.reporter_iso3} ${o.partner_iso3} ${o.flow} ${o.freq} ${o.period} ${o.classification} ${o.product}`,
      expected: typical,
      found: o.usd_per_kg,
      rows: {
        observations: group.length,
        band_usd_per_kg: [Math.exp(center - reach), Math.exp(center + reach)],
        ln_mad: mad,
      },
      message: `${o.reporter_iso3}'s ${flowWord(o.flow)} of HS ${o.product} (${o.classification}) with ${o.partner_iso3} in ${o.period} are worth ${o.usd_per_kg.toPrecision(4)} USD/kg, outside ${Math.exp(center - reach).toPrecision(4)} to ${Math.exp(center + reach).toPrecision(4)} USD/kg (median ${typical.toPrecision(4)} ± ${settings.unitValueK} MAD over ${group.length} observations of the code). Check the weight and the value of the row in the file: a weight in tonnes read as kg, or a value in thousands, gives such a figure.`,
    }));
}

export const unitValueOutlier: WarehouseCheck = {
  name: UNIT_VALUE_OUTLIER,
  severities: ['warning'],
  table: TABLE,
  recordedBy: 'check',
  reads: [TABLE],
  description:
    'Unit values (USD/kg) of an HS6 code outside median ± k·MAD of ln(USD/kg) over its years, reporters and partners (per source, flow and frequency); at least unitValueMinObservations observations.',
  run(sqlite, settings) {
    const rows = sqlite
      .prepare(
        `select source, flow, freq, classification, product, reporter_iso3, partner_iso3, period, usd_per_kg,
                ln(usd_per_kg) as ln_uv
         from ${TABLE} u
         where hs_level = 6 and usd_per_kg > 0
           and partner_iso3 in (select iso3 from countries where kind in ('country', 'historical'))
         order by source, flow, freq, classification, product, ln_uv`,
      )
      .iterate() as IterableIterator<Observation>;
    const findings: Finding[] = [];
    let group: Observation[] = [];
    const sameCode = (a: Observation, b: Observation) =>
      a.source === b.source &&
      a.flow === b.flow &&
      a.freq === b.freq &&
      a.classification === b.classification &&
      a.product === b.product;
    for (const row of rows) {
      if (group.length > 0 && !sameCode(group[0]!, row)) {
        findings.push(...outliersOf(group, settings));
        group = [];
      }
      group.push(row);
    }
    findings.push(...outliersOf(group, settings));
    return findings;
  },
};
