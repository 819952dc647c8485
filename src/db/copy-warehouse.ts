/**
 * Moves a whole warehouse to another backend (`corridor copy`): every table, the journal, the
 * history of closed versions, reference data, indicator tables, settings and data-quality
 * findings, from a SQLite file to a PostgreSQL database or back. The target has the same
 * migrations (the caller initialises it) and holds no load yet; what its `init` put there
 * (reference data) is replaced by the source's, so the two end equal row for row.
 *
 * Rows stream table by table in dependency order (a table after those its foreign keys point
 * at): read in batches (a SQLite statement iterated, a PostgreSQL cursor), written by COPY on
 * PostgreSQL and by one prepared insert on SQLite. The whole write is one transaction on the
 * target: a copy that fails leaves the target as it was. Triggers must not fire while rows that
 * already passed them are copied: on PostgreSQL the session runs as a replica
 * (`session_replication_role`, which also skips foreign-key checks), or, for a role that may
 * not, each table's own triggers are disabled for the transaction; on SQLite every trigger is an
 * update trigger, which inserts do not fire. Identity sequences are set past the copied ids.
 */
import { FACT_TABLES } from '../../warehouse/fact-tables.ts';
import { ExitCode, WarehouseError } from '../errors.ts';
import { copyField, copyIn } from './postgres/copy-text.ts';
import { ensureYearPartitions } from './postgres/partitions.ts';
import { quoteIdent } from './postgres/pg-driver.ts';
import type { Warehouse } from './warehouse.ts';
import {
  appliedMigrations,
  type CatalogTable,
  dependencyOrder,
  readWarehouseCatalog,
} from './warehouse-catalog.ts';

/** Rows read and written at a time: memory stays flat however large the table. */
const BATCH = 20_000;

/** Tables whose rows mean the target already holds a warehouse's data, not only its init. */
const DATA_TABLES = ['load_runs', 'load_files', 'derive_runs', 'trade_flow_rows', 'baci_flows'];

export interface CopyOptions {
  /**
   * Creates (or makes again) in the target a table the source has and the target's migrations
   * did not make alike: an indicator table the derive stage creates when it first runs. True
   * when it did.
   */
  readonly createTable?: (target: Warehouse, table: string) => Promise<boolean>;
  /** Told of each table once it is copied. */
  readonly onTable?: (table: string, rows: number) => void;
}

export interface CopySummary {
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A value as the target keeps it: SQLite has no booleans, dates or JSON types. */
function sqliteValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** The source's rows of one table, as arrays in `columns` order, a batch at a time. */
async function* readRows(
  source: Warehouse,
  table: string,
  columns: readonly string[],
): AsyncGenerator<unknown[][]> {
  const select = `select ${columns.map(q).join(', ')} from ${q(table)}`;
  if (source.backend === 'sqlite') {
    let batch: unknown[][] = [];
    for (const row of source.sqlite.prepare(select).raw(true).iterate() as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  // A cursor inside the source's snapshot transaction (copyWarehouse opens it).
  await source.sql.exec(`declare corridor_copy no scroll cursor for ${select}`);
  try {
    for (;;) {
      const rows = await source.sql.all<Record<string, unknown>>(`fetch forward ${BATCH} from corridor_copy`);
      if (rows.length === 0) break;
      yield rows.map((row) => columns.map((c) => row[c]));
    }
  } finally {
    await source.sql.exec('close corridor_copy');
  }
}

/** Writes one table's rows into the target, inside its open transaction; returns the count. */
async function writeTable(
  source: Warehouse,
  target: Warehouse,
  table: string,
  columns: readonly string[],
): Promise<number> {
  let rows = 0;
  if (target.backend === 'postgres') {
    const statement = `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from stdin`;
    for await (const batch of readRows(source, table, columns)) {
      rows += await copyIn(
        target.pg,
        statement,
        batch.map((row) => `${row.map(copyField).join('\t')}\n`),
      );
    }
    return rows;
  }
  const insert = target.sqlite.prepare(
    `insert into ${q(table)} (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
  );
  for await (const batch of readRows(source, table, columns)) {
    for (const row of batch) insert.run(...row.map(sqliteValue));
    rows += batch.length;
  }
  return rows;
}

/** Moves identity and serial sequences past the copied ids, so the next insert does not collide. */
async function resetSequences(target: Warehouse, tables: readonly string[]): Promise<void> {
  if (target.backend !== 'postgres') return; // SQLite's AUTOINCREMENT follows inserted ids itself.
  const owned = await target.sql.all<{ table_name: string; column_name: string; sequence: string }>(
    `select c.relname as table_name, a.attname as column_name,
            pg_get_serial_sequence(quote_ident(c.relname), a.attname) as sequence
       from pg_class c join pg_attribute a on a.attrelid = c.oid
      where c.relnamespace = cast(current_schema() as regnamespace) and c.relkind in ('r', 'p')
        and not c.relispartition and a.attnum > 0 and not a.attisdropped
        and pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null`,
  );
  for (const { table_name, column_name, sequence } of owned) {
    if (!tables.includes(table_name)) continue;
    await target.sql.value(
      `select setval(?, max_id) from (select max(${q(column_name)}) as max_id from ${q(table_name)}) m where max_id is not null`,
      [sequence],
    );
  }
}

/** Refuses a target that holds a load, or whose schema is not the source's. */
async function checkTarget(source: Warehouse, target: Warehouse): Promise<void> {
  const [from, to] = [await appliedMigrations(source), await appliedMigrations(target)];
  if (from.join() !== to.join()) {
    const missing = to.filter((m) => !from.includes(m));
    throw new WarehouseError(
      missing.length > 0
        ? `The warehouse at ${source.path} is older than this version of Corridor (it lacks migration ${missing.join(', ')}). Bring it up to date with "corridor init --db ${source.path}", then copy again.`
        : `The warehouse at ${source.path} is newer than this version of Corridor (migration ${from.filter((m) => !to.includes(m)).join(', ')}). Copy it with the Corridor version that wrote it.`,
      { code: 'warehouse_error', exitCode: ExitCode.Usage },
    );
  }
  for (const table of DATA_TABLES) {
    const rows = Number((await target.sql.value(`select count(*) from ${q(table)}`)) ?? 0);
    if (rows > 0)
      throw new WarehouseError(
        `The target ${target.path} already holds a warehouse (${rows} rows in ${table}); corridor copy writes only into an empty one, so nothing was copied. Give --to a new SQLite file or a new, empty PostgreSQL database (createdb NAME).`,
        { code: 'copy_target_not_empty', exitCode: ExitCode.Usage },
      );
  }
}

/** The years a partitioned fact table's rows need, read from the source. */
async function partitionYears(source: Warehouse, table: string, column: string): Promise<number[]> {
  const rows = await source.sql.all<{ y: number }>(`select distinct ${q(column)} as y from ${q(table)}`);
  return rows.map((r) => Number(r.y));
}

/**
 * Copies every table of `source` into `target` (migrated alike, holding no load) in one
 * transaction on the target.
 *
 * @example
 * await copyWarehouse(await openWarehouse('warehouse/corridor.db', { readonly: true }), pgWarehouse);
 */
export async function copyWarehouse(
  source: Warehouse,
  target: Warehouse,
  options: CopyOptions = {},
): Promise<CopySummary> {
  await checkTarget(source, target);
  const sourceTables = await readWarehouseCatalog(source);
  let targetTables = await readWarehouseCatalog(target);
  // Tables the derive stage makes when it runs: absent from a target just initialised, or there
  // as a stand-in of other columns.
  const unlike = [...sourceTables.values()].filter((t) => {
    const there = targetTables.get(t.name);
    return there === undefined || columnList(there) !== columnList(t);
  });
  for (const table of unlike)
    if (!(await options.createTable?.(target, table.name)) && !targetTables.has(table.name))
      throw new WarehouseError(
        `The source has a table ${table.name} that the target's schema does not, and Corridor does not know how to create it; nothing was copied.`,
        { code: 'warehouse_error', exitCode: ExitCode.Usage },
      );
  if (unlike.length > 0) targetTables = await readWarehouseCatalog(target);
  const order = dependencyOrder(targetTables).filter((t) => sourceTables.has(t));
  for (const name of order) sameColumns(sourceTables.get(name)!, targetTables.get(name)!, source.path);

  const copied: { name: string; rows: number }[] = [];
  // The source is read in one snapshot: a load running there meanwhile is not half copied.
  if (source.backend === 'postgres') await source.sql.exec('begin isolation level repeatable read read only');
  else source.sqlite.exec('begin');
  try {
    await target.sql.transaction(
      async () => {
        const wakeTriggers = await quietTriggers(target, order);
        // What init put there (reference data) gives way to the source's rows.
        if (target.backend === 'postgres') await target.sql.exec(`truncate ${order.map(q).join(', ')}`);
        else for (const table of [...order].reverse()) await target.sql.run(`delete from ${q(table)}`);
        await makePartitions(source, target, sourceTables);
        for (const table of order) {
          const rows = await writeTable(source, target, table, targetTables.get(table)!.columns);
          copied.push({ name: table, rows });
          options.onTable?.(table, rows);
        }
        await resetSequences(target, order);
        await wakeTriggers();
      },
      { writeLock: true },
    );
  } finally {
    if (source.backend === 'postgres') await source.sql.exec('rollback').catch(() => {});
    else if (source.sqlite.inTransaction) source.sqlite.exec('rollback');
  }
  return { tables: copied };
}

const columnList = (table: CatalogTable) => [...table.columns].sort().join(', ');

function sameColumns(source: CatalogTable, target: CatalogTable, sourcePath: string): void {
  const a = columnList(source);
  const b = columnList(target);
  if (a !== b)
    throw new WarehouseError(
      `Table ${source.name} of ${sourcePath} has the columns (${a}), the target's (${b}); the two schemas differ, so nothing was copied.`,
      { code: 'warehouse_error', exitCode: ExitCode.Usage },
    );
}

/**
 * Keeps triggers (and on PostgreSQL foreign-key checks) from firing on copied rows, inside the
 * target's transaction; returns what turns them back on before it commits.
 */
async function quietTriggers(target: Warehouse, tables: readonly string[]): Promise<() => Promise<void>> {
  const nothing = async () => {};
  if (target.backend === 'sqlite') {
    // Checked at commit instead: rows of a table may point at rows copied after them.
    await target.sql.exec('pragma defer_foreign_keys = on');
    return nothing;
  }
  const superuser = await target.sql.value<boolean>(
    'select rolsuper from pg_roles where rolname = current_user',
  );
  if (superuser) {
    // Ends with the transaction (`local`).
    await target.sql.exec('set local session_replication_role = replica');
    return nothing;
  }
  // The table's owner may disable its own triggers (foreign keys are still checked: tables go
  // in dependency order); on again before commit, so no one else ever sees them off.
  for (const table of tables) await target.sql.exec(`alter table ${q(table)} disable trigger user`);
  return async () => {
    for (const table of tables) await target.sql.exec(`alter table ${q(table)} enable trigger user`);
  };
}

/**
 * The yearly partitions the copied fact rows need on a PostgreSQL target, made before the
 * rows arrive (rows of a year without one would land in the DEFAULT partition).
 */
async function makePartitions(
  source: Warehouse,
  target: Warehouse,
  sourceTables: ReadonlyMap<string, CatalogTable>,
): Promise<void> {
  if (target.backend !== 'postgres') return;
  for (const fact of FACT_TABLES) {
    const column = (fact as { partitionColumn?: string }).partitionColumn;
    if (column === undefined) continue;
    const years = new Set<number>();
    for (const table of [fact.name, fact.closed])
      if (sourceTables.has(table)) for (const y of await partitionYears(source, table, column)) years.add(y);
    await ensureYearPartitions(target, fact.name, years);
  }
}
