/**
 * Issue 21, point 3: on PostgreSQL a run holds its pipeline's lock as a session-level advisory
 * lock on the warehouse's connection, keyed by a stable hash of the pipeline name. Another
 * session holding it (a psql, another corridor process) makes `corridor run` exit 4 and name
 * the holder; released, or gone with its connection, it lets the next run through.
 */
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPgDatabase } from '../helpers/backends.ts';
import { startCli, stopLeftoverChildren } from '../helpers/cli-child.ts';
import { csvText, PLUS_HEADER, plusRow } from '../helpers/comtrade-csv.ts';
import { createGate, type FlakyServer, startFlakyServer } from '../helpers/flaky-http-server.ts';
import { writePipelineProject } from '../helpers/pipeline-project.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let database: Awaited<ReturnType<typeof createPgDatabase>>;
let admin: pg.Client;
let server: FlakyServer;

/** The key as documented (docs/postgresql.md): the first 8 bytes of SHA-256, signed. */
const keyOf = (pipeline: string): string =>
  createHash('sha256').update(`corridor:pipeline:${pipeline}`).digest().readBigInt64BE(0).toString();

async function session(applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url, application_name: applicationName });
  // A session ended by --force reports it here; the test looks at the lock, not at this client.
  client.on('error', () => {});
  await client.connect();
  return client;
}

const loadedRows = async () =>
  Number((await admin.query('select count(*) as n from trade_flow_rows')).rows[0].n);
const runs = async () =>
  (await admin.query<{ status: string }>('select status from load_runs order by run_id')).rows.map(
    (r) => r.status,
  );

beforeAll(async () => {
  database = await createPgDatabase();
  const init = await cli(['init', '--db', database.url]);
  expect(init.code, init.stderr).toBe(0);
  admin = await session('lock-test-admin');
});
afterAll(async () => {
  await admin?.end();
  await database?.drop();
});
beforeEach(async () => {
  server = await startFlakyServer();
});
afterEach(async () => {
  await stopLeftoverChildren();
  await server.close();
});

function localPipeline(name: string): void {
  const file = join(tmp(), `${name}.csv`);
  writeFileSync(file, csvText(PLUS_HEADER, [plusRow()]));
  writePipelineProject(tmp(), { name, sources: [{ source: 'comtrade', files: [file] }] });
}

describe('the advisory lock of a pipeline on PostgreSQL', () => {
  it('a session holding it makes corridor run exit 4, naming it; released, the run goes through', async () => {
    localPipeline('nightly');
    const holder = await session('analyst psql');
    try {
      expect(
        (await holder.query('select pg_try_advisory_lock($1::bigint) as ok', [keyOf('nightly')])).rows[0].ok,
      ).toBe(true);
      const refused = await cli(['run', 'nightly', '--db', database.url], tmp());
      expect(refused.code).toBe(4);
      const pid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid;
      expect(refused.stderr).toMatch(
        new RegExp(
          `Pipeline "nightly" is already running: its lock \\(a PostgreSQL advisory lock\\) is held by "analyst psql" \\(server pid ${pid}, user postgres, `,
        ),
      );
      expect(refused.stderr).toMatch(/Nothing was done\. .*--force/);
      expect(await runs()).toEqual([]);

      await holder.query('select pg_advisory_unlock($1::bigint)', [keyOf('nightly')]);
      const through = await cli(['run', 'nightly', '--db', database.url], tmp());
      expect(through.code, through.stderr).toBe(0);
      expect(await loadedRows()).toBe(1);
      // Released at the end: the holder takes it again at once.
      expect(
        (await holder.query('select pg_try_advisory_lock($1::bigint) as ok', [keyOf('nightly')])).rows[0].ok,
      ).toBe(true);
      await holder.query('select pg_advisory_unlock_all()');
    } finally {
      await holder.end();
    }
  });

  it('a corridor process holds it while it runs; killed, its connection takes the lock with it', async () => {
    const download = createGate();
    const body = csvText(PLUS_HEADER, [plusRow()]);
    server.route('/slow.csv', [{ body, until: download.opened }, { body }]);
    writePipelineProject(tmp(), {
      name: 'slow',
      sources: [{ source: 'comtrade', files: [server.url('/slow.csv')] }],
      fetch: { timeoutSeconds: 60, retries: 0 },
    });
    const first = startCli(['run', 'slow', '--db', database.url], tmp());
    // It asks for its file under the lock.
    await first.whileRunning(server.requestArrived('/slow.csv'), 'asking for its file');
    const held = await admin.query<{ application_name: string }>(
      `select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted
          and (l.classid::bigint << 32 | l.objid::bigint) = $1::bigint`,
      [keyOf('slow')],
    );
    expect(held.rows.map((r) => r.application_name)).toEqual([
      expect.stringMatching(new RegExp(`^corridor run: slow \\(pid ${first.process.pid} on `)),
    ]);

    const second = await cli(['run', 'slow', '--db', database.url], tmp());
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(
      new RegExp(`is held by "corridor run: slow \\(pid ${first.process.pid} on `),
    );
    // corridor status names the holder too.
    const status = await cli(['status', '--db', database.url], tmp());
    expect(status.stdout).toMatch(
      new RegExp(
        `lock +held by corridor run \\(pid ${first.process.pid} on .*\\), connected since .*; a PostgreSQL advisory lock`,
      ),
    );

    first.process.kill('SIGKILL');
    expect(await first.exited).toBe(137);
    // The server frees a dead session's locks: waiting for the lock (not polling) says when.
    await admin.query(`set lock_timeout = '20s'`);
    await admin.query('select pg_advisory_lock($1::bigint)', [keyOf('slow')]);
    await admin.query('select pg_advisory_unlock($1::bigint)', [keyOf('slow')]);
    download.open();
    const next = await cli(['run', 'slow', '--db', database.url], tmp());
    expect(next.code, next.stderr).toBe(0);
    // Its download landed in the project folder (a server's warehouse has no folder of its own).
    expect(readdirSync(join(tmp(), 'warehouse', 'landing'))).toHaveLength(1);
  }, 90_000);

  it('--force ends the holding session and takes the lock', async () => {
    localPipeline('forced');
    const holder = await session('stuck tool');
    const pid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid;
    await holder.query('select pg_advisory_lock($1::bigint)', [keyOf('forced')]);
    const ended = new Promise<void>((resolve) => holder.once('end', () => resolve()));
    const forced = await cli(['run', 'forced', '--force', '--db', database.url], tmp());
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(
      new RegExp(`took the lock of "forced" over from "stuck tool" \\(server pid ${pid}, `),
    );
    await ended;
  });
});
