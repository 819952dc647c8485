/**
 * Coverage: what one file covers completely, so that rows of an earlier load inside it that the
 * file no longer holds are retired (closed as `retired`, never deleted outright). A source
 * declares it (a BACI file: its edition-year; a port table: its ports, periods, directions and
 * units) or the user does (`--replace-scope reporter,period,flow`); without either, a load
 * merges only and retires nothing.
 *
 * A scope is one combination of the declared dimensions' values among the file's rows. The
 * first time the file meets a scope, the tracker asks whether the table held any rows in it
 * before; only scopes that did are searched for rows to retire at the end, so a first load
 * pays nothing for coverage.
 */

import type { FactTable } from '../../warehouse/fact-tables.ts';
import type { SqliteDatabase, SqliteStatement } from './driver.ts';

/**
 * The columns a coverage's dimensions (`reporter`, `period`, `flow`...) stand for in `table`;
 * throws on a dimension it does not have (the pipeline checks them first, with a message).
 */
export function coverageColumns(table: FactTable, dimensions: readonly string[]): string[] {
  return dimensions.map((d) => {
    const column = table.scopeDimensions[d];
    if (column === undefined)
      throw new Error(
        `"${d}" is not a dimension of ${table.view}; use ${Object.keys(table.scopeDimensions).join(', ')}`,
      );
    return column;
  });
}

export class ScopeRetirer {
  readonly #sqlite: SqliteDatabase;
  readonly #table: FactTable;
  readonly #loadId: number;
  readonly #columns: readonly string[];
  readonly #fixed: readonly unknown[];
  readonly #heldBefore: SqliteStatement;
  readonly #seen = new Map<string, readonly unknown[]>();
  readonly #toSearch: (readonly unknown[])[] = [];

  /**
   * @param fixed values of the leading columns every scope shares (the source), matched
   *   against `fixedColumns`.
   */
  constructor(
    sqlite: SqliteDatabase,
    table: FactTable,
    loadId: number,
    columns: readonly string[],
    fixedColumns: readonly string[],
    fixed: readonly unknown[],
  ) {
    this.#sqlite = sqlite;
    this.#table = table;
    this.#loadId = loadId;
    this.#columns = [...fixedColumns, ...columns];
    this.#fixed = fixed;
    this.#heldBefore = sqlite
      .prepare(`select 1 from ${table.name} where ${this.#where()} and load_id <> ${loadId} limit 1`)
      .pluck();
  }

  #where(): string {
    return this.#columns.map((c) => `${c} = ?`).join(' and ');
  }

  /** Notes the scope of a row given the values of the scope's columns; call before the row is written. */
  claim(values: readonly unknown[]): void {
    const key = values.join('\u0000');
    if (this.#seen.has(key)) return;
    const params = [...this.#fixed, ...values];
    this.#seen.set(key, params);
    if (this.#heldBefore.get(params) !== undefined) this.#toSearch.push(params);
  }

  /** Scopes the file covered. */
  get scopes(): number {
    return this.#seen.size;
  }

  /** Closes the rows of the covered scopes that this load did not carry; returns how many. */
  retire(): number {
    if (this.#toSearch.length === 0) return 0;
    const t = this.#table;
    const columns = t.columns.join(',');
    const notSeen = `coalesce(seen_load, load_id) <> ${this.#loadId}`;
    const close = this.#sqlite.prepare(
      `insert into ${t.closed} (${columns}, valid_to_load, closed_by)
       select ${columns}, ${this.#loadId}, 'retired' from ${t.name} where ${this.#where()} and ${notSeen}`,
    );
    const remove = this.#sqlite.prepare(`delete from ${t.name} where ${this.#where()} and ${notSeen}`);
    let retired = 0;
    for (const params of this.#toSearch) {
      close.run(params);
      retired += remove.run(params).changes;
    }
    return retired;
  }
}
