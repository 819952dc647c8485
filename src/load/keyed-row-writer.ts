/**
 * The row path of a small fact table (a port's figures, the world's totals): a few thousand rows
 * a file, so each chunk goes through one prepared multi-row INSERT, merged by natural key
 * (src/db/merge-lane.ts), without the constant-column tricks of trade-flow-writer.ts. A file
 * covers what its source declares: the rows of earlier loads in those scopes that it no longer
 * holds are retired. Rows that repeat a key of the same file come back as duplicates.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */

import type { FactTable } from '../../warehouse/fact-tables.ts';
import { ScopeRetirer } from '../db/coverage.ts';
import type { SqliteDatabase, SqliteStatement } from '../db/driver.ts';
import { MergeLane, mergeClause } from '../db/merge-lane.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import type { Duplicate, FlowWriter, FlowWriterKind, FlowWriterOutcome } from './flow-writer.ts';
import { type Slice, TouchedSlices } from './touched-slices.ts';

/** A canonical row as the map stage hands it on, with its row in the file. */
export interface KeyedRow<R> {
  readonly row: R;
  readonly sourceRow: number;
}

/** What differs between the small fact tables: where their rows are, and how a row is stored. */
export interface KeyedRowTable<R> {
  readonly table: FactTable;
  /** The batch's rows for this table. */
  rowsOf(batch: MappedBatch): readonly KeyedRow<R>[];
  /** A stored column's value (every column but source, source_row and load_id). */
  valueOf(row: R, column: string): unknown;
  /** The slice a row touched, with the values that tell it apart. */
  sliceOf(row: R): { readonly slice: Slice; readonly key: readonly unknown[] };
}

/**
 * A writer's database, source, load and the columns of the file's coverage (null to merge
 * only), as the file loader passes them.
 */
export type KeyedRowWriterArgs = [
  sqlite: SqliteDatabase,
  source: string,
  loadId: number,
  coverageColumns: readonly string[] | null,
];

const ROWS_PER_STATEMENT = 100;

export class KeyedRowWriter<R> implements FlowWriter {
  readonly kind: FlowWriterKind;
  readonly #sqlite: SqliteDatabase;
  readonly #spec: KeyedRowTable<R>;
  readonly #source: string;
  readonly #loadId: number;
  /** Stored columns a row fills, in table order: all but `source` and `load_id`, the statement's. */
  readonly #columns: readonly string[];
  /** The natural key's columns a row carries (all but `source`). */
  readonly #key: readonly string[];
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #findKey: SqliteStatement;
  readonly #touched = new TouchedSlices();
  readonly #lane: MergeLane;
  readonly #retirer: ScopeRetirer | null;
  readonly #scopeColumns: readonly string[];

  constructor(spec: KeyedRowTable<R>, ...[sqlite, source, loadId, coverageColumns]: KeyedRowWriterArgs) {
    const { table } = spec;
    this.kind = table.name;
    this.#sqlite = sqlite;
    this.#spec = spec;
    this.#source = source;
    this.#loadId = loadId;
    this.#columns = table.columns.filter((c) => c !== 'source' && c !== 'load_id');
    this.#key = table.key.filter((c) => c !== 'source');
    this.#lane = new MergeLane(sqlite, table, loadId);
    this.#scopeColumns = coverageColumns ?? [];
    this.#retirer =
      coverageColumns === null
        ? null
        : new ScopeRetirer(sqlite, table, loadId, coverageColumns, ['source'], [source]);
    this.#findKey = sqlite
      .prepare(
        `select coalesce(seen_row, source_row) from ${table.name} where source = ? and ${this.#key.map((c) => `${c} = ?`).join(' and ')}`,
      )
      .pluck();
  }

  get rowsWritten(): number {
    return this.#lane.inserted + this.#lane.merged;
  }

  get slices() {
    return this.#touched.slices;
  }

  #statementFor(rows: number, merge: boolean): SqliteStatement {
    const key = `${rows}${merge ? 'm' : 'i'}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const { table } = this.#spec;
      const tuple = `(?,${this.#columns.map(() => '?').join(',')},${this.#loadId})`;
      const conflict = merge ? mergeClause(table, this.#loadId) : 'on conflict do nothing';
      statement = this.#sqlite.prepare(
        `insert into ${table.name} (source,${this.#columns.join(',')},load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} ${conflict}`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  #valuesOf({ row, sourceRow }: KeyedRow<R>): unknown[] {
    return this.#columns.map((c) => (c === 'source_row' ? sourceRow : this.#spec.valueOf(row, c)));
  }

  async write(batch: MappedBatch): Promise<Duplicate[]> {
    return this.#write(batch);
  }

  /** Synchronous, as the SQLite bulk path must stay: the promise is only the interface's. */
  #write(batch: MappedBatch): Duplicate[] {
    const rows = this.#spec.rowsOf(batch);
    for (const { row } of rows) {
      const { slice, key } = this.#spec.sliceOf(row);
      this.#touched.note(slice, key);
      this.#retirer?.claim(this.#scopeColumns.map((c) => this.#spec.valueOf(row, c)));
    }
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const params = chunk.flatMap((r) => [this.#source, ...this.#valuesOf(r)]);
      const n = chunk.length;
      const outcome = this.#lane.run(this.#statementFor(n, false), this.#statementFor(n, true), params, n);
      if (outcome.duplicates > 0) {
        for (const r of chunk) {
          const keyValues = this.#key.map((k) => this.#spec.valueOf(r.row, k));
          const firstRow = this.#findKey.get(this.#source, ...keyValues) as number;
          if (firstRow !== r.sourceRow)
            duplicates.push({ sourceRow: r.sourceRow, firstRow, row: () => ({ ...(r.row as object) }) });
        }
      }
    }
    return duplicates;
  }

  async finish(): Promise<FlowWriterOutcome> {
    const retired = this.#retirer?.retire() ?? 0;
    return { ...this.#lane.outcome(retired, this.#retirer?.scopes ?? 0), lateDuplicates: [] };
  }
}
