/**
 * Port throughput, the warehouse's second fact table (issue 6; DOMAIN.md §5).
 *
 * - `ports`: UN/LOCODE, name, country and the month its fiscal year starts (July in Pakistan,
 *   April in India, January elsewhere); filled from warehouse/reference/ports.csv, users add rows.
 * - `port_commodities`: the versioned alias table from a port's commodity label, matched
 *   ignoring case, spacing and punctuation, to a canonical commodity, a cargo group and where
 *   defensible an HS heading and category.
 * - `port_throughput_rows`: one figure a row, as the port published it: port, period (a month
 *   `YYYY-MM`, a calendar year `YYYY`, or a fiscal year `FY2023-24` when only that is given),
 *   direction, cargo group, the raw commodity label, unit and quantity. Quantities are never
 *   summed across units, so the unit is part of the key.
 * - `port_throughput` (view): the rows with the commodity, category and HS heading the alias
 *   table gives today (a new alias applies without reloading), and the fiscal-year label of
 *   each month from its port's fiscal-year start.
 */
import { type Kysely, sql } from 'kysely';
import { monthBeforeFiscalStart, runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(
    db,
    `
    create table ports (
      locode text primary key,
      name text not null,
      country_iso3 text not null,
      fiscal_year_start integer not null default 1 check (fiscal_year_start between 1 and 12)
    )`,
  );

  await sql`
    create table port_commodities (
      label_key text primary key,
      label text not null,
      commodity text not null,
      cargo_group text,
      hs_heading text,
      category text,
      version text not null
    )`.execute(db);

  await runDdl(
    db,
    `
    create table port_throughput_rows (
      source text not null,
      port_locode text not null,
      period text not null,
      freq text not null check (freq in ('M', 'A', 'FY')),
      year integer not null,
      month integer check (month between 1 and 12),
      direction text not null,
      cargo_group text not null,
      commodity_raw text not null,
      commodity_key text not null,
      unit text not null,
      quantity real not null,
      is_provisional integer not null default 0,
      is_revised integer not null default 0,
      source_row integer not null,
      load_id integer not null
    )`,
  );
  await sql`
    create unique index port_throughput_key on port_throughput_rows
      (source, port_locode, period, direction, cargo_group, commodity_raw, unit)`.execute(db);
  await sql`create index port_throughput_by_load on port_throughput_rows (load_id)`.execute(db);

  await sql
    .raw(`
    create view port_throughput as
    select
      r.source,
      r.port_locode,
      p.name as port_name,
      r.period,
      r.freq,
      r.year,
      r.month,
      case
        when r.freq = 'FY' then substr(r.period, 3)
        when r.freq = 'M' and coalesce(p.fiscal_year_start, 1) = 1 then cast(r.year as text)
        when r.freq = 'M' then
          cast(r.year - ${monthBeforeFiscalStart(db)} as text) || '-' ||
          substr(cast(r.year - ${monthBeforeFiscalStart(db)} + 1 as text), 3, 2)
        else null
      end as fiscal_year,
      r.direction,
      -- A figure the table did not place in a cargo group takes its commodity's.
      case when r.cargo_group = 'all' then coalesce(c.cargo_group, 'all') else r.cargo_group end
        as cargo_group,
      r.commodity_raw,
      c.commodity,
      c.category,
      c.hs_heading,
      r.unit,
      r.quantity,
      r.is_provisional,
      r.is_revised,
      r.source_row,
      r.load_id
    from port_throughput_rows r
    left join ports p on p.locode = r.port_locode
    left join port_commodities c on c.label_key = r.commodity_key`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view port_throughput`.execute(db);
  await sql`drop table port_throughput_rows`.execute(db);
  await sql`drop table port_commodities`.execute(db);
  await sql`drop table ports`.execute(db);
}
