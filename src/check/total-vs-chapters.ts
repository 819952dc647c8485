/**
 * `total_vs_chapters`: a pair's published TOTAL row against the sum of its chapter (HS2) rows,
 * in slices that publish chapters. Chapters above the TOTAL beyond the tolerance cannot be
 * parts of it (error); chapters below it are usual (an extract of some chapters, confidential
 * ones left out) and only noted (info).
 */
import type { Finding } from '../db/dq-findings.ts';
import { exceedsSql } from './check-settings.ts';
import {
  flowWord,
  inYears,
  type PairSlice,
  PLAIN_ROW,
  percentOf,
  usd,
  type WarehouseCheck,
} from './warehouse-check.ts';

export const TOTAL_VS_CHAPTERS = 'total_vs_chapters';

interface Slice extends PairSlice {
  year: number;
  hs_edition: string;
  total: number;
  chapters: number;
  chapter_count: number;
}

export const totalVsChapters: WarehouseCheck = {
  name: TOTAL_VS_CHAPTERS,
  severities: ['error', 'info'],
  table: 'trade_flows',
  recordedBy: 'check',
  byYear: true,
  description:
    "A pair's published TOTAL row against the sum of its chapter rows (current rows, per source, reporter, partner, flow, period and HS edition): chapters above the TOTAL beyond the tolerance are an error; below it, info.",
  async run(warehouse, settings, years) {
    const { flavor } = warehouse;
    const slices = await warehouse.sql.all<Slice>(
      `select * from (
         select t.source, t.reporter_iso3, t.partner_iso3, t.flow, t.freq, t.period, t.hs_edition, t.year,
                max(case when t.hs_level = 0 then t.value_usd end) as total,
                sum(case when t.hs_level = 2 then t.value_usd end) as chapters,
                count(case when t.hs_level = 2 then 1 end) as chapter_count
         from trade_flows t
         where ${PLAIN_ROW('t')} and t.hs_level in (0, 2) and ${inYears('t.year', years)}
         group by t.source, t.reporter_iso3, t.partner_iso3, t.flow, t.freq, t.period, t.hs_edition, t.year
       ) as slices
       where total is not null and chapter_count > 0
         and (${exceedsSql('chapters', 'total', settings, flavor)} or ${exceedsSql('total', 'chapters', settings, flavor)})
       order by 1, 2, 3, 4, 5, 6, 7`,
    );
    return slices.map((s): Finding => {
      const slice = `${s.source} ${s.reporter_iso3} → ${s.partner_iso3} ${flowWord(s.flow)} ${s.period} (${s.hs_edition})`;
      const above = s.chapters > s.total;
      return {
        check: TOTAL_VS_CHAPTERS,
        severity: above ? 'error' : 'info',
        table: 'trade_flows',
        key: `${s.source} ${s.reporter_iso3} ${s.partner_iso3} ${s.flow} ${s.freq} ${s.period} ${s.hs_edition}`,
        expected: s.total,
        found: s.chapters,
        rows: { chapters: s.chapter_count },
        year: Number(s.year),
        message: above
          ? `The ${s.chapter_count} chapter rows of ${slice} add up to ${usd(s.chapters)}, above its published TOTAL of ${usd(s.total)}: they cannot all be parts of it. Check that the TOTAL and the chapters come from the same extract and vintage (corridor revisions), or load a corrected file.`
          : `The ${s.chapter_count} chapter rows of ${slice} add up to ${usd(s.chapters)}, ${percentOf(s.chapters, s.total)} of its published TOTAL of ${usd(s.total)}: the extract holds only some chapters, or some were suppressed. Nothing to fix unless every chapter was asked for.`,
      };
    });
  },
};
