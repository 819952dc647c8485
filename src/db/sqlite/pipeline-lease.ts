/**
 * The SQLite side of a pipeline's lock (../pipeline-lock.ts chooses): one lease per pipeline, kept in the warehouse (`pipeline_locks`), so that two runs of one
 * pipeline never overlap: a cron tick while last night's run is still going, a statistician
 * starting a run by hand during the scheduled one, two machines sharing a warehouse.
 *
 * A lease names its holder (a random token, host, pid) and expires unless renewed. The holder
 * renews it on a heartbeat; a holder that crashed stops renewing, and its lease lapses after
 * `leaseMs`. `force` takes a lease over at once (`corridor run --force`).
 *
 * The lease lives on its own connection. SQLite has one writer at a time, and a load holds the
 * write lock for as long as its file takes (minutes for millions of rows), so a heartbeat can
 * be refused while the holder itself is loading. A lapsed lease whose holder is a live process
 * on this host is therefore still held: the heartbeat was late, the holder is not gone.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Kysely, PostgresAdapter, SqliteDialect, sql } from 'kysely';
import type { DB, PipelineLocksTable } from '../../../warehouse/schema.ts';
import { LockHeldError } from '../../errors.ts';
import { openSqlite } from '../driver.ts';
import { ADVISORY_HOLDER, advisoryLockRows } from '../postgres/advisory-lock.ts';

export type LockRow = Readonly<PipelineLocksTable>;

/** How long a lease lasts without renewal when the pipeline does not say. */
export const DEFAULT_LEASE_MS = 60_000;

export interface LeaseOptions {
  /** Lease length; renewed every third of it. */
  readonly leaseMs: number;
  /** What takes it, shown to whoever finds it held: `corridor run`, `corridor schedule`. */
  readonly purpose: string;
  /** Take the lease even if another holder's is current. */
  readonly force?: boolean;
}

/** Whether a lock row still keeps others out, and the words that say why. */
export interface LockStanding {
  readonly held: boolean;
  /** `current`, `renewal_late` (lapsed, holder alive here), `expired`, `holder_gone` (current, holder dead here). */
  readonly reason: 'current' | 'renewal_late' | 'expired' | 'holder_gone';
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Which process a pid is: the boot id and the process's start time (in clock ticks since boot,
 * field 22 of /proc/<pid>/stat). A pid is reused after its process ends, and all of them after a
 * reboot; the stamp is not. Null where /proc does not exist.
 */
export function processStamp(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${boot}/${fields[19]}`;
  } catch {
    return null;
  }
}

/** Whether the lock's holder process is still running on this host. */
function holderIsAlive(row: LockRow): boolean {
  if (!processIsAlive(row.pid)) return false;
  // Alive, but perhaps another process under a reused pid.
  return row.process_stamp === null || processStamp(row.pid) === row.process_stamp;
}

/**
 * @example
 * lockStanding(row, new Date()) // { held: true, reason: 'current' }
 */
export function lockStanding(row: LockRow, now: Date, thisHost: string = hostname()): LockStanding {
  const onThisHost = row.host === thisHost;
  const alive = onThisHost ? holderIsAlive(row) : null;
  if (row.expires_at > now.toISOString()) {
    return { held: true, reason: alive === false ? 'holder_gone' : 'current' };
  }
  if (alive === true && row.pid !== process.pid) return { held: true, reason: 'renewal_late' };
  return { held: false, reason: 'expired' };
}

const clock = (iso: string) => iso.slice(11, 19);

function secondsUntil(iso: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));
}

/** One line on who holds a lock, for messages and `corridor status`. */
export function describeHolder(row: LockRow, now: Date = new Date()): string {
  const standing = lockStanding(row, now);
  const since = `since ${row.acquired_at.replace('T', ' ').slice(0, 19)} UTC`;
  // A PostgreSQL advisory lock (../postgres/advisory-lock.ts) has no lease: it lasts as long as
  // the holder's session, the session's start being the nearest time the server tells.
  if (row.holder.startsWith(`${ADVISORY_HOLDER}:`))
    return `${row.purpose} (pid ${row.pid} on ${row.host}), connected ${since}; a PostgreSQL advisory lock, held for as long as its session lasts (server pid ${row.holder.slice(ADVISORY_HOLDER.length + 1)})`;
  const who = `${row.purpose} (pid ${row.pid} on ${row.host}) ${since}`;
  switch (standing.reason) {
    case 'current':
      return `${who}; lease renewed at ${clock(row.heartbeat_at)}, expires in ${secondsUntil(row.expires_at, now)} s unless renewed`;
    case 'holder_gone':
      return `${who}; that process has ended without releasing it, and its lease expires in ${secondsUntil(row.expires_at, now)} s`;
    case 'renewal_late':
      return `${who}; the lease lapsed at ${clock(row.expires_at)} UTC but the process is still running (a long write delays its heartbeat)`;
    case 'expired':
      return `${who}; its lease expired at ${clock(row.expires_at)} UTC, so the next run takes it over`;
  }
}

function heldMessage(row: LockRow, now: Date): string {
  return `Pipeline "${row.pipeline}" is already running: its lock is held by ${describeHolder(row, now)}. Nothing was done. Wait for that run to finish (corridor status shows it), or take the lock over with --force if you are sure it is stuck.`;
}

function openLockDatabase(path: string, busyMs: number): Kysely<DB> {
  const sqlite = openSqlite(path, { fileMustExist: true });
  sqlite.pragma(`busy_timeout = ${busyMs}`);
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
}

async function hasLockTable(db: Kysely<DB>): Promise<boolean> {
  const row = await sql<{ n: number }>`
    select count(*) as n from sqlite_master where type = 'table' and name = 'pipeline_locks'`.execute(db);
  return (row.rows[0]?.n ?? 0) > 0;
}

/**
 * The lock rows of a warehouse, for `corridor status`: the lease rows on SQLite (none before
 * migration 0007), the pipelines' advisory locks on PostgreSQL, as rows alike.
 */
export async function readLocks(db: Kysely<DB>): Promise<LockRow[]> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return advisoryLockRows(db);
  if (!(await hasLockTable(db))) return [];
  return db.selectFrom('pipeline_locks').selectAll().orderBy('pipeline').execute();
}

/**
 * Fails with LockHeldError when the pipeline's lock is held, without writing anything: a
 * second run must say so at once rather than wait on the write lock of the first one's load.
 */
export async function checkNotHeld(warehousePath: string, pipeline: string): Promise<void> {
  if (!existsSync(warehousePath)) return;
  const db = openLockDatabase(warehousePath, 5000);
  try {
    if (!(await hasLockTable(db))) return;
    const row = await db
      .selectFrom('pipeline_locks')
      .selectAll()
      .where('pipeline', '=', pipeline)
      .executeTakeFirst();
    const now = new Date();
    if (row !== undefined && lockStanding(row, now).held)
      throw new LockHeldError(pipeline, heldMessage(row, now));
  } finally {
    await db.destroy();
  }
}

/**
 * A pipeline's lease, held from `acquire` to `release`.
 *
 * @example
 * const lease = await PipelineLease.acquire('warehouse/corridor.db', 'nightly', { leaseMs: 60_000, purpose: 'corridor run' });
 * try { await runPipeline(...); } finally { await lease.release(); }
 */
export class PipelineLease {
  readonly pipeline: string;
  readonly holder: string;
  /** The lease this one replaced: expired, or taken by force. Null when the lock was free. */
  readonly tookOver: LockRow | null;
  readonly #db: Kysely<DB>;
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | null = null;
  #lost = false;
  #released = false;

  private constructor(
    db: Kysely<DB>,
    pipeline: string,
    holder: string,
    leaseMs: number,
    tookOver: LockRow | null,
  ) {
    this.#db = db;
    this.pipeline = pipeline;
    this.holder = holder;
    this.#leaseMs = leaseMs;
    this.tookOver = tookOver;
  }

  /**
   * Takes the pipeline's lease, or throws LockHeldError naming the holder. The warehouse must be
   * migrated (`pipeline_locks` exists).
   */
  static async acquire(
    warehousePath: string,
    pipeline: string,
    options: LeaseOptions,
  ): Promise<PipelineLease> {
    const db = openLockDatabase(warehousePath, 5000);
    const holder = randomUUID();
    let tookOver: LockRow | null = null;
    try {
      // IMMEDIATE: the read and the write of the lock row are one step, so two processes
      // asking at the same moment cannot both find it free.
      await sql`begin immediate`.execute(db);
      try {
        const now = new Date();
        const row = await db
          .selectFrom('pipeline_locks')
          .selectAll()
          .where('pipeline', '=', pipeline)
          .executeTakeFirst();
        if (row !== undefined) {
          if (lockStanding(row, now).held && !options.force)
            throw new LockHeldError(pipeline, heldMessage(row, now));
          tookOver = row;
        }
        const stamp = now.toISOString();
        const lease = {
          holder,
          host: hostname(),
          pid: process.pid,
          process_stamp: processStamp(process.pid),
          purpose: options.purpose,
          acquired_at: stamp,
          heartbeat_at: stamp,
          expires_at: new Date(now.getTime() + options.leaseMs).toISOString(),
        };
        await db
          .insertInto('pipeline_locks')
          .values({ pipeline, ...lease })
          .onConflict((oc) => oc.column('pipeline').doUpdateSet(lease))
          .execute();
        await sql`commit`.execute(db);
      } catch (error) {
        await sql`rollback`.execute(db);
        throw error;
      }
    } catch (error) {
      await db.destroy();
      throw error;
    }
    // Renewals must never stall the run: a beat that finds the warehouse busy is skipped, and
    // the next one tries again.
    await sql`pragma busy_timeout = 50`.execute(db);
    const lease = new PipelineLease(db, pipeline, holder, options.leaseMs, tookOver);
    lease.#startHeartbeat();
    return lease;
  }

  /** True once a renewal found the lease taken by another holder (`--force`). */
  get lost(): boolean {
    return this.#lost;
  }

  #startHeartbeat(): void {
    const every = Math.max(100, Math.floor(this.#leaseMs / 3));
    this.#timer = setInterval(() => {
      void this.renew().catch(() => {
        // Busy: a write transaction (often this process's own load) holds the warehouse.
      });
    }, every);
    // The heartbeat alone must not keep a finished process alive.
    this.#timer.unref();
  }

  /**
   * Whether the lease is still this holder's, renewing it on the way. Asked before each file:
   * a run that lost its lock (`--force`) must not load another one. A warehouse too busy to
   * answer leaves the answer as it was.
   */
  async stillHeld(): Promise<boolean> {
    try {
      await this.renew();
    } catch {
      // Busy: another process is writing; the heartbeat's last answer stands.
    }
    return !this.#lost;
  }

  /** Extends the lease by `leaseMs` from now; marks it lost if another holder has it. */
  async renew(): Promise<void> {
    if (this.#released || this.#lost) return;
    const now = new Date();
    const result = await this.#db
      .updateTable('pipeline_locks')
      .set({
        heartbeat_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.#leaseMs).toISOString(),
      })
      .where('pipeline', '=', this.pipeline)
      .where('holder', '=', this.holder)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) this.#lost = true;
  }

  /**
   * Gives the lease up (only if still ours) and closes its connection. Safe to call twice. Never
   * throws: a warehouse too busy to take the release leaves the lease to expire, which is what
   * the lease is for, and must not hide the run's own result or error.
   * @returns null, or why the lease could not be released
   */
  async release(): Promise<string | null> {
    if (this.#released) return null;
    this.#released = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    try {
      // Released after the run's last write, so the warehouse is normally free; wait for it.
      await sql`pragma busy_timeout = 5000`.execute(this.#db);
      await this.#db
        .deleteFrom('pipeline_locks')
        .where('pipeline', '=', this.pipeline)
        .where('holder', '=', this.holder)
        .execute();
      return null;
    } catch (error) {
      return `the lock of "${this.pipeline}" could not be released (${(error as Error).message}); it expires in ${Math.round(this.#leaseMs / 1000)} s`;
    } finally {
      await this.#db.destroy().catch(() => {});
    }
  }
}
