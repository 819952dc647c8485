/**
 * BACI gets a narrow table of its own, and `trade_flows` becomes a view over both tables.
 *
 * A BACI year is about ten million rows that are all exports, annual, FOB, all transport modes
 * and customs procedures, of HS subheadings. Kept in the 27-column table with its two text
 * indexes, each row cost SQLite about 6 µs. `baci_flows` keeps seven numbers a row, clustered
 * (WITHOUT ROWID) on exporter, year, importer, edition, product: the order BACI files are
 * sorted in, so a year loads as appends, and a reporter's rows are one range. Country codes
 * are BACI's own numbers; `baci_country_codes` says which ISO code each stands for.
 *
 * The view shows the same columns, in the same order and with the same declared types (hence
 * the casts: a column's type in a compound view is the arms' common one), as the table it
 * replaces, so analysts' queries do not change. BACI rows already loaded move across. The SQL
 * is written out here rather than built from code, because a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { createDefaultPartition } from './postgres/partition-ddl.ts';
import { isPostgres, postgresDdl, runDdl, sixDigitCode } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // On PostgreSQL: types translated (src/db/postgres/schema-ddl.ts), baci_flows partitioned
  // by year (its period), BACI's `printf` and `insert or ignore` in PostgreSQL's words.
  const postgres = isPostgres(db);
  await sql`alter table trade_flows rename to trade_flow_rows`.execute(db);
  await runDdl(
    db,
    `
    create table baci_country_codes (
      code integer primary key,
      iso3 text not null references countries (iso3)
    )`,
  );
  await sql`create index baci_country_codes_by_iso3 on baci_country_codes (iso3)`.execute(db);
  if (postgres) {
    // Checked at commit when the country reference is replaced (see migration 0001).
    await sql`
      alter table baci_country_codes alter constraint baci_country_codes_iso3_fkey
      deferrable initially immediate`.execute(db);
  }
  const baciFlows = `
    create table baci_flows (
      reporter_code integer not null,
      period integer not null,
      partner_code integer not null,
      hs_edition text not null,
      hs_code integer not null,
      value_usd real not null,
      net_weight_kg real,
      source_row integer not null,
      load_id integer not null,
      primary key (reporter_code, period, partner_code, hs_edition, hs_code)
    ) without rowid`;
  if (postgres) {
    await sql.raw(`${postgresDdl(baciFlows)} partition by range (period)`).execute(db);
    await createDefaultPartition(db, 'baci_flows');
    // The primary key leads with reporter and period; analysts also ask by partner and product.
    await sql`create index baci_flows_by_partner on baci_flows (partner_code, period)`.execute(db);
    await sql`create index baci_flows_by_hs_code on baci_flows (hs_code, period)`.execute(db);
  } else {
    await sql.raw(baciFlows).execute(db);
  }

  // SQLite's `insert or ignore` is PostgreSQL's `on conflict do nothing`.
  await runDdl(
    db,
    `
    insert ${postgres ? '' : 'or ignore '}into baci_country_codes (code, iso3)
    select distinct cast(reporter_code as integer), reporter_iso3 from trade_flow_rows where source = 'baci'
    union
    select distinct cast(partner_code as integer), partner_iso3 from trade_flow_rows where source = 'baci'${
      postgres ? ' on conflict do nothing' : ''
    }`,
  );
  await runDdl(
    db,
    `
    insert into baci_flows
    select cast(reporter_code as integer), cast(period as integer), cast(partner_code as integer),
           hs_edition, cast(hs_code as integer), value_usd, net_weight_kg, source_row, load_id
    from trade_flow_rows where source = 'baci'
    order by 1, 2, 3, 4, 5`,
  );
  await sql`delete from trade_flow_rows where source = 'baci'`.execute(db);

  await runDdl(
    db,
    `
    create view trade_flows as
    select
      source, reporter_iso3, reporter_code, partner_iso3, partner_code, partner2_iso3, flow, freq,
      period, year, month, hs_edition, hs_code, hs_level, value_usd, cif_value_usd, fob_value_usd,
      net_weight_kg, net_weight_estimated, gross_weight_kg, qty, qty_unit_code, qty_unit,
      mode_of_transport, customs_procedure, source_row, load_id
    from trade_flow_rows
    union all
    select
      cast('baci' as text), r.iso3, cast(b.reporter_code as text), p.iso3, cast(b.partner_code as text),
      cast('W00' as text), cast('X' as text), cast('A' as text),
      cast(b.period as text), b.period, cast(null as integer), b.hs_edition,
      cast(${sixDigitCode(db, 'b.hs_code')} as text), cast(6 as integer),
      b.value_usd, cast(null as real), b.value_usd,
      b.net_weight_kg, cast(null as integer), cast(null as real), cast(null as real),
      cast(null as text), cast(null as text),
      cast('0' as text), cast('C00' as text), b.source_row, b.load_id
    from baci_flows b
    join baci_country_codes r on r.code = b.reporter_code
    join baci_country_codes p on p.code = b.partner_code`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view trade_flows`.execute(db);
  await sql
    .raw(`
    insert into trade_flow_rows (source, reporter_iso3, reporter_code, partner_iso3, partner_code,
      partner2_iso3, flow, freq, period, year, month, hs_edition, hs_code, hs_level, value_usd,
      cif_value_usd, fob_value_usd, net_weight_kg, net_weight_estimated, gross_weight_kg, qty,
      qty_unit_code, qty_unit, mode_of_transport, customs_procedure, source_row, load_id)
    select 'baci', r.iso3, cast(b.reporter_code as text), p.iso3, cast(b.partner_code as text),
      'W00', 'X', 'A', cast(b.period as text), b.period, null, b.hs_edition,
      ${sixDigitCode(db, 'b.hs_code')}, 6, b.value_usd, null, b.value_usd, b.net_weight_kg,
      null, null, null, null, null, '0', 'C00', b.source_row, b.load_id
    from baci_flows b
    join baci_country_codes r on r.code = b.reporter_code
    join baci_country_codes p on p.code = b.partner_code`)
    .execute(db);
  await sql`drop table baci_flows`.execute(db);
  await sql`drop table baci_country_codes`.execute(db);
  await sql`alter table trade_flow_rows rename to trade_flows`.execute(db);
}
