/**
 * The bulk row path into `trade_flow_rows`, the table behind `trade_flows` for every source but
 * BACI (baci-flow-writer.ts). kysely costs about 1.8 µs per value on inserts, so rows go through
 * prepared multi-row INSERT statements on the raw connection instead (DESIGN.md, "Bulk paths").
 * The writer also replaces each slice (source, reporter, period) the first time the file
 * touches it, and reports rows the unique key refused as duplicates.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */
import type Database from 'better-sqlite3';
import type { Duplicate, FlowWriter } from './flow-writer.ts';
import { SliceReplacer } from './slice-replacer.ts';
import { AT, ROW_COLUMNS, type RowValues, rowValuesAsObject } from './trade-flow-values.ts';

/** Rows per INSERT: rows per statement matter most for speed; 100 × 25 values stays far below SQLite's 32,766 limit. */
const ROWS_PER_STATEMENT = 100;

const sqlLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
};

const KEY_COLUMNS = [
  'reporter_iso3',
  'period',
  'flow',
  'partner_iso3',
  'partner2_iso3',
  'hs_edition',
  'hs_code',
  'mode_of_transport',
  'customs_procedure',
] as const;

export class TradeFlowWriter implements FlowWriter {
  readonly #sqlite: Database.Database;
  readonly #source: string;
  readonly #loadId: number;
  readonly #statements = new Map<number, Database.Statement>();
  readonly replacer: SliceReplacer;
  readonly sliceKey = 'reporter and period';
  readonly #findKey: Database.Statement;
  #shape: ConstantShape | null = null;
  rowsInserted = 0;

  constructor(sqlite: Database.Database, source: string, loadId: number) {
    this.#sqlite = sqlite;
    this.#source = source;
    this.#loadId = loadId;
    const sliceWhere = 'source = ? and reporter_iso3 = ? and period = ?';
    this.replacer = new SliceReplacer(sqlite, loadId, {
      count: sqlite.prepare(
        `select load_id, count(*) as n from trade_flow_rows where ${sliceWhere} group by load_id`,
      ),
      remove: sqlite.prepare(`delete from trade_flow_rows where ${sliceWhere}`),
    });
    this.#findKey = sqlite.prepare(
      `select source_row from trade_flow_rows where source = ? and ${KEY_COLUMNS.map((c) => `${c} = ?`).join(' and ')}`,
    );
  }

  /**
   * The prepared INSERT for `rows` rows. The writer's source and load id, and the shape's
   * constants, are literals; the rest are parameters.
   */
  #statementFor(rows: number, shape: ConstantShape | null): Database.Statement {
    const key = shape === null ? -rows : rows;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(${sqlLiteral(this.#source)},${ROW_COLUMNS.map((_, i) => shape?.literal(i) ?? '?').join(',')},${this.#loadId})`;
      statement = this.#sqlite.prepare(
        `insert into trade_flow_rows (source,${ROW_COLUMNS.join(',')},load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} on conflict do nothing`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /** Inserts rows; returns the rows whose key an earlier row of this file already holds. */
  write(batch: { readonly rows: readonly RowValues[] }): Duplicate[] {
    const { rows } = batch;
    for (const r of rows) {
      const reporter = r[AT.reporter_iso3] as string;
      const period = r[AT.period] as string;
      this.replacer.claim({ reporter, period }, [this.#source, reporter, period]);
    }
    this.#shape ??= ConstantShape.of(rows);
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(start + ROWS_PER_STATEMENT, rows.length);
      const inserted = this.#insertChunk(rows, start, end);
      this.rowsInserted += inserted;
      if (inserted < end - start) duplicates.push(...this.#findDuplicates(rows.slice(start, end)));
    }
    return duplicates;
  }

  /**
   * Most columns of a file hold one value throughout (BACI: flow, frequency, edition, transport
   * mode, customs procedure, the NULLs). Binding is the insert's main cost, so those values are
   * written into the statement as literals and only the varying ones are bound: about 9 values
   * a row instead of 25. A chunk with any row that breaks the pattern goes through the general
   * statement, in order, so duplicate handling does not change.
   */
  #insertChunk(rows: readonly RowValues[], start: number, end: number): number {
    const shape = this.#shape!;
    let fits = true;
    for (let i = start; i < end && fits; i++) fits = shape.fits(rows[i]!);
    const params: unknown[] = [];
    if (fits) {
      for (let i = start; i < end; i++) shape.pushVarying(rows[i]!, params);
      return this.#statementFor(end - start, shape).run(params).changes;
    }
    for (let i = start; i < end; i++) for (const v of rows[i]!) params.push(v);
    return this.#statementFor(end - start, null).run(params).changes;
  }

  /**
   * The slow path, taken only when a chunk lost rows to the unique key: look each row's key up;
   * a row whose key holds another row number was a duplicate. SQLite applies ON CONFLICT DO
   * NOTHING row by row, so every other row of the chunk is in.
   */
  #findDuplicates(chunk: readonly RowValues[]): Duplicate[] {
    const found: Duplicate[] = [];
    for (const r of chunk) {
      const hit = this.#findKey.get(this.#source, ...KEY_COLUMNS.map((c) => r[AT[c]])) as
        | { source_row: number }
        | undefined;
      const sourceRow = r[AT.source_row] as number;
      if (hit === undefined) {
        // Cannot happen inside one transaction; insert defensively so nothing is lost silently.
        this.rowsInserted += this.#statementFor(1, null).run(r).changes;
      } else if (hit.source_row !== sourceRow) {
        found.push({ sourceRow, firstRow: hit.source_row, row: () => rowValuesAsObject(r) });
      }
    }
    return found;
  }
}

/** Columns that hold one value in every row of a file's first batch, and that value. */
class ConstantShape {
  readonly #constant: ReadonlyMap<number, unknown>;
  readonly #varying: readonly number[];

  private constructor(constant: ReadonlyMap<number, unknown>) {
    this.#constant = constant;
    this.#varying = ROW_COLUMNS.map((_, i) => i).filter((i) => !constant.has(i));
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
