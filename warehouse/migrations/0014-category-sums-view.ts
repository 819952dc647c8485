/**
 * trade_by_category along the HS tree (issue 19 point 1). The view of migration 0003 summed each
 * category at the finest HS level a file reports in it, and dropped the coarser rows: a file
 * with chapters 52, 62 and 63 and a few HS6 rows beneath them gave the HS6 rows alone (53 M USD
 * of Pakistan's textiles exports to Kazakhstan in 2023 instead of the 90 M its chapters hold).
 * The derive stage now sums every category along the tree into `ind_trade_sums`
 * (warehouse/indicators/trade-hierarchy.ts); the view reads its category rows, with how each sum
 * was made. It follows the derived tables: `corridor sql --as-of` does not rewind it.
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop view trade_by_category`.execute(db);
  // The derive stage creates ind_trade_sums from its definition, and replaces this stand-in on
  // its first refresh; until then the view is empty rather than broken (SQLite refuses any later
  // ALTER TABLE while a view names a table that does not exist).
  await runDdl(
    db,
    `
    create table if not exists ind_trade_sums (
      source text, reporter_iso3 text, partner_iso3 text, freq text, period text, year integer,
      month integer, flow text, product_kind text, classification text, product text, hs_edition text,
      value_usd real, sum_basis text, hs_levels text, codes_drawn_on text, row_count integer,
      parts_usd real, net_weight_kg real, net_weight_complete integer, null_reason text
    )`,
  );
  await runDdl(
    db,
    `
    create view trade_by_category as
    select source, reporter_iso3, partner_iso3, flow, freq, period, year, month, hs_edition,
           classification as scheme, product as category, value_usd, net_weight_kg, net_weight_complete,
           cast(substr(hs_levels, length(hs_levels)) as integer) as hs_level, row_count,
           sum_basis, hs_levels, codes_drawn_on, null_reason
    from ind_trade_sums
    where product_kind = 'category'`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view trade_by_category`.execute(db);
  await sql`drop table if exists ind_trade_sums`.execute(db);
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
}
