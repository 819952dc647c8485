/**
 * The folder a bench process keeps its warehouses in: `.bench/run/<pid>/`. Others may run the
 * bench in the same checkout at the same time, and wiping one shared folder would delete their
 * warehouses in the middle of a case. The folders of bench processes that have ended (a crash,
 * or `--keep`) are removed when the next one starts.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates this process's run folder, after removing those of ended processes; returns it. */
export function makeRunFolder(root: string): string {
  const runs = join(root, '.bench', 'run');
  mkdirSync(runs, { recursive: true });
  for (const entry of readdirSync(runs)) {
    if (/^\d+$/.test(entry) && !processIsAlive(Number(entry)))
      rmSync(join(runs, entry), { recursive: true, force: true });
  }
  const mine = join(runs, String(process.pid));
  mkdirSync(mine, { recursive: true });
  return mine;
}
