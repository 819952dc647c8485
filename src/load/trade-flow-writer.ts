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
  readonly #single: Database.Statement;
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
    this.#single = this.#insertStatement(1);
  }

  /** Slices this file touched, in first-seen order. */
  get slices(): readonly Slice[] {
    return [...this.#slices.values()];
  }

  #insertStatement(rows: number): Database.Statement {
    let statement = this.#statements.get(rows);
    if (statement === undefined) {
      const tuple = `(${COLUMNS.map(() => '?').join(',')})`;
      statement = this.#sqlite.prepare(
        `insert into trade_flows (${COLUMNS.join(',')}) values ${Array.from({ length: rows }, () => tuple).join(',')} on conflict do nothing`,
      );
      this.#statements.set(rows, statement);
    }
    return statement;
  }

  #values(pending: PendingRow, into: unknown[]): void {
    const r = pending.row;
    into.push(
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
    );
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
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      for (const p of chunk) this.#values(p, values);
      const inserted = this.#insertStatement(chunk.length).run(values).changes;
      this.rowsInserted += inserted;
      if (inserted < chunk.length) duplicates.push(...this.#findDuplicates(chunk));
    }
    return duplicates;
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
        const values: unknown[] = [];
        this.#values(p, values);
        this.rowsInserted += this.#single.run(values).changes;
      } else if (hit.source_row !== p.sourceRow) {
        found.push({ sourceRow: p.sourceRow, firstRow: hit.source_row });
      }
    }
    return found;
  }
}
