/**
 * The storage layer's own promises (src/db): a location names its backend, a password never
 * reaches a message, `?` parameters are numbered for PostgreSQL outside literals only, and a
 * SQLite-only path asked of a PostgreSQL warehouse fails by name instead of crashing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberPlaceholders } from '../../src/db/postgres/placeholders.ts';
import { openWarehouse, type Warehouse } from '../../src/db/warehouse.ts';
import { redactUrl, targetOf } from '../../src/db/warehouse-target.ts';
import { createPgDatabase } from '../helpers/backends.ts';
import { cli } from '../helpers/run-cli.ts';

let database: Awaited<ReturnType<typeof createPgDatabase>>;
let warehouse: Warehouse;

beforeAll(async () => {
  database = await createPgDatabase();
  warehouse = await openWarehouse(database.url);
});

afterAll(async () => {
  await warehouse?.close();
  await database?.drop();
});

describe('the storage layer', () => {
  it('tells the backend from the location and keeps passwords out of labels', () => {
    expect(targetOf('warehouse/corridor.db', '/srv').backend).toBe('sqlite');
    expect(targetOf('postgresql://u:secret@db:5432/w')).toMatchObject({
      backend: 'postgres',
      label: 'postgresql://u:***@db:5432/w',
    });
    expect(redactUrl('postgres://u:p%40ss@h/d')).toBe('postgres://u:***@h/d');
    expect(() => targetOf('mysql://u:secret@h/d')).toThrow(/mysql databases are not supported/);
    expect(() => targetOf('mysql://u:secret@h/d')).not.toThrow(/secret/);
  });

  it('numbers ? parameters outside string literals, quoted names and comments', () => {
    expect(numberPlaceholders('select ? , \'?\', "a?" -- ?\n, ? /* ? */ , ?')).toBe(
      'select $1 , \'?\', "a?" -- ?\n, $2 /* ? */ , $3',
    );
    expect(numberPlaceholders("select 'it''s ?', ?")).toBe("select 'it''s ?', $1");
  });

  it('runs the same session calls as on SQLite, in and out of transactions', async () => {
    await warehouse.sql.exec('create table t (id bigint primary key, v double precision, s text)');
    expect(
      (await warehouse.sql.run('insert into t values (?, ?, ?), (?, ?, ?)', [1, 0.5, 'a', 2, 1.5, '?']))
        .changes,
    ).toBe(2);
    expect(await warehouse.sql.value('select count(*) from t')).toBe(2);
    expect(await warehouse.sql.get('select id, v, s from t where s = ?', ['?'])).toEqual({
      id: 2,
      v: 1.5,
      s: '?',
    });
    await expect(
      warehouse.sql.transaction(async () => {
        await warehouse.sql.run('insert into t values (?, ?, ?)', [3, 2.5, 'c']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(warehouse.sql.inTransaction).toBe(false);
    expect(await warehouse.sql.value('select count(*) from t')).toBe(2);
  });

  it('refuses a dry run on a database Corridor has not initialised, writing nothing', async () => {
    const empty = await createPgDatabase();
    try {
      const run = await cli(['load', 'none.csv', '--source', 'comtrade', '--dry-run', '--db', empty.url]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /--dry-run writes nothing, and .* is not initialised .*Run "corridor init --db/,
      );
      const json = await cli([
        '--json',
        'load',
        'none.csv',
        '--source',
        'comtrade',
        '--dry-run',
        '--db',
        empty.url,
      ]);
      expect(JSON.parse(json.stdout).error.code).toBe('warehouse_not_initialised');
      const probe = await openWarehouse(empty.url);
      try {
        expect(
          await probe.sql.value(
            "select count(*) from information_schema.tables where table_schema = 'public'",
          ),
        ).toBe(0);
      } finally {
        await probe.close();
      }
    } finally {
      await empty.drop();
    }
  });

  it('refuses a SQLite-only path on PostgreSQL by name', () => {
    expect(() => warehouse.sqlite).toThrow(expect.objectContaining({ code: 'unsupported_on_postgres' }));
  });
});
