/**
 * The natural-key merge of one file into one fact table, chunk by chunk, inside the file's
 * transaction. Each chunk of rows goes through one or two prepared multi-row statements with
 * the same parameters:
 *
 * 1. `INSERT ... ON CONFLICT DO NOTHING`: new keys go in. Into an empty warehouse this is the
 *    only statement that runs, so a first load costs what a plain insert costs.
 * 2. When some rows did not go in, or at once in a revision (below): the same INSERT with
 *    `ON CONFLICT DO UPDATE`. A key an earlier load holds gets the new values; when they
 *    differ, its `load_id` becomes this load's and a trigger (migration 0008) closes the old
 *    version into `<table>_closed`. Either way `seen_load`/`seen_row` record that this load
 *    carried the figure. A key this load already wrote (inserted or merged by an earlier row of
 *    the file) is left alone.
 *
 * A revised release holds mostly keys the warehouse has: there the first statement finds every
 * key taken, and each row would be looked up twice. So once a chunk's insert takes no row, the
 * next chunks go straight to the merge, until one of them is all new keys again. The merge
 * says which of its rows it inserted (`RETURNING`: an inserted row has no `seen_load` yet), so
 * the counts stay exact either way.
 *
 * A row that neither statement took repeats a key of an earlier row of the same file: a
 * duplicate, which the writer looks up and reports. Changed rows are counted from the closed
 * table at the end, so the per-row work stays in SQLite.
 */

import type { FactTable } from '../../warehouse/fact-tables.ts';
import type { SqliteDatabase, SqliteStatement } from './driver.ts';

/**
 * The ON CONFLICT clause that merges a row into `table` for load `loadId`, and the RETURNING
 * MergeLane counts by: a statement ending in it returns one row per row it took, so run it with
 * `all()` (MergeLane.run does). Comparisons are NULL-safe (`IS NOT`): a weight that appears or
 * disappears is a revision too.
 */
export function mergeClause(table: FactTable, loadId: number): string {
  const t = table.name;
  const differs = table.values.map((c) => `${t}.${c} is not excluded.${c}`).join(' or ');
  return [
    `on conflict (${table.key.join(',')}) do update set`,
    [
      ...table.values.map((c) => `${c} = excluded.${c}`),
      `load_id = case when ${differs} then ${loadId} else ${t}.load_id end`,
      `source_row = case when ${differs} then excluded.source_row else ${t}.source_row end`,
      `seen_load = ${loadId}`,
      'seen_row = excluded.source_row',
    ].join(', '),
    `where coalesce(${t}.seen_load, ${t}.load_id) <> ${loadId}`,
    // 1 for a row this statement inserted, 0 for one it merged (MergeLane counts them).
    'returning seen_load is null',
  ].join(' ');
}

/** What one chunk did: rows new to the table, rows merged into an earlier load's key, and the rest (duplicates). */
export interface ChunkOutcome {
  readonly inserted: number;
  readonly merged: number;
  readonly duplicates: number;
}

export interface MergeCounts {
  /** Keys new to the table. */
  readonly inserted: number;
  /** Keys an earlier load held, with a different value now. */
  readonly changed: number;
  /** Keys an earlier load held with the same values: left as they were. */
  readonly unchanged: number;
}

/** What a file's load did to its table, for the journal and the summary line. */
export interface MergeOutcome extends MergeCounts {
  /** Rows of earlier loads inside the file's coverage that it no longer holds, now closed. */
  readonly retired: number;
  /** Scopes of the coverage the file covered (0 when it merges only). */
  readonly scopes: number;
  /** Earlier loads whose figures this file changed, with how many each. */
  readonly changedLoads: ReadonlyMap<number, number>;
  /** Earlier loads whose rows this file retired, with how many each. */
  readonly retiredLoads: ReadonlyMap<number, number>;
}

export class MergeLane {
  readonly #sqlite: SqliteDatabase;
  readonly #table: FactTable;
  readonly #loadId: number;
  inserted = 0;
  /** Changed and unchanged together; split by `finish`. */
  merged = 0;
  /** Whether the next chunk tries the plain insert first: until a chunk finds only known keys. */
  #insertFirst = true;

  constructor(sqlite: SqliteDatabase, table: FactTable, loadId: number) {
    this.#sqlite = sqlite;
    this.#table = table;
    this.#loadId = loadId;
  }

  /**
   * Runs one chunk of `rows` rows: through the insert and, when some rows did not go in, the
   * merge statement; or, while chunks find their keys known, through the merge alone (`merge`
   * ends in mergeClause's RETURNING).
   */
  run(
    insert: SqliteStatement,
    merge: SqliteStatement,
    params: readonly unknown[],
    rows: number,
  ): ChunkOutcome {
    let inserted = 0;
    if (this.#insertFirst) {
      inserted = insert.run(params).changes;
      this.inserted += inserted;
      if (inserted === rows) return { inserted, merged: 0, duplicates: 0 };
      if (inserted === 0) this.#insertFirst = false;
    }
    const taken = merge.pluck().all(params) as (number | boolean)[];
    let insertedByMerge = 0;
    for (const wasInserted of taken) if (wasInserted) insertedByMerge++;
    const merged = taken.length - insertedByMerge;
    inserted += insertedByMerge;
    this.inserted += insertedByMerge;
    this.merged += merged;
    if (insertedByMerge === rows) this.#insertFirst = true;
    return { inserted, merged, duplicates: rows - inserted - merged };
  }

  /** The whole file's outcome, once every chunk has run and the coverage has retired `retired` rows. */
  outcome(retired: number, scopes: number): MergeOutcome {
    return {
      ...this.#counts(),
      retired,
      scopes,
      changedLoads: this.#closedLoads('changed'),
      retiredLoads: retired === 0 ? new Map() : this.#closedLoads('retired'),
    };
  }

  #counts(): MergeCounts {
    const changed = this.#sqlite
      .prepare(`select count(*) from ${this.#table.closed} where valid_to_load = ? and closed_by = 'changed'`)
      .pluck()
      .get(this.#loadId) as number;
    return { inserted: this.inserted, changed, unchanged: this.merged - changed };
  }

  /**
   * Earlier loads whose figures this load changed or retired, with how many each: for the
   * journal's notes (two layouts over one file, a revised release).
   */
  #closedLoads(closedBy: 'changed' | 'retired'): Map<number, number> {
    const rows = this.#sqlite
      .prepare(
        `select load_id, count(*) as n from ${this.#table.closed} where valid_to_load = ? and closed_by = ? group by load_id`,
      )
      .all(this.#loadId, closedBy) as { load_id: number; n: number }[];
    return new Map(rows.map((r) => [r.load_id, r.n]));
  }
}
