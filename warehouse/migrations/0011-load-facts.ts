/**
 * What a table said once for all its figures (issue 18): `load_facts` keeps, per load and
 * sheet, the flow, unit and period its figures were read with, and where each came from: the
 * file (a title, the sheet name, a header, the file's name), the user's declaration
 * (`--flow M`), or an override of what the file says (`--override`). A statistician can then
 * tell a figure the publisher labelled from one the loader was told.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(
    db,
    `
    create table load_facts (
      load_id integer not null references load_files(load_id),
      sheet text not null default '',
      fact text not null check (fact in ('flow', 'unit', 'period')),
      value text not null,
      origin text not null check (origin in ('file', 'declaration', 'override')),
      place text not null,
      primary key (load_id, sheet, fact, value)
    )`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table load_facts`.execute(db);
}
