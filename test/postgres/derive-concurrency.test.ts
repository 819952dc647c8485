/**
 * Two refreshes of one PostgreSQL warehouse at once (a nightly run and an analyst's `corridor
 * derive`): the second waits for the first at its lock and then computes from the first's
 * result, rather than colliding with the rows it wrote; a reader meanwhile sees the tables
 * whole, before or after, never half written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openWarehouse } from '../../src/db/warehouse.ts';
import { refreshIndicators } from '../../src/derive/refresh-indicators.ts';
import { type TestWarehouse, testWarehouse } from '../helpers/backends.ts';
import { csvText, PLUS_HEADER } from '../helpers/comtrade-csv.ts';
import { DERIVE_FIXTURE } from '../helpers/derive-fixture.ts';
import { cli } from '../helpers/run-cli.ts';

let folder = '';
let pg: TestWarehouse;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-derive-concurrency-'));
  pg = await testWarehouse(folder, 'postgres');
  const file = join(folder, 'trade.csv');
  writeFileSync(file, csvText(PLUS_HEADER, DERIVE_FIXTURE));
  const load = await cli(['load', file, '--source', 'comtrade', '--db', pg.db]);
  expect(load.code, load.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await pg?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

it('runs two full refreshes one after the other, and a reader sees whole tables throughout', async () => {
  const rows = await pg.scalar<number>('select count(*) from ind_trade_balance');
  expect(rows).toBeGreaterThan(0);
  const [a, b] = [await openWarehouse(pg.db), await openWarehouse(pg.db)];
  const counts = new Set<number>();
  let done = false;
  try {
    const reading = (async () => {
      while (!done) counts.add(await pg.scalar<number>('select count(*) from ind_trade_balance'));
    })();
    const results = await Promise.allSettled([
      refreshIndicators(a, { full: true }),
      refreshIndicators(b, { full: true }),
    ]);
    done = true;
    await reading;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  } finally {
    await a.close();
    await b.close();
  }
  expect([...counts]).toEqual([rows]);
  const runs = await pg.query<{ status: string }>('select status from derive_runs order by derive_id');
  expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  // Every row is the last refresh's: the one that took the lock second replaced the first's
  // whole. Which of the two that is depends on who reached the lock first, not on their ids.
  const last = await pg.scalar<number>(
    'select derive_id from derive_runs order by finished_at desc, derive_id desc limit 1',
  );
  expect([2, 3]).toContain(last);
  const ids = await pg.query<{ derive_id: number }>('select distinct derive_id from ind_trade_balance');
  expect(ids).toEqual([{ derive_id: last }]);
}, 120_000);
