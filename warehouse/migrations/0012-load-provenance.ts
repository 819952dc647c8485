/**
 * Provenance per load (issue 18): each `load_files` row records who published the file it read
 * and on which terms, as the source declared it when it loaded (its `about`,
 * src/validate/source-about.ts) or, for the generic `table` and `port-table` sources, as the
 * pipeline entry declared it. A warehouse holding the bundled samples and a real extract then
 * says which rows came from which, and exports cite each load's publisher and licence.
 *
 * `row_provenance` counts, per fact table, load and period, the current rows each load gave,
 * beside the load's file and provenance. A single row's provenance is its `load_id` joined with
 * `load_files`.
 *
 * Loads journalled before this migration keep NULL provenance: nothing was recorded then, and a
 * migration does not guess (exports fall back to what the source declares today, and say so).
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'dataset text',
    'publisher text',
    'source_url text',
    'licence_id text',
    'licence text',
    'licence_url text',
    "redistribution text check (redistribution in ('allowed', 'not allowed', 'unknown'))",
    'attribution text',
    'illustrative integer check (illustrative in (0, 1))',
    "provenance_by text check (provenance_by in ('source', 'pipeline', 'nobody'))",
  ]) {
    await runDdl(db, `alter table load_files add column ${column}`);
  }

  await sql`
    create view row_provenance as
    select
      r.fact_table, f.source, r.period, r.load_id, r.row_count, f.run_id, f.file_name, f.origin,
      f.release, f.dataset, f.publisher, f.source_url, f.licence_id, f.licence, f.licence_url,
      f.redistribution, f.attribution, f.illustrative, f.provenance_by
    from (
      select cast('trade_flows' as text) as fact_table, load_id, period, count(*) as row_count
      from trade_flows group by load_id, period
      union all
      select cast('port_throughput' as text), load_id, period, count(*)
      from port_throughput group by load_id, period
    ) r
    join load_files f on f.load_id = r.load_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view row_provenance`.execute(db);
  for (const column of [
    'provenance_by',
    'illustrative',
    'attribution',
    'redistribution',
    'licence_url',
    'licence',
    'licence_id',
    'source_url',
    'publisher',
    'dataset',
  ]) {
    await sql.raw(`alter table load_files drop column ${column}`).execute(db);
  }
}
