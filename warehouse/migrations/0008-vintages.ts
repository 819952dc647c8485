/**
 * Vintages (issue 17): loads merge by natural key instead of replacing slices, and nothing is
 * overwritten.
 *
 * - Each fact table (`trade_flow_rows`, `baci_flows`, `port_throughput_rows`) keeps the current
 *   version of every figure, as before; `load_id` is the load that gave it its value (the
 *   version's `valid_from_load`). Two new columns say which load last carried the figure,
 *   unchanged or not: `seen_load` and `seen_row` (NULL: the same as `load_id` and
 *   `source_row`). A load retires rows of its declared coverage that it did not see.
 * - Beside each, a `*_closed` table keeps every superseded version with `valid_to_load` (the
 *   load that closed it) and `closed_by` (`changed`, `retired`, `reverted`). A first load writes
 *   each row once; only changed and retired rows are written again.
 * - A trigger closes the old version whenever an update gives a row a new `load_id`, so the
 *   merge statement (INSERT ... ON CONFLICT DO UPDATE) needs no second pass for changed rows.
 * - `trade_flows_history` and `port_throughput_history` show every version, current and
 *   closed, with `valid_from_load` and `valid_to_load`; `corridor sql --as-of` reads them.
 * - `load_files` counts what each load did: inserted, changed, unchanged, retired (and for a
 *   revert, reopened); `rows_loaded` stays inserted + changed + unchanged, checked by a trigger.
 *   It also keeps the source's release label, the replace scope and the layout the file was
 *   read with, and which load a revert undid.
 *
 * An existing warehouse migrates in place: its current rows become the first vintage (no row
 * moves), and each loaded file's rows count as inserted.
 *
 * The SQL is written out rather than built from code: a released migration never changes.
 */
import { type Kysely, sql } from 'kysely';
import { createDefaultPartition } from './postgres/partition-ddl.ts';
import {
  createClosingTrigger,
  createCountsBalanceTrigger,
  dropTrigger,
  isPostgres,
  monthBeforeFiscalStart,
  runDdl,
  sixDigitCode,
} from './postgres/schema-ddl.ts';

/** Columns of trade_flow_rows, in table order. */
const TRADE_COLUMNS = `source, reporter_iso3, reporter_code, partner_iso3, partner_code, partner2_iso3, flow, freq,
  period, year, month, hs_edition, hs_code, hs_level, value_usd, cif_value_usd, fob_value_usd,
  net_weight_kg, net_weight_estimated, gross_weight_kg, qty, qty_unit_code, qty_unit,
  mode_of_transport, customs_procedure, source_row, load_id`;

const BACI_COLUMNS =
  'reporter_code, period, partner_code, hs_edition, hs_code, value_usd, net_weight_kg, source_row, load_id';

const PORT_COLUMNS = `source, port_locode, period, freq, year, month, direction, cargo_group, commodity_raw,
  commodity_key, unit, quantity, is_provisional, is_revised, source_row, load_id`;

const old = (columns: string) =>
  columns
    .split(',')
    .map((c) => `old.${c.trim()}`)
    .join(', ');

/** BACI rows as trade_flows shows them (migration 0002), from a table aliased `b`. */
const baciAsTradeFlows = (db: Kysely<unknown>) => `
      cast('baci' as text), r.iso3, cast(b.reporter_code as text), p.iso3, cast(b.partner_code as text),
      cast('W00' as text), cast('X' as text), cast('A' as text),
      cast(b.period as text), b.period, cast(null as integer), b.hs_edition,
      cast(${sixDigitCode(db, 'b.hs_code')} as text), cast(6 as integer),
      b.value_usd, cast(null as real), b.value_usd,
      b.net_weight_kg, cast(null as integer), cast(null as real), cast(null as real),
      cast(null as text), cast(null as text),
      cast('0' as text), cast('C00' as text), b.source_row, b.load_id`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // On PostgreSQL: types translated, the closed tables of trade_flow_rows and baci_flows
  // partitioned by year as their current tables are, and the triggers in PL/pgSQL
  // (src/db/postgres/schema-ddl.ts, partitions.ts).
  const postgres = isPostgres(db);
  const partitionedBy = (column: string) => (postgres ? ` partition by range (${column})` : '');
  for (const table of ['trade_flow_rows', 'baci_flows', 'port_throughput_rows']) {
    await runDdl(db, `alter table ${table} add column seen_load integer`);
    await runDdl(db, `alter table ${table} add column seen_row integer`);
  }

  await runDdl(
    db,
    `
    create table trade_flow_rows_closed (
      source text not null, reporter_iso3 text not null, reporter_code text, partner_iso3 text not null,
      partner_code text, partner2_iso3 text not null, flow text not null, freq text not null,
      period text not null, year integer not null, month integer, hs_edition text not null,
      hs_code text not null, hs_level integer not null, value_usd real not null, cif_value_usd real,
      fob_value_usd real, net_weight_kg real, net_weight_estimated integer, gross_weight_kg real,
      qty real, qty_unit_code text, qty_unit text, mode_of_transport text not null,
      customs_procedure text not null, source_row integer not null, load_id integer not null,
      valid_to_load integer not null,
      closed_by text not null check (closed_by in ('changed', 'retired', 'reverted'))
    )${partitionedBy('year')}`,
  );
  if (postgres) await createDefaultPartition(db, 'trade_flow_rows_closed');
  await sql`create index trade_flow_rows_closed_by_load on trade_flow_rows_closed (valid_to_load)`.execute(
    db,
  );
  await sql`create index trade_flow_rows_closed_by_slice on trade_flow_rows_closed (source, reporter_iso3, period)`.execute(
    db,
  );

  await runDdl(
    db,
    `
    create table baci_flows_closed (
      reporter_code integer not null, period integer not null, partner_code integer not null,
      hs_edition text not null, hs_code integer not null, value_usd real not null,
      net_weight_kg real, source_row integer not null, load_id integer not null,
      valid_to_load integer not null,
      closed_by text not null check (closed_by in ('changed', 'retired', 'reverted'))
    )${partitionedBy('period')}`,
  );
  if (postgres) await createDefaultPartition(db, 'baci_flows_closed');
  await sql`create index baci_flows_closed_by_load on baci_flows_closed (valid_to_load)`.execute(db);

  await runDdl(
    db,
    `
    create table port_throughput_rows_closed (
      source text not null, port_locode text not null, period text not null, freq text not null,
      year integer not null, month integer, direction text not null, cargo_group text not null,
      commodity_raw text not null, commodity_key text not null, unit text not null,
      quantity real not null, is_provisional integer not null, is_revised integer not null,
      source_row integer not null, load_id integer not null,
      valid_to_load integer not null,
      closed_by text not null check (closed_by in ('changed', 'retired', 'reverted'))
    )`,
  );
  await sql`create index port_throughput_rows_closed_by_load on port_throughput_rows_closed (valid_to_load)`.execute(
    db,
  );

  // An update that gives a row a new load_id is a new version: the old one is closed.
  for (const [table, columns] of [
    ['trade_flow_rows', TRADE_COLUMNS],
    ['baci_flows', BACI_COLUMNS],
    ['port_throughput_rows', PORT_COLUMNS],
  ] as const) {
    if (postgres) {
      await createClosingTrigger(db, table, columns);
      continue;
    }
    await sql
      .raw(`
      create trigger ${table}_close_changed after update of load_id on ${table}
      when old.load_id <> new.load_id
      begin
        insert into ${table}_closed (${columns}, valid_to_load, closed_by)
        values (${old(columns)}, new.load_id, 'changed');
      end`)
      .execute(db);
  }

  await runDdl(
    db,
    `
    -- The closed arm comes first: a compound view's columns take their declared types from it.
    create view trade_flows_history as
    select ${TRADE_COLUMNS}, load_id as valid_from_load, valid_to_load, closed_by
    from trade_flow_rows_closed
    union all
    select ${TRADE_COLUMNS}, load_id, cast(null as integer), cast(null as text)
    from trade_flows
    union all
    select ${baciAsTradeFlows(db)}, b.load_id, b.valid_to_load, b.closed_by
    from baci_flows_closed b
    join baci_country_codes r on r.code = b.reporter_code
    join baci_country_codes p on p.code = b.partner_code`,
  );

  await runDdl(
    db,
    `
    create view port_throughput_history as
    select
      r.source, r.port_locode, p.name as port_name, r.period, r.freq, r.year, r.month,
      case
        when r.freq = 'FY' then substr(r.period, 3)
        when r.freq = 'M' and coalesce(p.fiscal_year_start, 1) = 1 then cast(r.year as text)
        when r.freq = 'M' then
          cast(r.year - ${monthBeforeFiscalStart(db)} as text) || '-' ||
          substr(cast(r.year - ${monthBeforeFiscalStart(db)} + 1 as text), 3, 2)
        else null
      end as fiscal_year,
      r.direction,
      case when r.cargo_group = 'all' then coalesce(c.cargo_group, 'all') else r.cargo_group end
        as cargo_group,
      r.commodity_raw, c.commodity, c.category, c.hs_heading, r.unit, r.quantity,
      r.is_provisional, r.is_revised, r.source_row, r.load_id,
      r.load_id as valid_from_load, r.valid_to_load, r.closed_by
    from (
      select ${PORT_COLUMNS}, valid_to_load, closed_by from port_throughput_rows_closed
      union all
      select ${PORT_COLUMNS}, cast(null as integer), cast(null as text) from port_throughput_rows
    ) r
    left join ports p on p.locode = r.port_locode
    left join port_commodities c on c.label_key = r.commodity_key`,
  );

  for (const column of [
    'rows_inserted integer not null default 0',
    'rows_changed integer not null default 0',
    'rows_unchanged integer not null default 0',
    'rows_retired integer not null default 0',
    'rows_reopened integer not null default 0',
    'sheet_rows integer',
    'release text',
    'replace_scope text',
    'layout_key text',
    'reverts_load_id integer',
    'reverted_by integer',
  ]) {
    await runDdl(db, `alter table load_files add column ${column}`);
  }
  // The first vintage: every row a file loaded was new when it loaded.
  await sql`update load_files set rows_inserted = rows_loaded where status = 'loaded'`.execute(db);
  // read = rejected + inserted + changed + unchanged (+ aggregates checked), for every loaded file.
  if (postgres) {
    await createCountsBalanceTrigger(db);
    return;
  }
  await sql`
    create trigger load_files_counts_balance before update of status on load_files
    when new.status = 'loaded'
      and new.rows_loaded <> new.rows_inserted + new.rows_changed + new.rows_unchanged
    begin
      select raise(abort, 'load_files: rows_loaded must equal rows_inserted + rows_changed + rows_unchanged');
    end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTrigger(db, 'load_files_counts_balance', 'load_files');
  for (const column of [
    'rows_inserted',
    'rows_changed',
    'rows_unchanged',
    'rows_retired',
    'rows_reopened',
    'sheet_rows',
    'release',
    'replace_scope',
    'layout_key',
    'reverts_load_id',
    'reverted_by',
  ]) {
    await sql.raw(`alter table load_files drop column ${column}`).execute(db);
  }
  await sql`drop view port_throughput_history`.execute(db);
  await sql`drop view trade_flows_history`.execute(db);
  for (const table of ['trade_flow_rows', 'baci_flows', 'port_throughput_rows']) {
    await dropTrigger(db, `${table}_close_changed`, table);
    await sql.raw(`drop table ${table}_closed`).execute(db);
    await sql.raw(`alter table ${table} drop column seen_row`).execute(db);
    await sql.raw(`alter table ${table} drop column seen_load`).execute(db);
  }
}
