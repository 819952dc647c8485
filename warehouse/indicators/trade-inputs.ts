/**
 * The trade rows every trade indicator starts from, computed once per refresh into temporary
 * tables (src/derive/derive-inputs.ts) so each indicator reads them the same way, and the
 * trade_flows view (BACI's rows are rebuilt from their codes on every read) is read once:
 *
 * - `input_flows`: exports and imports as reported (re-exports and re-imports are parts of
 *   them, so they are left out), in total over the second partner, mode of transport and
 *   customs procedure, which is what the rows whose codes are W00, 0 and C00 hold; in one
 *   HS edition per source, reporter and period.
 * - `input_hs_tree`, `input_hs_breakdown`, `input_hs_nodes`, `input_category_*`: the HS tree of
 *   each slice and the sums along it (trade-hierarchy.ts): `input_category_sums` holds each
 *   category and chapter with how it was summed.
 * - `input_pair_totals`: one total per reporter, partner, flow and period: the published TOTAL
 *   row where the source reports one, else the sum of its parts along the HS tree, and whether
 *   the TOTAL is below its parts.
 * - `input_coverage`: which flows a reporter reported with a partner in a period, and
 *   `input_edition_coverage` the same per HS edition and level.
 * - `input_series`: one value per reporter, partner, flow, period and product.
 * - `input_world_products`: a reporter's trade in each product with the world.
 * - `input_reporter_totals`: a reporter's total with the world per flow and period.
 * - `input_world_basis`, `input_world_basis_products`, `input_world_basis_totals`: the world of
 *   RCA and trade intensity (trade-world-basis.ts).
 *
 * Values never mix: every sum stays within one source, one HS edition and one level.
 */
import type { SqlDialect, YearScope } from './indicator.ts';
import { CHAPTER_SCHEME, CODES_LISTED, HIERARCHY_INPUTS, HS_LEVELS_USED } from './trade-hierarchy.ts';
import { WORLD_BASIS_INPUTS } from './trade-world-basis.ts';

/** The partner code of the world (Comtrade's 0, stored as W00). */
export const WORLD = "'W00'";

/**
 * Sources whose rows are a reconciled data set (CEPII BACI: one value per exporter, importer and
 * product, built from both sides' declarations) rather than what a reporter declared: the
 * balance and mirror tables compare declarations, so they leave these out. `sample-baci` is the
 * bundled invented sample in BACI's layout.
 */
export const DECLARED_ONLY = "source not in ('baci', 'sample-baci')";

/** One input table: its name, the SELECT that fills it, and the columns to index it on. */
export interface TradeInput {
  readonly table: string;
  select(scope: YearScope, flavor: SqlDialect): string;
  readonly index: readonly string[];
}

const PAIR = ['source', 'reporter_iso3', 'partner_iso3', 'flow', 'freq', 'period'];

/**
 * A reporter's value with the world, aggregated over the partner rows of `alias` (joined to
 * `countries k`): the World row where the source has one, else the sum over the partners,
 * groups of countries (kind `group`: the EU, the CIS, a continent as a bureau groups it) left out
 * as they would count their members twice; and which.
 */
const withTheWorld = (alias: string) => `coalesce(
               sum(case when ${alias}.partner_iso3 = ${WORLD} then ${alias}.value_usd end),
               sum(case when ${alias}.partner_iso3 <> ${WORLD} and coalesce(k.kind, 'country') <> 'group'
                        then ${alias}.value_usd end)
             ) as value_usd,
             case when count(case when ${alias}.partner_iso3 = ${WORLD} then 1 end) > 0
                  then 'world_row' else 'sum_of_partners_loaded' end as world_basis`;

/** In order: each may read those before it. */
export const TRADE_INPUTS: readonly TradeInput[] = [
  {
    // One HS edition per source, reporter and period: the newest, when a source holds the same
    // year in two (BACI's HS17 and HS22 releases), which would otherwise be added together.
    // The edition is chosen per slice first (a grouping of its few keys), then the rows are
    // read again with it: a window ranking every row sorted all the columns of a year's rows.
    table: 'input_flows',
    select: (scope, flavor) => {
      const rank = (alias: string) =>
        `case when ${flavor.glob(`${alias}.hs_edition`, 'H[0-9]*')} then '1' else '0' end || ${alias}.hs_edition`;
      const plain = (alias: string) =>
        `${alias}.partner2_iso3 = 'W00' and ${alias}.mode_of_transport = '0' and ${alias}.customs_procedure = 'C00'
          and ${alias}.flow in ('X', 'M') and ${scope.read(`${alias}.year`, `${alias}.source`)}`;
      return `
      with editions as materialized (
        select t.source, t.reporter_iso3, t.period, max(${rank('t')}) as newest
        from trade_flows t
        where ${plain('t')}
        group by t.source, t.reporter_iso3, t.period
      )
      select t.source, t.reporter_iso3, t.partner_iso3, t.flow, t.freq, t.period, t.year, t.month,
             t.hs_edition, t.hs_code, t.hs_level, t.value_usd, t.net_weight_kg, t.net_weight_estimated, t.qty, t.qty_unit
      from trade_flows t
      join editions e on e.source = t.source and e.reporter_iso3 = t.reporter_iso3 and e.period = t.period
      where ${plain('t')} and ${rank('t')} = e.newest`;
    },
    index: [...PAIR, 'hs_level', 'hs_code'],
  },
  ...HIERARCHY_INPUTS,
  {
    // The published TOTAL row where the slice has one; else the sum of its parts, flagged
    // `summed`: each branch of the HS tree once, at its most detailed complete level
    // (trade-hierarchy.ts), with the levels and codes it drew on. A published TOTAL below that
    // sum (`below_parts`) cannot be a whole of its parts: the shares against it are NULL
    // (ind_shares).
    table: 'input_pair_totals',
    select: (_scope, flavor) => `
      with keys as (
        select distinct source, reporter_iso3, partner_iso3, flow, freq, period, year, month, hs_edition
        from input_flows
      ),
      published as (
        select source, reporter_iso3, partner_iso3, flow, freq, period, sum(value_usd) as value_usd
        from input_flows where hs_level = 0
        group by source, reporter_iso3, partner_iso3, flow, freq, period
      ),
      parts as (
        select source, reporter_iso3, partner_iso3, flow, freq, period, sum(value_usd) as value_usd,
               ${flavor.anyTrue('children > 0')} as from_coarser, count(*) as row_count,
               ${HS_LEVELS_USED(flavor, 'hs_level')} as hs_levels,
               case when count(*) <= ${CODES_LISTED} then ${flavor.orderedConcat('hs_code', ' ', 'hs_code')} end
                 as codes_drawn_on
        from input_hs_nodes where in_total
        group by source, reporter_iso3, partner_iso3, flow, freq, period
      )
      select k.source, k.reporter_iso3, k.partner_iso3, k.flow, k.freq, k.period, k.year, k.month, k.hs_edition,
             coalesce(t.value_usd, p.value_usd) as value_usd,
             case when t.value_usd is not null then 'published' else 'summed' end as total_basis,
             case when t.value_usd is not null then 'published' when p.from_coarser then 'from_coarser'
                  else 'exact' end as sum_basis,
             p.value_usd as parts_usd,
             case when t.value_usd is not null then '0' else p.hs_levels end as hs_levels,
             case when t.value_usd is not null then 'TOTAL' else p.codes_drawn_on end as codes_drawn_on,
             case when t.value_usd is not null then 1 else p.row_count end as row_count,
             -- Below by more than floating-point noise in adding the parts.
             coalesce(t.value_usd < p.value_usd - 1e-9 * abs(p.value_usd), false) as below_parts
      from keys k
      left join published t using (source, reporter_iso3, partner_iso3, flow, freq, period)
      left join parts p using (source, reporter_iso3, partner_iso3, flow, freq, period)`,
    index: PAIR,
  },
  {
    // Within a reported pair and flow, a product without a row is 0 (Comtrade leaves zeros
    // out); a pair and flow without any row is missing, not 0 (a World export total says
    // nothing of imports).
    table: 'input_coverage',
    select: (_scope, flavor) => `
      select source, reporter_iso3, partner_iso3, freq, period,
             ${flavor.anyTrue("flow = 'X'")} as has_exports, ${flavor.anyTrue("flow = 'M'")} as has_imports
      from input_flows group by source, reporter_iso3, partner_iso3, freq, period`,
    index: ['source', 'reporter_iso3', 'partner_iso3', 'freq', 'period'],
  },
  {
    // The same per HS edition and level: a pair that reported H5 codes one year and H6 the next
    // has no 0 to compare an H6 code with, only an edition break; one that reported HS2
    // chapters says nothing of HS6 codes.
    table: 'input_edition_coverage',
    select: (_scope, flavor) => `
      select source, reporter_iso3, partner_iso3, freq, period, hs_edition, hs_level,
             ${flavor.anyTrue("flow = 'X'")} as has_exports, ${flavor.anyTrue("flow = 'M'")} as has_imports
      from input_flows where hs_level > 0
      group by source, reporter_iso3, partner_iso3, freq, period, hs_edition, hs_level`,
    index: ['source', 'reporter_iso3', 'partner_iso3', 'freq', 'period', 'hs_edition', 'hs_level'],
  },
  {
    // A product is the total, an HS code at its level (the flows are one row per code
    // already), or a category of a scheme, summed along the HS tree (trade-hierarchy.ts): NULL
    // with its null_reason where the file is coarser than the category.
    table: 'input_series',
    select: () => `
      select source, reporter_iso3, partner_iso3, flow, freq, period, year, month,
             'total' as product_kind, '' as classification, 0 as hs_level, 'TOTAL' as product, value_usd,
             cast(null as text) as null_reason
      from input_pair_totals
      union all
      select source, reporter_iso3, partner_iso3, flow, freq, period, year, month,
             'hs', hs_edition, hs_level, hs_code, value_usd, null
      from input_flows where hs_level > 0
      union all
      select source, reporter_iso3, partner_iso3, flow, freq, period, year, month,
             'category', scheme, hs_level, category, value_usd, null_reason
      from input_category_sums where scheme <> '${CHAPTER_SCHEME}'`,
    index: [...PAIR, 'product_kind', 'classification', 'product'],
  },
  {
    table: 'input_world_products',
    select: () => `
      select f.source, f.reporter_iso3, f.flow, f.freq, f.period, f.year, f.month,
             f.hs_edition, f.hs_level, f.hs_code,
             ${withTheWorld('f')}
      from input_flows f
      left join countries k on k.iso3 = f.partner_iso3
      where f.hs_level > 0
      group by f.source, f.reporter_iso3, f.flow, f.freq, f.period, f.year, f.month,
               f.hs_edition, f.hs_level, f.hs_code`,
    index: ['source', 'freq', 'period', 'hs_edition', 'hs_code'],
  },
  {
    table: 'input_reporter_totals',
    select: () => `
      select t.source, t.reporter_iso3, t.flow, t.freq, t.period, t.year, t.month,
             ${withTheWorld('t')}
      from input_pair_totals t
      left join countries k on k.iso3 = t.partner_iso3
      group by t.source, t.reporter_iso3, t.flow, t.freq, t.period, t.year, t.month`,
    index: ['source', 'reporter_iso3', 'flow', 'freq', 'period'],
  },
  ...WORLD_BASIS_INPUTS,
];

/** Partners that are single economies: not the world, not a group, not "areas n.e.s.". */
export const COUNTRY_PARTNER = (column: string) =>
  `${column} in (select iso3 from countries where kind in ('country', 'historical'))`;

/** The same period a number of years earlier: `2023` → `2022`, `2023-07` → `2022-07`. */
export const yearsBefore = (period: string, year: string, years: number): string =>
  `cast(${year} - ${years} as text) || substr(${period}, 5)`;
