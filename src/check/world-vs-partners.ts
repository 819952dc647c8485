/**
 * `world_vs_partners`: a reporter's World (W00) TOTAL row against the sum of its single-country
 * partners' TOTAL rows (groups left out: they would count their members twice). Partners above
 * the World row beyond the tolerance cannot be parts of it (error). Partners below it are what
 * an extract of some partners gives, so under-coverage is only noted (info), and only when it
 * passes the configured share.
 */
import type { Finding } from '../db/dq-findings.ts';
import { exceedsSql } from './check-settings.ts';
import {
  flowWord,
  inYears,
  PLAIN_ROW,
  percentOf,
  type ReporterSlice,
  usd,
  type WarehouseCheck,
} from './warehouse-check.ts';

export const WORLD_VS_PARTNERS = 'world_vs_partners';

interface Slice extends ReporterSlice {
  year: number;
  hs_edition: string;
  world: number;
  partners: number;
  partner_count: number;
}

export const worldVsPartners: WarehouseCheck = {
  name: WORLD_VS_PARTNERS,
  severities: ['error', 'info'],
  table: 'trade_flows',
  recordedBy: 'check',
  byYear: true,
  description:
    "A reporter's World TOTAL row against the sum of its single-country partners' TOTAL rows: partners above World beyond the tolerance are an error; below it by more than worldUnderCoverage, info.",
  async run(warehouse, settings, years) {
    const slices = await warehouse.sql.all<Slice>(
      `with totals as (
           select t.source, t.reporter_iso3, t.flow, t.freq, t.period, t.hs_edition, t.year,
                  max(case when t.partner_iso3 = 'W00' then t.value_usd end) as world,
                  sum(case when c.kind in ('country', 'historical') then t.value_usd end) as partners,
                  count(case when c.kind in ('country', 'historical') then 1 end) as partner_count
           from trade_flows t
           left join countries c on c.iso3 = t.partner_iso3
           where ${PLAIN_ROW('t')} and t.hs_level = 0 and ${inYears('t.year', years)}
           group by t.source, t.reporter_iso3, t.flow, t.freq, t.period, t.hs_edition, t.year
         )
         select * from totals
         where world is not null and partner_count > 0
           and (${exceedsSql('partners', 'world', settings, warehouse.flavor)} or partners < (1 - ${settings.worldUnderCoverage}) * world)
         order by 1, 2, 3, 4, 5, 6`,
    );
    return slices.map((s): Finding => {
      const slice = `${s.source} ${s.reporter_iso3} ${flowWord(s.flow)} ${s.period} (${s.hs_edition})`;
      const above = s.partners > s.world;
      return {
        check: WORLD_VS_PARTNERS,
        severity: above ? 'error' : 'info',
        table: 'trade_flows',
        key: `${s.source} ${s.reporter_iso3} ${s.flow} ${s.freq} ${s.period} ${s.hs_edition}`,
        expected: s.world,
        found: s.partners,
        rows: { partners: s.partner_count },
        year: Number(s.year),
        message: above
          ? `The ${s.partner_count} partner countries of ${slice} add up to ${usd(s.partners)}, above its World row of ${usd(s.world)}: they cannot all be parts of it. Check that the World and partner rows come from the same extract and vintage (corridor revisions), or load a corrected file.`
          : `The ${s.partner_count} partner countries of ${slice} add up to ${usd(s.partners)}, ${percentOf(s.partners, s.world)} of its World row of ${usd(s.world)}: the extract holds only some partners. Nothing to fix unless every partner was asked for.`,
      };
    });
  },
};
