/**
 * The runs this process has open in the journal, for its last moments: a stop signal whose
 * orderly stop is late, an uncaught exception, an 'exit' while a step was still awaited. Each
 * is closed synchronously (closeRunAtOnce), since nothing asynchronous runs at that point, so
 * the journal never says `running` for a process that has gone.
 *
 * That takes a synchronous driver: SQLite's. A PostgreSQL client can send nothing once the
 * process is past its last await, so there the server does the closing: the connection drops
 * with the process and the server rolls the open transaction back, and the next run of this
 * host finds the dead pid and marks the run interrupted (Journal.markInterruptedRuns).
 */
import type { SqliteDatabase } from '../db/driver.ts';
import type { Warehouse } from '../db/warehouse.ts';

const now = () => new Date().toISOString();

/** What closeRunAtOnce records. */
export interface RunCut {
  readonly status: 'interrupted' | 'failed';
  readonly exitCode: number;
  /** Why, for `corridor runs`: "stopped by SIGTERM", "Corridor crashed (…)". */
  readonly message: string;
}

/**
 * Closes a run in flight synchronously, on the connection that runs it: rolls back its open
 * transaction, marks the run and its unfinished files, and frees the pipeline's lock this
 * process holds. For the last moments of a process (a stop past its deadline, a crash, an
 * 'exit' handler), where nothing asynchronous runs any more. Waits at most half a second for
 * another writer; past that, the next run finds the dead pid and closes the run itself.
 */
function closeRunAtOnce(sqlite: SqliteDatabase, runId: number, cut: RunCut): void {
  sqlite.pragma('busy_timeout = 500');
  if (sqlite.inTransaction) sqlite.exec('rollback');
  const at = now();
  sqlite
    .prepare(
      `update load_runs set status = ?, exit_code = ?, finished_at = ?, message = ? where run_id = ? and status = 'running'`,
    )
    .run(cut.status, cut.exitCode, at, cut.message, runId);
  sqlite
    .prepare(
      `update load_files set status = 'interrupted', finished_at = ?, error_code = 'interrupted', error_message = ? where run_id = ? and status = 'running'`,
    )
    .run(at, `${cut.message}: nothing from this file was loaded`, runId);
  const hasLocks = sqlite
    .prepare(`select 1 from sqlite_master where type = 'table' and name = 'pipeline_locks'`)
    .get();
  if (hasLocks !== undefined)
    sqlite
      .prepare(
        `delete from pipeline_locks where pid = ? and pipeline = (select pipeline from load_runs where run_id = ?)`,
      )
      .run(process.pid, runId);
}

interface OpenRun {
  readonly sqlite: SqliteDatabase;
  readonly runId: number;
}

const openRuns = new Set<OpenRun>();

/** Records a run as open until the returned function is called (the run closed itself). */
export function trackOpenRun(warehouse: Pick<Warehouse, 'backend' | 'sqlite'>, runId: number): () => void {
  if (warehouse.backend !== 'sqlite') return () => {};
  const run = { sqlite: warehouse.sqlite, runId };
  openRuns.add(run);
  return () => openRuns.delete(run);
}

/** Closes every run still open; returns how many. Never throws: a busy warehouse leaves the run to the next one. */
export function closeOpenRunsNow(cut: RunCut): number {
  let closed = 0;
  for (const run of openRuns) {
    try {
      if (run.sqlite.open) {
        closeRunAtOnce(run.sqlite, run.runId, cut);
        closed++;
      }
    } catch {
      // Busy or closed: the next run sees this pid gone and marks the run interrupted.
    }
  }
  openRuns.clear();
  return closed;
}
