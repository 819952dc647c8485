/**
 * Issue 21, points 3 and 7 on PostgreSQL, with real processes: a reader polling during a load
 * sees only whole files (each file commits in one transaction), and a load killed with SIGKILL
 * in the middle of its COPY leaves the warehouse as it was (the server rolls back the
 * transaction of a connection that vanished), after which the same file loads in full.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from '../helpers/backends.ts';
import { startCli, stopLeftoverChildren } from '../helpers/cli-child.ts';
import { csvText, ECONOMIES, PLUS_HEADER, tradeRow } from '../helpers/comtrade-csv.ts';
import { realSubheadings } from '../helpers/hs-codes.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let database: Awaited<ReturnType<typeof createPgDatabase>>;
let reader: pg.Client;

beforeAll(async () => {
  database = await createPgDatabase();
  const init = await cli(['init', '--db', database.url]);
  expect(init.code, init.stderr).toBe(0);
  reader = new pg.Client({ connectionString: database.url });
  await reader.connect();
});

afterAll(async () => {
  await stopLeftoverChildren();
  await reader?.end();
  await database?.drop();
});

const COUNTRIES = Object.keys(ECONOMIES).filter((c) => c !== 'W00');

/** A Comtrade file of every reporter × partner pair over `codes` in `year`: distinct keys. */
function writeTradeFile(
  name: string,
  year: number,
  codes: readonly string[],
): { path: string; rows: number } {
  const rows = [];
  for (const reporter of COUNTRIES)
    for (const partner of COUNTRIES)
      if (partner !== reporter)
        for (const [i, code] of codes.entries())
          rows.push(tradeRow({ reporter, partner, code, usd: 1000 + i, year }));
  const path = join(tmp(), name);
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return { path, rows: rows.length };
}

const count = async (sql: string): Promise<number> => Number((await reader.query(sql)).rows[0].n);

describe('PostgreSQL loads, seen from outside', () => {
  it('a reader polling during a load sees only whole files', async () => {
    const codes = realSubheadings('H5', 150);
    const a = writeTradeFile('a.csv', 2019, codes);
    const b = writeTradeFile('b.csv', 2020, codes);
    const before = await count('select count(*) as n from trade_flows');
    const child = startCli(
      ['load', a.path, b.path, '--source', 'comtrade', '--no-derive', '--db', database.url],
      tmp(),
    );
    const seen = new Set<number>();
    let done = false;
    void child.exited.then(() => {
      done = true;
    });
    // Poll until the load ends: each answer is a committed state of the warehouse.
    while (!done) seen.add(await count('select count(*) as n from trade_flows'));
    expect(await child.exited, child.stderr()).toBe(0);
    seen.add(await count('select count(*) as n from trade_flows'));
    const whole = new Set([before, before + a.rows, before + a.rows + b.rows]);
    for (const n of seen) expect(whole, `saw ${n} rows`).toContain(n);
    expect(seen).toContain(before + a.rows + b.rows);
  });

  it('a load killed in the middle of its COPY leaves the warehouse as it was, and loads in full again', async () => {
    const big = writeTradeFile('big.csv', 2018, realSubheadings('H5', 1500));
    const rowsBefore = await count('select count(*) as n from trade_flows');
    const historyBefore = await count('select count(*) as n from trade_flows_history');
    const child = startCli(
      ['load', big.path, '--source', 'comtrade', '--no-derive', '--db', database.url],
      tmp(),
    );
    let ended = false;
    void child.exited.then(() => {
      ended = true;
    });
    // Wait for the event: the load's connection is copying rows in.
    let copying = false;
    while (!copying) {
      const active = await reader.query(
        "select pid from pg_stat_activity where datname = current_database() and query ilike 'copy %' and pid <> pg_backend_pid()",
      );
      copying = active.rows.length > 0;
      if (!copying && ended) throw new Error(`the load ended before its COPY was seen: ${child.stderr()}`);
    }
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe(137);
    // The server notices the vanished client and rolls its transaction back.
    while (
      (await count(
        "select count(*) as n from pg_stat_activity where datname = current_database() and query ilike 'copy %' and pid <> pg_backend_pid()",
      )) > 0
    ) {
      await reader.query('select pg_sleep(0.05)');
    }
    expect(await count('select count(*) as n from trade_flows')).toBe(rowsBefore);
    expect(await count('select count(*) as n from trade_flows_history')).toBe(historyBefore);
    expect(
      await count("select count(*) as n from load_files where status = 'loaded' and path like '%big.csv'"),
    ).toBe(0);

    const again = await cli(
      ['load', big.path, '--source', 'comtrade', '--no-derive', '--db', database.url],
      tmp(),
    );
    expect(again.code, again.stderr).toBe(0);
    expect(await count('select count(*) as n from trade_flows')).toBe(rowsBefore + big.rows);
  });
});
