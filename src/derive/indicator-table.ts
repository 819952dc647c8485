/**
 * An indicator table as its definition says it should be: the CREATE statement, and whether
 * the table in the warehouse still matches (a definition whose columns, key or SQL changed
 * makes the derive stage drop the table and compute it whole).
 */
import { createHash } from 'node:crypto';
import {
  DERIVE_ID,
  type IndicatorColumnType,
  type IndicatorDefinition,
} from '../../warehouse/indicators/indicator.ts';
import type { SqlFlavor } from '../db/sql-flavor.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { EVERY_YEAR } from './refresh-scope.ts';

/**
 * The order rows are stored in: the source (when the key has one) and the year first, then the
 * rest of the key. The year depends on the period, so the key stays the key; but a refresh
 * deletes one source's years, and this makes that a range of the table, not a scan of it.
 */
export function clusteringKey(definition: IndicatorDefinition): string[] {
  const first = definition.key.includes('source') ? ['source', 'year'] : ['year'];
  return [...first, ...definition.key.filter((c) => !first.includes(c))];
}

/**
 * `ORDER BY` the clustering key, by the positions of its columns in the definition's SELECT,
 * for a definition that asks its rows to be sorted before they are inserted; else ''.
 */
export function insertOrder(definition: IndicatorDefinition): string {
  if (definition.sortBeforeInsert !== true) return '';
  const names = definition.columns.map((c) => c.name);
  const positions = clusteringKey(definition).map((column) => {
    const at = names.indexOf(column);
    if (at < 0) throw new Error(`${definition.table}: its key column ${column} is not among its columns`);
    return at + 1;
  });
  return ` order by ${positions.join(', ')}`;
}

/**
 * A digest of everything that shapes the table's rows: its columns, key and SELECT (as a full
 * refresh runs it on this backend). Kept with the table (in a comment of its CREATE statement,
 * which SQLite stores verbatim; as the table's comment on PostgreSQL), so a definition whose
 * SQL changed, not only its columns, has its table computed again.
 */
export function definitionDigest(definition: IndicatorDefinition, flavor: SqlFlavor): string {
  return createHash('sha256')
    .update(JSON.stringify([definition.columns, definition.key, definition.select(EVERY_YEAR, flavor)]))
    .digest('hex')
    .slice(0, 16);
}

const marker = (definition: IndicatorDefinition, flavor: SqlFlavor) =>
  `corridor definition ${definitionDigest(definition, flavor)}`;

/** A definition's column type in the backend's DDL. */
export function columnType(type: IndicatorColumnType, flavor: SqlFlavor): string {
  return type === 'real' ? flavor.realType : type === 'integer' ? flavor.integerType : 'text';
}

/**
 * The table's columns, then `derive_id`. Clustered on its key (WITHOUT ROWID on SQLite): one
 * B-tree to write instead of a table and a unique index, and rows read in key order. On
 * PostgreSQL the digest goes into the table's comment (the server keeps no CREATE text).
 */
export function tableSchemaSql(definition: IndicatorDefinition, flavor: SqlFlavor): string {
  const key = clusteringKey(definition);
  const columns = [...definition.columns, DERIVE_ID].map((c) => {
    const inKey = key.includes(c.name) || c === DERIVE_ID;
    return `${c.name} ${columnType(c.type, flavor)}${inKey ? ' not null' : ''}`;
  });
  const create = `create table if not exists ${definition.table} (
    /* ${marker(definition, flavor)} */
    ${columns.join(',\n    ')},
    primary key (${key.join(', ')})
  )${flavor.clusteredTable}`;
  const note = flavor.tableNote(definition.table, marker(definition, flavor));
  return note === '' ? create : `${create};\n${note}`;
}

/** `current` when the table was created from this very definition and still has its columns. */
export async function tableState(
  warehouse: Warehouse,
  definition: IndicatorDefinition,
): Promise<'current' | 'missing' | 'changed'> {
  const { sql, flavor } = warehouse;
  const actual = await sql.all<{ name: string; type: string; pk: number }>(flavor.tableColumnsSql, [
    definition.table,
  ]);
  if (actual.length === 0) return 'missing';
  const created = await sql.value<string | null>(flavor.tableNoteSql, [definition.table]);
  if (!(created ?? '').includes(marker(definition, flavor))) return 'changed';
  // The digest survives an ALTER TABLE by hand; the columns must still be the definition's.
  const expected = [...definition.columns, DERIVE_ID];
  const key = clusteringKey(definition);
  const same =
    actual.length === expected.length &&
    expected.every((c, i) => {
      const column = actual[i]!;
      // Key columns are numbered by their place in the primary key.
      return (
        column.name === c.name &&
        column.type.toLowerCase() === columnType(c.type, flavor) &&
        Number(column.pk) === key.indexOf(c.name) + 1
      );
    });
  return same ? 'current' : 'changed';
}
