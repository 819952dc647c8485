/**
 * What tables a warehouse holds, their columns in order, and which tables their foreign keys
 * point at, on either backend: for `corridor copy`, which moves every table, and must write a
 * table after the tables it refers to. Kysely's own bookkeeping (`kysely_migration*`), SQLite's
 * internal tables and PostgreSQL partitions (their parent is the table) are not listed.
 */
import type { Warehouse } from './warehouse.ts';

export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly string[];
  /** Tables this one's foreign keys point at (itself excluded). */
  readonly references: readonly string[];
}

const BOOKKEEPING = /^(kysely_migration|kysely_migration_lock|sqlite_.*)$/;

/** The warehouse's tables by name. */
export async function readWarehouseCatalog(warehouse: Warehouse): Promise<Map<string, CatalogTable>> {
  return warehouse.backend === 'postgres' ? postgresCatalog(warehouse) : sqliteCatalog(warehouse);
}

async function sqliteCatalog(warehouse: Warehouse): Promise<Map<string, CatalogTable>> {
  const names = await warehouse.sql.all<{ name: string }>(
    `select name from sqlite_master where type = 'table' order by name`,
  );
  const tables = new Map<string, CatalogTable>();
  for (const { name } of names) {
    if (BOOKKEEPING.test(name)) continue;
    const columns = await warehouse.sql.all<{ name: string }>(
      `select name from pragma_table_info(?) order by cid`,
      [name],
    );
    const keys = await warehouse.sql.all<{ table: string }>(
      `select "table" from pragma_foreign_key_list(?)`,
      [name],
    );
    tables.set(name, {
      name,
      columns: columns.map((c) => c.name),
      references: [...new Set(keys.map((k) => k.table))].filter((t) => t !== name),
    });
  }
  return tables;
}

async function postgresCatalog(warehouse: Warehouse): Promise<Map<string, CatalogTable>> {
  const columns = await warehouse.sql.all<{ table_name: string; column_name: string }>(
    `select c.relname as table_name, a.attname as column_name
       from pg_class c join pg_attribute a on a.attrelid = c.oid
      where c.relnamespace = cast(current_schema() as regnamespace) and c.relkind in ('r', 'p')
        and not c.relispartition and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
  );
  const keys = await warehouse.sql.all<{ table_name: string; referenced: string }>(
    `select t.relname as table_name, r.relname as referenced
       from pg_constraint k join pg_class t on t.oid = k.conrelid join pg_class r on r.oid = k.confrelid
      where k.contype = 'f' and t.relnamespace = cast(current_schema() as regnamespace)`,
  );
  const tables = new Map<string, { name: string; columns: string[]; references: string[] }>();
  for (const row of columns) {
    if (BOOKKEEPING.test(row.table_name)) continue;
    let table = tables.get(row.table_name);
    if (table === undefined) {
      table = { name: row.table_name, columns: [], references: [] };
      tables.set(row.table_name, table);
    }
    table.columns.push(row.column_name);
  }
  for (const key of keys) {
    const table = tables.get(key.table_name);
    if (
      table !== undefined &&
      key.referenced !== key.table_name &&
      !table.references.includes(key.referenced)
    )
      table.references.push(key.referenced);
  }
  return tables;
}

/** Table names ordered so each comes after the tables it refers to; otherwise by name. */
export function dependencyOrder(tables: ReadonlyMap<string, CatalogTable>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const target of [...(tables.get(name)?.references ?? [])].sort())
      if (tables.has(target)) visit(target, path);
    placed.add(name);
    order.push(name);
  };
  for (const name of [...tables.keys()].sort()) visit(name, new Set());
  return order;
}

/** The migrations a warehouse has applied, by name, in order. */
export async function appliedMigrations(warehouse: Warehouse): Promise<string[]> {
  try {
    const rows = await warehouse.sql.all<{ name: string }>('select name from kysely_migration order by name');
    return rows.map((r) => r.name);
  } catch {
    // No migration table: an empty file or database.
    return [];
  }
}
