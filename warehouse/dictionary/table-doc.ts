/**
 * The data dictionary's shape: what analysts and downstream tools are told about each table and
 * view of the warehouse. `corridor docs` prints it, `corridor export` writes it into
 * datapackage.json, and a test compares it with a migrated warehouse, so it cannot drift from
 * the schema.
 */

/** Storage class of a column, as SQLite declares it. */
export type ColumnType = 'text' | 'integer' | 'real';

export interface ColumnDoc {
  readonly name: string;
  readonly type: ColumnType;
  /** The unit of a measure (`USD`, `kg`, `t`, `TEU`, `percent`, `ratio`); absent for codes, flags and text. */
  readonly unit?: string;
  readonly description: string;
}

export interface TableDoc {
  readonly name: string;
  readonly kind: 'table' | 'view';
  /** Where it belongs in the dictionary. */
  readonly area: 'trade' | 'port' | 'reference' | 'journal' | 'indicator';
  readonly description: string;
  /** Columns in the order the warehouse has them. */
  readonly columns: readonly ColumnDoc[];
  /** The columns that identify a row (the primary key, or a view's grain); exports sort by it. */
  readonly key: readonly string[];
  /** For an indicator table: its formulas. */
  readonly formula?: string;
  /** For an indicator table: which changed slices make which of its rows be computed again. */
  readonly dependsOn?: string;
}
