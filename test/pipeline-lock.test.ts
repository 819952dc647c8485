/**
 * The pipeline's lease lock, with real processes: two runs at once, a holder killed with
 * SIGKILL whose lease then expires, `--force`, and a SIGTERM that lets the file in flight finish.
 * The slow part of each run is a download from a real server in this process that answers
 * late, so the holder is known to be holding while the other process tries.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeComtradeCsv } from '../scripts/bench/generate-comtrade.ts';
import { loadCodePools } from '../scripts/bench/reference-codes.ts';
import { eventually, startCli } from './helpers/cli-child.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
import { writePipelineProject } from './helpers/pipeline-project.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
let server: FlakyServer;

beforeEach(async () => {
  server = await startFlakyServer();
});
afterEach(async () => {
  await server.close();
});

const project = (pipeline: { name: string } & Record<string, unknown>) =>
  writePipelineProject(tmp(), pipeline);

/**
 * A pipeline whose file arrives `delayMs` late the first time it is asked for (and at once
 * after that): the first run holds its lock at least that long, and the next run is quick.
 */
function slowPipeline(delayMs: number, lockLeaseSeconds = 60) {
  const body = csvText(PLUS_HEADER, [plusRow()]);
  server.route('/pak.csv', [{ body, delayMs }, { body }]);
  project({
    name: 'slow',
    sources: [{ source: 'comtrade', files: [server.url('/pak.csv')] }],
    fetch: { timeoutSeconds: 30, retries: 0 },
    lockLeaseSeconds,
  });
}

type LockRow = { holder: string; pid: number; host: string; purpose: string; expires_at: string };
const lockOf = (pipeline: string): LockRow | undefined => {
  try {
    return query<LockRow>(db(), 'select * from pipeline_locks where pipeline = ?', pipeline)[0];
  } catch {
    return undefined; // the warehouse is still being created
  }
};
const run = (...args: string[]) => startCli(['run', ...args, '--db', db()], tmp());
/** The first run holds the lock and is waiting for its (slow) download. */
const holding = async () => {
  await eventually(() => lockOf('slow'));
  await eventually(() => server.requestsTo('/pak.csv').length > 0);
};

describe('the lease lock of a pipeline', () => {
  it('lets one of two simultaneous runs through; the other exits 4 and names the holder', async () => {
    slowPipeline(8000);
    const first = run('slow');
    await holding();
    const holder = lockOf('slow')!;
    expect(holder.pid).toBe(first.process.pid);
    expect(holder.purpose).toBe('corridor run');

    const second = run('slow');
    expect(await second.exited).toBe(4);
    expect(second.stderr()).toMatch(
      new RegExp(
        `Pipeline "slow" is already running: its lock is held by corridor run \\(pid ${first.process.pid} on `,
      ),
    );
    expect(second.stderr()).toMatch(/Nothing was done\. .*--force/);
    expect(second.stderr()).not.toMatch(/internal error|at .*\.ts:\d+/);

    expect(await first.exited).toBe(0);
    expect(query(db(), 'select status from load_runs')).toEqual([{ status: 'succeeded' }]);
    expect(lockOf('slow')).toBeUndefined();
  }, 30_000);

  it("keeps a crashed holder's lease until it expires, then lets the next run take it over", async () => {
    slowPipeline(60_000, 4);
    const doomed = run('slow');
    await holding();
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited).toBe(137);

    // The lease is still current: the holder is gone, the lock says so, and says when it lapses.
    // (In this process: a second child could start after the short lease has lapsed.)
    const tooSoon = await cli(['run', 'slow', '--db', db()], tmp());
    expect(tooSoon.code).toBe(4);
    expect(tooSoon.stderr).toMatch(/has ended without releasing it, and its lease expires in \d s/);

    await eventually(() => lockOf('slow')!.expires_at < new Date().toISOString(), 8000);
    const next = run('slow');
    expect(await next.exited).toBe(0);
    expect(next.stderr()).toMatch(
      /took the lock of "slow" over from corridor run \(pid \d+ .*its lease expired/,
    );
    const runs = query<{ status: string }>(db(), 'select status from load_runs order by run_id');
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'succeeded']);
    expect(lockOf('slow')).toBeUndefined();
  }, 30_000);

  it('--force takes the lock from a live holder, which then stops without loading', async () => {
    slowPipeline(8000, 1);
    const holder = run('slow');
    await holding();
    const forced = run('slow', '--force');
    expect(await forced.exited).toBe(0);
    expect(forced.stderr()).toMatch(/took the lock of "slow" over from corridor run/);

    expect(await holder.exited).toBe(1);
    expect(holder.stdout()).toMatch(/Stopped: stopped \(another process took the lock over with --force\)/);
    const runs = query<{ pid: number; status: string }>(
      db(),
      'select pid, status from load_runs order by run_id',
    );
    expect(runs).toEqual(
      expect.arrayContaining([
        { pid: holder.process.pid, status: 'stopped' },
        { pid: forced.process.pid, status: 'succeeded' },
      ]),
    );
  }, 30_000);

  it('on SIGTERM finishes the file in flight, loads no further file, and releases the lock', async () => {
    const big = join(tmp(), 'big.csv');
    writeComtradeCsv(big, 40_000, loadCodePools(PROJECT_ROOT));
    writeFileSync(
      join(tmp(), 'small.csv'),
      csvText(PLUS_HEADER, [plusRow({ refYear: 2022, period: '2022' })]),
    );
    project({ name: 'two', sources: [{ source: 'comtrade', files: ['big.csv', 'small.csv'] }] });
    const runner = run('two', '--no-derive');
    await eventually(() => {
      try {
        return query(db(), "select 1 from load_files where status = 'running'").length > 0;
      } catch {
        return false;
      }
    });
    runner.process.kill('SIGTERM');
    expect(await runner.exited).toBe(1);
    expect(runner.stderr()).toMatch(/SIGTERM received: stopping after the file in flight/);
    const files = query<{ file_name: string; status: string; rows_loaded: number }>(
      db(),
      'select file_name, status, rows_loaded from load_files order by load_id',
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ file_name: 'big.csv', status: 'loaded' });
    expect(files[0]!.rows_loaded).toBeGreaterThan(30_000);
    expect(query(db(), 'select status, message from load_runs')).toEqual([
      {
        status: 'stopped',
        message: expect.stringMatching(/^stopped \(SIGTERM received\) after 1 of 2 files/),
      },
    ]);
    expect(lockOf('two')).toBeUndefined();
  }, 60_000);
});
