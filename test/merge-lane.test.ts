/**
 * The natural-key merge of a file's chunks (src/db/merge-lane.ts) on a real SQLite warehouse:
 * which statements each chunk runs, and that every row is counted once as new, changed,
 * unchanged or a duplicate whichever statement took it. The statements are the real prepared
 * ones; the test only records which of them the lane ran.
 */
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SqliteDatabase, SqliteStatement } from '../src/db/driver.ts';
import { MergeLane, mergeClause } from '../src/db/merge-lane.ts';
import { openWarehouse } from '../src/db/warehouse.ts';
import { BACI_FLOWS } from '../warehouse/fact-tables.ts';
import { migrations } from '../warehouse/migrations/index.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();
const ROWS = 4;

/** One BACI row: its HS code (the key within one reporter, partner and year) and its value. */
type Row = readonly [code: number, value: number];

/** The lane's two statements for `ROWS`-row chunks of load `loadId`, and the order they ran in. */
function statementsOf(sqlite: SqliteDatabase, loadId: number) {
  const tuples = Array.from({ length: ROWS }, () => `(586,2021,398,'H5',?,?,null,?,${loadId})`).join(',');
  const insertSql = `insert into baci_flows (reporter_code,period,partner_code,hs_edition,hs_code,value_usd,net_weight_kg,source_row,load_id) values ${tuples}`;
  const ran: string[] = [];
  const insert = sqlite.prepare(`${insertSql} on conflict do nothing`);
  const merge = sqlite.prepare(`${insertSql} ${mergeClause(BACI_FLOWS, loadId)}`);
  const recorded = {
    insert: { run: (p: unknown[]) => (ran.push('insert'), insert.run(p)) } as unknown as SqliteStatement,
    merge: {
      pluck: () => ({ all: (p: unknown[]) => (ran.push('merge'), merge.pluck().all(p)) }),
    } as unknown as SqliteStatement,
  };
  return { ...recorded, ran };
}

async function withWarehouse(test: (sqlite: SqliteDatabase) => void): Promise<void> {
  const warehouse = await openWarehouse(join(tmp(), 'w.db'));
  try {
    const migrator = new Migrator({
      db: warehouse.db,
      provider: { getMigrations: async () => ({ ...migrations }) },
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    test(warehouse.sqlite);
  } finally {
    await warehouse.close();
  }
}

/** Runs `chunks` through a new lane of load `loadId`; returns each chunk's outcome, the lane and the statements run. */
function load(sqlite: SqliteDatabase, loadId: number, chunks: readonly (readonly Row[])[]) {
  const lane = new MergeLane(sqlite, BACI_FLOWS, loadId);
  const statements = statementsOf(sqlite, loadId);
  let sourceRow = 1;
  const outcomes = chunks.map((chunk) => {
    const params = chunk.flatMap(([code, value]) => [code, value, ++sourceRow]);
    return lane.run(statements.insert, statements.merge, params, ROWS);
  });
  return { outcomes, lane, ran: statements.ran };
}

const stored = (sqlite: SqliteDatabase) =>
  sqlite.prepare('select hs_code, value_usd, load_id from baci_flows order by hs_code').raw().all();

describe('MergeLane', () => {
  it('tries the plain insert until a chunk finds every key known, merges straight away after, and counts every row once', async () => {
    await withWarehouse((sqlite) => {
      // Load 1: keys 1-8.
      const first = load(sqlite, 1, [
        [
          [1, 10],
          [2, 20],
          [3, 30],
          [4, 40],
        ],
        [
          [5, 50],
          [6, 60],
          [7, 70],
          [8, 80],
        ],
      ]);
      expect(first.ran).toEqual(['insert', 'insert']);
      expect(first.lane.outcome(0, 0)).toMatchObject({ inserted: 8, changed: 0, unchanged: 0 });

      const second = load(sqlite, 2, [
        [
          [1, 11],
          [2, 20],
          [3, 30],
          [4, 40],
        ], // all known, 1 changed: the switch to merging
        [
          [5, 50],
          [101, 1],
          [101, 2],
          [6, 60],
        ], // merge only: a new key, repeated in the chunk
        [
          [101, 3],
          [102, 1],
          [103, 1],
          [104, 1],
        ], // an earlier chunk's new key again, three new
        [
          [105, 1],
          [106, 1],
          [107, 1],
          [108, 1],
        ], // all new: back to the plain insert
        [
          [109, 1],
          [110, 1],
          [7, 77],
          [8, 80],
        ], // two new, two known (one changed)
        [
          [111, 1],
          [112, 1],
          [113, 1],
          [114, 1],
        ],
      ]);

      expect(second.ran).toEqual(['insert', 'merge', 'merge', 'merge', 'merge', 'insert', 'merge', 'insert']);
      expect(second.outcomes).toEqual([
        { inserted: 0, merged: 4, duplicates: 0 },
        { inserted: 1, merged: 2, duplicates: 1 },
        { inserted: 3, merged: 0, duplicates: 1 },
        { inserted: 4, merged: 0, duplicates: 0 },
        { inserted: 2, merged: 2, duplicates: 0 },
        { inserted: 4, merged: 0, duplicates: 0 },
      ]);
      const outcome = second.lane.outcome(0, 0);
      expect(outcome).toMatchObject({ inserted: 14, changed: 2, unchanged: 6 });
      expect(outcome.inserted + outcome.changed + outcome.unchanged + 2).toBe(24);
      expect(stored(sqlite)).toEqual([
        [1, 11, 2],
        [2, 20, 1],
        [3, 30, 1],
        [4, 40, 1],
        [5, 50, 1],
        [6, 60, 1],
        [7, 77, 2],
        [8, 80, 1],
        // The first of a repeated key's rows is kept.
        [101, 1, 2],
        ...[102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114].map((code) => [code, 1, 2]),
      ]);
    });
  });
});
