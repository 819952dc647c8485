/**
 * The journal learns what tables made for people contain besides data (issue 5):
 * - `rows_aggregate`: figures on total and subtotal rows ("Всего", "Europe", "Total dry
 *   bulk"), checked against their parts and not loaded. A file's balance becomes
 *   rows_read = rows_loaded + rows_rejected + rows_aggregate, enforced as before by a CHECK
 *   constraint; SQLite cannot alter a constraint, so `load_files` is rebuilt with its rows.
 * - `load_warnings`: what a load found suspicious without refusing a row (a subtotal that does
 *   not match the sum of its parts), with the place in the file.
 */
import { type Kysely, sql } from 'kysely';
import { renameTableParts, resumeIdentity } from './postgres/schema-ddl.ts';

const LOAD_FILES_COLUMNS = [
  'load_id',
  'run_id',
  'source',
  'target_table',
  'path',
  'file_name',
  'sha256',
  'size_bytes',
  'status',
  'format',
  'encoding',
  'delimiter',
  'rows_read',
  'rows_loaded',
  'rows_rejected',
  'rejects_stored',
  'rows_replaced',
  'slices',
  'same_as_load_id',
  'superseded_by',
  'slices_current',
  'started_at',
  'finished_at',
  'duration_ms',
  'error_code',
  'error_message',
  'notes',
] as const;

async function createLoadFiles(db: Kysely<unknown>, name: string, withAggregates: boolean): Promise<void> {
  let table = db.schema
    .createTable(name)
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
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0));
  if (withAggregates) table = table.addColumn('rows_aggregate', 'integer', (c) => c.notNull().defaultTo(0));
  await table
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
      withAggregates
        ? sql`status <> 'loaded' or rows_read = rows_loaded + rows_rejected + rows_aggregate`
        : sql`status <> 'loaded' or rows_read = rows_loaded + rows_rejected`,
    )
    .execute();
}

async function rebuildLoadFiles(db: Kysely<unknown>, withAggregates: boolean): Promise<void> {
  await createLoadFiles(db, 'load_files_rebuilt', withAggregates);
  const columns = sql.join(LOAD_FILES_COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into load_files_rebuilt (${columns}) select ${columns} from load_files`.execute(db);
  await sql`drop table load_files`.execute(db);
  await sql`alter table load_files_rebuilt rename to load_files`.execute(db);
  // PostgreSQL: the key, foreign key and id sequence take the table's name; the rows kept
  // their ids, and the next load_id follows them (SQLite does both by itself).
  await renameTableParts(db, 'load_files_rebuilt', 'load_files');
  await resumeIdentity(db, 'load_files', 'load_id');
  await db.schema
    .createIndex('load_files_by_sha256')
    .on('load_files')
    .columns(['source', 'sha256'])
    .execute();
  await db.schema.createIndex('load_files_by_run').on('load_files').column('run_id').execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuildLoadFiles(db, true);
  await db.schema
    .alterTable('load_runs')
    .addColumn('rows_aggregate', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('load_warnings')
    .addColumn('warning_id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('load_id', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('sheet', 'text')
    .addColumn('row_number', 'integer')
    .addColumn('column_name', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('load_warnings_by_load').on('load_warnings').columns(['load_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('load_warnings').execute();
  await db.schema.alterTable('load_runs').dropColumn('rows_aggregate').execute();
  await rebuildLoadFiles(db, false);
}
