/**
 * The core warehouse: trade flows, the country reference and the load journal.
 * Released migrations are never edited: add a new numbered file instead.
 */
import { type Kysely, sql } from 'kysely';
import { createDefaultPartition, partitionedBy } from './postgres/partition-ddl.ts';
import { isPostgres } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // On PostgreSQL the migrator's schema plugin (src/db/postgres/schema-plugin.ts) maps the
  // types; trade flows are partitioned by year there (src/db/postgres/partitions.ts).
  const postgres = isPostgres(db);
  await db.schema
    .createTable('countries')
    .addColumn('iso3', 'text', (c) => c.primaryKey())
    .addColumn('iso2', 'text')
    .addColumn('iso_numeric', 'text')
    .addColumn('m49', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('official_name', 'text')
    .addColumn('name_ru', 'text')
    .addColumn('region', 'text')
    .addColumn('sub_region', 'text')
    .addColumn('is_lldc', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('kind', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('country_codes')
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('iso3', 'text', (c) => c.notNull().references('countries.iso3'))
    .addColumn('first_year', 'integer')
    .addColumn('last_year', 'integer')
    .addColumn('name', 'text')
    .addPrimaryKeyConstraint('country_codes_pk', ['scheme', 'code'])
    .execute();

  await db.schema
    .createTable('country_names')
    .addColumn('name_key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('iso3', 'text', (c) => c.notNull().references('countries.iso3'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .execute();
  if (postgres) {
    // The reference is replaced whole in one transaction while rows point at it; SQLite defers
    // the check to commit with a pragma, PostgreSQL only for a DEFERRABLE constraint.
    for (const table of ['country_codes', 'country_names']) {
      await sql
        .raw(`alter table ${table} alter constraint ${table}_iso3_fkey deferrable initially immediate`)
        .execute(db);
    }
  }

  await db.schema
    .createTable('reference_files')
    .addColumn('file', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('load_runs')
    .addColumn('run_id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('pipeline', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('files_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('files_loaded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('files_skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('files_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_loaded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reject_threshold', 'real', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .execute();

  await db.schema
    .createTable('load_files')
    .addColumn('load_id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('load_runs.run_id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('target_table', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('encoding', 'text')
    .addColumn('delimiter', 'text')
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_loaded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejects_stored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_replaced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('slices', 'text')
    .addColumn('same_as_load_id', 'integer')
    .addColumn('superseded_by', 'integer')
    .addColumn('slices_current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('notes', 'text')
    // The invariant every statistician relies on, enforced by the database itself.
    .addCheckConstraint(
      'load_files_rows_balance',
      sql`status <> 'loaded' or rows_read = rows_loaded + rows_rejected`,
    )
    .execute();
  await db.schema
    .createIndex('load_files_by_sha256')
    .on('load_files')
    .columns(['source', 'sha256'])
    .execute();
  await db.schema.createIndex('load_files_by_run').on('load_files').column('run_id').execute();

  await db.schema
    .createTable('rejects')
    .addColumn('reject_id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('load_id', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('sheet', 'text')
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('column_name', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rejects_by_run').on('rejects').columns(['run_id', 'load_id']).execute();

  let tradeFlows = db.schema
    .createTable('trade_flows')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reporter_iso3', 'text', (c) => c.notNull())
    .addColumn('reporter_code', 'text')
    .addColumn('partner_iso3', 'text', (c) => c.notNull())
    .addColumn('partner_code', 'text')
    .addColumn('partner2_iso3', 'text', (c) => c.notNull().defaultTo('W00'))
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('freq', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer')
    .addColumn('hs_edition', 'text', (c) => c.notNull())
    .addColumn('hs_code', 'text', (c) => c.notNull())
    .addColumn('hs_level', 'integer', (c) => c.notNull())
    .addColumn('value_usd', 'real', (c) => c.notNull())
    .addColumn('cif_value_usd', 'real')
    .addColumn('fob_value_usd', 'real')
    .addColumn('net_weight_kg', 'real')
    .addColumn('net_weight_estimated', 'integer')
    .addColumn('gross_weight_kg', 'real')
    .addColumn('qty', 'real')
    .addColumn('qty_unit_code', 'text')
    .addColumn('qty_unit', 'text')
    .addColumn('mode_of_transport', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('customs_procedure', 'text', (c) => c.notNull().defaultTo('C00'))
    .addColumn('source_row', 'integer', (c) => c.notNull())
    .addColumn('load_id', 'integer', (c) => c.notNull());
  if (postgres) tradeFlows = tradeFlows.modifyEnd(partitionedBy('year'));
  await tradeFlows.execute();
  // Named for the table's name from migration 0002 on.
  if (postgres) await createDefaultPartition(db, 'trade_flows', 'trade_flow_rows_default');
  // The natural key of a reported flow. Its leading columns are the slice a revised file
  // replaces (source, reporter, period), so the same index serves slice deletes.
  await db.schema
    .createIndex('trade_flows_key')
    .on('trade_flows')
    .unique()
    .columns([
      'source',
      'reporter_iso3',
      'period',
      'flow',
      'partner_iso3',
      'partner2_iso3',
      'hs_edition',
      'hs_code',
      'mode_of_transport',
      'customs_procedure',
      // A unique index of a partitioned table holds its partition column (period fixes year).
      ...(postgres ? ['year'] : []),
    ])
    .execute();
  await db.schema
    .createIndex('trade_flows_by_partner')
    .on('trade_flows')
    .columns(['partner_iso3', 'period'])
    .execute();
  if (postgres) {
    // Analysts filter by reporter without a source, and by product: on a server warehouse of
    // every BACI year these are the queries a full scan would make slow (issue 21, point 4).
    await sql`create index trade_flows_by_reporter on trade_flows (reporter_iso3, period)`.execute(db);
    await sql`create index trade_flows_by_hs_code on trade_flows (hs_code, period)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'trade_flows',
    'rejects',
    'load_files',
    'load_runs',
    'reference_files',
    'country_names',
    'country_codes',
    'countries',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
