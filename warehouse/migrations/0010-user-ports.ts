/**
 * Ports users add, and the names ports go by (issue 18, point 4).
 *
 * - `ports.origin`: `reference` for a row of warehouse/reference/ports.csv, `user` for one added
 *   with `corridor ports add` (or `corridor ports import`). A reference reload (`corridor init`
 *   after an upgrade) replaces the reference rows only; a user row stays, and wins over a
 *   reference row of the same LOCODE.
 * - `port_aliases`: another name of a port ("KPT", "Bin Qasim"), keyed folded (case, spaces and
 *   punctuation ignored) as port tables are matched; `reference` rows from
 *   warehouse/reference/port-aliases.csv, `user` rows from `corridor ports alias`, kept the same way.
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table ports add column origin text not null default 'reference'
      check (origin in ('reference', 'user'))`.execute(db);
  await sql`
    create table port_aliases (
      alias_key text primary key,
      alias text not null,
      locode text not null,
      origin text not null default 'reference' check (origin in ('reference', 'user'))
    )`.execute(db);
  await sql`create index port_aliases_by_port on port_aliases (locode)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table port_aliases`.execute(db);
  await sql`alter table ports drop column origin`.execute(db);
}
