/**
 * Stop signals and crashes, with real processes: SIGTERM in the middle of a big file, read in
 * this thread or in the reader thread, stops the run within 2 s with exit 143 and one line; the
 * file in flight loads nothing, the journal says `interrupted`, the lock is free. A run killed
 * with SIGKILL is closed by the next one. A process whose last await never settles, or that
 * throws where nothing catches, says so in one line, exits 70 and closes its run as failed.
 * Every wait is on something the child prints or its exit, never on a number of seconds.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deflatedEntry, repeatedDeflate, workbookZip } from './helpers/bomb-zip.ts';
import { type CliChild, eventually, startCli, stopLeftoverChildren } from './helpers/cli-child.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { realSubheadings } from './helpers/hs-codes.ts';
import { usePreparedWarehouse, writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();
beforeEach(() => warehouseAt(db()));
afterEach(stopLeftoverChildren);

const MiB = 1024 * 1024;
const HUGE_CELLS = 8;
const SHARED_HEAD =
  '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

/** The promise the issue makes: a stop within 2 s of the signal, at any point of a load. */
const STOP_BOUND_MS = 2000;

/**
 * 110,000 distinct flows (22 years, two flows, 2,500 subheadings): seconds of loading on any
 * machine, so the file is still in flight when the signal comes at its first progress line
 * (PROGRESS: a line at each report, a quarter of a second in). Made once per test file.
 */
let bigCsv = '';
beforeAll(() => {
  const rows = [];
  const codes = realSubheadings('H5', 2500);
  for (let year = 2000; year < 2022; year++)
    for (const flowCode of ['X', 'M'])
      for (const cmdCode of codes)
        rows.push(plusRow({ refYear: year, period: String(year), flowCode, cmdCode }));
  bigCsv = csvText(PLUS_HEADER, rows);
});

/** Plain progress lines at every report, so that the signal can be sent as soon as rows flow. */
const PROGRESS = { CORRIDOR_PROGRESS_SECONDS: '0' };
/** A progress line of big.csv with rows read. */
const READING = /big\.csv.*\d[\d,]* rows/;

const counts = () => ({
  flows: query<{ n: number }>(db(), 'select count(*) as n from trade_flows')[0]!.n,
  runs: query<{ status: string; exit_code: number | null; message: string | null }>(
    db(),
    'select status, exit_code, message from load_runs order by run_id',
  ),
  files: query<{ file_name: string; status: string; rows_loaded: number | null }>(
    db(),
    'select file_name, status, rows_loaded from load_files order by load_id',
  ),
  locks: query(db(), 'select * from pipeline_locks'),
});

/** The process's resident memory, in MiB (Linux). */
function residentMib(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** Sends `signal` and resolves with the exit code and the milliseconds the child took to exit. */
async function stopWith(child: CliChild, signal: NodeJS.Signals): Promise<{ code: number; ms: number }> {
  const sent = performance.now();
  child.process.kill(signal);
  const code = await child.exited;
  return { code, ms: performance.now() - sent };
}

describe('a stop signal during a load', () => {
  for (const [where, env, signal, exitCode] of [
    ['read in the main thread', { ...PROGRESS, CORRIDOR_PARALLEL_MIN_BYTES: String(2 ** 40) }, 'SIGINT', 130],
    ['read in the reader thread', { ...PROGRESS, CORRIDOR_PARALLEL_MIN_BYTES: '1' }, 'SIGTERM', 143],
  ] as const) {
    it(`${signal} in the middle of a big CSV ${where}: exit ${exitCode} within 2 s, nothing loaded, journal interrupted, lock free`, async () => {
      writeFileSync(join(tmp(), 'big.csv'), bigCsv);
      writePipelineProject(tmp(), { name: 'big', sources: [{ source: 'comtrade', files: ['big.csv'] }] });
      const runner = startCli(['run', 'big', '--no-derive', '--db', db()], tmp(), env);
      // A progress line with a row count: the file is being read and written.
      await runner.waitFor(READING);
      const { code, ms } = await stopWith(runner, signal);
      console.info(`stop latency, ${signal}, big CSV ${where}: ${Math.round(ms)} ms`);
      expect(code).toBe(exitCode);
      expect(ms).toBeLessThan(STOP_BOUND_MS);
      const said = runner
        .stderr()
        .split('\n')
        .filter((l) => l.includes(signal));
      expect(said).toEqual([
        `corridor: ${signal} received: stopping the run now; the file in flight is rolled back and loads nothing.`,
        `[1/1] FAIL  big.csv: stopped by ${signal}; nothing from this file was loaded.`,
      ]);
      expect(counts()).toEqual({
        flows: 0,
        runs: [{ status: 'interrupted', exit_code: exitCode, message: expect.stringContaining(signal) }],
        files: [{ file_name: 'big.csv', status: 'interrupted', rows_loaded: 0 }],
        locks: [],
      });
      // The lock is free: a second run reaches its file at once instead of exiting 4.
      const second = startCli(['run', 'big', '--no-derive', '--db', db()], tmp(), env);
      await second.waitFor(READING);
      expect((await stopWith(second, 'SIGTERM')).code).toBe(143);
      expect(counts().runs.map((r) => r.status)).toEqual(['interrupted', 'interrupted']);
    }, 60_000);
  }
});

describe('a stop signal to corridor schedule', () => {
  it('stops ticking and interrupts the run in flight the same way; the scheduler exits 0 within 2 s', async () => {
    writeFileSync(join(tmp(), 'big.csv'), bigCsv);
    writePipelineProject(tmp(), {
      name: 'ticking',
      sources: [{ source: 'comtrade', files: ['big.csv'] }],
      schedule: '* * * * * *',
    });
    const scheduler = startCli(['schedule', '--db', db()], tmp());
    // The scheduler prints nothing while a run loads: its journal row says the file is in flight.
    await scheduler.whileRunning(
      eventually(() => counts().files.some((f) => f.status === 'running')),
      'starting to load big.csv',
    );
    const { code, ms } = await stopWith(scheduler, 'SIGTERM');
    console.info(`stop latency, corridor schedule: ${Math.round(ms)} ms`);
    expect(code, scheduler.stderr()).toBe(0);
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    expect(scheduler.stdout()).toMatch(/ticking run 1 interrupted \(exit 143\)/);
    expect(counts()).toMatchObject({
      flows: 0,
      runs: [{ status: 'interrupted', exit_code: 143 }],
      files: [{ status: 'interrupted' }],
      locks: [],
    });
  }, 60_000);
});

describe('a stop signal inside a workbook', () => {
  it('SIGTERM in the middle of a big .xlsx written by exceljs: exit 143 within 2 s, nothing loaded', async () => {
    const file = join(tmp(), 'big.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const sheet = workbook.addWorksheet('Trade');
    for (const line of bigCsv.split('\n').slice(0, 30_000)) sheet.addRow(line.split(',')).commit();
    await workbook.commit();
    const runner = startCli(
      ['load', file, '--source', 'comtrade', '--no-derive', '--db', db()],
      tmp(),
      PROGRESS,
    );
    await runner.waitFor(/big\.xlsx.*\d[\d,]* rows/);
    const { code, ms } = await stopWith(runner, 'SIGTERM');
    console.info(`stop latency, big .xlsx: ${Math.round(ms)} ms`);
    expect(code, runner.stderr()).toBe(143);
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    const after = counts();
    expect(after.flows).toBe(0);
    expect(after.runs.map((r) => r.status)).toEqual(['interrupted']);
    expect(after.files.map((f) => f.status)).toEqual(['interrupted']);
  }, 60_000);

  for (const [where, thread] of [
    ['in the main thread', String(2 ** 40)],
    ['in the reader thread', '1'],
  ] as const)
    it(`SIGTERM while 240 MB of shared strings inflate ${where}: exit 143 within 2 s`, async () => {
      // Eight cells of 30 MiB (each under the reader's longest element): a 240 KB file that
      // inflates for seconds. The limits (docs/hostile-input.md) are raised so that the reader
      // inflates it rather than refusing it.
      const file = join(tmp(), 'huge-cells.xlsx');
      const cell = Buffer.concat([
        Buffer.from('<si><t>'),
        Buffer.alloc(30 * MiB, 0x61),
        Buffer.from('</t></si>'),
      ]);
      const tail = '</sst>';
      let crc = crc32(SHARED_HEAD);
      for (let i = 0; i < HUGE_CELLS; i++) crc = crc32(cell, crc);
      crc = crc32(tail, crc);
      const size = SHARED_HEAD.length + HUGE_CELLS * cell.length + tail.length;
      const data = repeatedDeflate(SHARED_HEAD, cell, HUGE_CELLS, tail);
      writeFileSync(
        file,
        workbookZip({ 'xl/sharedStrings.xml': deflatedEntry('xl/sharedStrings.xml', data, size, crc) }),
      );
      const runner = startCli(['load', file, '--source', 'comtrade', '--no-derive', '--db', db()], tmp(), {
        ...PROGRESS,
        CORRIDOR_ZIP_MAX_RATIO: '1000000',
        CORRIDOR_XLSX_MAX_SHARED_STRINGS_BYTES: String(1024 * MiB),
        CORRIDOR_PARALLEL_MIN_BYTES: thread,
      });
      await runner.waitFor(/reading .*huge-cells\.xlsx/);
      // The strings are being inflated: the process has grown by more than half of them since.
      const before = residentMib(runner.process.pid!);
      await runner.whileRunning(
        eventually(() => residentMib(runner.process.pid!) > before + 130),
        'growing by 130 MiB',
      );
      const { code, ms } = await stopWith(runner, 'SIGTERM');
      console.info(`stop latency, 240 MB of shared strings ${where}: ${Math.round(ms)} ms`);
      expect(code, runner.stderr()).toBe(143);
      expect(ms).toBeLessThan(STOP_BOUND_MS);
      expect(counts().runs.map((r) => r.status)).toEqual(['interrupted']);
      expect(counts().files.map((f) => f.status)).toEqual(['interrupted']);
    }, 60_000);
});

describe('a crash', () => {
  it('a run killed with SIGKILL is closed as interrupted by the next load, which goes on', async () => {
    writeFileSync(join(tmp(), 'big.csv'), bigCsv);
    writeFileSync(join(tmp(), 'one.csv'), csvText(PLUS_HEADER, [plusRow({ refYear: 2023, period: '2023' })]));
    writePipelineProject(tmp(), { name: 'killed', sources: [{ source: 'comtrade', files: ['big.csv'] }] });
    const doomed = startCli(['run', 'killed', '--no-derive', '--db', db()], tmp(), PROGRESS);
    await doomed.waitFor(READING);
    expect((await stopWith(doomed, 'SIGKILL')).code).toBe(137);
    expect(counts().runs).toEqual([{ status: 'running', exit_code: null, message: null }]);

    const next = await cli(
      ['load', join(tmp(), 'one.csv'), '--source', 'comtrade', '--no-derive', '--db', db()],
      tmp(),
    );
    expect(next.code, next.stderr).toBe(0);
    const after = counts();
    expect(after.flows).toBe(1);
    expect(after.runs).toEqual([
      {
        status: 'interrupted',
        exit_code: null,
        message: expect.stringMatching(/process ended before the run finished/),
      },
      { status: 'succeeded', exit_code: 0, message: null },
    ]);
    expect(after.files.map((f) => f.status)).toEqual(['interrupted', 'loaded']);
    const runs = await cli(['runs', '--db', db()], tmp());
    expect(runs.stdout).toMatch(/interrupted/);
  }, 60_000);

  /**
   * A process that opens a run in the journal, then ends in the way named: the exit handlers
   * are bin/corridor.js's own (guardProcess), run by Node as they are in the CLI.
   */
  function crashingProcess(
    how: 'unsettled' | 'throw' | 'stuck',
  ): Promise<{ code: number; stderr: string; stopMs: number | null }> {
    const script = join(tmp(), 'crash.mts');
    const src = (path: string) => JSON.stringify(fileURLToPath(new URL(`../src/${path}`, import.meta.url)));
    writeFileSync(
      script,
      `import { openSqlite } from ${src('db/driver.ts')};
import { guardProcess } from ${src('cli/last-words.ts')};
import { trackOpenRun } from ${src('load/open-runs.ts')};
import { listenForStop } from ${src('cli/stop-signals.ts')};
import { Output } from ${src('cli/output.ts')};
const sqlite = openSqlite(${JSON.stringify(db())});
const { run_id } = sqlite.prepare("insert into load_runs (pipeline, status, started_at, reject_threshold, host, pid, options, trigger) values ('p', 'running', '2026-01-01T00:00:00Z', 0.05, 'h', ?, '{}', 'manual') returning run_id").get(process.pid);
sqlite.prepare("insert into load_files (run_id, source, target_table, path, origin, file_name, status, started_at) values (?, 'comtrade', 'trade_flows', 'f.csv', 'f.csv', 'f.csv', 'running', '2026-01-01T00:00:00Z')").run(run_id);
sqlite.prepare("insert into pipeline_locks values ('p', 'token', 'h', ?, null, 'corridor run', '', '', '9999')").run(process.pid);
// A transaction left open, as a file's load leaves it: rolled back, not committed, at the end.
sqlite.exec('begin immediate');
sqlite.prepare("insert into load_runs (pipeline, status, started_at, reject_threshold, host, pid, options, trigger) values ('torn', 'running', '', 0, 'h', 0, '{}', 'manual')").run();
trackOpenRun({ backend: 'sqlite', sqlite }, run_id);
guardProcess();
${how === 'throw' ? "setImmediate(() => { throw new Error('boom in a callback'); });" : ''}
// Stuck: a step that ignores the stop (as a long native step would) and keeps the loop alive.
${how === 'stuck' ? "listenForStop(new Output({ json: false, quiet: false })); setInterval(() => {}, 1000); process.stdout.write('ready\\n');" : ''}
await new Promise(() => {});
`,
    );
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
      });
      let stderr = '';
      let sent: number | null = null;
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (sent === null && chunk.toString().includes('ready')) {
          sent = performance.now();
          child.kill('SIGTERM');
        }
      });
      child.on('close', (code) =>
        resolve({ code: code ?? -1, stderr, stopMs: sent === null ? null : performance.now() - sent }),
      );
    });
  }

  it('an await that never settles ends with one line, exit 70, and the run closed as failed', async () => {
    const { code, stderr } = await crashingProcess('unsettled');
    expect(code, stderr).toBe(70);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^corridor: crashed: the command ended while a step was still waiting .*closed as failed in the journal.*report it/,
      ),
    ]);
    expect(counts()).toEqual({
      flows: 0,
      runs: [{ status: 'failed', exit_code: 70, message: expect.stringMatching(/^Corridor crashed/) }],
      files: [expect.objectContaining({ status: 'interrupted' })],
      locks: [],
    });
  }, 30_000);

  it('an uncaught exception ends with one line naming it, exit 70, and the run closed as failed', async () => {
    const { code, stderr } = await crashingProcess('throw');
    expect(code, stderr).toBe(70);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^corridor: crashed: an uncaught exception: boom in a callback\. .*report it/),
    ]);
    expect(counts().runs[0]).toMatchObject({ status: 'failed', exit_code: 70 });
  }, 30_000);

  it('a stop that cannot finish in time is forced: within 2 s, exit 143, run interrupted, lock freed', async () => {
    const { code, stderr, stopMs } = await crashingProcess('stuck');
    console.info(`stop latency, forced: ${Math.round(stopMs ?? -1)} ms`);
    expect(code, stderr).toBe(143);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    expect(stderr.trim().split('\n')).toEqual([
      'corridor: SIGTERM received: stopping the run now; the file in flight is rolled back and loads nothing.',
    ]);
    expect(counts()).toEqual({
      flows: 0,
      runs: [
        { status: 'interrupted', exit_code: 143, message: expect.stringMatching(/^stopped by SIGTERM/) },
      ],
      files: [expect.objectContaining({ status: 'interrupted' })],
      locks: [],
    });
  }, 30_000);
});
