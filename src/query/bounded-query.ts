/**
 * An analyst's query with a time limit (corridor sql, export --query), on SQLite. (On PostgreSQL
 * the server enforces the limit and the client only waits on a socket, so no process is needed:
 * pg-bounded-query.ts; warehouse-reader.ts picks one.) better-sqlite3 cannot
 * interrupt a running statement, and a worker thread stuck in one ignores `terminate()`, so the
 * statement runs in a child process (query-process.cjs) that is killed with SIGKILL at the limit.
 * Rows stream back in batches, at most MAX_IN_FLIGHT ahead of the reader.
 *
 * The limit counts the time the statement runs, not the time the reader spends writing what
 * it got: the clock stops while the child waits for the reader (its batches are all unread), so
 * a slow XLSX writer never turns a quick query into a timeout.
 *
 * The child opens the warehouse read-only (`readonly: true` and `PRAGMA query_only`): it takes
 * no write lock, and in WAL mode a reader never blocks a writer. A long read keeps its snapshot,
 * which holds back checkpoints (the WAL grows) until it ends, never a load.
 */

import { type ChildProcess, fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { CorridorError, ExitCode, QueryRefusedError } from '../errors.ts';
import { PROJECT_ROOT } from '../runtime.ts';
import { writingVerb } from './writing-verb.ts';

/** Rows per message: big enough to amortise the message, small in memory. */
const BATCH_ROWS = 1_000;
/** Batches the child may send ahead of the reader. */
const MAX_IN_FLIGHT = 2;

/** `corridor sql`'s and `export --query`'s default limit, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** The longest limit `--timeout` takes: a week (a Node timer holds at most 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** A column as SQLite describes it (better-sqlite3's `statement.columns()`). */
export interface QueryColumn {
  readonly name: string;
  readonly column: string | null;
  readonly table: string | null;
  readonly database: string | null;
  readonly type: string | null;
}

export interface BoundedQueryRequest {
  /** The warehouse file. */
  readonly path: string;
  readonly sql: string;
  /** Statements run first on the child's connection, before it turns query_only (`--as-of` views). */
  readonly setup?: readonly string[];
  /** The statement is a PRAGMA on the read-only list (refuseWrites), which SQLite may call writing. */
  readonly readOnlyPragma: boolean;
  readonly timeoutMs: number;
  /** Integers as bigint (exports), else as numbers (the terminal). */
  readonly safeIntegers?: boolean;
  /** Refuse, without running it, a statement that returns no rows. */
  readonly requireReader?: boolean;
  readonly batchRows?: number;
}

type ChildMessage =
  | { type: 'columns'; reader: boolean; columns: QueryColumn[] }
  | { type: 'rows'; rows: unknown[][] }
  | { type: 'done'; rest: number }
  | { type: 'error'; phase: 'prepare' | 'writes' | 'rows'; message: string }
  | { type: 'exit'; code: number | null; signal: string | null; stderr: string }
  | { type: 'timeout' }
  | { type: 'stopped'; signal: NodeJS.Signals };

/** Why a bounded query ended without its rows. */
export class BoundedQueryFailure extends Error {
  constructor(
    readonly phase: 'prepare' | 'writes' | 'rows' | 'timeout' | 'stopped' | 'crash',
    message: string,
  ) {
    super(message);
  }
}

export interface BoundedQuery {
  readonly columns: readonly QueryColumn[];
  /** The statement returns rows (a SELECT or a reading PRAGMA). */
  readonly reader: boolean;
  /** The rows, a batch at a time. Iterate once. Throws BoundedQueryFailure. */
  batches(): AsyncGenerator<unknown[][]>;
  /**
   * Stops sending rows and counts those not yet read (the statement runs to its end, within the
   * time limit). Call after leaving `batches()`.
   */
  countRest(): Promise<number>;
  /** Ends the child at once. */
  close(): void;
  /** Settles once the child has exited. */
  readonly exited: Promise<void>;
  /** The query process's id. */
  readonly pid: number | undefined;
}

const childScript = (): string => join(PROJECT_ROOT, 'src', 'query', 'query-process.cjs');

/** CPU seconds a query process may use beyond its limit before the system ends it. */
const CPU_MARGIN_SECONDS = 5;

/**
 * Starts query-process.cjs. On Unix its CPU time is capped too (`ulimit -t`, through /bin/sh):
 * should this process die without killing it (SIGKILL, a crash), a statement that never ends
 * still ends, a few seconds after its limit, since a busy statement uses a CPU second each second.
 */
function startChild(timeoutMs: number): ChildProcess {
  const options = {
    serialization: 'advanced' as const,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'] as ('ignore' | 'pipe' | 'ipc')[],
  };
  if (process.platform === 'win32') {
    // execArgv: [] so the child inherits no test runner's or loader's flags: it is plain JS.
    return fork(childScript(), [], { ...options, execArgv: [] });
  }
  const cpuSeconds = Math.ceil(timeoutMs / 1000) + CPU_MARGIN_SECONDS;
  return spawn(
    '/bin/sh',
    ['-c', `ulimit -t ${cpuSeconds} && exec "$0" "$1"`, process.execPath, childScript()],
    options,
  );
}

/**
 * Every query process still running, with what ends it. SIGINT or SIGTERM to this process ends
 * them first: a process killed by a signal takes no child with it (Ctrl-C in a terminal does,
 * `kill` does not), and the signal then has its usual effect.
 */
const running = new Map<ChildProcess, (signal: NodeJS.Signals) => void>();
/** Ends every query process, each query failing as stopped by `signal` (`query_stopped`). */
export function stopRunningQueries(signal: NodeJS.Signals): void {
  for (const stop of running.values()) stop(signal);
  running.clear();
  watchSignals(false);
}
const onStopSignal = (signal: NodeJS.Signals) => {
  stopRunningQueries(signal);
  // Nobody else listens (corridor sql): the signal ends the process, as it would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
};
function watchSignals(on: boolean): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.off(signal, onStopSignal);
    if (on) process.on(signal, onStopSignal);
  }
}
let exitHook = false;
function track(child: ChildProcess, stop: (signal: NodeJS.Signals) => void): void {
  if (running.size === 0) watchSignals(true);
  running.set(child, stop);
  child.once('exit', () => {
    running.delete(child);
    if (running.size === 0) watchSignals(false);
  });
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const c of running.keys()) c.kill('SIGKILL');
  });
}

/** The time limit in words, for messages: `1 s`, `60 s`, `0.5 s`. */
const seconds = (ms: number) => `${ms / 1000} s`;

/**
 * Starts the query in its own process and waits for its columns. Throws BoundedQueryFailure
 * when it does not compile, would write, or passes the time limit before it starts.
 */
export async function openBoundedQuery(request: BoundedQueryRequest): Promise<BoundedQuery> {
  const child = startChild(request.timeoutMs);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4_000) stderr += text;
  });

  const queue: ChildMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: ChildMessage) => {
    queue.push(message);
    const w = wake;
    wake = null;
    w?.();
  };
  const next = async (): Promise<ChildMessage> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return queue.shift()!;
  };

  // The clock: it runs while the child may be working, and stops while all it may send is
  // waiting to be read.
  let budget = request.timeoutMs;
  let startedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let unread = 0;
  let counting = false;
  let ended = false;
  const pause = () => {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    budget -= performance.now() - startedAt;
  };
  const resume = () => {
    if (timer !== null || ended) return;
    startedAt = performance.now();
    timer = setTimeout(
      () => {
        timer = null;
        end();
        // Reported once the process is gone, so nothing of it outlives the command.
        void exited.then(() => push({ type: 'timeout' }));
      },
      Math.max(0, budget),
    );
  };
  const end = () => {
    if (ended) return;
    ended = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    child.kill('SIGKILL');
  };

  track(child, (signal) => {
    end();
    void exited.then(() => push({ type: 'stopped', signal }));
  });

  child.on('message', (message: ChildMessage) => {
    if (message.type === 'rows') {
      unread++;
      if (unread >= MAX_IN_FLIGHT && !counting) pause();
    } else if (message.type === 'done' || message.type === 'error') end();
    push(message);
  });
  // 'close', not 'exit': by then stderr has been read to its end, for the message.
  child.on('close', (code, signal) => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!ended) push({ type: 'exit', code, signal, stderr });
    ended = true;
  });
  child.on('error', (error) => push({ type: 'exit', code: null, signal: null, stderr: error.message }));

  const failure = (message: ChildMessage): BoundedQueryFailure => {
    switch (message.type) {
      case 'timeout':
        return new BoundedQueryFailure(
          'timeout',
          `it ran past its time limit of ${seconds(request.timeoutMs)}`,
        );
      case 'error':
        // A write that does not even compile (a DELETE from a view) is refused as a write.
        return new BoundedQueryFailure(
          message.phase === 'prepare' && writingVerb(request.sql) !== null ? 'writes' : message.phase,
          message.message,
        );
      case 'stopped':
        return new BoundedQueryFailure('stopped', message.signal);
      case 'exit':
        return new BoundedQueryFailure(
          'crash',
          `the query process ended (${message.signal ?? `exit code ${message.code}`})${message.stderr.trim() === '' ? '' : `: ${message.stderr.trim().split('\n')[0]}`}`,
        );
      default:
        return new BoundedQueryFailure('crash', `the query process sent "${message.type}" out of turn`);
    }
  };

  child.send({
    type: 'job',
    path: request.path,
    sql: request.sql,
    setup: request.setup ?? [],
    readOnlyPragma: request.readOnlyPragma,
    safeIntegers: request.safeIntegers === true,
    requireReader: request.requireReader === true,
    batchRows: request.batchRows ?? BATCH_ROWS,
    maxInFlight: MAX_IN_FLIGHT,
  });
  resume();

  const head = await next();
  if (head.type !== 'columns') {
    end();
    throw failure(head);
  }
  return {
    columns: head.columns,
    reader: head.reader,
    async *batches() {
      for (;;) {
        const message = await next();
        if (message.type === 'rows') {
          unread--;
          if (!ended) {
            child.send('ack');
            resume();
          }
          yield message.rows;
        } else if (message.type === 'done') return;
        else throw failure(message);
      }
    },
    async countRest() {
      if (!ended) {
        counting = true;
        child.send('count');
        resume();
      }
      let rest = 0;
      for (;;) {
        const message = await next();
        if (message.type === 'rows') rest += message.rows.length;
        else if (message.type === 'done') return rest + message.rest;
        else throw failure(message);
      }
    },
    close: end,
    exited,
    pid: child.pid,
  };
}

/**
 * What a failed query tells the user, as the CLI reports it: a query that does not compile or
 * would write is refused (exit 2); one that fails while it runs is its SQL's fault (exit 2,
 * `bad_query`); one stopped at its time limit ends with exit 1, `query_timeout`.
 *
 * @param what "The query", "The --query"
 * @param rows rows already written when it failed
 */
export function queryError(
  error: unknown,
  what: string,
  timeoutMs: number,
  rows = 0,
  backend: 'sqlite' | 'postgres' = 'sqlite',
): unknown {
  if (!(error instanceof BoundedQueryFailure)) return error;
  const dialect = backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  switch (error.phase) {
    case 'prepare': {
      const hint = /more than one statement|multiple commands/i.test(error.message)
        ? 'Run one statement at a time.'
        : /no such table|relation .* does not exist/i.test(error.message)
          ? backend === 'sqlite'
            ? "List the tables with: corridor sql \"select name, type from sqlite_master where type in ('table', 'view') order by 1\""
            : 'List the tables with: corridor sql "select table_name, table_type from information_schema.tables where table_schema = current_schema() order by 1"'
          : `Check the SQL (${dialect} dialect).`;
      return new QueryRefusedError(`${what} does not run: ${error.message}. ${hint}`, { code: 'bad_query' });
    }
    case 'writes':
      return new QueryRefusedError(
        `${what} would write to the warehouse, and analysts' SQL is read-only (corridor sql, export --query). Loads go through "corridor load" or "corridor run".`,
      );
    case 'rows':
      return new QueryRefusedError(
        `${what} failed while running: ${error.message}. Check the SQL (${dialect} dialect) and the values it works on.`,
        { code: 'bad_query' },
      );
    case 'timeout':
      return new CorridorError(
        'query_timeout',
        `${what} was stopped at its time limit of ${seconds(timeoutMs)}${
          rows > 0 ? `, after ${rows.toLocaleString('en-US')} rows` : ''
        }. Give it more time with --timeout <seconds>, or make it cheaper: a WHERE on the columns it filters (reporter_iso3, period, hs_code), fewer joins, a recursive CTE that ends.`,
        { exitCode: ExitCode.RunFailed },
      );
    case 'stopped':
      return new CorridorError('query_stopped', `${what} was stopped by ${error.message}.`, {
        exitCode: error.message === 'SIGINT' ? ExitCode.Sigint : ExitCode.Sigterm,
      });
    case 'crash':
      return new CorridorError('query_failed', `${what} failed: ${error.message}.`, {
        exitCode: ExitCode.RunFailed,
      });
  }
}
