/**
 * The journal of derived indicator refreshes (issue 7). The `ind_*` tables themselves are not
 * created here: they are derived data, created and, when their definition changes, rebuilt by
 * the derive stage from warehouse/indicators/, which also documents every column.
 *
 * - `derive_runs`: one row per refresh: after which run, full or incremental, the years it
 *   recomputed, the last load it took into account, a digest of the reference data it read
 *   (new categories or aliases make the next refresh a full one), how long it took and how it
 *   ended.
 * - `derive_tables`: per refresh and indicator table, the rows written and the time taken.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(
    db,
    `
    create table derive_runs (
      derive_id integer primary key autoincrement,
      run_id integer,
      mode text not null check (mode in ('full', 'incremental')),
      trade_years text,
      port_years text,
      through_load_id integer not null,
      reference_stamp text not null,
      started_at text not null,
      finished_at text,
      duration_ms integer,
      status text not null check (status in ('running', 'succeeded', 'failed')),
      message text
    )`,
  );
  await runDdl(
    db,
    `
    create table derive_tables (
      derive_id integer not null references derive_runs (derive_id),
      table_name text not null,
      rows_written integer not null,
      duration_ms integer not null,
      primary key (derive_id, table_name)
    )`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table derive_tables`.execute(db);
  await sql`drop table derive_runs`.execute(db);
}
