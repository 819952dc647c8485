/**
 * `corridor revert <load id>`: undoes one load, itself journaled as a load (src/db/revert-versions.ts
 * says what happens to the versions). The reverted load is marked `reverted_by`, so its file
 * loads again if offered; the revert records the slices of the load it undid, so the next
 * refresh of the indicators recomputes them.
 */
import { factTablesOfView } from '../../warehouse/fact-tables.ts';
import { revertVersions } from '../db/revert-versions.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { ConfigError } from '../errors.ts';
import { type Journal, NOTHING_LOADED } from './journal.ts';
import { lockFactTables } from './write-lock.ts';

/** A revert reads no file: its journal row counts no figures. */
const NOTHING_READ = { format: null, encoding: null, delimiter: null, ...NOTHING_LOADED } as const;

export interface RevertResult {
  readonly revertedLoad: number;
  readonly revertLoad: number;
  readonly fileName: string;
  readonly closed: number;
  readonly reopened: number;
  readonly keptByLaterLoads: number;
  readonly keptClosed: number;
}

export async function revertLoad(
  warehouse: Warehouse,
  journal: Journal,
  runId: number,
  loadId: number,
): Promise<RevertResult> {
  const target = await warehouse.db
    .selectFrom('load_files')
    .selectAll()
    .where('load_id', '=', loadId)
    .executeTakeFirst();
  const refuse = (why: string) =>
    new ConfigError(`Load ${loadId} cannot be reverted: ${why}`, { code: 'cannot_revert' });
  if (target === undefined) throw refuse('there is no such load ("corridor runs --files <run>" lists them).');
  if (target.status !== 'loaded')
    throw refuse(`its file did not load (status ${target.status}), so it changed nothing.`);
  if (target.reverted_by !== null) throw refuse(`load ${target.reverted_by} already reverted it.`);
  if (target.reverts_load_id !== null)
    throw refuse(`it is itself the revert of load ${target.reverts_load_id}; load that file again instead.`);

  const revertId = await journal.startFile({
    runId,
    source: target.source,
    targetTable: target.target_table,
    path: `revert of load ${loadId}`,
    origin: `revert of load ${loadId}`,
    fileName: target.file_name,
    sha256: null,
    sizeBytes: null,
  });
  const started = Date.now();
  const view =
    target.target_table === 'port_throughput' || target.target_table === 'world_trade_totals'
      ? target.target_table
      : 'trade_flows';
  await warehouse.sql.begin({ writeLock: true });
  try {
    await lockFactTables(
      warehouse,
      factTablesOfView(view).map((t) => t.name),
    );
    const totals = { closed: 0, reopened: 0, keptByLaterLoads: 0, keptClosed: 0 };
    for (const table of factTablesOfView(view)) {
      const outcome = await revertVersions(warehouse.sql, table, loadId, revertId);
      totals.closed += outcome.closed;
      totals.reopened += outcome.reopened;
      totals.keptByLaterLoads += outcome.keptByLaterLoads;
      totals.keptClosed += outcome.keptClosed;
    }
    const notes = [
      `reverted load ${loadId} (${target.file_name}): closed ${totals.closed} of its figures, reopened ${totals.reopened} it had superseded`,
      ...(totals.keptByLaterLoads > 0
        ? [`kept ${totals.keptByLaterLoads} of its figures that later loads carried again`]
        : []),
      ...(totals.keptClosed > 0
        ? [`left ${totals.keptClosed} superseded figures closed: later loads changed those keys again`]
        : []),
    ];
    await journal.finishFile(revertId, {
      ...NOTHING_READ,
      status: 'loaded',
      rowsRetired: totals.closed,
      slices: JSON.parse(target.slices ?? '[]'),
      durationMs: Date.now() - started,
      errorCode: null,
      errorMessage: null,
      notes,
      warnings: [],
    });
    await warehouse.db
      .updateTable('load_files')
      .set({ rows_reopened: totals.reopened, reverts_load_id: loadId })
      .where('load_id', '=', revertId)
      .execute();
    await warehouse.db
      .updateTable('load_files')
      .set({ reverted_by: revertId })
      .where('load_id', '=', loadId)
      .execute();
    await warehouse.sql.commit();
    return { revertedLoad: loadId, revertLoad: revertId, fileName: target.file_name, ...totals };
  } catch (cause) {
    await warehouse.sql.rollback();
    await journal.finishFile(revertId, {
      ...NOTHING_READ,
      status: 'failed',
      slices: [],
      durationMs: Date.now() - started,
      errorCode: 'revert_failed',
      errorMessage: (cause as Error).message,
      notes: [],
      warnings: [],
    });
    throw cause;
  }
}
