/**
 * `category_within_chapter_within_total`: in ind_trade_sums (the hierarchy-aware sums), a
 * category is at most its chapter, and a chapter at most the pair's total. A category's chapter
 * is the one chapter all its codes lie in (hs_code_categories, by edition), when there is
 * exactly one (potash in 31, grain in 10); a category spanning chapters is compared with the
 * total only. Any of them above its whole beyond the tolerance is an error.
 */
import type { Finding } from '../db/dq-findings.ts';
import { exceedsSql } from './check-settings.ts';
import { flowWord, inSourceYears, type PairSlice, usd, type WarehouseCheck } from './warehouse-check.ts';

export const CATEGORY_WITHIN_CHAPTER = 'category_within_chapter_within_total';
const TABLE = 'ind_trade_sums';

/** The columns that name one slice of ind_trade_sums. */
const SLICE = ['source', 'reporter_iso3', 'partner_iso3', 'flow', 'freq', 'period'] as const;
/** The slice in the order of the table's key (source, year, …), which a pair's rows share. */
const PAIR = ['source', 'year', 'reporter_iso3', 'partner_iso3', 'flow', 'freq', 'period'] as const;
/** Joins two rows of one slice; the year too, so the join uses the table's key. */
const samePair = (a: string, b: string) => PAIR.map((c) => `${a}.${c} = ${b}.${c}`).join(' and ');

interface Excess extends PairSlice {
  year: number;
  part_kind: string;
  part_classification: string;
  part: string;
  part_usd: number;
  whole_kind: string;
  whole_classification: string;
  whole: string;
  whole_usd: number;
}

export const categoryWithinChapter: WarehouseCheck = {
  name: CATEGORY_WITHIN_CHAPTER,
  severities: ['error'],
  table: TABLE,
  recordedBy: 'check',
  reads: [TABLE],
  byYear: true,
  description:
    'In ind_trade_sums, a category at most its chapter (when all its codes lie in one chapter) and a category or chapter at most the pair total, within the tolerance.',
  async run(warehouse, settings, years) {
    const { flavor } = warehouse;
    const part = (alias: string) =>
      `${alias}.product_kind as part_kind, ${alias}.classification as part_classification, ${alias}.product as part, ${alias}.value_usd as part_usd`;
    const whole = (alias: string) =>
      `${alias}.product_kind as whole_kind, ${alias}.classification as whole_classification, ${alias}.product as whole, ${alias}.value_usd as whole_usd`;
    const excesses = await warehouse.sql.all<Excess>(
      `with single_chapter as (
           select edition, scheme, category, min(substr(code, 1, 2)) as chapter
           from hs_code_categories group by edition, scheme, category
           having min(substr(code, 1, 2)) = max(substr(code, 1, 2))
         ),
         -- Grouped in the table's key order: one pass, no sort.
         totals as (
           select ${PAIR.join(', ')}, max(value_usd) as whole_usd
           from ${TABLE} where product_kind = 'total' and ${inSourceYears(TABLE, years)}
           group by ${PAIR.join(', ')}
         )
         select ${SLICE.map((c) => `p.${c}`).join(', ')}, ${part('p')},
                'total' as whole_kind, '' as whole_classification, 'TOTAL' as whole, t.whole_usd, p.year
         -- CROSS JOIN keeps the order written on SQLite: each pair total, then its chapters and
         -- categories by the table's key, rather than a window over every row of the table.
         from totals t
         cross join ${TABLE} p
         where ${samePair('t', 'p')} and p.product_kind in ('chapter', 'category')
           and p.value_usd is not null and t.whole_usd is not null
           and ${exceedsSql('p.value_usd', 't.whole_usd', settings, flavor)}
         union all
         select ${SLICE.map((c) => `p.${c}`).join(', ')}, ${part('p')}, ${whole('w')}, p.year
         -- Each category, its one chapter, then that chapter's row by the whole key: left to
         -- choose, SQLite looked up every chapter of the pair for each category.
         from ${TABLE} p
         cross join single_chapter sc
         cross join ${TABLE} w
         where p.product_kind = 'category' and p.value_usd is not null and ${inSourceYears(TABLE, years, 'p')}
           and sc.scheme = p.classification and sc.category = p.product
           and ${samePair('p', 'w')} and w.product_kind = 'chapter'
           and w.classification = sc.edition and w.product = sc.chapter
           and w.value_usd is not null and ${exceedsSql('p.value_usd', 'w.value_usd', settings, flavor)}
         order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13`,
    );
    return excesses.map((e): Finding => {
      const slice = `${e.source} ${e.reporter_iso3} → ${e.partner_iso3} ${flowWord(e.flow)} ${e.period}`;
      const name = (kind: string, classification: string, code: string) =>
        kind === 'total'
          ? 'the pair total'
          : `${kind} ${code}${classification === '' ? '' : ` (${classification})`}`;
      const partName = name(e.part_kind, e.part_classification, e.part);
      const wholeName = name(e.whole_kind, e.whole_classification, e.whole);
      return {
        check: CATEGORY_WITHIN_CHAPTER,
        severity: 'error',
        table: TABLE,
        key: `${SLICE.map((c) => e[c]).join(' ')} ${e.part_classification}:${e.part} > ${e.whole_classification}:${e.whole}`,
        expected: e.whole_usd,
        found: e.part_usd,
        rows: { part: partName, whole: wholeName },
        year: Number(e.year),
        message: `In ${slice}, ${partName} is ${usd(e.part_usd)}, above ${wholeName} at ${usd(e.whole_usd)}: a part cannot exceed its whole. Look at the rows behind both (their sum_basis and hs_levels in ind_trade_sums) for a file of another edition or vintage, then load a corrected file.`,
      };
    });
  },
};
