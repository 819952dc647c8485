/**
 * The year of a data-quality finding (issue 22): a refresh of the indicator tables runs the
 * warehouse checks over the years it rewrote, not the whole warehouse, and resolves only the
 * open findings of those years. Findings recorded before this migration keep a NULL year: a
 * scoped check leaves them alone, and the next `corridor check` (always over every year)
 * finds them again or resolves them.
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(db, 'alter table dq_findings add column year integer');
  await sql`create index dq_findings_open_by_year on dq_findings (check_name, table_name, year)
    where resolved_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index dq_findings_open_by_year`.execute(db);
  await runDdl(db, 'alter table dq_findings drop column year');
}
