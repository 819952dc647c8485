/**
 * Writing reference tables (countries, the HS nomenclature, ports) on either backend: tens of
 * thousands of rows at once, a few times in a warehouse's life. SQLite takes them through
 * prepared 100-row INSERTs on its own connection (synchronous, the fastest path it has);
 * PostgreSQL through COPY, which is an order of magnitude faster than INSERTs over the wire.
 * Both run inside the caller's transaction, on the warehouse's one connection.
 */
import { copyField, copyIn } from './postgres/copy-text.ts';
import { quoteIdent } from './postgres/pg-driver.ts';
import type { Warehouse } from './warehouse.ts';

export type ReferenceValue = string | number | null;

/** Inserts `rows` (values in `columns` order) into `table`. */
export async function insertRows(
  warehouse: Warehouse,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly ReferenceValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  if (warehouse.backend === 'sqlite') {
    insertSqlite(warehouse, table, columns, rows);
    return;
  }
  await copyIn(
    warehouse.pg,
    `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from stdin`,
    copyLines(rows),
  );
}

/** The rows as COPY text lines, made as the stream takes them. */
function* copyLines(rows: readonly (readonly ReferenceValue[])[]): Generator<string> {
  for (const row of rows) yield `${row.map(copyField).join('\t')}\n`;
}

function insertSqlite(
  warehouse: Warehouse,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly ReferenceValue[])[],
): void {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const text = (n: number) =>
    `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: n }, () => tuple).join(',')}`;
  const full = warehouse.sqlite.prepare(text(100));
  let i = 0;
  for (; i + 100 <= rows.length; i += 100) full.run(rows.slice(i, i + 100).flat());
  if (i < rows.length) warehouse.sqlite.prepare(text(rows.length - i)).run(rows.slice(i).flat());
}

/**
 * Lets the current transaction break foreign keys until it commits: a reference replaced whole
 * is deleted and reinserted while loaded rows point at it, and the links are checked once, at
 * commit, against the new reference. PostgreSQL defers only constraints declared DEFERRABLE
 * (the reference's, since migrations 0001 and 0002).
 */
export async function deferForeignKeys(warehouse: Warehouse): Promise<void> {
  await warehouse.sql.exec(
    warehouse.backend === 'sqlite' ? 'pragma defer_foreign_keys = on' : 'set constraints all deferred',
  );
}

/**
 * Runs the reference loaders one process at a time on PostgreSQL. Each loader decides from
 * `reference_files` whether its files changed, then replaces its tables: two processes
 * preparing a new server warehouse at once (a scheduled run and a manual one) would both decide
 * to load, and the second would collide with the first's uncommitted rows on the tables' keys.
 * Under a session advisory lock the second waits, then finds the reference current. On SQLite
 * the write lock already serialises them, and a second load only repeats the first.
 */
export async function withReferenceLock<T>(warehouse: Warehouse, work: () => Promise<T>): Promise<T> {
  if (warehouse.backend === 'sqlite') return work();
  await warehouse.sql.run(`select pg_advisory_lock(hashtext('corridor:reference'))`);
  try {
    return await work();
  } finally {
    await warehouse.sql.run(`select pg_advisory_unlock(hashtext('corridor:reference'))`).catch(() => {});
  }
}
