/**
 * Analysts' SQL has limits (issue 20, point 5): a statement runs in its own process and is
 * killed at its time limit (`--timeout`), a terminal table shows at most `--max-rows` rows and
 * says how many more there were, and a slow query never holds up a load. One warehouse, loaded
 * from the Pakistan sample, serves the file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorridorError } from '../src/errors.ts';
import { openBoundedQuery, queryError, stopRunningQueries } from '../src/query/bounded-query.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

const PAK_SAMPLE = join(PROJECT_ROOT, 'sources/comtrade/samples/pak_trade_2019_2023_illustrative.csv');
const KAZ_SAMPLE = join(
  PROJECT_ROOT,
  'sources/comtrade/samples/kaz_trade_with_pak_2019_2023_illustrative.json',
);

/** A recursive CTE without end: it never returns. */
const ENDLESS = 'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r';
/** 25,341 rows, quickly. */
const MANY =
  'with recursive r(n) as (select 1 union all select n + 1 from r where n < 25341) select n, n * 2 as twice from r';

let dir = '';
let dbPath = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-sql-limits-'));
  dbPath = join(dir, 'w.db');
  const run = await cli(['load', PAK_SAMPLE, '--source', 'comtrade', '--db', dbPath]);
  expect(run.code, run.stderr).toBe(0);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The query processes this test process started and that still run. */
function queryProcesses(): string[] {
  const out = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('query-process.cjs'));
}

describe('the time limit', () => {
  it('stops a recursive CTE without end at --timeout 1, within 2 s, with exit 1 and query_timeout', async () => {
    const started = performance.now();
    const run = await cli(['sql', ENDLESS, '--timeout', '1', '--db', dbPath]);
    const took = performance.now() - started;

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The query was stopped at its time limit of 1 s\. Give it more time with --timeout/,
    );
    expect(run.stderr).not.toContain('    at ');
    expect(run.stdout).toBe('');
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(2000);
    expect(queryProcesses()).toEqual([]);
  });

  it('gives the code query_timeout in --json', async () => {
    const run = await cli(['sql', ENDLESS, '--timeout', '0.5', '--db', dbPath, '--json']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'query_timeout', exitCode: 1 } });
  });

  it('stops a streaming query, saying how many rows it had written', async () => {
    const run = await cli([
      'sql',
      'with recursive r(n) as (select 1 union all select n + 1 from r) select n from r',
      '--format',
      'csv',
      '--timeout',
      '1',
      '--db',
      dbPath,
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stopped at its time limit of 1 s/);
    // The rows it gave before the limit are written, and the message counts them (a machine
    // too busy to start the query within the second gets none).
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => line !== '');
    const said = /after ([\d,]+) rows/.exec(run.stderr)?.[1]?.replaceAll(',', '');
    expect(lines.length === 0 ? undefined : String(lines.length - 1)).toBe(said);
    if (lines.length > 0) expect(lines.slice(0, 3)).toEqual(['n', '1', '2']);
  });

  it('stops export --query too, leaving no file behind', async () => {
    const out = join(dir, 'export-timeout');
    const run = await cli([
      'export',
      '--query',
      ENDLESS,
      '--timeout',
      '1',
      '--out',
      `${out}/`,
      '--db',
      dbPath,
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The --query was stopped at its time limit of 1 s/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expect(queryProcesses()).toEqual([]);
  });

  it('refuses a --timeout that is not a positive number of seconds, and one on a table export', async () => {
    const bad = await cli(['sql', 'select 1', '--timeout', 'soon', '--db', dbPath]);
    const table = await cli([
      'export',
      'trade_flows',
      '--timeout',
      '5',
      '--out',
      `${dir}/t/`,
      '--db',
      dbPath,
    ]);

    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid value for option "--timeout": "soon"/);
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/--timeout limits a --query/);
  });
});

describe('the row limit of a terminal table', () => {
  it('shows 10,000 rows by default, then says how many more there were and how to get them', async () => {
    const run = await cli(['sql', MANY, '--db', dbPath]);

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + 10_000);
    expect(lines.at(-1)).toMatch(/^10000\s+20000$/);
    expect(run.stderr).toMatch(
      /\(10,000 of 25,341 rows shown: 15,341 more\. For all of them: --format csv > rows\.csv, or corridor export --query/,
    );
  });

  it('takes --max-rows, and gives CSV whole by default', async () => {
    const few = await cli(['sql', MANY, '--max-rows', '5', '--db', dbPath]);
    const csv = await cli(['sql', MANY, '--format', 'csv', '--db', dbPath]);

    expect(few.code).toBe(0);
    expect(few.stdout.trimEnd().split('\n')).toHaveLength(2 + 5);
    expect(few.stderr).toMatch(/\(5 of 25,341 rows shown: 25,336 more/);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trimEnd().split('\n')).toHaveLength(1 + 25_341);
    expect(csv.stderr).not.toMatch(/more/);
  });

  it('says nothing more when the rows fit', async () => {
    const run = await cli(['sql', 'select 1 as one', '--db', dbPath]);

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\(1 row\)$/m);
    expect(run.stderr).not.toMatch(/more/);
  });
});

describe('a slow query and a load', () => {
  it('the warehouse is in WAL mode, where readers never block a writer', () => {
    expect(query(dbPath, 'pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('lets a load commit while a query reads the warehouse without end', async () => {
    const before = query<{ n: number }>(dbPath, 'select count(*) as n from trade_flows')[0]!.n;
    // Every row reads the fact table: the statement holds a read snapshot as long as it runs.
    const slow = await openBoundedQuery({
      path: dbPath,
      sql: 'with recursive r(n) as (select 1 union all select n + 1 from r) select n, (select count(*) from trade_flow_rows) as facts from r',
      readOnlyPragma: false,
      timeoutMs: 60_000,
      batchRows: 100,
    });
    const batches = slow.batches();
    const first = await batches.next();
    expect(first.value?.[0]).toEqual([1, before]);

    // The query keeps running (its batches are read) while the load writes.
    let reading = true;
    let read = 0;
    const facts = new Set<unknown>();
    const reader = (async () => {
      while (reading) {
        const next = await batches.next();
        if (next.done) break;
        read += next.value.length;
        for (const row of next.value) facts.add(row[1]);
      }
    })();
    const load = await cli(['load', KAZ_SAMPLE, '--source', 'comtrade', '--db', dbPath]);
    const readDuringLoad = read;
    reading = false;
    await reader;
    slow.close();
    await slow.exited;

    expect(load.code, load.stderr).toBe(0);
    expect(readDuringLoad).toBeGreaterThan(0);
    expect(query<{ n: number }>(dbPath, 'select count(*) as n from trade_flows')[0]!.n).toBeGreaterThan(
      before,
    );
    expect(queryProcesses()).toEqual([]);
    // The query read one snapshot, the one it started with: it never saw the load's rows.
    expect([...facts]).toEqual([before]);
  });
});

describe('a query process that ends otherwise', () => {
  /** The error a command would end with, once the query's next batch fails. */
  async function failureOf(slow: Awaited<ReturnType<typeof openBoundedQuery>>): Promise<CorridorError> {
    const error = await slow
      .batches()
      .next()
      .then(
        () => null,
        (e: unknown) => e,
      );
    return queryError(error, 'The query', 60_000) as CorridorError;
  }
  const endless = () =>
    openBoundedQuery({ path: dbPath, sql: ENDLESS, readOnlyPragma: false, timeoutMs: 60_000 });

  it('reports a query process that died (killed from outside) as query_failed, exit 1', async () => {
    const slow = await endless();
    process.kill(slow.pid!, 'SIGKILL');

    const error = await failureOf(slow);

    expect(error.code).toBe('query_failed');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/The query failed: the query process ended \(SIGKILL\)/);
  });

  it('ends the query process on a stop signal, as query_stopped with the signal exit code', async () => {
    const slow = await endless();
    stopRunningQueries('SIGTERM');

    const error = await failureOf(slow);

    expect(error.code).toBe('query_stopped');
    expect(error.exitCode).toBe(143);
    expect(queryProcesses()).toEqual([]);
  });

  it('takes its query process with it when corridor sql gets SIGTERM', async () => {
    // 1,000 rows (one batch) at once, then a count without end: the query process is stuck in
    // one native step, where only a kill ends it.
    const stuck = `with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) select n from r
      union all select count(*) from (${ENDLESS.replace('select count(*) from r', 'select n from r')})`;
    const corridor = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'bin/corridor.js'), 'sql', stuck, '--format', 'csv', '--db', dbPath],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      corridor.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // Rows on stdout: the query runs, now in its endless count.
    await new Promise((resolve) => corridor.stdout.once('data', resolve));
    const queryPid = Number(
      execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(corridor.pid)], { encoding: 'utf8' })
        .split('\n')
        .find((line) => line.includes('query-process.cjs'))
        ?.trim()
        .split(/\s+/)[0],
    );
    expect(queryPid).toBeGreaterThan(0);
    corridor.kill('SIGTERM');

    const { code, signal } = await ended;
    expect(signal === 'SIGTERM' || code === 143).toBe(true);
    expect(isRunning(queryPid)).toBe(false);
  });
});

/** Whether a process of that id still runs (a zombie waiting for its parent counts as ended). */
function isRunning(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return state !== '' && !state.startsWith('Z');
  } catch {
    return false;
  }
}
