/**
 * A pipeline's lock, whichever backend holds the warehouse: so that two runs of one pipeline
 * never overlap (a cron tick while last night's run is still going, a run started by hand during
 * the scheduled one). On SQLite it is a lease row renewed by a heartbeat (sqlite/pipeline-lease.ts);
 * on PostgreSQL a session-level advisory lock on the warehouse's connection
 * (postgres/advisory-lock.ts), which the server frees when that session ends. Either way a
 * second run fails with LockHeldError (exit code 4) and does nothing.
 */
import { AdvisoryPipelineLock } from './postgres/advisory-lock.ts';
import type { PgSession } from './postgres/pg-session.ts';
import { checkNotHeld, type LockRow, PipelineLease } from './sqlite/pipeline-lease.ts';
import type { Warehouse } from './warehouse.ts';
import { isPostgresUrl } from './warehouse-target.ts';

export { describeHolder, type LockRow, lockStanding, readLocks } from './sqlite/pipeline-lease.ts';

export interface PipelineLock {
  /** The lease this one replaced (SQLite: expired, or taken by --force); null when the lock was free. */
  readonly tookOver: LockRow | null;
  /** Whether the lock is still this run's: asked before each file. */
  stillHeld(): Promise<boolean>;
  /** Gives the lock up; never throws. @returns null, or why it could not be released */
  release(): Promise<string | null>;
}

export interface PipelineLockOptions {
  /** SQLite lease length; renewed every third of it. */
  readonly leaseMs: number;
  /** What takes it, shown to whoever finds it held: `corridor run`, `corridor schedule`. */
  readonly purpose: string;
  /** Take the lock even if another holder has it. */
  readonly force?: boolean;
  /** A PostgreSQL holder ended by --force, in words (SQLite reports `tookOver` instead). */
  readonly onTakeOver?: (description: string) => void;
}

/**
 * Fails with LockHeldError when the pipeline's lock is held, before the warehouse is opened for
 * writing: on SQLite a second run must say so at once rather than wait on the write lock of the
 * first one's load. On PostgreSQL taking the lock never waits, so `acquirePipelineLock` says it.
 */
export async function checkPipelineLockFree(location: string, pipeline: string): Promise<void> {
  if (!isPostgresUrl(location)) await checkNotHeld(location, pipeline);
}

/**
 * Takes the pipeline's lock for a migrated warehouse, or throws LockHeldError naming the holder.
 * On PostgreSQL the lock belongs to `warehouse`'s connection: when that connection is lost the
 * lock is lost too, and a new connection must take it again.
 */
export async function acquirePipelineLock(
  warehouse: Warehouse,
  pipeline: string,
  options: PipelineLockOptions,
): Promise<PipelineLock> {
  if (warehouse.backend === 'postgres') {
    const lock = await AdvisoryPipelineLock.acquire(warehouse.sql as PgSession, pipeline, {
      purpose: options.purpose,
      force: options.force ?? false,
      ...(options.onTakeOver ? { onTakeOver: options.onTakeOver } : {}),
    });
    return { tookOver: null, stillHeld: () => lock.stillHeld(), release: () => lock.release() };
  }
  return PipelineLease.acquire(warehouse.path, pipeline, {
    leaseMs: options.leaseMs,
    purpose: options.purpose,
    force: options.force ?? false,
  });
}
