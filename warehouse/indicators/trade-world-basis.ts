/**
 * The world a reporter is compared with in RCA and trade intensity (issue 19 point 3;
 * docs/world-basis.md): world trade by product and year from data that hold every exporter,
 * never the sum of whatever reporters happen to be loaded, and never a reporter's own World
 * partner row (that is the reporter's total with the world, not the world's).
 *
 * Per year and HS edition, the first basis that covers it, in this order:
 *
 * 1. `world-totals`: a world-totals file the user loaded (table `world_trade_totals`): the
 *    user declared the world, so it comes first. Its codes at each level as given; a level the
 *    file leaves out is summed from the nearest finer level it gives; its TOTAL row, when it
 *    has one, is X_w. It has no partners: it is a basis for RCA only.
 * 2. `baci`: a loaded BACI year: every exporter's exports (BACI reconciles each flow once, so
 *    exporters' exports add up to the world's), HS6 summed to headings and chapters.
 * 3. `comtrade`: a Comtrade extract of all reporters: a year whose World-partner export rows
 *    come from at least `world_basis_min_reporters` reporters (settings; default
 *    DEFAULT_MIN_REPORTERS). The world's exports of a code are the sum over those reporters of
 *    their World exports of it, at its level; groups of countries (the EU) are not reporters.
 *    For intensity, reporters with exports to single countries count, and X_wj is the sum of
 *    their exports to j.
 * 4. `sample-baci`: the bundled invented BACI sample, when nothing real holds the year.
 *
 * Annual only: a monthly period has no basis. Without one, the value is NULL with
 * `no_world_basis`.
 *
 * - `input_world_basis`: per year, HS edition (`''` for intensity, which compares totals) and
 *   use (`products` for RCA, `partners` for intensity), the basis chosen, how many exporters
 *   it holds (NULL for a world-totals file), and its name in the `world_basis` column.
 * - `input_world_basis_products`: the world's exports per year, HS edition, level and code.
 * - `input_world_basis_totals`: X_w per year, HS edition and level: the file's TOTAL row, else
 *   the sum over the codes of that level.
 */
import type { TradeInput } from './trade-inputs.ts';

/** What the `world_basis` column holds when no basis covers the row. */
export const NO_WORLD_BASIS = 'none';

/** The source name of a world-totals file (sources/world-totals/). */
const WORLD_TOTALS = 'world-totals';

/** The setting (table `settings`) that says how many reporters make a Comtrade extract the world. */
export const MIN_REPORTERS_SETTING = 'world_basis_min_reporters';

/**
 * Reporters a Comtrade year needs to count as all reporters: a real all-reporters extract has
 * some 170 to 200 (fewer in the latest years, which reporters fill in late); a few countries'
 * extract is never the world.
 */
export const DEFAULT_MIN_REPORTERS = 100;

const minReporters = `coalesce((select cast(value as integer) from settings where key = '${MIN_REPORTERS_SETTING}'), ${DEFAULT_MIN_REPORTERS})`;

/** A reporter that is a single economy, not a group of countries (the EU): groups are not the world's exporters. */
export const SINGLE_ECONOMY = (column: string) =>
  `${column} not in (select iso3 from countries where kind = 'group')`;

/** Bases, best first: the rank of a candidate within its year, edition and use. */
const PRECEDENCE = `case source when '${WORLD_TOTALS}' then 1 when 'baci' then 2 when 'comtrade' then 3 else 4 end`;

const BACI_SOURCES = "('baci', 'sample-baci')";

export const WORLD_BASIS_INPUTS: readonly TradeInput[] = [
  {
    table: 'input_world_basis',
    select: (scope, flavor) => `
      with releases as (
        select l.source, l.year, ${flavor.distinctConcat('f.release')} as release
        from (
          select distinct source, year, load_id from trade_flows
          where source in ${BACI_SOURCES} and freq = 'A' and ${scope.read('year')}
        ) l
        join load_files f on f.load_id = l.load_id
        group by l.source, l.year
      ),
      candidates as (
        select w.year, w.hs_edition, 'products' as basis_for, w.source, cast(null as integer) as exporters,
               '${WORLD_TOTALS}:' || case when count(distinct w.source_note) = 1 and count(w.source_note) = count(*)
                                           then min(w.source_note) else ${flavor.distinctConcat('f.file_name')} end
                 as world_basis
        from world_trade_totals w
        join load_files f on f.load_id = w.load_id
        where w.source = '${WORLD_TOTALS}' and w.flow = 'X'
        group by w.year, w.hs_edition, w.source
        union all
        select year, hs_edition, 'products', source, count(distinct reporter_iso3), null
        from input_flows
        where source in ${BACI_SOURCES} and flow = 'X' and freq = 'A' and hs_level = 6
        group by source, year, hs_edition
        union all
        select year, '', 'partners', source, count(distinct reporter_iso3), null
        from input_flows
        where source in ${BACI_SOURCES} and flow = 'X' and freq = 'A' and hs_level = 6
        group by source, year
        union all
        select year, hs_edition, 'products', source, count(distinct reporter_iso3), null
        from input_flows
        where source = 'comtrade' and partner_iso3 = 'W00' and flow = 'X' and freq = 'A' and hs_level > 0
          and ${SINGLE_ECONOMY('reporter_iso3')}
        group by source, year, hs_edition
        having count(distinct reporter_iso3) >= ${minReporters}
        union all
        select year, '', 'partners', source, count(distinct reporter_iso3), null
        from input_pair_totals
        where source = 'comtrade' and flow = 'X' and freq = 'A' and ${SINGLE_ECONOMY('reporter_iso3')}
          and partner_iso3 in (select iso3 from countries where kind in ('country', 'historical'))
        group by source, year
        having count(distinct reporter_iso3) >= ${minReporters}
      ),
      chosen as (
        select *, row_number() over (partition by year, hs_edition, basis_for order by ${PRECEDENCE}) as rank
        from candidates
      )
      select c.year, c.hs_edition, c.basis_for, c.source, c.exporters,
             case when c.source = '${WORLD_TOTALS}' then c.world_basis
                  when c.source = 'comtrade' then 'comtrade:all-reporters(' || c.exporters || ')'
                  else c.source || coalesce(':' || r.release, '') end as world_basis
      from chosen c
      left join releases r on r.source = c.source and r.year = c.year
      where c.rank = 1`,
    index: ['year', 'hs_edition', 'basis_for'],
  },
  {
    table: 'input_world_basis_products',
    select: () => `
      with levels as (select 2 as level union all select 4 union all select 6),
      products as (
        select year, hs_edition, source from input_world_basis where basis_for = 'products'
      ),
      -- A world-totals file: each level from the file's own rows at it, else from the nearest
      -- finer level it gives.
      file_levels as (
        select w.year, w.hs_edition, l.level, min(w.hs_level) as from_level
        from world_trade_totals w
        join products b on b.source = '${WORLD_TOTALS}' and b.year = w.year and b.hs_edition = w.hs_edition
        join levels l on w.hs_level >= l.level
        where w.source = '${WORLD_TOTALS}' and w.flow = 'X'
        group by w.year, w.hs_edition, l.level
      )
      select w.year, w.hs_edition, fl.level as hs_level, substr(w.hs_code, 1, fl.level) as hs_code,
             sum(w.value_usd) as value_usd
      from world_trade_totals w
      join file_levels fl on fl.year = w.year and fl.hs_edition = w.hs_edition and fl.from_level = w.hs_level
      where w.source = '${WORLD_TOTALS}' and w.flow = 'X'
      group by w.year, w.hs_edition, fl.level, substr(w.hs_code, 1, fl.level)
      union all
      -- BACI: every exporter's HS6 rows summed per code once, then to headings and chapters
      -- (a sort of a few thousand codes instead of three of every row).
      select c.year, c.hs_edition, l.level, substr(c.hs_code, 1, l.level), sum(c.value_usd)
      from (
        select f.year, f.hs_edition, f.hs_code, sum(f.value_usd) as value_usd
        from input_flows f
        join products b on b.source = f.source and b.year = f.year and b.hs_edition = f.hs_edition
        where f.source in ${BACI_SOURCES} and f.flow = 'X' and f.freq = 'A' and f.hs_level = 6
        group by f.year, f.hs_edition, f.hs_code
      ) as c
      join levels l on true
      group by c.year, c.hs_edition, l.level, substr(c.hs_code, 1, l.level)
      union all
      select f.year, f.hs_edition, f.hs_level, f.hs_code, sum(f.value_usd)
      from input_flows f
      join products b on b.source = f.source and b.year = f.year and b.hs_edition = f.hs_edition
      where f.source = 'comtrade' and f.partner_iso3 = 'W00' and f.flow = 'X' and f.freq = 'A'
        and f.hs_level > 0 and ${SINGLE_ECONOMY('f.reporter_iso3')}
      group by f.year, f.hs_edition, f.hs_level, f.hs_code`,
    index: ['year', 'hs_edition', 'hs_level', 'hs_code'],
  },
  {
    table: 'input_world_basis_totals',
    select: () => `
      select p.year, p.hs_edition, p.hs_level, coalesce(max(t.value_usd), sum(p.value_usd)) as value_usd
      from input_world_basis_products p
      left join world_trade_totals t
        on t.source = '${WORLD_TOTALS}' and t.flow = 'X' and t.hs_level = 0
       and t.year = p.year and t.hs_edition = p.hs_edition
       and exists (select 1 from input_world_basis b
                   where b.basis_for = 'products' and b.source = '${WORLD_TOTALS}'
                     and b.year = p.year and b.hs_edition = p.hs_edition)
      group by p.year, p.hs_edition, p.hs_level`,
    index: ['year', 'hs_edition', 'hs_level'],
  },
];
