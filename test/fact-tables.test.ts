/**
 * The fact tables' storage contract (src/db/fact-tables.ts) against a migrated warehouse: the
 * declared natural key is the table's unique key, the declared columns are its columns, and the
 * closed-version table holds the same columns plus how each version closed.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROW_COLUMNS } from '../src/load/trade-flow-values.ts';
import { FACT_TABLES, TRADE_FLOW_ROWS } from '../warehouse/fact-tables.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();

it('declares for each fact table the key, columns and closed table the migrations create', async () => {
  const db = join(tmp(), 'w.db');
  expect((await cli(['init', '--db', db])).code).toBe(0);
  for (const table of FACT_TABLES) {
    const columns = query<{ name: string }>(db, `select name from pragma_table_info('${table.name}')`).map(
      (c) => c.name,
    );
    expect(columns, table.name).toEqual([...table.columns, 'seen_load', 'seen_row']);
    const closed = query<{ name: string }>(db, `select name from pragma_table_info('${table.closed}')`).map(
      (c) => c.name,
    );
    expect(closed, table.closed).toEqual([...table.columns, 'valid_to_load', 'closed_by']);
    for (const c of [...table.values, ...Object.values(table.scopeDimensions)]) expect(columns).toContain(c);
    const uniqueKeys = query<{ name: string; origin: string }>(
      db,
      `select name, origin from pragma_index_list('${table.name}') where "unique" = 1`,
    ).map((index) =>
      query<{ name: string }>(db, `select name from pragma_index_info('${index.name}') order by seqno`).map(
        (c) => c.name,
      ),
    );
    expect(uniqueKeys, table.name).toContainEqual([...table.key]);
  }
});

it('fills trade_flow_rows from the same column list the map stage packs rows in', () => {
  expect([...ROW_COLUMNS]).toEqual(TRADE_FLOW_ROWS.columns.filter((c) => c !== 'source' && c !== 'load_id'));
});
