/**
 * Issue 21, point 7: connection failures give a clear message and exit code and leave nothing
 * half-written. A server that does not answer is retried with backoff by a nightly run before
 * it fails (exit 1, `database_unreachable`); a database that does not exist and a login the
 * server refuses fail at once (exit 2). A connection dropped in the middle of a load (the
 * backend terminated from an admin session) fails that file, which the server rolls back; the
 * run connects again, takes its lock again and loads the next file.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advisoryKey } from '../../src/db/postgres/advisory-lock.ts';
import { connectionFailure } from '../../src/db/postgres/connect.ts';
import { createPgDatabase, PG_ADMIN_URL, pgUrl } from '../helpers/backends.ts';
import { type CliChild, startCli, stopLeftoverChildren } from '../helpers/cli-child.ts';
import { csvText, ECONOMIES, PLUS_HEADER, plusRow, tradeRow } from '../helpers/comtrade-csv.ts';
import { realSubheadings } from '../helpers/hs-codes.ts';
import { writePipelineProject } from '../helpers/pipeline-project.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let database: Awaited<ReturnType<typeof createPgDatabase>>;
let admin: pg.Client;

beforeAll(async () => {
  // Backoff from 5 ms: the retries are counted, not waited for.
  process.env.CORRIDOR_PG_RETRY_MS = '5';
  database = await createPgDatabase();
  const init = await cli(['init', '--db', database.url]);
  expect(init.code, init.stderr).toBe(0);
  admin = new pg.Client({ connectionString: database.url, application_name: 'connection-test-admin' });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await database?.drop();
  delete process.env.CORRIDOR_PG_RETRY_MS;
});
afterEach(async () => {
  await stopLeftoverChildren();
});

/** A port on this host where nothing listens (taken from the system, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function pipeline(name: string, files: string[]): void {
  writePipelineProject(tmp(), { name, sources: [{ source: 'comtrade', files }] });
}

function smallFile(name: string): string {
  const path = join(tmp(), name);
  writeFileSync(path, csvText(PLUS_HEADER, [plusRow()]));
  return path;
}

const count = async (sql: string, params: unknown[] = []): Promise<number> =>
  Number((await admin.query(sql, params)).rows[0].n);

let bigText: string | null = null;

/**
 * A file big enough that its COPY is still running when the test looks for it, in this test's
 * folder (the text is made once).
 */
function bigFile(): string {
  if (bigText === null) {
    const economies = Object.keys(ECONOMIES).filter((c) => c !== 'W00');
    const codes = realSubheadings('H5', 900);
    const rows = [];
    for (const reporter of economies)
      for (const partner of economies)
        if (partner !== reporter)
          for (const [i, code] of codes.entries())
            rows.push(tradeRow({ reporter, partner, code, usd: 100 + i, year: 2017 }));
    bigText = csvText(PLUS_HEADER, rows);
  }
  const path = join(tmp(), 'big.csv');
  writeFileSync(path, bigText);
  return path;
}

/** Waits for the event: the run's own connection copying rows in. Its server pid. */
async function copyingBackend(child: CliChild, pipelineName: string): Promise<number> {
  let ended = false;
  void child.exited.then(() => {
    ended = true;
  });
  for (;;) {
    const active = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where datname = current_database() and application_name like $1
          and query ilike 'copy %' and state = 'active'`,
      [`corridor run: ${pipelineName} %`],
    );
    if (active.rows[0] !== undefined) return active.rows[0].pid;
    if (ended) throw new Error(`the run ended before its COPY was seen: ${child.stderr()}`);
  }
}

describe('connection failures', () => {
  it('a server that does not answer: retried with backoff, then exit 1, database_unreachable', async () => {
    pipeline('unreachable', [smallFile('u.csv')]);
    const url = `postgres://postgres@127.0.0.1:${await closedPort()}/corridor`;
    const run = await cli(['run', 'unreachable', '--db', url], tmp());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Cannot reach the PostgreSQL server of postgres:\/\/postgres@127\.0\.0\.1:\d+\/corridor: .*ECONNREFUSED/,
    );
    // A nightly run tries 5 more times before it gives up.
    expect(run.stderr.match(/cannot reach the warehouse server .*; attempt \d in \d+ ms/g)).toHaveLength(5);
    const json = await cli(['--json', 'run', 'unreachable', '--db', url], tmp());
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'database_unreachable', exitCode: 1 });
  });

  it('a database that does not exist: exit 2 at once, database_missing', async () => {
    pipeline('missing', [smallFile('m.csv')]);
    const url = pgUrl('corridor_no_such_database');
    const run = await cli(['--json', 'run', 'missing', '--db', url], tmp());
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('database_missing');
    expect(error.message).toMatch(/does not exist.*createdb NAME/);
    // Not retried: waiting cannot create it.
    expect(run.stderr).not.toMatch(/attempt \d/);
  });

  it('a login the server refuses: exit 2, database_login_refused', async () => {
    // The test cluster trusts every login it knows; a role it does not know it refuses (28000).
    const url = new URL(PG_ADMIN_URL);
    url.username = 'corridor_no_such_role';
    const run = await cli(['--json', 'sql', 'select 1', '--db', url.toString()], tmp());
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('database_login_refused');
    expect(error.message).toMatch(/refused the login .*role "corridor_no_such_role" does not exist/);
    // A wrong password (28P01) and pg_hba.conf refusing the host read the same.
    for (const cause of [
      Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' }),
      Object.assign(new Error('no pg_hba.conf entry for host "10.0.0.9"'), { code: '28000' }),
    ])
      expect(connectionFailure(cause, 'postgres://x@db/w')).toMatchObject({
        code: 'database_login_refused',
        exitCode: 2,
      });
  });

  it('a connection dropped mid-load: that file fails and rolls back, the run reconnects and loads the next', async () => {
    const big = bigFile();
    const small = smallFile('after.csv');
    pipeline('dropped', [big, small]);
    const before = await count('select count(*) as n from trade_flow_rows');

    const child = startCli(['run', 'dropped', '--no-derive', '--db', database.url], tmp());
    const backend = await copyingBackend(child, 'dropped');
    await admin.query('select pg_terminate_backend($1)', [backend]);

    expect(await child.exited, child.stderr()).toBe(1);
    const printed = child.stdout() + child.stderr();
    expect(printed).toMatch(
      /big\.csv: The connection to postgres:\/\/postgres@127\.0\.0\.1:5432\/\w+ was lost/,
    );
    expect(printed).toMatch(/rolled back the transaction in flight, so nothing of it was written/);
    const files = (
      await admin.query<{ path: string; status: string; error_code: string | null }>(
        'select path, status, error_code from load_files order by load_id',
      )
    ).rows;
    expect(files).toEqual([
      { path: big, status: 'failed', error_code: 'connection_lost' },
      { path: small, status: 'loaded', error_code: null },
    ]);
    // Nothing of the big file, the small one whole.
    expect(await count('select count(*) as n from trade_flow_rows where year = 2017')).toBe(0);
    expect(await count('select count(*) as n from trade_flow_rows')).toBe(before + 1);
    expect(await count(`select count(*) as n from load_runs where status = 'failed' and exit_code = 1`)).toBe(
      1,
    );
    // The run took its lock again on the new connection, and let it go at the end.
    expect(
      await count(
        `select count(*) as n from pg_locks where locktype = 'advisory' and pid <> pg_backend_pid()
           and database = (select oid from pg_database where datname = current_database())`,
      ),
    ).toBe(0);
  }, 90_000);
  it('a run that cannot take its lock again after the drop stops, saying why, with nothing of the file', async () => {
    pipeline('taken', [bigFile(), smallFile('never.csv')]);
    const before = await count('select count(*) as n from trade_flow_rows');
    const child = startCli(['run', 'taken', '--no-derive', '--db', database.url], tmp());
    const backend = await copyingBackend(child, 'taken');
    // Another session queues for the lock: it gets it the moment the run's session ends.
    const rival = new pg.Client({ connectionString: database.url, application_name: 'rival' });
    await rival.connect();
    try {
      const rivalPid = (await rival.query('select pg_backend_pid() as pid')).rows[0].pid;
      // The pipeline's own lock: the run's connection also holds transaction locks (the fact
      // table's write lock), which are not the one a rival run would queue for.
      const key = advisoryKey('taken').toString();
      expect(
        await count(
          `select count(*) as n from pg_locks where locktype = 'advisory' and granted and pid = $1
             and (classid::bigint << 32 | objid::bigint) = $2::bigint`,
          [backend, key],
        ),
      ).toBe(1);
      const waiting = rival.query('select pg_advisory_lock($1::bigint)', [key]);
      while (
        (await count('select count(*) as n from pg_locks where pid = $1 and not granted', [rivalPid])) === 0
      ) {
        // The event: the rival is in the lock's queue.
      }
      await admin.query('select pg_terminate_backend($1)', [backend]);
      await waiting;

      expect(await child.exited, child.stderr()).toBe(4);
      expect(child.stderr()).toMatch(
        /The connection to postgres:\/\/\S+ was lost while loading \S*big\.csv \(that file loaded nothing\), and the run could not go on: Pipeline "taken" is already running: .* held by "rival"/,
      );
      expect(await count('select count(*) as n from trade_flow_rows')).toBe(before);
      expect(await count(`select count(*) as n from load_files where path like '%never.csv'`)).toBe(0);
    } finally {
      await rival.end();
    }
  }, 90_000);
});
