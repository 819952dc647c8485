/**
 * Issue 21, point 3, on PostgreSQL: `corridor init --create-reader-role NAME` makes a login role
 * that reads every table (those created later too) and writes nothing, and `corridor sql` works
 * through it; an analyst's long query neither blocks a concurrent write nor outlives its
 * --timeout on the server. Roles belong to the whole cluster, so each run names its own and
 * drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, PG_ADMIN_URL } from '../helpers/backends.ts';
import { startCli, stopLeftoverChildren } from '../helpers/cli-child.ts';
import { cli } from '../helpers/run-cli.ts';

const ROLE = `corridor_reader_${process.pid}_${randomBytes(3).toString('hex')}`;
let database: Awaited<ReturnType<typeof createPgDatabase>>;
let readerUrl: string;
let owner: pg.Client;

beforeAll(async () => {
  database = await createPgDatabase();
  const init = await cli(['init', '--db', database.url, '--create-reader-role', ROLE]);
  expect(init.code, init.stderr).toBe(0);
  const url = new URL(database.url);
  url.username = ROLE;
  readerUrl = url.toString();
  expect(init.stdout).toContain(`Reader role ${ROLE} created`);
  expect(init.stdout).toContain(`corridor sql --db ${readerUrl}`);
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
}, 60_000);

afterAll(async () => {
  await stopLeftoverChildren();
  await owner?.end();
  await database?.drop();
  // The role's grants went with the database; the role itself is the cluster's.
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop role if exists ${ROLE}`);
  await admin.end();
});

async function asReader<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: readerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE `sql` fails with as the reader, inside a read-write transaction. */
const failureAsWriter = (sql: string) =>
  asReader(async (client) => {
    await client.query('begin read write');
    try {
      await client.query(sql);
      return 'ran';
    } catch (error) {
      return (error as { code: string }).code;
    } finally {
      await client.query('rollback');
    }
  });

describe('the reader role', () => {
  it('reads every table and view', async () => {
    const n = await asReader(
      async (c) => (await c.query('select count(*)::int as n from countries')).rows[0].n,
    );
    expect(n).toBe(307);
    const view = await asReader(
      async (c) => (await c.query('select count(*)::int as n from trade_flows')).rows[0].n,
    );
    expect(view).toBe(0);
  });

  it('writes nothing: its sessions are read-only, and it has no write grant', async () => {
    const readOnly = await asReader(async (c) =>
      c.query("insert into countries (iso3) values ('ZZZ')").then(
        () => 'ran',
        (e: { code: string }) => e.code,
      ),
    );
    expect(readOnly).toBe('25006');
    // Even in a transaction it opens read-write, every write is denied: 42501, permission denied.
    expect(await failureAsWriter("insert into countries (iso3) values ('ZZZ')")).toBe('42501');
    expect(await failureAsWriter("update countries set name = 'x'")).toBe('42501');
    expect(await failureAsWriter('delete from countries')).toBe('42501');
    expect(await failureAsWriter('create table analyst_notes (a integer)')).toBe('42501');
    expect(await failureAsWriter('truncate load_runs')).toBe('42501');
  });

  it('reads a table created after it (as derive creates ind_* tables)', async () => {
    await owner.query('create table ind_later (a integer); insert into ind_later values (1), (2)');
    const n = await asReader(
      async (c) => (await c.query('select count(*)::int as n from ind_later')).rows[0].n,
    );
    expect(n).toBe(2);
  });

  it('is what corridor sql --db takes', async () => {
    const run = await cli([
      'sql',
      '--db',
      readerUrl,
      'select count(*) as n from countries',
      '--format',
      'csv',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('n\n307\n');
  });

  it('is brought up to date when init runs again', async () => {
    const again = await cli(['init', '--db', database.url, '--create-reader-role', ROLE]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Reader role ${ROLE} already existed`);
  });

  it('is refused on SQLite, and a name that needs quoting is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-role-'));
    try {
      const run = await cli(['init', '--db', join(dir, 'w.db'), '--create-reader-role', 'analyst', '--json']);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'bad_arguments' } });
      expect(run.stdout).toMatch(/--create-reader-role is for a PostgreSQL warehouse/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = await cli(['init', '--db', database.url, '--create-reader-role', 'Robert"; drop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/a role name is lower-case letters/);
  });
});

/**
 * The reader's statements running now. corridor sql reads through a cursor, so the statement
 * the server shows running is its FETCH, not the query's text (the reader runs nothing else
 * long: its other statements are set-up, over in a moment).
 */
const activeQueries = async (): Promise<number> =>
  (
    await owner.query(
      `select count(*)::int as n from pg_stat_activity
        where usename = $1 and state = 'active' and query like 'fetch forward %'`,
      [ROLE],
    )
  ).rows[0].n;

/** Resolves once `check` holds; the server's own state is the event polled. */
async function until(check: () => Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("an analyst's long query", () => {
  it('does not block a write: the insert commits while the query runs, and the query keeps its snapshot', async () => {
    const marker = 'pg_sleep(3)';
    let settled = false;
    const query = cli([
      'sql',
      '--db',
      readerUrl,
      `select (select count(*) from countries) as n, ${marker}`,
      '--format',
      'csv',
    ]).finally(() => {
      settled = true;
    });
    await until(async () => (await activeQueries()) === 1, 'the query to start');

    await owner.query('begin');
    await owner.query(
      "insert into countries (iso3, name, kind) select 'ZZZ', 'Test', kind from countries where iso3 = 'KAZ'",
    );
    await owner.query('commit');

    expect(settled).toBe(false);
    expect(await activeQueries()).toBe(1);
    const run = await query;
    expect(run.code, run.stderr).toBe(0);
    // The query's snapshot was taken before the insert.
    expect(run.stdout.split('\n')[1]).toMatch(/^307,/);
    expect((await owner.query('select count(*)::int as n from countries')).rows[0].n).toBe(308);
    await owner.query("delete from countries where iso3 = 'ZZZ'");
  });

  it('is cancelled on the server at --timeout', async () => {
    const started = performance.now();
    const run = await cli(['sql', '--db', readerUrl, 'select pg_sleep(30)', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The query was stopped at its time limit of 1 s/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await activeQueries()).toBe(0);
  });

  it('ends on the server soon after the corridor process is killed, long before its limit', async () => {
    const child = startCli(['sql', '--db', readerUrl, 'select pg_sleep(60)', '--timeout', '120'], tmpdir());
    await child.whileRunning(
      until(async () => (await activeQueries()) === 1, 'the query to start', 25_000),
      'the query to start',
    );
    child.process.kill('SIGKILL');
    await child.exited;
    // client_connection_check_interval: the server looks at the socket every second.
    await until(async () => (await activeQueries()) === 0, 'the server to end the query', 5_000);
  });
});
