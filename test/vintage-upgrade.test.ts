/**
 * Upgrade (issue 17): a warehouse made by the previous release (migrations up to 0007) migrates
 * in place. Its current rows become the first vintage, nothing is lost, each loaded file's rows
 * count as inserted, and the next revision is versioned against them.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { expect, it } from 'vitest';
import { openWarehouse } from '../src/db/warehouse.ts';
import { migrations } from '../warehouse/migrations/index.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const HEADER =
  'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,primaryValue';

it('migrates a warehouse of the previous release in place: its rows become the first vintage', async () => {
  const db = join(tmp(), 'old.db');
  const warehouse = await openWarehouse(db);
  try {
    const migrator = new Migrator({
      db: warehouse.db,
      provider: { getMigrations: async () => ({ ...migrations }) },
    });
    expect((await migrator.migrateTo('0007-nightly-operations')).error).toBeUndefined();
    warehouse.sqlite.exec(`
      insert into countries (iso3, name, kind) values ('PAK', 'Pakistan', 'country'), ('KAZ', 'Kazakhstan', 'country');
      insert into load_runs (pipeline, status, started_at, reject_threshold, host, pid, options)
        values ('load', 'succeeded', '2024-01-01T00:00:00Z', 0.05, 'h', 1, '{}');
      insert into load_files (run_id, source, target_table, path, file_name, status, rows_read, rows_loaded, started_at, slices, slices_current)
        values (1, 'comtrade', 'trade_flows', '/old/pak_2023.csv', 'pak_2023.csv', 'loaded', 2, 2, '2024-01-01T00:00:00Z', '[]', 1);
      insert into trade_flow_rows (source, reporter_iso3, partner_iso3, flow, freq, period, year, hs_edition, hs_code, hs_level, value_usd, source_row, load_id)
        values ('comtrade', 'PAK', 'KAZ', 'X', 'A', '2023', 2023, 'HS', 'TOTAL', 0, 100, 2, 1),
               ('comtrade', 'PAK', 'KAZ', 'M', 'A', '2023', 2023, 'HS', 'TOTAL', 0, 70, 3, 1);`);
  } finally {
    await warehouse.close();
  }
  const before = query(db, 'select * from trade_flows order by flow');

  // Any command migrates: a revised extract of one of the two figures.
  const revised = join(tmp(), 'pak_2023_rev.csv');
  writeFileSync(revised, `${HEADER}\nA,2023,586,PAK,X,398,KAZ,TOTAL,101\n`);
  const run = await cli(['load', revised, '--source', 'comtrade', '--db', db, '--no-derive']);

  expect(run.code, run.stderr).toBe(0);
  expect(query(db, "select * from trade_flows where flow = 'M'")).toEqual(
    before.filter((r) => r.flow === 'M'),
  );
  expect(query(db, 'select rows_inserted, rows_changed from load_files order by load_id')).toEqual([
    { rows_inserted: 2, rows_changed: 0 },
    { rows_inserted: 0, rows_changed: 1 },
  ]);
  // The figure the old release held is the first version, closed by the revision.
  expect(
    query(
      db,
      "select value_usd, valid_from_load, valid_to_load from trade_flows_history where flow = 'X' order by valid_from_load",
    ),
  ).toEqual([
    { value_usd: 100, valid_from_load: 1, valid_to_load: 2 },
    { value_usd: 101, valid_from_load: 2, valid_to_load: null },
  ]);
  expect(scalar(db, 'select count(*) from trade_flows')).toBe(2);
});
