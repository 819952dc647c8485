/**
 * The world a reporter is compared with in RCA and trade intensity (issue 19 point 3): world
 * trade by product and year from a loaded data set of every exporter, never the sum of whatever
 * reporters happen to be loaded, and never a reporter's own World partner row (that is the
 * reporter's total with the world, not the world's).
 *
 * The one basis today is a loaded BACI year (source `baci`, or the bundled `sample-baci` when
 * no real BACI holds the year): the world's exports of a code in a year are the sum over every
 * BACI exporter of its exports of the code (BACI reconciles each flow once, so exporters'
 * exports add up to the world's), at HS6 and summed to headings and chapters; the world's total
 * is the sum over its codes of one level. BACI is annual: a monthly period has no basis. A
 * reporter's codes compare only with the same HS edition (BACI HS17 is H5, HS22 H6); in another
 * edition, or a year no BACI holds, the value is NULL with `no_world_basis`.
 *
 * - `input_world_basis`: per year, the BACI source used, how many exporters it holds, and its
 *   name as it appears in the `world_basis` column: `baci:V202401b` (source and release).
 * - `input_world_basis_products`: the world's exports per year, HS edition, level and code.
 */
import type { TradeInput } from './trade-inputs.ts';

/** Sources whose rows cover every exporter of the world, best first. */
export const WORLD_BASIS_SOURCES = ['baci', 'sample-baci'] as const;

/** What the `world_basis` column holds when no basis covers the row. */
export const NO_WORLD_BASIS = 'none';

const basisSources = WORLD_BASIS_SOURCES.map((s) => `'${s}'`).join(', ');

export const WORLD_BASIS_INPUTS: readonly TradeInput[] = [
  {
    table: 'input_world_basis',
    select: (scope) => `
      with held as (
        select source, year, count(distinct reporter_iso3) as exporters
        from input_flows
        where source in (${basisSources}) and flow = 'X' and freq = 'A' and hs_level = 6
        group by source, year
      ),
      chosen as (
        select *, row_number() over (
                    partition by year order by ${WORLD_BASIS_SOURCES.map((s) => `source = '${s}' desc`).join(', ')}
                  ) as rank
        from held
      ),
      releases as (
        select l.source, l.year, group_concat(distinct f.release) as release
        from (
          select distinct source, year, load_id from trade_flows
          where source in (${basisSources}) and freq = 'A' and ${scope.read('year')}
        ) l
        join load_files f on f.load_id = l.load_id
        group by l.source, l.year
      )
      select c.year, c.source, c.exporters,
             c.source || coalesce(':' || r.release, '') as world_basis
      from chosen c
      left join releases r on r.source = c.source and r.year = c.year
      where c.rank = 1`,
    index: ['year'],
  },
  {
    table: 'input_world_basis_products',
    select: () => `
      select b.year, f.hs_edition, l.level as hs_level, substr(f.hs_code, 1, l.level) as hs_code,
             sum(f.value_usd) as value_usd
      from input_flows f
      join input_world_basis b on b.source = f.source and b.year = f.year
      join (select 2 as level union all select 4 union all select 6) l
      where f.flow = 'X' and f.freq = 'A' and f.hs_level = 6
      group by b.year, f.hs_edition, l.level, substr(f.hs_code, 1, l.level)`,
    index: ['year', 'hs_edition', 'hs_level', 'hs_code'],
  },
];
