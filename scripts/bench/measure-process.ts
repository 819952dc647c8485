/**
 * Runs one command as its own process and measures it: wall time, and peak resident memory of
 * that process alone (each case is a separate process, so a case's peak is its own). GNU time
 * reports the kernel's max RSS exactly; without it, /proc/<pid>/status VmHWM is polled, which is
 * the same figure but read while the process runs (a peak in the last few milliseconds can be
 * missed).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  readonly wallS: number;
  /** Peak RSS in MB (2^20 bytes); null when it could not be read. */
  readonly rssMB: number | null;
  readonly exitCode: number | null;
  /** The machine's 1-minute load average when the command started. */
  readonly loadAverage: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A case's measured figures, as CaseResult holds them. */
export const figuresOf = (m: Measured) => ({ wallS: m.wallS, rssMB: m.rssMB, loadAverage: m.loadAverage });

const GNU_TIME = '/usr/bin/time';
export const memoryProbe = existsSync(GNU_TIME)
  ? `${GNU_TIME} -f '%e %M'`
  : 'polling /proc/<pid>/status VmHWM (install GNU time for exact figures)';

/** Keeps the tail of a stream: enough for an error line, never a whole progress log. */
const TAIL_CHARS = 64 * 1024;

function vmHwmMB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

export function measureProcess(command: string, args: readonly string[], cwd: string): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const timeFile = join(tmpdir(), `corridor-bench-${process.pid}-${Date.now()}.time`);
  const [file, argv] = useTime
    ? [GNU_TIME, ['-o', timeFile, '-f', '%e %M', command, ...args]]
    : [command, [...args]];
  const loadAverage = loadavg()[0]!;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString()).slice(-TAIL_CHARS);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-TAIL_CHARS);
    });
    let polledMB: number | null = null;
    const poll = useTime
      ? null
      : setInterval(() => {
          const now = child.pid === undefined ? null : vmHwmMB(child.pid);
          if (now !== null) polledMB = Math.max(polledMB ?? 0, now);
        }, 20);
    child.on('error', (error) => {
      if (poll) clearInterval(poll);
      reject(error);
    });
    child.on('close', (exitCode) => {
      const wallS = (performance.now() - started) / 1000;
      if (poll) clearInterval(poll);
      let rssMB = polledMB;
      if (useTime) {
        // GNU time writes "Command exited with non-zero status N" before its line when the
        // command fails; the figures are on the last line either way.
        const lines = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n') : [];
        const maxKb = Number(lines.at(-1)?.split(' ')[1]);
        rssMB = Number.isFinite(maxKb) ? maxKb / 1024 : null;
        rmSync(timeFile, { force: true });
      }
      resolve({ wallS, rssMB, exitCode, loadAverage, stdout, stderr });
    });
  });
}
