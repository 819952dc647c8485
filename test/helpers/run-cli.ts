import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in this process (fast), capturing what it prints. */
export async function cli(args: readonly string[], cwd: string = PROJECT_ROOT): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the real `bin/corridor.js` in a child process, as a user would. */
export function cliProcess(
  args: readonly string[],
  cwd: string = PROJECT_ROOT,
  env: NodeJS.ProcessEnv = {},
): CliRun {
  const result = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../../bin/corridor.js', import.meta.url)), ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    },
  );
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
