/**
 * What an export asks the warehouse's catalogue: its tables and views, and a relation's columns
 * with their declared types and primary key. SQLite answers from sqlite_master and
 * pragma_table_info, PostgreSQL from pg_class and pg_attribute (the warehouse's own schema, the
 * partitions of a partitioned table left out: they are read through their parent).
 */
import type { Warehouse } from '../db/warehouse.ts';

export interface Relation {
  readonly name: string;
  readonly kind: 'table' | 'view';
}

export interface RelationColumn {
  readonly name: string;
  /** The type as SQLite would declare it (INTEGER, TEXT, REAL, BLOB), or null when none fits. */
  readonly type: string | null;
  /** Position in the primary key (1, 2…), 0 when not part of it. */
  readonly pk: number;
}

export async function listRelations(warehouse: Warehouse): Promise<Relation[]> {
  if (warehouse.backend === 'sqlite') {
    return warehouse.sql.all<Relation>(
      "select name, type as kind from sqlite_master where type in ('table', 'view') and name not like 'sqlite\\_%' escape '\\' order by name",
    );
  }
  return warehouse.sql.all<Relation>(
    `select c.relname as name, case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind
       from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
        and not c.relispartition
      order by c.relname`,
  );
}

export async function hasRelation(warehouse: Warehouse, name: string): Promise<boolean> {
  return (await listRelations(warehouse)).some((r) => r.name === name);
}

/**
 * PostgreSQL's type names as SQLite would declare them, so declaredType() reads both alike; a
 * type with no SQLite counterpart (date, boolean, json) is left undeclared and typed by its values.
 */
function sqliteType(pgType: string): string | null {
  if (/int/i.test(pgType)) return 'INTEGER';
  if (/char|text/i.test(pgType)) return 'TEXT';
  if (/double|real|numeric|float/i.test(pgType)) return 'REAL';
  if (/bytea/i.test(pgType)) return 'BLOB';
  return null;
}

export async function relationColumns(warehouse: Warehouse, name: string): Promise<RelationColumn[]> {
  if (warehouse.backend === 'sqlite') {
    return warehouse.sql.all<RelationColumn>('select name, type, pk from pragma_table_info(?) order by cid', [
      name,
    ]);
  }
  const rows = await warehouse.sql.all<{ name: string; type: string; pk: number | null }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
            (select k.n from pg_index i, unnest(i.indkey) with ordinality as k(attnum, n)
              where i.indrelid = a.attrelid and i.indisprimary and k.attnum = a.attnum) as pk
       from pg_attribute a
      where a.attrelid = cast(quote_ident(?) as regclass) and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [name],
  );
  return rows.map((r) => ({ name: r.name, type: sqliteType(r.type), pk: Number(r.pk ?? 0) }));
}
