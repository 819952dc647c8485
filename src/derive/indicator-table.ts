/**
 * An indicator table as its definition says it should be: the CREATE statement, and whether
 * the table in the warehouse still matches (a definition whose columns, key or SQL changed
 * makes the derive stage drop the table and compute it whole).
 */
import { createHash } from 'node:crypto';
import { DERIVE_ID, type IndicatorDefinition } from '../../warehouse/indicators/indicator.ts';
import type { SqliteDatabase } from '../db/driver.ts';
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
 * A digest of everything that shapes the table's rows: its columns, key and SELECT (as a full
 * refresh runs it). Kept in a
 * comment of the table's CREATE statement (SQLite stores it verbatim), so a definition whose
 * SQL changed, not only its columns, has its table computed again.
 */
export function definitionDigest(definition: IndicatorDefinition): string {
  return createHash('sha256')
    .update(JSON.stringify([definition.columns, definition.key, definition.select(EVERY_YEAR)]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The table's columns, then `derive_id`. Clustered on its key (WITHOUT ROWID): one B-tree to
 * write instead of a table and a unique index, and rows read in key order.
 */
export function tableSchemaSql(definition: IndicatorDefinition): string {
  const key = clusteringKey(definition);
  const columns = [...definition.columns, DERIVE_ID].map((c) => {
    const inKey = key.includes(c.name) || c === DERIVE_ID;
    return `${c.name} ${c.type}${inKey ? ' not null' : ''}`;
  });
  return `create table if not exists ${definition.table} (
    /* corridor definition ${definitionDigest(definition)} */
    ${columns.join(',\n    ')},
    primary key (${key.join(', ')})
  ) without rowid`;
}

/** `current` when the table was created from this very definition and still has its columns. */
export function tableState(
  sqlite: SqliteDatabase,
  definition: IndicatorDefinition,
): 'current' | 'missing' | 'changed' {
  const created = sqlite
    .prepare("select sql from sqlite_master where type = 'table' and name = ?")
    .pluck()
    .get(definition.table) as string | undefined;
  if (created === undefined) return 'missing';
  if (!created.includes(`/* corridor definition ${definitionDigest(definition)} */`)) return 'changed';
  // The digest survives an ALTER TABLE by hand; the columns must still be the definition's.
  const actual = sqlite.prepare('select name, type, pk from pragma_table_info(?)').all(definition.table) as {
    name: string;
    type: string;
    pk: number;
  }[];
  const expected = [...definition.columns, DERIVE_ID];
  const key = clusteringKey(definition);
  const same =
    actual.length === expected.length &&
    expected.every((c, i) => {
      const column = actual[i]!;
      // pragma_table_info numbers key columns by their place in the primary key.
      return (
        column.name === c.name &&
        column.type.toLowerCase() === c.type &&
        column.pk === key.indexOf(c.name) + 1
      );
    });
  return same ? 'current' : 'changed';
}
