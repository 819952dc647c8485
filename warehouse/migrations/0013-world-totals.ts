/**
 * World trade totals (issue 19 point 3): the world's exports by year, HS edition and code, from
 * a file the user supplies (sources/world-totals/, docs/world-basis.md). RCA takes its world
 * from here first. Kept like every fact table (migration 0008): the current version of each
 * figure, superseded ones in `world_trade_totals_closed`, both in `world_trade_totals_history`.
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { createClosingTrigger, dropTrigger, isPostgres, runDdl } from './postgres/schema-ddl.ts';

const COLUMNS =
  'source, year, hs_edition, flow, hs_code, hs_level, value_usd, source_note, source_row, load_id';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(
    db,
    `
    create table world_trade_totals (
      source text not null,
      year integer not null check (year between 1900 and 2100),
      hs_edition text not null,
      flow text not null check (flow in ('X')),
      hs_code text not null,
      hs_level integer not null check (hs_level in (0, 2, 4, 6)),
      value_usd real not null check (value_usd >= 0),
      source_note text,
      source_row integer not null,
      load_id integer not null,
      seen_load integer,
      seen_row integer
    )`,
  );
  await sql`
    create unique index world_trade_totals_key on world_trade_totals
      (source, year, hs_edition, flow, hs_code)`.execute(db);
  await sql`create index world_trade_totals_by_load on world_trade_totals (load_id)`.execute(db);

  await runDdl(
    db,
    `
    create table world_trade_totals_closed (
      source text not null, year integer not null, hs_edition text not null, flow text not null,
      hs_code text not null, hs_level integer not null, value_usd real not null, source_note text,
      source_row integer not null, load_id integer not null,
      valid_to_load integer not null,
      closed_by text not null check (closed_by in ('changed', 'retired', 'reverted'))
    )`,
  );
  await sql`create index world_trade_totals_closed_by_load on world_trade_totals_closed (valid_to_load)`.execute(
    db,
  );

  // An update that gives a row a new load_id is a new version: the old one is closed.
  if (isPostgres(db)) await createClosingTrigger(db, 'world_trade_totals', COLUMNS);
  else
    await sql
      .raw(`
    create trigger world_trade_totals_close_changed after update of load_id on world_trade_totals
    when old.load_id <> new.load_id
    begin
      insert into world_trade_totals_closed (${COLUMNS}, valid_to_load, closed_by)
      values (${COLUMNS.split(', ')
        .map((c) => `old.${c}`)
        .join(', ')}, new.load_id, 'changed');
    end`)
      .execute(db);

  await runDdl(
    db,
    `
    -- The closed arm comes first: a compound view's columns take their declared types from it.
    create view world_trade_totals_history as
    select ${COLUMNS}, load_id as valid_from_load, valid_to_load, closed_by
    from world_trade_totals_closed
    union all
    select ${COLUMNS}, load_id, cast(null as integer), cast(null as text)
    from world_trade_totals`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view world_trade_totals_history`.execute(db);
  await dropTrigger(db, 'world_trade_totals_close_changed', 'world_trade_totals');
  await sql`drop table world_trade_totals_closed`.execute(db);
  await sql`drop table world_trade_totals`.execute(db);
}
