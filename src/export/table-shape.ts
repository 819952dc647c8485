/**
 * A warehouse table or view as an export reads it (shapeOf): its columns, with the data
 * dictionary's words when it documents the table, else the types SQLite declares; the columns
 * that identify a row; and the order its rows are read in. And the statement that streams an
 * export's rows (Prepared). Shared by export-source.ts (a table, a view, a query) and
 * changes-since.ts (what changed in a fact view since a run).
 */
import type { ColumnType, TableDoc } from '../../warehouse/dictionary/table-doc.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { relationColumns } from './catalog.ts';
import type { ExportColumn } from './table-writer.ts';

/** SQLite's type affinity of a declared type (https://www.sqlite.org/datatype3.html §3.1), or null for none. */
export function declaredType(declared: string | null | undefined): ColumnType | null {
  if (!declared) return null;
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return null;
  // REAL, FLOAT, DOUBLE, and NUMERIC affinity (DECIMAL, BOOLEAN…), which holds either kind of number.
  return 'real';
}

export const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface Prepared {
  /** The statement that reads the rows, without parameters. */
  readonly sql: string;
  readonly columns: ExportColumn[];
  /** Whether each column's type is known before any row is read. */
  readonly declared: boolean[];
  readonly key: readonly string[];
}

export interface TableShape {
  readonly names: readonly string[];
  readonly columns: ExportColumn[];
  readonly declared: boolean[];
  readonly key: readonly string[];
  /** Every column, the key's first: the order rows are sorted in. */
  readonly order: readonly string[];
}

export async function shapeOf(warehouse: Warehouse, name: string, doc: TableDoc | null): Promise<TableShape> {
  const info = await relationColumns(warehouse, name);
  const declared: boolean[] = [];
  const columns: ExportColumn[] = info.map((c) => {
    const documented = doc?.columns.find((d) => d.name === c.name);
    const type = documented?.type ?? declaredType(c.type);
    declared.push(type !== null);
    if (documented !== undefined) return documented;
    return { name: c.name, type: type ?? 'text', description: '' };
  });
  const names = info.map((c) => c.name);
  const primary = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const key = doc !== null ? doc.key.filter((k) => names.includes(k)) : primary;
  // Sorting by the key, then by every other column: a key that a view does not enforce, or no
  // key at all, still gives one order, and rows that tie on everything are the same bytes.
  const order = [...key, ...names.filter((c) => !key.includes(c))];
  return { names, columns, declared, key, order };
}
