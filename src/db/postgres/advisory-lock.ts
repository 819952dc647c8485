/**
 * A pipeline's lock on PostgreSQL: a session-level advisory lock on the warehouse's own
 * connection, keyed by a stable 64-bit hash of the pipeline name. It needs no row, no lease and
 * no heartbeat: the server holds it for as long as the session lives, so a process that dies or
 * loses its connection loses the lock with it, at once, and the next run can take it. The
 * SQLite lease (../sqlite/pipeline-lease.ts) has to guess that from an expiry; here the server
 * knows.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { type Kysely, sql } from 'kysely';
import type { DB, PipelineLocksTable } from '../../../warehouse/schema.ts';
import { LockHeldError } from '../../errors.ts';
import type { PgSession } from './pg-session.ts';

/**
 * The lock's key: the first 8 bytes of SHA-256 of the pipeline name, as a signed 64-bit integer
 * (the type pg_advisory_lock takes). Stable across processes, versions and machines, and
 * prefixed so that another tool's advisory locks on the same database do not collide with ours.
 */
export function advisoryKey(pipeline: string): bigint {
  const digest = createHash('sha256').update(`corridor:pipeline:${pipeline}`).digest();
  return digest.readBigInt64BE(0);
}

/** pg_locks shows a bigint advisory key as two unsigned 32-bit halves: classid (high) and objid (low). */
function keyHalves(key: bigint): [number, number] {
  const unsigned = BigInt.asUintN(64, key);
  return [Number(unsigned >> 32n), Number(unsigned & 0xffffffffn)];
}

/** The session that holds a pipeline's lock, as pg_stat_activity shows it. */
export interface AdvisoryHolder {
  readonly serverPid: number;
  readonly applicationName: string;
  readonly user: string;
  readonly client: string | null;
  readonly since: string;
}

/** Who holds the lock of `pipeline` on this database, other than this session; null when free. */
export async function advisoryHolder(session: PgSession, pipeline: string): Promise<AdvisoryHolder | null> {
  const [high, low] = keyHalves(advisoryKey(pipeline));
  const row = await session.get<{
    pid: number;
    application_name: string;
    usename: string;
    client: string | null;
    since: string;
  }>(
    `select a.pid, a.application_name, a.usename,
            coalesce(a.client_hostname, host(a.client_addr)) as client,
            to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as since
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.database = (select oid from pg_database where datname = current_database())
        and l.classid = ? and l.objid = ? and l.pid <> pg_backend_pid()
      limit 1`,
    [high, low],
  );
  if (row === undefined) return null;
  return {
    serverPid: row.pid,
    applicationName: row.application_name,
    user: row.usename,
    client: row.client,
    since: row.since,
  };
}

export function describeAdvisoryHolder(holder: AdvisoryHolder): string {
  const name = holder.applicationName === '' ? 'a session' : `"${holder.applicationName}"`;
  const from = holder.client === null ? 'on the server itself' : `from ${holder.client}`;
  return `${name} (server pid ${holder.serverPid}, user ${holder.user}, ${from}) connected since ${holder.since} UTC`;
}

function heldMessage(pipeline: string, holder: AdvisoryHolder | null): string {
  const who = holder === null ? 'another session' : describeAdvisoryHolder(holder);
  return `Pipeline "${pipeline}" is already running: its lock (a PostgreSQL advisory lock) is held by ${who}. Nothing was done. Wait for that run to finish (the lock goes with its session), or take the lock over with --force if you are sure it is stuck (that ends the holding session).`;
}

export interface AdvisoryLockOptions {
  /** Shown to whoever finds the lock held: `corridor run`, `corridor schedule`. */
  readonly purpose: string;
  /** End the holding session (pg_terminate_backend) and take the lock. */
  readonly force?: boolean;
  /** Told what --force ended, for the caller to print. */
  readonly onTakeOver?: (description: string) => void;
}

/** Fails with LockHeldError when another session holds the pipeline's lock; takes nothing. */
export async function checkAdvisoryFree(session: PgSession, pipeline: string): Promise<void> {
  const holder = await advisoryHolder(session, pipeline);
  if (holder !== null) throw new LockHeldError(pipeline, heldMessage(pipeline, holder));
}

/**
 * A pipeline's advisory lock, held by the session it was taken on until `release` or until that
 * session ends.
 *
 * @example
 * const lock = await AdvisoryPipelineLock.acquire(pgSession, 'nightly', { purpose: 'corridor run' });
 * try { ... } finally { await lock.release(); }
 */
export class AdvisoryPipelineLock {
  readonly pipeline: string;
  readonly #session: PgSession;
  readonly #key: string;
  #released = false;

  private constructor(session: PgSession, pipeline: string) {
    this.#session = session;
    this.pipeline = pipeline;
    this.#key = advisoryKey(pipeline).toString();
  }

  static async acquire(
    session: PgSession,
    pipeline: string,
    options: AdvisoryLockOptions,
  ): Promise<AdvisoryPipelineLock> {
    const lock = new AdvisoryPipelineLock(session, pipeline);
    if (!(await lock.#try())) {
      const holder = await advisoryHolder(session, pipeline);
      if (!options.force || holder === null) throw new LockHeldError(pipeline, heldMessage(pipeline, holder));
      // A stuck holder is ended: its session goes, and the server frees its locks with it.
      await session.value('select pg_terminate_backend(?)', [holder.serverPid]);
      options.onTakeOver?.(describeAdvisoryHolder(holder));
      // Termination is asynchronous; wait (at most 10 s) for the lock rather than poll it.
      await session.exec(`set lock_timeout = '10s'`);
      try {
        await session.value('select pg_advisory_lock(cast(? as bigint))', [lock.#key]);
      } catch {
        throw new LockHeldError(pipeline, heldMessage(pipeline, await advisoryHolder(session, pipeline)));
      } finally {
        await session.exec('reset lock_timeout');
      }
    }
    // Whoever looks at pg_stat_activity (or finds the lock held) sees what holds it.
    const name = `${options.purpose}: ${pipeline} (pid ${process.pid} on ${hostname()})`.slice(0, 63);
    await session.value(`select set_config('application_name', ?, false)`, [name]);
    return lock;
  }

  async #try(): Promise<boolean> {
    return (
      (await this.#session.value<boolean>('select pg_try_advisory_lock(cast(? as bigint))', [this.#key])) ===
      true
    );
  }

  /**
   * Whether this session still holds the lock (false after release). Asked before each file. A
   * connection found lost answers true: the lock went with it, but the question is then the
   * connection's, and the run's next statement reports `connection_lost`, after which the run
   * reconnects and takes the lock again.
   */
  async stillHeld(): Promise<boolean> {
    if (this.#released) return false;
    const [high, low] = keyHalves(BigInt(this.#key));
    try {
      const n = await this.#session.value<number>(
        `select count(*) from pg_locks
          where locktype = 'advisory' and granted and objsubid = 1 and pid = pg_backend_pid()
            and classid = ? and objid = ?`,
        [high, low],
      );
      return (n ?? 0) > 0;
    } catch (error) {
      return (error as { code?: string }).code === 'connection_lost';
    }
  }

  /**
   * Gives the lock up. Never throws: a connection already gone has freed the lock by itself.
   * @returns null, or why it could not be released
   */
  async release(): Promise<string | null> {
    if (this.#released) return null;
    this.#released = true;
    try {
      await this.#session.value('select pg_advisory_unlock(cast(? as bigint))', [this.#key]);
      return null;
    } catch (error) {
      return `the lock of "${this.pipeline}" could not be released (${(error as Error).message}); the server frees it when this session ends`;
    }
  }
}

/** The `holder` of a lock row made from an advisory lock (see advisoryLockRows). */
export const ADVISORY_HOLDER = 'postgres-advisory';

/** What a run names its session: `corridor run: nightly (pid 4242 on host)` (see acquire). */
const RUN_SESSION = /^(.*?): (.*) \(pid (\d+) on (.*)\)$/;

/**
 * The pipeline locks corridor runs hold on this database, as the lease rows `corridor status`
 * shows on SQLite: who (purpose, pid, host, from the session's application name) and since
 * when (the session's start). A row never expires: the lock lasts as long as its session. Only
 * sessions whose lock key is their pipeline's are listed, so another tool's advisory locks and
 * a name cut at 63 characters are left out.
 */
export async function advisoryLockRows(db: Kysely<DB>): Promise<PipelineLocksTable[]> {
  const sessions = await sql<{ application_name: string; pid: number; since: string; key: string }>`
    select a.application_name, a.pid,
           to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since,
           (l.classid::bigint << 32 | l.objid::bigint)::text as key
      from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.objsubid = 1
       and l.database = (select oid from pg_database where datname = current_database())`.execute(db);
  const rows: PipelineLocksTable[] = [];
  const now = new Date().toISOString();
  for (const session of sessions.rows) {
    const named = RUN_SESSION.exec(session.application_name);
    if (named === null || advisoryKey(named[2]!).toString() !== session.key) continue;
    rows.push({
      pipeline: named[2]!,
      holder: `${ADVISORY_HOLDER}:${session.pid}`,
      host: named[4]!,
      pid: Number(named[3]),
      process_stamp: null,
      purpose: named[1]!,
      acquired_at: session.since,
      heartbeat_at: now,
      expires_at: '9999-12-31T23:59:59.999Z',
    });
  }
  return rows.sort((a, b) => a.pipeline.localeCompare(b.pipeline));
}
