/**
 * Sums over HS codes that respect the HS tree (issue 19 point 1): a file may publish a pair's
 * trade at several levels at once (TOTAL, chapters, headings, HS6 subheadings), each level a
 * complete or an incomplete breakdown of the one above. A sum over codes (a pair's total, a
 * chapter, a category) takes, on each branch of the tree, the most detailed level that is
 * complete, and the coarser published row where the finer rows are missing or do not add up
 * to it; a branch is never counted twice. docs/hierarchy-sums.md says the same for analysts.
 *
 * Within one slice (source, reporter, partner, flow, period; input_flows holds one HS edition
 * per source, reporter and period, from whatever files the current rows came from):
 *
 * - A row's *parent* is the nearest coarser row the slice publishes on its branch (heading,
 *   chapter or TOTAL). A row is *complete* when its children add up to it within the tolerance
 *   (`sum_tolerance_fraction` of the row, default 0.5 %, or `sum_tolerance_usd`, default 1,000
 *   USD, whichever is larger; both in the `settings` table).
 * - A sum uses a row when every coarser row above it that belongs to the sum is complete, and
 *   the row itself is a leaf or incomplete (then it stands for its branch: `from_coarser`).
 * - A category may lie partly inside a published row (potash is five HS6 codes of chapter 31):
 *   such a row *straddles* the category. Its children stand for it when it has any. When it has
 *   none, the file is coarser than the category and the sum is NULL with
 *   `coarser_than_category`. When its children do not add up to it, the category's rows under it
 *   may miss what the gap holds, and the sum is `partial` (a lower bound), unless every code of
 *   the category under it is published itself. TOTAL straddles every category.
 * - Chapters are sums too (scheme `chapter`): the rows of a chapter the sum uses.
 */
import type { SqlDialect } from './indicator.ts';
import type { TradeInput } from './trade-inputs.ts';

/** The settings keys of the tolerance, and their defaults (issue 19: 0.5 % or 1,000 USD). */
export const SUM_TOLERANCE_FRACTION = { key: 'sum_tolerance_fraction', default: 0.005 } as const;
export const SUM_TOLERANCE_USD = { key: 'sum_tolerance_usd', default: 1000 } as const;

/** The scheme under which chapter sums are stored beside the categories' (ind_trade_sums). */
export const CHAPTER_SCHEME = 'chapter';

/** Codes drawn on are listed up to this many; past it, `hs_levels` and `row_count` say enough. */
export const CODES_LISTED = 12;

const SLICE = ['source', 'reporter_iso3', 'partner_iso3', 'flow', 'freq', 'period'] as const;
const slice = (alias: string) => SLICE.map((c) => `${alias}.${c}`).join(', ');
const sameSlice = (a: string, b: string) => SLICE.map((c) => `${a}.${c} = ${b}.${c}`).join(' and ');

const setting = (flavor: SqlDialect, s: { key: string; default: number }) =>
  `coalesce((select ${flavor.real('value')} from settings where key = '${s.key}'), ${s.default})`;

/** Children within the tolerance of their parent: the breakdown is complete. */
const addsUp = (flavor: SqlDialect, children: string, parent: string) =>
  `abs(${children} - ${parent}) <= ${flavor.greatest(`${setting(flavor, SUM_TOLERANCE_FRACTION)} * abs(${parent})`, setting(flavor, SUM_TOLERANCE_USD))}`;

/** The HS levels among the rows of a group, space-separated: `2 6`. */
export const HS_LEVELS_USED = (flavor: SqlDialect, level: string) =>
  `trim(case when ${flavor.anyTrue(`${level} = 2`)} then '2 ' else '' end
                    || case when ${flavor.anyTrue(`${level} = 4`)} then '4 ' else '' end
                    || case when ${flavor.anyTrue(`${level} = 6`)} then '6' else '' end)`;

export const HIERARCHY_INPUTS: readonly TradeInput[] = [
  {
    // Each row and the nearest coarser row its slice publishes on its branch.
    table: 'input_hs_tree',
    select: () => `
      select ${slice('f')}, f.year, f.month, f.hs_edition, f.hs_level, f.hs_code, f.value_usd,
             f.net_weight_kg,
             case when f.hs_level > 0 then coalesce(h.hs_code, c.hs_code, t.hs_code) end as parent_code
      from input_flows f
      left join input_flows h on f.hs_level = 6 and ${sameSlice('h', 'f')}
                             and h.hs_level = 4 and h.hs_code = substr(f.hs_code, 1, 4)
      left join input_flows c on f.hs_level in (4, 6) and ${sameSlice('c', 'f')}
                             and c.hs_level = 2 and c.hs_code = substr(f.hs_code, 1, 2)
      left join input_flows t on f.hs_level > 0 and ${sameSlice('t', 'f')} and t.hs_level = 0`,
    index: [...SLICE, 'hs_code'],
  },
  {
    // Whether each row's children add up to it (NULL for a leaf).
    table: 'input_hs_breakdown',
    select: (_scope, flavor) => `
      with children as (
        select ${slice('t')}, t.parent_code, count(*) as children, sum(t.value_usd) as children_usd
        from input_hs_tree t where t.parent_code is not null
        group by ${slice('t')}, t.parent_code
      )
      select t.*, coalesce(k.children, 0) as children, k.children_usd,
             case when k.children is not null then ${addsUp(flavor, 'k.children_usd', 't.value_usd')} end as complete
      from input_hs_tree t
      left join children k on ${sameSlice('k', 't')} and k.parent_code = t.hs_code`,
    index: [...SLICE, 'hs_code'],
  },
  {
    // Each row with the two coarser rows above it (a third can only be TOTAL), and whether a
    // sum over every code uses it: a leaf or an incomplete row, under complete rows only.
    table: 'input_hs_nodes',
    select: () => `
      select n.*, p1.complete as p1_complete, p1.parent_code as p2_code, p2.complete as p2_complete,
             n.hs_level > 0 and (n.children = 0 or not n.complete)
               and (n.parent_code is null or n.parent_code = 'TOTAL' or p1.complete)
               and (p1.parent_code is null or p1.parent_code = 'TOTAL' or p2.complete) as in_total
      from input_hs_breakdown n
      left join input_hs_breakdown p1 on ${sameSlice('p1', 'n')} and p1.hs_code = n.parent_code
      left join input_hs_breakdown p2 on ${sameSlice('p2', 'n')} and p2.hs_code = p1.parent_code`,
    index: [...SLICE, 'hs_level'],
  },
  {
    // The categories' codes in the editions the slices use, and chapters as a scheme of their
    // own (every code of a chapter, and the chapter itself); `is_top` for a code whose parent
    // code is not in the category: the category's outermost codes (a file that publishes each
    // of them still has all of the category, whatever gap lies above).
    table: 'input_category_members',
    select: () => `
      with members as (
        select c.edition, c.code, c.scheme, c.category from hs_code_categories c
        where c.edition in (select distinct hs_edition from input_flows)
        union all
        select hs_edition, code, '${CHAPTER_SCHEME}', substr(code, 1, 2)
        from (select hs_edition, hs_code as code from input_flows where hs_level > 0
              union
              select hs_edition, substr(hs_code, 1, 2) from input_flows where hs_level > 0) as codes
      )
      select m.*,
             case when m.scheme = '${CHAPTER_SCHEME}' or length(m.code) = 2 then length(m.code) = 2
                  else not exists (
                    select 1 from hs_code_categories p
                    where p.edition = m.edition and p.scheme = m.scheme and p.category = m.category
                      and p.code = substr(m.code, 1, length(m.code) - 2)) end as is_top
      from members m`,
    index: ['edition', 'code', 'scheme', 'category'],
  },
  {
    // The codes that straddle a category: not in it, above codes in it (TOTAL above all), with
    // the number of the category's outermost codes under each.
    table: 'input_category_straddlers',
    select: () => `
      with prefixes as (
        select distinct m.edition, substr(m.code, 1, l.level) as code, m.scheme, m.category
        from input_category_members m
        join (select 2 as level union all select 4) l on length(m.code) > l.level
        where m.scheme <> '${CHAPTER_SCHEME}'
      )
      select p.*, (select count(*) from input_category_members t
                   where t.edition = p.edition and t.scheme = p.scheme and t.category = p.category
                     and t.is_top and substr(t.code, 1, length(p.code)) = p.code) as tops_under
      from prefixes p
      where not exists (select 1 from input_category_members m
                        where m.edition = p.edition and m.code = p.code
                          and m.scheme = p.scheme and m.category = p.category)
      union all
      select edition, 'TOTAL', scheme, category, sum(case when is_top then 1 else 0 end)
      from input_category_members group by edition, scheme, category`,
    index: ['edition', 'code', 'scheme', 'category'],
  },
  {
    // Each published row of a category (chapters included), and whether the category's sum
    // uses it: a leaf or an incomplete row, under complete rows of the category only (the rows
    // above the category, straddling it, stand aside for their children).
    table: 'input_category_rows',
    select: () => `
      select n.*, m.scheme, m.category, m.is_top,
             (n.children = 0 or not n.complete)
               and (m1.code is null or n.p1_complete) and (m2.code is null or n.p2_complete) as used
      from input_hs_nodes n
      join input_category_members m on m.edition = n.hs_edition and m.code = n.hs_code
      left join input_category_members m1
        on m1.edition = n.hs_edition and m1.code = n.parent_code and m1.scheme = m.scheme and m1.category = m.category
      left join input_category_members m2
        on m2.edition = n.hs_edition and m2.code = n.p2_code and m2.scheme = m.scheme and m2.category = m.category
      where n.hs_level > 0`,
    index: [...SLICE, 'scheme', 'category', 'is_top'],
  },
  {
    // One sum per slice and category (chapters included), with what it drew on.
    table: 'input_category_sums',
    select: (_scope, flavor) => `
      with straddling as (
        -- The rows above a category that matter: one without children (the file is coarser
        -- than the category there), or one whose children do not add up to it.
        select ${slice('n')}, n.year, n.month, n.hs_edition, s.scheme, s.category, n.hs_level, n.hs_code,
               n.children, n.complete, s.tops_under
        from input_hs_nodes n
        join input_category_straddlers s on s.edition = n.hs_edition and s.code = n.hs_code
        where (n.children = 0 and n.hs_level > 0) or (n.children > 0 and not n.complete)
      ),
      gaps as (
        -- Partial: the category may be in the gap, as the slice does not publish every
        -- outermost code of the category beneath the straddling row.
        select ${slice('s')}, s.scheme, s.category,
               ${flavor.anyTrue('s.children = 0')} as coarser,
               ${flavor.anyTrue(`s.children > 0 and s.tops_under > (
                     select count(*) from input_category_rows r
                     where ${sameSlice('r', 's')} and r.scheme = s.scheme and r.category = s.category and r.is_top
                       and (s.hs_code = 'TOTAL' or substr(r.hs_code, 1, length(s.hs_code)) = s.hs_code))`)} as partial
        from straddling s
        group by ${slice('s')}, s.scheme, s.category
      ),
      sums as (
        -- One group per category a slice publishes rows of; what it sums are the rows used.
        -- The year, month and edition are one per slice: taken with min() so that the groups
        -- follow input_category_rows' index and need no sort.
        select ${slice('r')}, min(r.year) as year, min(r.month) as month, min(r.hs_edition) as hs_edition,
               r.scheme, r.category,
               sum(case when r.used then r.value_usd end) as value_usd,
               sum(case when r.used then r.net_weight_kg end) as net_weight_kg,
               count(case when r.used then r.net_weight_kg end) = count(case when r.used then 1 end)
                 as net_weight_complete,
               ${flavor.anyTrue('r.used and r.children > 0')} as from_coarser,
               max(case when r.used then r.hs_level end) as hs_level,
               count(case when r.used then 1 end) as row_count,
               case when count(case when r.used then 1 end) > 0
                    then ${HS_LEVELS_USED(flavor, 'case when r.used then r.hs_level end')} end as hs_levels,
               case when count(case when r.used then 1 end) between 1 and ${CODES_LISTED}
                    then ${flavor.orderedConcat('case when r.used then r.hs_code end', ' ', 'r.hs_code')} end
                 as codes_drawn_on
        from input_category_rows r
        group by ${slice('r')}, r.scheme, r.category
      ),
      categories as (
        select * from sums
        union all
        -- A category the slice publishes no row of, only a coarser row straddling it.
        select ${slice('s')}, s.year, s.month, s.hs_edition, s.scheme, s.category,
               null, null, true, false, null, 0, null, null
        from (select distinct ${slice('t')}, t.year, t.month, t.hs_edition, t.scheme, t.category
              from straddling t
              where t.hs_level > 0 and not exists (
                select 1 from input_category_rows r
                where ${sameSlice('r', 't')} and r.scheme = t.scheme and r.category = t.category)) as s
      )
      select ${slice('c')}, c.year, c.month, c.hs_edition, c.scheme, c.category,
             case when g.coarser then null else coalesce(c.value_usd, 0) end as value_usd,
             case when g.coarser then null else c.net_weight_kg end as net_weight_kg,
             c.net_weight_complete,
             case when g.coarser then 'coarser_than_category' end as null_reason,
             case when g.coarser then null when g.partial then 'partial'
                  when c.from_coarser then 'from_coarser' else 'exact' end as sum_basis,
             coalesce(c.hs_level, 0) as hs_level, c.hs_levels, c.codes_drawn_on, c.row_count
      from categories c
      left join gaps g on ${sameSlice('g', 'c')} and g.scheme = c.scheme and g.category = c.category`,
    index: [...SLICE, 'scheme', 'category'],
  },
];
