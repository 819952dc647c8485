/**
 * An indicator table as its definition says it should be: the CREATE statement, and whether
 * the table in the warehouse still matches (a definition that gained or renamed a column
 * makes the derive stage drop the table and compute it whole).
 */
import type Database from 'better-sqlite3';
import { DERIVE_ID, type IndicatorDefinition } from '../../warehouse/indicators/indicator.ts';

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
    ${columns.join(',\n    ')},
    primary key (${key.join(', ')})
  ) without rowid`;
}

/** `current` when the table has exactly the definition's columns and types, in order. */
export function tableState(
  sqlite: Database.Database,
  definition: IndicatorDefinition,
): 'current' | 'missing' | 'changed' {
  const actual = sqlite.prepare(`select name, type, pk from pragma_table_info(?)`).all(definition.table) as {
    name: string;
    type: string;
    pk: number;
  }[];
  if (actual.length === 0) return 'missing';
  const expected = [...definition.columns, DERIVE_ID];
  // pragma_table_info numbers key columns by their place in the primary key.
  const same =
    actual.length === expected.length &&
    expected.every((c, i) => {
      const column = actual[i]!;
      const keyPosition = clusteringKey(definition).indexOf(c.name) + 1;
      return column.name === c.name && column.type.toLowerCase() === c.type && column.pk === keyPosition;
    });
  return same ? 'current' : 'changed';
}
