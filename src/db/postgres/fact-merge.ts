/**
 * The set-based merge of one file's staged rows into its fact table on PostgreSQL, with the
 * rules src/db/merge-lane.ts applies row by row on SQLite:
 *
 * 1. Rows of the file that repeat a key of an earlier row of the file are duplicates: the
 *    first row of a key (by row number) stays, the others leave the staging table and come
 *    back to be rejected.
 * 2. A key an earlier load holds gets the new values, and when they differ its `load_id`
 *    becomes this load's, so the trigger of migration 0008 closes the old version into
 *    `<table>_closed`. Either way `seen_load` and `seen_row` record that this load carried the
 *    figure. Then new keys go in. A key this load already wrote (copied straight in before the
 *    writer fell back to staging) is left alone: that row is a duplicate.
 * 3. Changed rows are counted from the closed table, as on SQLite; the rest of the merged ones
 *    were unchanged.
 */
import type { FactTable } from '../../../warehouse/fact-tables.ts';
import type { SqlSession } from '../sql-session.ts';

/** A staged row that repeats a key, with the file's earlier row of that key. */
export interface StagedDuplicate {
  readonly row: Record<string, unknown>;
  readonly sourceRow: number;
  readonly firstRow: number;
}

const FIRST_ROW = 'corridor_first_row';

const sameKey = (table: FactTable, a: string, b: string) =>
  table.key.map((c) => `${a}.${c} = ${b}.${c}`).join(' and ');

/** Removes from `stage` the rows whose key an earlier row of the file holds; returns them. */
export async function takeStagedDuplicates(
  sql: SqlSession,
  stage: string,
  table: FactTable,
): Promise<StagedDuplicate[]> {
  // Only when there are any: the check is one hash aggregate, the removal a sort.
  const repeated = await sql.value(
    `select 1 from ${stage} group by ${table.key.join(', ')} having count(*) > 1 limit 1`,
  );
  if (repeated === undefined) return [];
  const rows = await sql.all<Record<string, unknown>>(
    `with ranked as (
       select ctid as id, first_value(source_row) over w as first_row, row_number() over w as n
       from ${stage}
       window w as (partition by ${table.key.join(', ')} order by source_row))
     delete from ${stage} s using ranked r
     where s.ctid = r.id and r.n > 1
     returning s.*, r.first_row as ${FIRST_ROW}`,
  );
  return rows.map(asDuplicate).sort((a, b) => a.sourceRow - b.sourceRow);
}

function asDuplicate(row: Record<string, unknown>): StagedDuplicate {
  const { [FIRST_ROW]: first, ...rest } = row;
  return { row: rest, sourceRow: Number(rest.source_row), firstRow: Number(first) };
}

/**
 * Merges every staged row into `table` for load `loadId`: how many were new, how many merged.
 * Two set-based statements rather than one `ON CONFLICT DO UPDATE`: a partitioned table cannot
 * say in RETURNING which rows an upsert inserted, and a hash join over the staged rows costs
 * less than the upsert's row-by-row speculative insertion. The update runs first, so the
 * insert's anti-join skips every key the table held.
 */
export async function mergeStaged(
  sql: SqlSession,
  stage: string,
  table: FactTable,
  loadId: number,
): Promise<{ inserted: number; merged: number }> {
  const t = table.name;
  const columns = table.columns.join(', ');
  const differs = table.values.map((c) => `t.${c} is distinct from s.${c}`).join(' or ');
  const { changes: merged } = await sql.run(
    `update ${t} t set
       ${table.values.map((c) => `${c} = s.${c}`).join(', ')},
       load_id = case when ${differs} then ${loadId} else t.load_id end,
       source_row = case when ${differs} then s.source_row else t.source_row end,
       seen_load = ${loadId},
       seen_row = s.source_row
     from ${stage} s
     where ${sameKey(table, 't', 's')} and coalesce(t.seen_load, t.load_id) <> ${loadId}`,
  );
  const { changes: inserted } = await sql.run(
    `insert into ${t} (${columns})
     select ${columns} from ${stage} s
     where not exists (select 1 from ${t} t where ${sameKey(table, 't', 's')})`,
  );
  return { inserted, merged };
}

/**
 * Staged rows the merge left alone because this load had already written their key (copied
 * straight in): duplicates of that row.
 */
export async function stagedRowsHeldByLoad(
  sql: SqlSession,
  stage: string,
  table: FactTable,
  loadId: number,
): Promise<StagedDuplicate[]> {
  const t = table.name;
  const rows = await sql.all<Record<string, unknown>>(
    `select s.*, coalesce(t.seen_row, t.source_row) as ${FIRST_ROW}
     from ${stage} s join ${t} t on ${sameKey(table, 't', 's')}
     where coalesce(t.seen_load, t.load_id) = ${loadId} and coalesce(t.seen_row, t.source_row) <> s.source_row`,
  );
  return rows.map(asDuplicate);
}

/** Rows of earlier loads this load closed as `changed`. */
export async function changedRows(sql: SqlSession, table: FactTable, loadId: number): Promise<number> {
  return Number(
    await sql.value(
      `select count(*) from ${table.closed} where valid_to_load = ? and closed_by = 'changed'`,
      [loadId],
    ),
  );
}

/** Earlier loads whose figures this load changed or retired, with how many each. */
export async function closedLoads(
  sql: SqlSession,
  table: FactTable,
  loadId: number,
  closedBy: 'changed' | 'retired',
): Promise<Map<number, number>> {
  const rows = await sql.all<{ load_id: number; n: number }>(
    `select load_id, count(*) as n from ${table.closed} where valid_to_load = ? and closed_by = ? group by load_id`,
    [loadId, closedBy],
  );
  return new Map(rows.map((r) => [Number(r.load_id), Number(r.n)]));
}
