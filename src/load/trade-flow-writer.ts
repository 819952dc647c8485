/**
 * The bulk row path into `trade_flows`. kysely costs about 1.8 µs per value on inserts, so rows
 * go through prepared multi-row INSERT statements on the raw connection instead (DESIGN.md,
 * "Bulk paths"). The writer also replaces each slice (source, reporter, period) the first time
 * the file touches it, and reports rows the unique key refused as duplicates.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */
import type Database from 'better-sqlite3';
import type { TradeFlowRow } from '../pipeline/trade-source.ts';

/** Column order of the prepared INSERT. */
const COLUMNS = [
  'source',
  'reporter_iso3',
  'reporter_code',
  'partner_iso3',
  'partner_code',
  'partner2_iso3',
  'flow',
  'freq',
  'period',
  'year',
  'month',
  'hs_edition',
  'hs_code',
  'hs_level',
  'value_usd',
  'cif_value_usd',
  'fob_value_usd',
  'net_weight_kg',
  'net_weight_estimated',
  'gross_weight_kg',
  'qty',
  'qty_unit_code',
  'qty_unit',
  'mode_of_transport',
  'customs_procedure',
  'source_row',
  'load_id',
] as const;

/** Rows per INSERT: rows per statement matter most for speed; 100 × 27 values stays far below SQLite's 32,766 limit. */
const ROWS_PER_STATEMENT = 100;

export interface PendingRow {
  readonly row: TradeFlowRow;
  /** Row number in the file, stored as `source_row` and used for duplicate messages. */
  readonly sourceRow: number;
}

export interface Duplicate {
  readonly sourceRow: number;
  /** The earlier row of the same file holding the same key. */
  readonly firstRow: number;
}

export interface Slice {
  readonly reporter: string;
  readonly period: string;
}

export class TradeFlowWriter {
  readonly #sqlite: Database.Database;
  readonly #source: string;
  readonly #loadId: number;
  readonly #statements = new Map<number, Database.Statement>();
  readonly #slices = new Map<string, Slice>();
  readonly #countSlice: Database.Statement;
  readonly #deleteSlice: Database.Statement;
  readonly #markSuperseded: Database.Statement;
  readonly #findKey: Database.Statement;
  #shape: ConstantShape | null = null;
  /** Rows of earlier loads that this file's slices replaced. */
  rowsReplaced = 0;
  rowsInserted = 0;
  /** Earlier loads whose rows this file replaced, with how many rows each. */
  readonly replacedLoads = new Map<number, number>();

  constructor(sqlite: Database.Database, source: string, loadId: number) {
    this.#sqlite = sqlite;
    this.#source = source;
    this.#loadId = loadId;
    const sliceWhere = 'source = ? and reporter_iso3 = ? and period = ?';
    this.#countSlice = sqlite.prepare(
      `select load_id, count(*) as n from trade_flows where ${sliceWhere} group by load_id`,
    );
    this.#deleteSlice = sqlite.prepare(`delete from trade_flows where ${sliceWhere}`);
    this.#markSuperseded = sqlite.prepare(
      'update load_files set superseded_by = coalesce(superseded_by, ?), slices_current = slices_current - 1 where load_id = ?',
    );
    this.#findKey = sqlite.prepare(
      `select source_row from trade_flows where source = ? and reporter_iso3 = ? and period = ? and flow = ? and partner_iso3 = ?
       and partner2_iso3 = ? and hs_edition = ? and hs_code = ? and mode_of_transport = ? and customs_procedure = ?`,
    );
  }

  /** Slices this file touched, in first-seen order. */
  get slices(): readonly Slice[] {
    return [...this.#slices.values()];
  }

  /** The prepared INSERT for `rows` rows, with the shape's constants as literals (or none). */
  #statementFor(rows: number, shape: ConstantShape | null): Database.Statement {
    const key = shape === null ? -rows : rows;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(${COLUMNS.map((_, i) => shape?.literal(i) ?? '?').join(',')})`;
      statement = this.#sqlite.prepare(
        `insert into trade_flows (${COLUMNS.join(',')}) values ${Array.from({ length: rows }, () => tuple).join(',')} on conflict do nothing`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /** One row's values in COLUMNS order. */
  #rowValues(pending: PendingRow): unknown[] {
    const r = pending.row;
    return [
      this.#source,
      r.reporter_iso3,
      r.reporter_code,
      r.partner_iso3,
      r.partner_code,
      r.partner2_iso3,
      r.flow,
      r.freq,
      r.period,
      r.year,
      r.month,
      r.hs_edition,
      r.hs_code,
      r.hs_level,
      r.value_usd,
      r.cif_value_usd,
      r.fob_value_usd,
      r.net_weight_kg,
      r.net_weight_estimated,
      r.gross_weight_kg,
      r.qty,
      r.qty_unit_code,
      r.qty_unit,
      r.mode_of_transport,
      r.customs_procedure,
      pending.sourceRow,
      this.#loadId,
    ];
  }

  /** Deletes a slice's earlier rows the first time this file touches it. */
  #claimSlice(reporter: string, period: string): void {
    const key = `${reporter}\u0000${period}`;
    if (this.#slices.has(key)) return;
    this.#slices.set(key, { reporter, period });
    const earlier = this.#countSlice.all(this.#source, reporter, period) as { load_id: number; n: number }[];
    if (earlier.length === 0) return;
    this.#deleteSlice.run(this.#source, reporter, period);
    for (const e of earlier) {
      this.rowsReplaced += e.n;
      this.replacedLoads.set(e.load_id, (this.replacedLoads.get(e.load_id) ?? 0) + e.n);
      this.#markSuperseded.run(this.#loadId, e.load_id);
    }
  }

  /** Inserts rows; returns the rows whose key an earlier row of this file already holds. */
  write(rows: readonly PendingRow[]): Duplicate[] {
    for (const p of rows) this.#claimSlice(p.row.reporter_iso3, p.row.period);
    const values = rows.map((p) => this.#rowValues(p));
    this.#shape ??= ConstantShape.of(values);
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(start + ROWS_PER_STATEMENT, rows.length);
      const inserted = this.#insertChunk(values, start, end);
      this.rowsInserted += inserted;
      if (inserted < end - start) duplicates.push(...this.#findDuplicates(rows.slice(start, end)));
    }
    return duplicates;
  }

  /**
   * Most columns of a file hold one value throughout (BACI: source, flow, frequency, edition,
   * transport mode, customs procedure, the NULLs). Binding is the insert's main cost, so
   * those values are written into the statement as literals and only the varying ones are
   * bound: about 9 values a row instead of 27. A chunk with any row that breaks the pattern
   * goes through the general statement, in order, so duplicate handling does not change.
   */
  #insertChunk(values: readonly unknown[][], start: number, end: number): number {
    const shape = this.#shape!;
    let fits = true;
    for (let i = start; i < end && fits; i++) fits = shape.fits(values[i]!);
    const params: unknown[] = [];
    if (fits) {
      for (let i = start; i < end; i++) shape.pushVarying(values[i]!, params);
      return this.#statementFor(end - start, shape).run(params).changes;
    }
    for (let i = start; i < end; i++) for (const v of values[i]!) params.push(v);
    return this.#statementFor(end - start, null).run(params).changes;
  }

  /**
   * The slow path, taken only when a chunk lost rows to the unique key: look each row's key up;
   * a row whose key holds another row number was a duplicate. Rows that were new but not yet
   * written because the multi-row statement ignores per-row conflicts cannot exist: SQLite
   * applies ON CONFLICT DO NOTHING row by row.
   */
  #findDuplicates(chunk: readonly PendingRow[]): Duplicate[] {
    const found: Duplicate[] = [];
    for (const p of chunk) {
      const r = p.row;
      const hit = this.#findKey.get(
        this.#source,
        r.reporter_iso3,
        r.period,
        r.flow,
        r.partner_iso3,
        r.partner2_iso3,
        r.hs_edition,
        r.hs_code,
        r.mode_of_transport,
        r.customs_procedure,
      ) as { source_row: number } | undefined;
      if (hit === undefined) {
        // Cannot happen inside one transaction; insert defensively so nothing is lost silently.
        this.rowsInserted += this.#statementFor(1, null).run(this.#rowValues(p)).changes;
      } else if (hit.source_row !== p.sourceRow) {
        found.push({ sourceRow: p.sourceRow, firstRow: hit.source_row });
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
    this.#varying = COLUMNS.map((_, i) => i).filter((i) => !constant.has(i));
  }

  static of(rows: readonly unknown[][]): ConstantShape {
    const constant = new Map<number, unknown>();
    const first = rows[0];
    if (first !== undefined) {
      COLUMNS.forEach((column, i) => {
        const value = first[i];
        // Lineage columns vary by nature; a real number as SQL text could lose precision.
        if (column === 'source_row' || (typeof value === 'number' && !Number.isSafeInteger(value))) return;
        if (rows.every((r) => r[i] === value)) constant.set(i, value);
      });
    }
    return new ConstantShape(constant);
  }

  fits(row: readonly unknown[]): boolean {
    for (const [i, value] of this.#constant) if (row[i] !== value) return false;
    return true;
  }

  pushVarying(row: readonly unknown[], into: unknown[]): void {
    for (const i of this.#varying) into.push(row[i]);
  }

  /** The column's constant as an SQL literal, or null when it varies. */
  literal(column: number): string | null {
    if (!this.#constant.has(column)) return null;
    const value = this.#constant.get(column);
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number') return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  }
}
