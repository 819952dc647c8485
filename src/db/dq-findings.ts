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
  /** The calendar year of the figures, for a check that a refresh runs over the years it rewrote. */
  readonly year?: number | null;
}

/** A check run over one table: open findings of it that were not found again are resolved. */
export interface FindingScope {
  readonly check: string;
  readonly table: string;
  /**
   * Only these years were examined: open findings of other years (and those without a year)
   * stand as they are. Absent: every finding of the check and table.
   */
  readonly years?: readonly number[];
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
  findings: readonly Finding[] | AsyncIterable<readonly Finding[]>,
  options: RecordOptions = {},
): Promise<RecordedFindings> {
  const db = warehouse.db;
  const at = options.at ?? new Date().toISOString();
  const runId =
    options.runId !== undefined || loadId === null
      ? (options.runId ?? null)
      : ((await db.selectFrom('load_files').select('run_id').where('load_id', '=', loadId).executeTakeFirst())
          ?.run_id ?? null);

  const { opened, seenAgain } = await upsertFindings(warehouse, loadId, runId, findings, at);
  // Open findings of the scopes examined that were not found now are resolved. Those found
  // now were just stamped `at`, so the rest are told by their older stamp: a list of the keys
  // found would be one SQL variable each, past SQLite's limit of 32,766 for a large warehouse.
  let resolved = 0;
  for (const scope of options.checked ?? []) {
    let resolving = db
      .updateTable('dq_findings')
      .set({ resolved_at: at })
      .where('check_name', '=', scope.check)
      .where('table_name', '=', scope.table)
      .where('resolved_at', 'is', null)
      .where('last_seen_at', '<>', at);
    if (scope.years !== undefined) {
      if (scope.years.length === 0) continue;
      resolving = resolving.where('year', 'in', scope.years);
    }
    const result = await resolving.executeTakeFirst();
    resolved += Number(result.numUpdatedRows);
  }
  return { opened, seenAgain, resolved };
}

/** The columns of a finding as it is staged: its identity and its latest figures. */
const STAGED = [
  'check_name',
  'table_name',
  'finding_key',
  'severity',
  'expected',
  'found',
  'rows_involved',
  'message',
  'file',
  'sheet',
  'year',
] as const;

/**
 * Findings staged per INSERT: 12 parameters each, well below SQLite's limit of 32,766 and
 * PostgreSQL's of 65,535.
 */
const STAGED_PER_STATEMENT = 500;

/** The findings as pages: one page for an array. */
async function* pagesOf(findings: readonly Finding[] | AsyncIterable<readonly Finding[]>) {
  if (Symbol.asyncIterator in findings) yield* findings;
  else yield findings;
}

/**
 * Inserts the findings not stored yet and updates those that are, in a few set-based
 * statements: the findings are staged in a temporary table page by page (memory holds one page
 * of them at a time), counted against `dq_findings`, then upserted from it in one INSERT ...
 * SELECT. One round trip per finding (a lookup, then an upsert) took seconds for the tens of
 * thousands of unit-value outliers of one BACI year.
 */
async function upsertFindings(
  warehouse: Warehouse,
  loadId: number | null,
  runId: number | null,
  findings: readonly Finding[] | AsyncIterable<readonly Finding[]>,
  at: string,
): Promise<{ opened: number; seenAgain: number }> {
  const { sql, flavor } = warehouse;
  const staged = flavor.tempTable('dq_findings_found');
  await sql.exec(
    `${flavor.dropTable(staged)};
     create table ${staged} (
       found_order integer not null, check_name text not null, table_name text not null,
       finding_key text not null, severity text not null, expected ${flavor.realType},
       found ${flavor.realType}, rows_involved text, message text not null, file text, sheet text,
       year ${flavor.integerType})`,
  );
  const placeholders = `(?, ${STAGED.map(() => '?').join(', ')})`;
  let count = 0;
  for await (const page of pagesOf(findings)) {
    for (let first = 0; first < page.length; first += STAGED_PER_STATEMENT) {
      const chunk = page.slice(first, first + STAGED_PER_STATEMENT);
      await sql.run(
        `insert into ${staged} (found_order, ${STAGED.join(', ')}) values ${chunk.map(() => placeholders).join(', ')}`,
        chunk.flatMap((f, i) => [
          count + first + i,
          f.check,
          f.table,
          f.key,
          f.severity,
          f.expected,
          f.found,
          f.rows === undefined || f.rows === null ? null : JSON.stringify(f.rows),
          f.message,
          f.file ?? null,
          f.sheet ?? null,
          f.year ?? null,
        ]),
      );
    }
    count += page.length;
  }
  if (count === 0) {
    await sql.exec(flavor.dropTable(staged));
    return { opened: 0, seenAgain: 0 };
  }
  // A key found twice in one call counts as found again, and its last figures stand, as when
  // each finding was written in turn; it keeps the place (and finding_id) of its first.
  const identity = 'check_name, table_name, finding_key';
  const keys = Number(
    await sql.value(`select count(*) from (select distinct ${identity} from ${staged}) as k`),
  );
  const stillOpen = Number(
    await sql.value(
      `select count(*) from (select distinct ${identity} from ${staged}) s
         join dq_findings d on d.check_name = s.check_name and d.table_name = s.table_name
          and d.finding_key = s.finding_key
         where d.resolved_at is null`,
    ),
  );
  // first_seen_at and first_load_id are written only with a new row; the rest is the latest.
  const updated = [...STAGED.slice(3), 'last_seen_at', 'resolved_at', 'load_id', 'run_id'];
  await sql.run(
    `insert into dq_findings (${STAGED.join(', ')}, first_seen_at, first_load_id, last_seen_at,
                                resolved_at, load_id, run_id)
       select ${STAGED.join(', ')}, cast(? as text), cast(? as ${flavor.integerType}), cast(? as text),
              cast(null as text), cast(? as ${flavor.integerType}), cast(? as ${flavor.integerType})
       from (select s.*, max(found_order) over same_key as last_order, min(found_order) over same_key as first_order
             from ${staged} s window same_key as (partition by ${identity})) as keyed
       where found_order = last_order order by first_order
       on conflict (check_name, table_name, finding_key) do update set
         ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [at, loadId, at, loadId, runId],
  );
  // Dropped once used. Not in a `finally`: after a failed statement PostgreSQL refuses any
  // other in the transaction, and the drop would hide the cause; the caller's rollback, or the
  // next call's drop, takes the table away then.
  await sql.exec(flavor.dropTable(staged));
  return { opened: keys - stillOpen, seenAgain: stillOpen + count - keys };
}
