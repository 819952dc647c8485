/**
 * Storage of data-quality findings (`dq_findings`, migration 0009): what a check found wrong
 * with the data, one row per check, table and key. A finding found again updates its figures
 * and `last_seen_at` rather than adding a row; one that a check of the same table no longer
 * finds is marked resolved; one found again after that is open again.
 *
 * The caller owns the transaction: a load records its findings inside the file's transaction,
 * so they commit with its rows or not at all.
 */
import type { Warehouse } from './warehouse.ts';

export type FindingSeverity = 'info' | 'warning' | 'error';

export interface Finding {
  /** The check's stable name (`printed_subtotal`). */
  readonly check: string;
  readonly severity: FindingSeverity;
  /** What was checked: a file and sheet (`exports.xlsx › 2023`) or a warehouse table. */
  readonly table: string;
  /** Which item of the table; unique within the check and table. */
  readonly key: string;
  readonly expected: number | null;
  readonly found: number | null;
  /** The rows involved; stored as JSON. */
  readonly rows: unknown;
  readonly message: string;
  readonly file?: string | null;
  readonly sheet?: string | null;
}

/** A check run over one table: open findings of it that were not found again are resolved. */
export interface FindingScope {
  readonly check: string;
  readonly table: string;
}

export interface RecordOptions {
  /** The run the load belongs to; looked up from `load_files` when not given. */
  readonly runId?: number | null;
  /** The checks and tables examined: their open findings not in `findings` are resolved. */
  readonly checked?: readonly FindingScope[];
  /** The time to record, ISO 8601 UTC; now by default. */
  readonly at?: string;
}

export interface RecordedFindings {
  /** Findings not open before: new, or found again after being resolved. */
  readonly opened: number;
  /** Findings already open, found again. */
  readonly seenAgain: number;
  readonly resolved: number;
}

/**
 * Records what a load (or a check not tied to a load: `loadId` null) found.
 *
 * @example
 * await recordFindings(warehouse, 12, [{ check: 'printed_subtotal', severity: 'warning',
 *   table: 'exports.xlsx › 2023', key: 'Europe › 2023', expected: 120, found: 118,
 *   rows: { row: 8, part_rows: '9-14' }, message: '…' }]);
 */
export async function recordFindings(
  warehouse: Warehouse,
  loadId: number | null,
  findings: readonly Finding[],
  options: RecordOptions = {},
): Promise<RecordedFindings> {
  const db = warehouse.db;
  const at = options.at ?? new Date().toISOString();
  const runId =
    options.runId !== undefined || loadId === null
      ? (options.runId ?? null)
      : ((await db.selectFrom('load_files').select('run_id').where('load_id', '=', loadId).executeTakeFirst())
          ?.run_id ?? null);

  let opened = 0;
  let seenAgain = 0;
  for (const f of findings) {
    const before = await db
      .selectFrom('dq_findings')
      .select('resolved_at')
      .where('check_name', '=', f.check)
      .where('table_name', '=', f.table)
      .where('finding_key', '=', f.key)
      .executeTakeFirst();
    if (before === undefined || before.resolved_at !== null) opened++;
    else seenAgain++;
    const latest = {
      severity: f.severity,
      expected: f.expected,
      found: f.found,
      rows_involved: f.rows === undefined || f.rows === null ? null : JSON.stringify(f.rows),
      message: f.message,
      last_seen_at: at,
      resolved_at: null,
      load_id: loadId,
      run_id: runId,
      file: f.file ?? null,
      sheet: f.sheet ?? null,
    };
    await db
      .insertInto('dq_findings')
      .values({
        check_name: f.check,
        table_name: f.table,
        finding_key: f.key,
        first_seen_at: at,
        first_load_id: loadId,
        ...latest,
      })
      .onConflict((conflict) =>
        conflict.columns(['check_name', 'table_name', 'finding_key']).doUpdateSet(latest),
      )
      .execute();
  }
  // Open findings of the scopes examined that were not found now are resolved. Those found
  // now were just stamped `at`, so the rest are told by their older stamp: a list of the keys
  // found would be one SQL variable each, past SQLite's limit of 32,766 for a large warehouse.
  let resolved = 0;
  for (const scope of options.checked ?? []) {
    const result = await db
      .updateTable('dq_findings')
      .set({ resolved_at: at })
      .where('check_name', '=', scope.check)
      .where('table_name', '=', scope.table)
      .where('resolved_at', 'is', null)
      .where('last_seen_at', '<>', at)
      .executeTakeFirst();
    resolved += Number(result.numUpdatedRows);
  }
  return { opened, seenAgain, resolved };
}
