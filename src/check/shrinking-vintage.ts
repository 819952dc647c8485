/**
 * `shrinking_vintage`: a reporter-period (source, reporter, flow, frequency, period) whose total
 * fell by more than the set share between its previous vintage and the current one. The
 * previous vintage is the slice as it stood before the last load that changed it (a version
 * valid then: from an earlier load, not closed before it; docs/vintages.md). The total is the
 * sum of its TOTAL rows when both vintages have them, else of all its rows: the same measure on
 * both sides. A revision that removes a fifth of a country's trade is rarely a revision: more
 * often a file of fewer partners or chapters loaded with --replace-scope. A warning.
 */
import type { Finding } from '../db/dq-findings.ts';
import {
  flowWord,
  inYears,
  PLAIN_ROW,
  percentOf,
  type ReporterSlice,
  usd,
  type WarehouseCheck,
} from './warehouse-check.ts';

export const SHRINKING_VINTAGE = 'shrinking_vintage';

const SLICE = ['source', 'reporter_iso3', 'flow', 'freq', 'period'] as const;

interface Shrunk extends ReporterSlice {
  year: number;
  last_load: number;
  basis: 'TOTAL rows' | 'all rows';
  before_usd: number;
  now_usd: number;
}

export const shrinkingVintage: WarehouseCheck = {
  name: SHRINKING_VINTAGE,
  severities: ['warning'],
  table: 'trade_flows',
  recordedBy: 'check',
  byYear: true,
  description:
    'A reporter-period (source, reporter, flow, frequency, period) whose total (its TOTAL rows, else all its rows) fell by more than shrinkFraction between the previous vintage and the current one.',
  async run(warehouse, settings, years) {
    const columns = SLICE.join(', ');
    const lastLoad = warehouse.flavor.greatest('max(valid_from_load)', 'max(coalesce(valid_to_load, 0))');
    const shrunk = await warehouse.sql.all<Shrunk>(
      // One pass over the history: its rows summed per slice and version span (the loads a
      // row was valid from and to), a few groups per slice; the vintages are then read from
      // those groups. Only slices with a previous vintage (a row valid before their last load)
      // can have shrunk; the rest (a year loaded once: all of a first load) are left out.
      `with versions as materialized (
           select ${columns}, min(h.year) as year, h.valid_from_load, h.valid_to_load,
                  sum(h.value_usd) as all_usd, sum(case when h.hs_level = 0 then h.value_usd end) as total_usd
           from trade_flows_history h where ${PLAIN_ROW('h')} and ${inYears('h.year', years)}
           group by ${columns}, h.valid_from_load, h.valid_to_load
         ),
         slices as (
           select ${columns}, min(year) as year, ${lastLoad} as last_load
           from versions
           group by ${columns}
           having min(valid_from_load) < ${lastLoad}
         ),
         vintages as (
           select ${SLICE.map((c) => `s.${c}`).join(', ')}, s.year, s.last_load,
                  sum(case when v.valid_to_load is null then v.all_usd end) as now_all,
                  sum(case when v.valid_to_load is null then v.total_usd end) as now_total,
                  sum(case when v.valid_from_load < s.last_load
                            and (v.valid_to_load is null or v.valid_to_load >= s.last_load) then v.all_usd end) as before_all,
                  sum(case when v.valid_from_load < s.last_load
                            and (v.valid_to_load is null or v.valid_to_load >= s.last_load) then v.total_usd end) as before_total
           from versions v
           join slices s on ${SLICE.map((c) => `s.${c} = v.${c}`).join(' and ')}
           group by ${SLICE.map((c) => `s.${c}`).join(', ')}, s.year, s.last_load
         ),
         measured as (
           select ${columns}, year, last_load,
                  case when now_total is not null and before_total is not null then 'TOTAL rows' else 'all rows' end as basis,
                  case when now_total is not null and before_total is not null then before_total else before_all end as before_usd,
                  case when now_total is not null and before_total is not null then now_total else coalesce(now_all, 0) end as now_usd
           from vintages
         )
         select * from measured where before_usd > 0 and now_usd < (1 - ${warehouse.flavor.real('?')}) * before_usd
         order by ${columns}`,
      [settings.shrinkFraction],
    );
    return shrunk.map(
      (s): Finding => ({
        check: SHRINKING_VINTAGE,
        severity: 'warning',
        table: 'trade_flows',
        key: SLICE.map((c) => s[c]).join(' '),
        expected: s.before_usd,
        found: s.now_usd,
        rows: { basis: s.basis, last_load: s.last_load },
        year: Number(s.year),
        message: `${s.source} ${s.reporter_iso3} ${flowWord(s.flow)} ${s.period} (${s.basis}) fell from ${usd(s.before_usd)} to ${usd(s.now_usd)} (${percentOf(s.now_usd, s.before_usd)} of before) with load ${s.last_load}. A revision rarely removes so much: check that load's file covers every partner and chapter of the period (corridor revisions; corridor revert ${s.last_load} undoes it).`,
      }),
    );
  },
};
