/**
 * The real `bin/corridor.js` as a child process that a test can watch while it runs: wait for a
 * line, send it a signal, await its exit. For locks, signals and the scheduler, which need two
 * processes or a process killed halfway; the test's own event loop stays free (a server in the
 * test process can answer the child).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliChild {
  readonly process: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout or stderr has matched; rejects past the timeout with what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit code (128 + n for a signal n, as a shell reports it). */
  readonly exited: Promise<number>;
}

const BIN = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));
const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const w of watchers) w();
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
    child.on('close', (code, signal) => resolve(code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 0))),
  );
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            watchers.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
  };
}

/** Polls until `condition` holds; throws past the timeout. */
export async function eventually<T>(
  condition: () => T | null | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
