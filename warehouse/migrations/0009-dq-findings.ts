/**
 * Data-quality findings (issue 18 point 3, for the checks of issue 19 point 6): what a check
 * found wrong with the data, kept as a row rather than a log line, so it can be listed, counted
 * and followed until it is fixed.
 *
 * - One row per check, table and key (`check_name`, `table_name`, `finding_key`, unique): a
 *   finding found again updates its figures, `last_seen_at` and the load that found it, instead
 *   of adding a row; `first_seen_at` and `first_load_id` stay.
 * - `resolved_at` is set when the same check runs again on the same table and no longer finds
 *   it; a finding found again after that is open again (NULL).
 * - `load_id`, `run_id`, `file` and `sheet` say where it was last found; they are NULL for a
 *   check that reads the warehouse's tables rather than a file.
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(
    db,
    `
    create table dq_findings (
      finding_id integer primary key autoincrement,
      check_name text not null,
      severity text not null check (severity in ('info', 'warning', 'error')),
      table_name text not null,
      finding_key text not null,
      expected real,
      found real,
      rows_involved text,
      message text not null,
      first_seen_at text not null,
      last_seen_at text not null,
      resolved_at text,
      first_load_id integer,
      load_id integer,
      run_id integer,
      file text,
      sheet text
    )`,
  );
  await sql`
    create unique index dq_findings_identity on dq_findings (check_name, table_name, finding_key)`.execute(
    db,
  );
  await sql`create index dq_findings_by_load on dq_findings (load_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table dq_findings`.execute(db);
}
