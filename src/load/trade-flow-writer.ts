/**
 * The bulk row path into `trade_flow_rows`, the table behind `trade_flows` for every source but
 * BACI (baci-flow-writer.ts). kysely costs about 1.8 µs per value on inserts, so rows go through
 * prepared multi-row statements on the raw connection instead (DESIGN.md, "Bulk paths"), and
 * merge by natural key (src/db/merge-lane.ts): new keys are inserted, changed figures become a
 * new version, identical ones are left alone. Rows the file's coverage no longer holds are
 * retired at the end (src/db/coverage.ts); rows an earlier row of the file already holds come
 * back as duplicates.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */

import { TRADE_FLOW_ROWS } from '../../warehouse/fact-tables.ts';
import { ScopeRetirer } from '../db/coverage.ts';
import type { SqliteDatabase, SqliteStatement } from '../db/driver.ts';
import { MergeLane, mergeClause } from '../db/merge-lane.ts';
import type { Duplicate, FlowWriter, FlowWriterOutcome } from './flow-writer.ts';
import { TouchedSlices } from './touched-slices.ts';
import { AT, ROW_COLUMNS, type RowValues, rowValuesAsObject } from './trade-flow-values.ts';

/** Rows per INSERT: rows per statement matter most for speed; 100 × 25 values stays far below SQLite's 32,766 limit. */
const ROWS_PER_STATEMENT = 100;

const sqlLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
};

/** The key columns a row carries (all but `source`, which is the writer's). */
const KEY_COLUMNS = TRADE_FLOW_ROWS.key.filter((c) => c !== 'source') as (keyof typeof AT)[];

export class TradeFlowWriter implements FlowWriter {
  readonly kind = 'trade_flow_rows' as const;
  readonly #sqlite: SqliteDatabase;
  readonly #source: string;
  readonly #loadId: number;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #touched = new TouchedSlices();
  readonly #lane: MergeLane;
  readonly #retirer: ScopeRetirer | null;
  readonly #scopeAt: readonly number[];
  readonly #findKey: SqliteStatement;
  #shape: ConstantShape | null = null;

  /** @param coverageColumns the columns of the file's declared coverage, or null to merge only. */
  constructor(
    sqlite: SqliteDatabase,
    source: string,
    loadId: number,
    coverageColumns: readonly string[] | null,
  ) {
    this.#sqlite = sqlite;
    this.#source = source;
    this.#loadId = loadId;
    this.#lane = new MergeLane(sqlite, TRADE_FLOW_ROWS, loadId);
    this.#scopeAt = (coverageColumns ?? []).map((c) => AT[c as keyof typeof AT]);
    this.#retirer =
      coverageColumns === null
        ? null
        : new ScopeRetirer(sqlite, TRADE_FLOW_ROWS, loadId, coverageColumns, ['source'], [source]);
    this.#findKey = sqlite
      .prepare(
        `select coalesce(seen_row, source_row) from trade_flow_rows where source = ? and ${KEY_COLUMNS.map((c) => `${c} = ?`).join(' and ')}`,
      )
      .pluck();
  }

  get rowsWritten(): number {
    return this.#lane.inserted + this.#lane.merged;
  }

  get slices() {
    return this.#touched.slices;
  }

  /**
   * The prepared INSERT (or merge) for `rows` rows. The writer's source and load id, and the
   * shape's constants, are literals; the rest are parameters.
   */
  #statementFor(rows: number, shape: ConstantShape | null, merge: boolean): SqliteStatement {
    const key = `${shape === null ? 'g' : `s${shape.version}`}${merge ? 'm' : 'i'}${rows}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(${sqlLiteral(this.#source)},${ROW_COLUMNS.map((_, i) => shape?.literal(i) ?? '?').join(',')},${this.#loadId})`;
      const conflict = merge ? mergeClause(TRADE_FLOW_ROWS, this.#loadId) : 'on conflict do nothing';
      statement = this.#sqlite.prepare(
        `insert into trade_flow_rows (source,${ROW_COLUMNS.join(',')},load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} ${conflict}`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /** Writes rows; returns the rows whose key an earlier row of this file already holds. */
  async write(batch: { readonly rows: readonly RowValues[] }): Promise<Duplicate[]> {
    return this.#write(batch.rows);
  }

  /** Synchronous, as the SQLite bulk path must stay: the promise is only the interface's. */
  #write(rows: readonly RowValues[]): Duplicate[] {
    // A batch without rows (all rejected, or held back until the file's end) must not set the
    // constant shape: an empty shape would bind all 25 values of every later row.
    if (rows.length === 0) return [];
    for (const r of rows) {
      const reporter = r[AT.reporter_iso3] as string;
      const period = r[AT.period] as string;
      this.#touched.note({ reporter, period }, [reporter, period]);
      if (this.#retirer !== null) this.#retirer.claim(this.#scopeAt.map((i) => r[i]));
    }
    this.#shape ??= ConstantShape.of(rows);
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(start + ROWS_PER_STATEMENT, rows.length);
      if (this.#writeChunk(rows, start, end) > 0)
        duplicates.push(...this.#findDuplicates(rows.slice(start, end)));
    }
    return duplicates;
  }

  /**
   * Most columns of a file hold one value throughout (BACI: flow, frequency, edition, transport
   * mode, customs procedure, the NULLs). Binding is the insert's main cost, so those values are
   * written into the statement as literals and only the varying ones are bound: about 9 values
   * a row instead of 25. A chunk with a row that breaks the pattern drops the columns it breaks
   * from the shape, for good; rows still go in order, so duplicate handling does not change.
   * Returns the chunk's duplicates.
   */
  #writeChunk(rows: readonly RowValues[], start: number, end: number): number {
    let shape = this.#shape!;
    let fits = true;
    for (let i = start; i < end && fits; i++) fits = shape.fits(rows[i]!);
    // A column the first batch held constant varies here (the next reporter or year of a file
    // sorted by them): it is bound from now on, the others stay literals. Falling back to the
    // general statement instead bound all 25 values of nearly every row of such a file.
    if (!fits && shape.constants > 0) {
      shape = shape.without(rows.slice(start, end));
      this.#shape = shape;
      fits = true;
    }
    const params: unknown[] = [];
    if (fits) for (let i = start; i < end; i++) shape.pushVarying(rows[i]!, params);
    else for (let i = start; i < end; i++) for (const v of rows[i]!) params.push(v);
    const used = fits ? shape : null;
    const n = end - start;
    return this.#lane.run(this.#statementFor(n, used, false), this.#statementFor(n, used, true), params, n)
      .duplicates;
  }

  /**
   * The slow path, taken only when a chunk had duplicates: look each row's key up; a key that
   * this file carried from another row makes this row a duplicate of that one.
   */
  #findDuplicates(chunk: readonly RowValues[]): Duplicate[] {
    const found: Duplicate[] = [];
    for (const r of chunk) {
      const firstRow = this.#findKey.get(this.#source, ...KEY_COLUMNS.map((c) => r[AT[c]])) as
        | number
        | undefined;
      const sourceRow = r[AT.source_row] as number;
      if (firstRow === undefined)
        throw new Error(`row ${sourceRow} was neither written nor found by its key`);
      if (firstRow !== sourceRow) found.push({ sourceRow, firstRow, row: () => rowValuesAsObject(r) });
    }
    return found;
  }

  async finish(): Promise<FlowWriterOutcome> {
    const retired = this.#retirer?.retire() ?? 0;
    return { ...this.#lane.outcome(retired, this.#retirer?.scopes ?? 0), lateDuplicates: [] };
  }
}

/** Columns that hold one value in every row of a file's first batch, and that value. */
class ConstantShape {
  readonly #constant: ReadonlyMap<number, unknown>;
  readonly #varying: readonly number[];
  /** Which shape of the file this is: its statements are prepared apart from the others'. */
  readonly version: number;

  private constructor(constant: ReadonlyMap<number, unknown>, version = 0) {
    this.#constant = constant;
    this.#varying = ROW_COLUMNS.map((_, i) => i).filter((i) => !constant.has(i));
    this.version = version;
  }

  /** How many columns are written as literals. */
  get constants(): number {
    return this.#constant.size;
  }

  /** This shape less the columns whose constant some of `rows` do not hold: every row fits it. */
  without(rows: readonly RowValues[]): ConstantShape {
    const kept = new Map<number, unknown>();
    for (const [i, value] of this.#constant) if (rows.every((r) => r[i] === value)) kept.set(i, value);
    return new ConstantShape(kept, this.version + 1);
  }

  static of(rows: readonly RowValues[]): ConstantShape {
    const constant = new Map<number, unknown>();
    const first = rows[0];
    if (first !== undefined) {
      ROW_COLUMNS.forEach((column, i) => {
        const value = first[i];
        // Lineage varies by nature; a real number as SQL text could lose precision.
        if (column === 'source_row' || (typeof value === 'number' && !Number.isSafeInteger(value))) return;
        if (rows.every((r) => r[i] === value)) constant.set(i, value);
      });
    }
    return new ConstantShape(constant);
  }

  fits(row: RowValues): boolean {
    for (const [i, value] of this.#constant) if (row[i] !== value) return false;
    return true;
  }

  pushVarying(row: RowValues, into: unknown[]): void {
    for (const i of this.#varying) into.push(row[i]);
  }

  /** The column's constant as an SQL literal, or null when it varies. */
  literal(column: number): string | null {
    return this.#constant.has(column) ? sqlLiteral(this.#constant.get(column)) : null;
  }
}
