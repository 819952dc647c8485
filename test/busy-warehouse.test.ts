/**
 * Another process holding the warehouse's write lock: the load waits (busy timeout), then fails
 * with a message and exit 1, changing nothing. Lease locks per pipeline come with issue 8.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();

it('fails with a clear message, not an internal error, when another process is writing', async () => {
  const db = join(tmp(), 'w.db');
  expect((await cli(['init', '--db', db])).code).toBe(0);
  const other = new Database(db);
  other.exec('begin immediate');
  try {
    const run = await cli([
      'load',
      join(PROJECT_ROOT, 'sources/comtrade/samples/pak_trade_2019_2023_illustrative.csv'),
      '--source',
      'comtrade',
      '--db',
      db,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the warehouse is busy: another corridor process/);
    expect(run.stderr).not.toMatch(/internal error/);
  } finally {
    other.exec('rollback');
    other.close();
  }
  expect(scalar(db, 'select count(*) from trade_flows')).toBe(0);
}, 20_000);
