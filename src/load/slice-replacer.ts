/**
 * Slice replacement, shared by the writers: the first time a file touches a slice (a reporter
 * and period of one source; for BACI also the HS edition), the slice's earlier rows are deleted
 * and the loads they came from are marked superseded. It runs inside the file's transaction,
 * so a failed file restores them.
 */
import type Database from 'better-sqlite3';

export interface Slice {
  readonly reporter: string;
  readonly period: string;
  /** For slices that include the HS edition (BACI). */
  readonly hs_edition?: string;
  /** Port slices: a port's imports and exports, tonnes and TEU come in separate files. */
  readonly direction?: string;
  readonly unit?: string;
}

export interface SliceStatements {
  /** Parameters: the slice's key values; returns `{ load_id, n }` per earlier load. */
  readonly count: Database.Statement;
  /** Parameters: the slice's key values. */
  readonly remove: Database.Statement;
}

export class SliceReplacer {
  readonly #loadId: number;
  readonly #statements: SliceStatements;
  readonly #markSuperseded: Database.Statement;
  readonly #slices = new Map<string, Slice>();
  /** Rows of earlier loads that this file's slices replaced. */
  rowsReplaced = 0;
  /** Earlier loads whose rows this file replaced, with how many rows each. */
  readonly replacedLoads = new Map<number, number>();

  constructor(sqlite: Database.Database, loadId: number, statements: SliceStatements) {
    this.#loadId = loadId;
    this.#statements = statements;
    this.#markSuperseded = sqlite.prepare(
      'update load_files set superseded_by = coalesce(superseded_by, ?), slices_current = slices_current - 1 where load_id = ?',
    );
  }

  /** Slices this file touched, in first-seen order. */
  get slices(): readonly Slice[] {
    return [...this.#slices.values()];
  }

  /** Deletes the slice's earlier rows unless this file already claimed it. */
  claim(slice: Slice, keyValues: readonly unknown[]): void {
    const key = keyValues.join('\u0000');
    if (this.#slices.has(key)) return;
    this.#slices.set(key, slice);
    const earlier = this.#statements.count.all(...keyValues) as { load_id: number; n: number }[];
    if (earlier.length === 0) return;
    this.#statements.remove.run(...keyValues);
    for (const e of earlier) {
      this.rowsReplaced += e.n;
      this.replacedLoads.set(e.load_id, (this.replacedLoads.get(e.load_id) ?? 0) + e.n);
      this.#markSuperseded.run(this.#loadId, e.load_id);
    }
  }
}
