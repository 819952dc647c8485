/**
 * The HS nomenclature, its correlations between editions, commodity categories, and the views
 * analysts use to read trade by category and in one target edition (DOMAIN.md §2–3).
 *
 * The reference tables are filled by the reference loader from warehouse/reference/ (and
 * refilled when those files change); the views read them live, so adding a category or a
 * correlation never requires reloading trade files.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table settings (
      key text primary key,
      value text not null
    )`.execute(db);
  await sql`insert into settings (key, value) values ('target_hs_edition', 'H6')`.execute(db);

  await runDdl(
    db,
    `
    create table hs_sections (
      section text primary key,
      name text not null,
      position integer not null
    )`,
  );

  await runDdl(
    db,
    `
    create table hs_codes (
      edition text not null,
      code text not null,
      level integer not null,
      section text,
      parent text,
      description text,
      special text,
      primary key (edition, code)
    ) without rowid`,
  );

  await runDdl(
    db,
    `
    create table hs_concordance (
      newer_edition text not null,
      newer_code text not null,
      older_edition text not null,
      older_code text not null,
      relationship text not null,
      origin text not null,
      primary key (older_edition, older_code, newer_edition, newer_code)
    ) without rowid`,
  );
  await sql`create index hs_concordance_by_newer on hs_concordance (newer_edition, newer_code)`.execute(db);

  await runDdl(
    db,
    `
    create table hs_conversion (
      from_edition text not null,
      from_code text not null,
      to_edition text not null,
      to_code text not null,
      weight real not null,
      approximate integer not null,
      primary key (from_edition, from_code, to_edition, to_code)
    ) without rowid`,
  );

  await sql`
    create table hs_categories (
      scheme text not null,
      category text not null,
      name text not null,
      parent text,
      note text,
      primary key (scheme, category)
    )`.execute(db);

  await sql`
    create table hs_category_rules (
      scheme text not null,
      category text not null,
      editions text,
      include text not null,
      exclude text
    )`.execute(db);

  await runDdl(
    db,
    `
    create table hs_code_categories (
      edition text not null,
      code text not null,
      scheme text not null,
      category text not null,
      primary key (edition, code, scheme, category)
    ) without rowid`,
  );

  await sql`
    create view trade_by_category as
    with matched as (
      select t.source, t.reporter_iso3, t.partner_iso3, t.flow, t.freq, t.period, t.year, t.month,
             t.hs_edition, c.scheme, c.category, t.hs_level, t.value_usd, t.net_weight_kg,
             max(t.hs_level) over (
               partition by t.source, t.reporter_iso3, t.partner_iso3, t.partner2_iso3, t.flow, t.period,
                            t.hs_edition, t.mode_of_transport, t.customs_procedure, c.scheme, c.category
             ) as finest_level
      from trade_flows t
      join hs_code_categories c on c.edition = t.hs_edition and c.code = t.hs_code
      where t.partner2_iso3 = 'W00' and t.mode_of_transport = '0' and t.customs_procedure = 'C00'
    )
    select source, reporter_iso3, partner_iso3, flow, freq, period, year, month, hs_edition, scheme, category,
           sum(value_usd) as value_usd, sum(net_weight_kg) as net_weight_kg,
           count(net_weight_kg) = count(*) as net_weight_complete,
           finest_level as hs_level, count(*) as row_count
    from matched
    where hs_level = finest_level
    group by source, reporter_iso3, partner_iso3, flow, freq, period, year, month, hs_edition, scheme, category,
             finest_level`.execute(db);

  await sql`
    create view trade_flows_converted as
    select t.source, t.reporter_iso3, t.partner_iso3, t.partner2_iso3, t.flow, t.freq, t.period, t.year, t.month,
           t.hs_edition as reported_hs_edition, t.hs_code as reported_hs_code,
           c.to_edition as hs_edition, c.to_code as hs_code, t.hs_level,
           c.weight as conversion_weight, c.approximate as converted_approximately,
           t.value_usd * c.weight as value_usd,
           t.net_weight_kg * c.weight as net_weight_kg,
           t.qty * c.weight as qty, t.qty_unit,
           t.mode_of_transport, t.customs_procedure, t.source_row, t.load_id
    from trade_flows t
    join hs_conversion c on c.from_edition = t.hs_edition and c.from_code = t.hs_code
    where c.to_edition = (select value from settings where key = 'target_hs_edition')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view trade_flows_converted`.execute(db);
  await sql`drop view trade_by_category`.execute(db);
  for (const table of [
    'hs_code_categories',
    'hs_category_rules',
    'hs_categories',
    'hs_conversion',
    'hs_concordance',
    'hs_codes',
    'hs_sections',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
