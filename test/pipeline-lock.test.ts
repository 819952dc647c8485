/**
 * The pipeline's lease lock, with real processes: two runs at once, a holder killed with
 * SIGKILL whose lease then expires, `--force`, and a SIGTERM that rolls the file in flight back.
 * The holder is a child process; its download is answered by a server in this process only when
 * the test opens its gate, so it holds the lock for as long as the other run (in this process)
 * needs to try, however slowly a busy machine goes: no step waits on a number of seconds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliChild, startCli, stopLeftoverChildren } from './helpers/cli-child.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { createGate, type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
import { realSubheadings } from './helpers/hs-codes.ts';
import { writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
let server: FlakyServer;

beforeEach(async () => {
  server = await startFlakyServer();
});
afterEach(async () => {
  await stopLeftoverChildren();
  await server.close();
});

const project = (pipeline: { name: string } & Record<string, unknown>) =>
  writePipelineProject(tmp(), pipeline);

/**
 * A pipeline whose file is answered, the first time it is asked for, only once the returned
 * gate is opened (and at once after that): the first run holds its lock until then.
 */
function heldPipeline() {
  const body = csvText(PLUS_HEADER, [plusRow()]);
  const download = createGate();
  server.route('/pak.csv', [{ body, until: download.opened }, { body }]);
  project({
    name: 'slow',
    sources: [{ source: 'comtrade', files: [server.url('/pak.csv')] }],
    // Longer than the test: a held answer never times out on the holder's side.
    fetch: { timeoutSeconds: 60, retries: 0 },
  });
  return download;
}

type LockRow = { holder: string; pid: number; host: string; purpose: string; expires_at: string };
const lockOf = (pipeline: string): LockRow | undefined =>
  query<LockRow>(db(), 'select * from pipeline_locks where pipeline = ?', pipeline)[0];
const run = (...args: string[]) => startCli(['run', ...args, '--db', db()], tmp());
/**
 * The run has asked for its file: it took the lock first (a run downloads under its lease),
 * and now waits for the gate.
 */
const holding = async (child: CliChild) => {
  await child.whileRunning(server.requestArrived('/pak.csv'), 'asking for its file');
  expect(lockOf('slow')?.pid).toBe(child.process.pid);
};

describe('the lease lock of a pipeline', () => {
  it('lets one of two simultaneous runs through; the other exits 4 and names the holder', async () => {
    const download = heldPipeline();
    const first = run('slow');
    await holding(first);
    const holder = lockOf('slow')!;
    expect(holder.purpose).toBe('corridor run');

    // The second run in this process: no second start-up to wait for.
    const second = await cli(['run', 'slow', '--db', db()], tmp());
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(
      new RegExp(
        `Pipeline "slow" is already running: its lock is held by corridor run \\(pid ${first.process.pid} on `,
      ),
    );
    expect(second.stderr).toMatch(/Nothing was done\. .*--force/);
    expect(second.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);

    download.open();
    expect(await first.exited).toBe(0);
    expect(query(db(), 'select status from load_runs')).toEqual([{ status: 'succeeded' }]);
    expect(lockOf('slow')).toBeUndefined();
  });

  it("keeps a crashed holder's lease until it expires, then lets the next run take it over", async () => {
    heldPipeline(); // never opened: the holder dies waiting
    const doomed = run('slow');
    await holding(doomed);
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited).toBe(137);

    // The lease is still current: the holder is gone, the lock says so, and says when it lapses.
    const tooSoon = await cli(['run', 'slow', '--db', db()], tmp());
    expect(tooSoon.code).toBe(4);
    expect(tooSoon.stderr).toMatch(/has ended without releasing it, and its lease expires in \d+ s/);

    // Nobody renews it: let its time pass. (Moved back in the warehouse rather than waited for,
    // so that no step races the clock; the lease is compared with the time as a run starts.)
    const raw = new Database(db());
    raw
      .prepare('update pipeline_locks set expires_at = ? where pipeline = ?')
      .run(new Date(Date.now() - 1000).toISOString(), 'slow');
    raw.close();

    const next = await cli(['run', 'slow', '--db', db()], tmp());
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(
      new RegExp(
        `took the lock of "slow" over from corridor run \\(pid ${doomed.process.pid} .*its lease expired`,
      ),
    );
    const runs = query<{ status: string }>(db(), 'select status from load_runs order by run_id');
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'succeeded']);
    expect(lockOf('slow')).toBeUndefined();
  });

  it('--force takes the lock from a live holder, which then stops without loading', async () => {
    const download = heldPipeline();
    const holder = run('slow');
    await holding(holder);
    const forced = await cli(['run', 'slow', '--force', '--db', db()], tmp());
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(
      new RegExp(`took the lock of "slow" over from corridor run \\(pid ${holder.process.pid} `),
    );

    // The holder gets its file only now, and finds the lock no longer its own.
    download.open();
    expect(await holder.exited).toBe(1);
    expect(holder.stdout()).toMatch(/Stopped: stopped \(another process took the lock over with --force\)/);
    const runs = query<{ pid: number; status: string }>(
      db(),
      'select pid, status from load_runs order by run_id',
    );
    expect(runs).toEqual(
      expect.arrayContaining([
        { pid: holder.process.pid, status: 'stopped' },
        { pid: process.pid, status: 'succeeded' },
      ]),
    );
  });

  it('on SIGTERM rolls the file in flight back, loads no further file, and releases the lock', async () => {
    // 24,000 distinct flows (3,000 subheadings, two flows, four years): a file that takes some
    // half a second to load, however fast the machine, in flight when the signal comes.
    const rows = [];
    for (const year of [2018, 2019, 2020, 2021])
      for (const flowCode of ['X', 'M'])
        for (const cmdCode of realSubheadings('H5', 3000))
          rows.push(plusRow({ refYear: year, period: String(year), flowCode, cmdCode }));
    writeFileSync(join(tmp(), 'big.csv'), csvText(PLUS_HEADER, rows));
    writeFileSync(
      join(tmp(), 'small.csv'),
      csvText(PLUS_HEADER, [plusRow({ refYear: 2022, period: '2022' })]),
    );
    project({ name: 'two', sources: [{ source: 'comtrade', files: ['big.csv', 'small.csv'] }] });
    const runner = run('two', '--no-derive');
    // Printed as the first file starts, after the run's last look for a stop request before it:
    // the signal is sent on that line, while the file is being read.
    await runner.waitFor(/\[1\/2\] reading .*big\.csv/);
    runner.process.kill('SIGTERM');
    expect(await runner.exited).toBe(143);
    expect(runner.stderr()).toMatch(
      /SIGTERM received: stopping the run now; the file in flight is rolled back/,
    );
    const files = query<{ file_name: string; status: string; rows_loaded: number }>(
      db(),
      'select file_name, status, rows_loaded from load_files order by load_id',
    );
    // The signal may come before the file's journal row is written (then there is none) or
    // after: either way nothing of it is loaded, and the next file is never started.
    expect(
      files.filter((f) => !(f.file_name === 'big.csv' && f.status === 'interrupted' && f.rows_loaded === 0)),
    ).toEqual([]);
    expect(query(db(), 'select count(*) as n from trade_flows')).toEqual([{ n: 0 }]);
    expect(query(db(), 'select status, message from load_runs')).toEqual([
      {
        status: 'interrupted',
        message: expect.stringMatching(/^interrupted \(SIGTERM received\) after 0 of 2 files/),
      },
    ]);
    expect(lockOf('two')).toBeUndefined();
  });
});
