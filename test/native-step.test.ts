/**
 * A signal during a long synchronous native step (one SQLite transaction of a derive) ends the
 * process at once, rather than after the step; after the step, Corridor's own handlers are back.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();

/** Runs a script through tsx; resolves on its exit with its output. */
function runScript(body: string, onLine: (line: string, kill: () => void) => void) {
  const path = join(tmp(), 'script.ts');
  writeFileSync(
    path,
    `import { runStoppable } from ${JSON.stringify(join(PROJECT_ROOT, 'src/native-step.ts'))};\n${body}`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', path], { cwd: PROJECT_ROOT });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk
      .toString()
      .split('\n')
      .filter((l) => l !== '')) {
      out += `${line}\n`;
      onLine(line, () => child.kill('SIGTERM'));
    }
  });
  return new Promise<{ signal: NodeJS.Signals | null; out: string; ms: number }>((resolve) => {
    let killedAt = 0;
    const kill = child.kill.bind(child);
    child.kill = (signal?: NodeJS.Signals | number) => {
      killedAt = performance.now();
      return kill(signal);
    };
    child.on('exit', (_code, signal) => resolve({ signal, out, ms: performance.now() - killedAt }));
  });
}

it('ends the process at once on SIGTERM during the step, not after it', async () => {
  const run = await runScript(
    `process.on('SIGTERM', () => { console.log('handled'); process.exit(0); });
     runStoppable(() => { console.log('in step'); const end = Date.now() + 20_000; while (Date.now() < end) {} });
     console.log('after step');`,
    (line, kill) => {
      if (line === 'in step') kill();
    },
  );
  expect(run.signal).toBe('SIGTERM');
  expect(run.out).not.toMatch(/handled|after step/);
  expect(run.ms).toBeLessThan(2_000);
});

it('gives the handlers back after the step', async () => {
  const run = await runScript(
    `process.on('SIGTERM', () => { console.log('handled'); process.exit(0); });
     runStoppable(() => 1);
     console.log('after step');
     setInterval(() => {}, 1000);`,
    (line, kill) => {
      if (line === 'after step') kill();
    },
  );
  expect(run.signal).toBeNull();
  expect(run.out).toContain('handled');
});
