/**
 * `corridor schedule` and `corridor status`, with real processes and real cron ticks: a
 * schedule firing every second, two schedulers competing for one pipeline's lock, catch-up of
 * a run missed while the scheduler was down, and a graceful stop on SIGTERM.
 *
 * Each step waits on an event: a line the scheduler prints, a download arriving at the server
 * in this process (whose answer the test holds back while a lock must stay held), an exit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli, stopLeftoverChildren, whenPrinted } from './helpers/cli-child.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { createGate, type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
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

function project(...pipelines: ({ name: string } & Record<string, unknown>)[]): void {
  for (const pipeline of pipelines) writePipelineProject(tmp(), pipeline);
}

function localFile(): string {
  writeFileSync(join(tmp(), 'pak.csv'), csvText(PLUS_HEADER, [plusRow()]));
  return 'pak.csv';
}

const runLines = (text: string, pipeline: string) =>
  text.split('\n').filter((l) => new RegExp(`^\\S+Z ${pipeline} run \\d+`).test(l));

type RunRow = {
  run_id: number;
  status: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
};
const runs = () =>
  query<RunRow>(
    db(),
    'select run_id, status, trigger, started_at, finished_at from load_runs order by run_id',
  );

describe('corridor schedule', () => {
  it('runs a pipeline on each tick of its cron expression, one line per run, and stops cleanly on SIGTERM', async () => {
    project({
      name: 'every-second',
      sources: [{ source: 'comtrade', files: [localFile()] }],
      schedule: '* * * * * *',
      timezone: 'Asia/Karachi',
    });
    const scheduler = startCli(['schedule', '--db', db()], tmp());
    await scheduler.waitFor(
      /every-second: scheduled "\* \* \* \* \* \*" \(Asia\/Karachi\); next run \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia\/Karachi/,
    );
    await scheduler.waitFor(/every-second run 2 /);
    scheduler.process.kill('SIGTERM');
    expect(await scheduler.exited).toBe(0);

    const lines = runLines(scheduler.stdout(), 'every-second');
    expect(lines[0]).toMatch(
      /^\S+Z every-second run 1 succeeded \(exit 0\): Loaded 1 rows \(0 rejected\) from 1 file into trade_flows/,
    );
    expect(lines[1]).toMatch(
      /every-second run 2 succeeded \(exit 0\): Nothing new: 1 unchanged file skipped/,
    );
    expect(scheduler.stdout()).toMatch(/scheduler stopped \(SIGTERM received\) after \d+ runs?\n$/);
    expect(scheduler.stderr()).toMatch(
      /SIGTERM received: stopping the scheduler now; the file in flight is rolled back/,
    );
    const journal = runs();
    expect(journal.length).toBe(lines.length);
    expect(journal.every((r) => r.trigger === 'schedule')).toBe(true);
    // A tick may have started a run just before the signal was taken in (on a busy machine a
    // run can last up to the next tick): that run is interrupted, its file rolled back.
    const last = journal.at(-1)!;
    expect(journal.slice(0, -1).every((r) => r.status === 'succeeded')).toBe(true);
    expect(['succeeded', 'interrupted']).toContain(last.status);
    if (last.status === 'interrupted')
      expect(lines.at(-1)).toMatch(/ interrupted \(exit 143\): interrupted \(SIGTERM received\)/);
    expect(query(db(), 'select * from pipeline_locks')).toEqual([]);
  });

  it('two schedulers on one warehouse never run the pipeline at the same time: the lock turns one away', async () => {
    // The first run's download is held until the other scheduler has met its lock; the rest
    // are answered at once.
    const body = csvText(PLUS_HEADER, [plusRow()]);
    const firstDownload = createGate();
    server.route('/pak.csv', [{ body, until: firstDownload.opened }, { body }]);
    project({
      name: 'shared',
      sources: [{ source: 'comtrade', files: [server.url('/pak.csv')] }],
      schedule: '* * * * * *',
      // Longer than the test: the held answer never times out on the scheduler's side.
      fetch: { timeoutSeconds: 60, retries: 0 },
    });
    // The warehouse exists before both start, so neither waits on the other's migrations.
    expect((await cli(['init', '--db', db()], tmp())).code).toBe(0);
    const a = startCli(['schedule', '--db', db()], tmp());
    const b = startCli(['schedule', '--db', db()], tmp());
    const skipped =
      /shared: tick skipped: Pipeline "shared" is already running: its lock is held by corridor schedule \(pid \d+/;
    await whenPrinted(
      [a, b],
      () => skipped.test(a.stdout()) || skipped.test(b.stdout()),
      'one scheduler found the lock held by the other',
    );
    firstDownload.open();
    const succeeded = /^\S+Z shared run \d+ succeeded/gm;
    await whenPrinted(
      [a, b],
      () => (a.stdout().match(succeeded)?.length ?? 0) + (b.stdout().match(succeeded)?.length ?? 0) >= 2,
      'two runs succeeded',
    );
    a.process.kill('SIGTERM');
    b.process.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const finished = runs().filter((r) => r.finished_at !== null);
    for (let i = 1; i < finished.length; i++) {
      // Each run started after the one before it had finished.
      expect(finished[i]!.started_at >= finished[i - 1]!.finished_at!).toBe(true);
    }
    // A run in flight at the signal is interrupted, its file rolled back.
    expect(runs().every((r) => ['succeeded', 'stopped', 'interrupted'].includes(r.status))).toBe(true);
    expect(query(db(), 'select * from pipeline_locks')).toEqual([]);
  }, 60_000); // two processes to start, on a machine that may be running others

  it('catches up once at start when the last scheduled time passed without a run', async () => {
    project({
      name: 'nightly-ish',
      sources: [{ source: 'comtrade', files: [localFile()] }],
      schedule: '0 3 * * *',
      catchUp: true,
    });
    expect((await cli(['run', 'nightly-ish', '--db', db()], tmp())).code).toBe(0);
    // The machine was off: the last run is two days old.
    const raw = new Database(db());
    raw
      .prepare('update load_runs set started_at = ?')
      .run(new Date(Date.now() - 2 * 86_400_000).toISOString());
    raw.close();

    const scheduler = startCli(['schedule', '--db', db()], tmp());
    await scheduler.waitFor(
      /nightly-ish: the run due \d{4}-\d\d-\d\d 03:00 UTC was missed \(last run started .*\); catching up now/,
    );
    await scheduler.waitFor(/nightly-ish run 2 \(catch-up\) succeeded/);
    scheduler.process.kill('SIGTERM');
    expect(await scheduler.exited).toBe(0);
    expect(runs().map((r) => r.trigger)).toEqual(['manual', 'catch_up']);

    // Now the last run is recent: a restart does not run again, and says so as it decides.
    const again = startCli(['schedule', '--db', db()], tmp());
    await again.waitFor(
      /nightly-ish: no run missed \(last run started \S+; next due \d{4}-\d\d-\d\d 03:00 UTC\); nothing to catch up/,
    );
    await again.waitFor(/scheduler started/);
    again.process.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(again.stdout()).not.toMatch(/catching up/);
    expect(again.stdout()).toMatch(/scheduler stopped \(SIGTERM received\) after 0 runs\n$/);
    expect(runs()).toHaveLength(2);
  }, 60_000); // a process to start and a second run, on a machine that may be running others

  it('refuses to start without a scheduled pipeline, or with a bad cron expression or time zone', async () => {
    project({ name: 'manual-only', sources: [{ source: 'comtrade', files: [localFile()] }] });
    const none = await cli(['schedule', '--db', db()], tmp());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No pipeline here has a schedule\. Add schedule: '30 2 \* \* \*'/);
    const named = await cli(['schedule', 'manual-only', '--db', db()], tmp());
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/Pipeline "manual-only" has no schedule/);

    project({
      name: 'typo',
      sources: [{ source: 'comtrade', files: ['pak.csv'] }],
      schedule: '30 25 * * *',
      timezone: 'Asia/Karchi',
    });
    const bad = await cli(['schedule', 'typo', '--db', db()], tmp());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/schedule: not a cron expression/);
    expect(bad.stderr).toMatch(/timezone: not a time zone: use an IANA name such as 'Asia\/Karachi'/);
  });
});

describe('corridor status', () => {
  it("shows each pipeline's schedule and next time, its last run, and who holds its lock", async () => {
    // The remote run holds its lock, waiting for its file, until the test has read the status.
    const download = createGate();
    server.route('/pak.csv', { body: csvText(PLUS_HEADER, [plusRow()]), until: download.opened });
    project(
      {
        name: 'remote',
        description: 'A slow download',
        sources: [{ source: 'comtrade', files: [server.url('/pak.csv')] }],
        schedule: '30 2 * * *',
        timezone: 'Asia/Karachi',
        fetch: { timeoutSeconds: 60, retries: 0 },
      },
      { name: 'local', sources: [{ source: 'comtrade', files: [localFile()] }] },
    );
    expect((await cli(['run', 'local', '--db', db()], tmp())).code).toBe(0);
    const holder = startCli(['run', 'remote', '--db', db()], tmp());
    // A run downloads under its lease: asking for its file, it holds the lock.
    await holder.whileRunning(server.requestArrived('/pak.csv'), 'asking for its file');
    const status = await cli(['status', '--db', db()], tmp());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /^local\n {2}schedule {2}none \(runs only when started\)\n {2}last run {2}run 1 succeeded \d{4}-\d\d-\d\d \d\d:\d\d UTC in \S+: 1 rows loaded, 0 rejected\n {2}lock {6}free$/m,
    );
    expect(status.stdout).toMatch(
      /^remote: A slow download\n {2}schedule {2}30 2 \* \* \* \(Asia\/Karachi\); next \d{4}-\d\d-\d\d 02:30 Asia\/Karachi$/m,
    );
    expect(status.stdout).toMatch(
      new RegExp(
        `lock {6}held by corridor run \\(pid ${holder.process.pid} on .*expires in \\d+ s unless renewed`,
      ),
    );
    const json = JSON.parse((await cli(['status', '--json', '--db', db()], tmp())).stdout) as {
      pipeline: string;
      nextRun: string | null;
      lock: { held: boolean; pid: number } | null;
    }[];
    const remote = json.find((p) => p.pipeline === 'remote')!;
    expect(remote.lock).toMatchObject({ held: true, pid: holder.process.pid });
    expect(new Date(remote.nextRun!).getUTCMinutes()).toBe(30);
    download.open();
    expect(await holder.exited).toBe(0);
    expect((await cli(['status', 'remote', '--db', db()], tmp())).stdout).toMatch(
      /last run {2}run 2 succeeded .*\n {2}lock {6}free/,
    );
  });
});
