/**
 * The real `bin/corridor.js` as a child process that a test can watch while it runs: wait for a
 * line, send it a signal, await its exit. For locks, signals and the scheduler, which need two
 * processes or a process killed halfway; the test's own event loop stays free (a server in the
 * test process can answer the child).
 *
 * Waits are on events (a line printed, a request arriving, the exit), never on a number of
 * seconds: a child on a busy 2-core machine takes as long as it takes, and a wait for something
 * it will never print ends as soon as it exits, with what it printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliChild {
  readonly process: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /**
   * Resolves when stdout or stderr has matched. Rejects, with what was printed, if the child
   * exits without printing it, or past the timeout (a safety net below the test's own).
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /**
   * Resolves with `event` (a request arriving at a test server, a journal row) while the child
   * runs; rejects, with what it printed, if the child exits first.
   */
  whileRunning<T>(event: Promise<T>, what: string): Promise<T>;
  /** Calls `listener` after each chunk printed; returns the unsubscribe function. */
  onOutput(listener: () => void): () => void;
  /** The exit code (128 + n for a signal n, as a shell reports it). */
  readonly exited: Promise<number>;
}

const BIN = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));
const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
/** Under a test's 30 s timeout, so that a wait that fails says what the child printed. */
const WAIT_MS = 25_000;

/** Children not yet exited, for `stopLeftoverChildren`. */
const running = new Set<ChildProcess>();

export function startCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    changed();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    changed();
  });
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 0));
    }),
  );
  const printed = () => `stdout:\n${out}\nstderr:\n${err}`;
  const whileRunning = <T>(event: Promise<T>, what: string) =>
    Promise.race([
      event,
      exited.then((code) => {
        throw new Error(`corridor ${args[0]} exited (${code}) before ${what}.\n${printed()}`);
      }),
    ]);
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    whileRunning,
    onOutput(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitFor(pattern, timeoutMs = WAIT_MS) {
      let stop = () => {};
      const matched = new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            stop();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms.\n${printed()}`));
        }, timeoutMs);
        stop = () => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        listeners.add(check);
        check();
      });
      // The last chunk is read before 'close': a child that printed the line and exited still matches.
      return whileRunning(matched, `printing ${pattern}`).finally(stop);
    },
  };
}

/**
 * Resolves when `condition` holds, checked after each chunk that any of `children` prints:
 * for a line that may come from either of two processes. Rejects if all of them exit first.
 */
export function whenPrinted(children: readonly CliChild[], condition: () => boolean, what: string) {
  let stops: (() => void)[] = [];
  const met = new Promise<void>((resolve) => {
    const check = () => {
      if (!condition()) return;
      for (const stop of stops) stop();
      resolve();
    };
    stops = children.map((c) => c.onOutput(check));
    check();
  });
  const allExited = Promise.all(children.map((c) => c.exited)).then(() => {
    if (condition()) return;
    const outputs = children.map((c, i) => `child ${i + 1} stdout:\n${c.stdout()}\nstderr:\n${c.stderr()}`);
    throw new Error(`the children exited before ${what}.\n${outputs.join('\n')}`);
  });
  return Promise.race([met, allExited]).finally(() => {
    for (const stop of stops) stop();
  });
}

/**
 * SIGKILLs the children still running and waits for them: for an `afterEach`, so that a test
 * that failed halfway leaves no process writing into the next test's folder.
 */
export async function stopLeftoverChildren(): Promise<void> {
  const left = [...running];
  const closed = left.map((child) => new Promise<void>((resolve) => child.once('close', () => resolve())));
  for (const child of left) child.kill('SIGKILL');
  await Promise.all(closed);
}

/** Polls until `condition` holds; throws past the timeout. For state no process prints. */
export async function eventually<T>(
  condition: () => T | null | undefined | false,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
