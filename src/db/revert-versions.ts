/**
 * Undoing one load in the fact tables, for `corridor revert` (the morning after a misread
 * file). Inside the caller's transaction, for load N and the revert's own load R:
 *
 * 1. The versions N wrote that are still current, and that no later load carried since, are
 *    closed as `reverted` (valid_to_load = R). Those a later load carried again stay: that load
 *    published the same figure too.
 * 2. The versions N closed (changed or retired) are reopened as new versions of load R, where
 *    the key holds no current version now: a later load that changed the key again wins.
 *
 * Nothing is deleted from the history: `--as-of` between N and R still shows N's figures.
 */

import type { FactTable } from '../../warehouse/fact-tables.ts';
import type { SqlSession } from './sql-session.ts';

export interface RevertOutcome {
  /** N's versions closed as `reverted`. */
  readonly closed: number;
  /** Versions N had superseded, current again. */
  readonly reopened: number;
  /** N's versions left current because a later load carried them again. */
  readonly keptByLaterLoads: number;
  /** Versions N had superseded that stay closed because a later load changed the key again. */
  readonly keptClosed: number;
}

export async function revertVersions(
  sql: SqlSession,
  table: FactTable,
  revertedLoad: number,
  revertLoad: number,
): Promise<RevertOutcome> {
  const t = table.name;
  const columns = table.columns.join(', ');
  const onlyN = `load_id = ${revertedLoad} and coalesce(seen_load, load_id) = ${revertedLoad}`;
  await sql.run(
    `insert into ${table.closed} (${columns}, valid_to_load, closed_by)
     select ${columns}, ${revertLoad}, 'reverted' from ${t} where ${onlyN}`,
  );
  const closed = (await sql.run(`delete from ${t} where ${onlyN}`)).changes;
  const keptByLaterLoads = Number(
    await sql.value(`select count(*) from ${t} where load_id = ?`, [revertedLoad]),
  );

  const sameKey = table.key.map((c) => `${t}.${c} = c.${c}`).join(' and ');
  const reopenedColumns = table.columns
    .map((c) => (c === 'load_id' ? String(revertLoad) : `c.${c}`))
    .join(', ');
  const supersededByN = `c.valid_to_load = ${revertedLoad} and c.closed_by in ('changed', 'retired')`;
  const reopened = (
    await sql.run(
      `insert into ${t} (${columns})
       select ${reopenedColumns} from ${table.closed} c
       where ${supersededByN} and not exists (select 1 from ${t} where ${sameKey})`,
    )
  ).changes;
  const superseded = Number(await sql.value(`select count(*) from ${table.closed} c where ${supersededByN}`));
  return { closed, reopened, keptByLaterLoads, keptClosed: superseded - reopened };
}
