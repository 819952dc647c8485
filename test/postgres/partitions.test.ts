/**
 * Issue 21, point 4: on PostgreSQL the tables behind `trade_flows` and their history are
 * partitioned by year, with a DEFAULT partition so that no row is ever refused, the indexes
 * analysts need, and yearly partitions the load adds before a file's rows arrive
 * (src/db/postgres/partitions.ts), moving any rows of the year out of DEFAULT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureYearPartitions, yearPartitions } from '../../src/db/postgres/partitions.ts';
import { openWarehouse, type Warehouse } from '../../src/db/warehouse.ts';
import { prepareWarehouse } from '../../src/load/prepare-warehouse.ts';
import { conflictTarget, FACT_TABLES, TRADE_FLOW_ROWS } from '../../warehouse/fact-tables.ts';
import { createPgDatabase } from '../helpers/backends.ts';

let database: Awaited<ReturnType<typeof createPgDatabase>>;
let pg: Warehouse;

beforeAll(async () => {
  database = await createPgDatabase('corridor_partitions');
  pg = await openWarehouse(database.url);
  await prepareWarehouse(pg);
}, 120_000);

afterAll(async () => {
  await pg?.close();
  await database?.drop();
});

const TRADE_ROW = `insert into trade_flow_rows (source, reporter_iso3, partner_iso3, flow, freq, period, year,
  hs_edition, hs_code, hs_level, value_usd, source_row, load_id)
  values ('comtrade', 'KAZ', 'CHN', 'X', 'A', ?, ?, 'H6', '010121', 6, ?, 1, ?)`;

describe('yearly partitions on PostgreSQL', () => {
  it('partitions trade_flow_rows, baci_flows and their history by year, with a DEFAULT partition and the analysts indexes', async () => {
    const partitioned = await pg.sql.all<{ name: string; key: string }>(
      `select c.relname as name, pg_get_partkeydef(c.oid) as key from pg_partitioned_table p
       join pg_class c on c.oid = p.partrelid order by c.relname`,
    );
    expect(partitioned).toEqual([
      { name: 'baci_flows', key: 'RANGE (period)' },
      { name: 'baci_flows_closed', key: 'RANGE (period)' },
      { name: 'trade_flow_rows', key: 'RANGE (year)' },
      { name: 'trade_flow_rows_closed', key: 'RANGE (year)' },
    ]);
    for (const table of FACT_TABLES.filter((t) => t.partitionColumn !== undefined)) {
      expect(FACT_TABLES.map((t) => t.name)).toContain(table.name);
      const bounds = (await yearPartitions(pg, table.name)).map((p) => p.bound);
      expect(bounds, table.name).toContain('DEFAULT');
    }
    const indexes = await pg.sql.all<{ indexdef: string }>(
      "select indexdef from pg_indexes where tablename in ('trade_flow_rows', 'baci_flows') order by indexname",
    );
    const defs = indexes.map((i) => i.indexdef.replace(/^.* USING btree /, '')).sort();
    expect(defs).toEqual(
      [
        '(hs_code, period)',
        '(hs_code, period)',
        '(partner_code, period)',
        '(partner_iso3, period)',
        '(reporter_code, period, partner_code, hs_edition, hs_code)',
        '(reporter_iso3, period)',
        `(${conflictTarget(TRADE_FLOW_ROWS, 'postgres').join(', ')})`,
      ].sort(),
    );
  });

  it('takes a row of a year without a partition into DEFAULT, then moves it into the year when its partition is made', async () => {
    await pg.sql.run(TRADE_ROW, ['2031', 2031, 7, 5]);
    await pg.sql.run(
      `insert into baci_flows (reporter_code, period, partner_code, hs_edition, hs_code, value_usd, source_row, load_id)
       values (398, 2031, 156, 'H6', 10121, 9, 1, 5)`,
    );
    expect(await pg.sql.value('select count(*) from trade_flow_rows_default where year = 2031')).toBe(1);

    const { created } = await ensureYearPartitions(pg, 'trade_flow_rows', [2031, 2032]);
    expect(created.sort()).toEqual([
      'trade_flow_rows_closed_y2031',
      'trade_flow_rows_closed_y2032',
      'trade_flow_rows_y2031',
      'trade_flow_rows_y2032',
    ]);
    expect(await pg.sql.value('select count(*) from trade_flow_rows_default where year = 2031')).toBe(0);
    expect(await pg.sql.value('select count(*) from trade_flow_rows_y2031')).toBe(1);
    // Made again: nothing to do.
    expect((await ensureYearPartitions(pg, 'trade_flow_rows', [2031])).created).toEqual([]);
    await ensureYearPartitions(pg, 'baci_flows', [2031]);
    expect(await pg.sql.value('select count(*) from baci_flows_y2031')).toBe(1);
    expect(await pg.sql.value('select count(*) from baci_flows_default')).toBe(0);

    // The moved row is still the current version: the merge's conflict target finds it, and
    // the trigger closes it into the year's partition of the history.
    const target = conflictTarget(TRADE_FLOW_ROWS, 'postgres').join(', ');
    await pg.sql.run(`${TRADE_ROW} on conflict (${target}) do update set load_id = excluded.load_id`, [
      '2031',
      2031,
      7,
      6,
    ]);
    expect(await pg.sql.value("select count(*) from trade_flow_rows where period = '2031'")).toBe(1);
    expect(await pg.sql.all('select load_id, valid_to_load from trade_flow_rows_closed_y2031')).toEqual([
      { load_id: 5, valid_to_load: 6 },
    ]);
    // trade_flows shows both, BACI's through its view with the six-digit code.
    await pg.sql.run("insert into baci_country_codes (code, iso3) values (398, 'KAZ'), (156, 'CHN')");
    expect(
      await pg.sql.all(
        "select source, reporter_iso3, hs_code, value_usd from trade_flows where period = '2031' order by source",
      ),
    ).toEqual([
      { source: 'baci', reporter_iso3: 'KAZ', hs_code: '010121', value_usd: 9 },
      { source: 'comtrade', reporter_iso3: 'KAZ', hs_code: '010121', value_usd: 7 },
    ]);
  });

  it('leaves a year to DEFAULT rather than wait on an analyst who holds the table, and makes it next time', async () => {
    const analyst = await openWarehouse(database.url, { readonly: true });
    try {
      await analyst.sql.begin();
      await analyst.sql.value('select count(*) from trade_flows');
      await pg.sql.run(TRADE_ROW, ['2040', 2040, 1, 7]);
      expect(await ensureYearPartitions(pg, 'trade_flow_rows', [2040])).toEqual({
        created: [],
        deferred: [2040],
      });
      expect(await pg.sql.value('select count(*) from trade_flow_rows_default where year = 2040')).toBe(1);
      await analyst.sql.rollback();
    } finally {
      await analyst.close();
    }
    const { created } = await ensureYearPartitions(pg, 'trade_flow_rows', [2040]);
    expect(created).toEqual(['trade_flow_rows_y2040', 'trade_flow_rows_closed_y2040']);
    expect(await pg.sql.value('select count(*) from trade_flow_rows_y2040')).toBe(1);
  });

  it('is a no-op on SQLite, which has no partitions', async () => {
    const sqlite = await openWarehouse(':memory:');
    try {
      expect(await ensureYearPartitions(sqlite, 'trade_flow_rows', [2031])).toEqual({
        created: [],
        deferred: [],
      });
    } finally {
      await sqlite.close();
    }
  });

  it('names the tables it can partition when asked for another', async () => {
    await expect(ensureYearPartitions(pg, 'port_throughput_rows', [2031])).rejects.toThrow(
      /port_throughput_rows is not partitioned by year; the partitioned tables are trade_flow_rows and trade_flow_rows_closed, baci_flows and baci_flows_closed/,
    );
  });
});
