import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { QueryRefusedError } from '../../src/errors.ts';
import { ReadOnlyQuery, refuseWrites } from '../../src/query/read-only-query.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const refusal = (sql: string): QueryRefusedError => {
  try {
    refuseWrites(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(QueryRefusedError);
    return error as QueryRefusedError;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to be refused`);
};

describe('refuseWrites', () => {
  it.each([
    "ATTACH DATABASE '/tmp/other.db' AS other",
    "attach '/tmp/other.db' as other",
    'DETACH other',
    'VACUUM',
    'vacuum main',
    "VACUUM INTO '/tmp/copy.db'",
  ])('refuses %s, which changes the connection rather than the file', (sql) => {
    const error = refusal(sql);
    expect(error.code).toBe('query_refused');
    expect(error.message).toMatch(/read-only/);
    expect(error.message).toContain(/^\s*(\w+)/.exec(sql)![1]!.toUpperCase());
  });

  it.each([
    'PRAGMA user_version = 7',
    'PRAGMA user_version(7)',
    'pragma journal_mode=DELETE',
    'PRAGMA main.journal_mode = MEMORY',
    'PRAGMA query_only = OFF',
    'PRAGMA writable_schema = ON',
  ])('refuses the writing PRAGMA %s', (sql) => {
    expect(refusal(sql).message).toMatch(/PRAGMA \w+ with a value/);
  });

  it.each(['PRAGMA wal_checkpoint', 'PRAGMA optimize', 'PRAGMA shrink_memory', 'PRAGMA foreign_keys'])(
    'refuses %s, which is not on the list of reading PRAGMAs',
    (sql) => {
      expect(refusal(sql).message).toMatch(/PRAGMA/);
    },
  );

  it.each([
    'SELECT * FROM trade_flows',
    "select partner_iso3, sum(value_usd) from trade_flows where reporter_iso3 = 'PAK' group by 1",
    'WITH t AS (SELECT 1 AS n) SELECT n FROM t',
    'EXPLAIN QUERY PLAN SELECT * FROM trade_flows',
    "SELECT 'ATTACH' AS word",
    'select 1 -- then ATTACH nothing',
    'PRAGMA table_info(trade_flows)',
    'pragma table_info("trade_flows")',
    'PRAGMA main.index_list(trade_flows)',
    'PRAGMA foreign_key_list(trade_flows)',
    'PRAGMA user_version',
    'PRAGMA journal_mode',
    'PRAGMA integrity_check',
    'PRAGMA compile_options',
  ])('allows %s', (sql) => {
    expect(() => refuseWrites(sql)).not.toThrow();
  });

  it.each([
    "/* harmless */ ATTACH '/tmp/other.db' AS other",
    "-- a comment\nATTACH '/tmp/other.db' AS other",
    "  /* one */ -- two\n /* three\n spanning lines */ attach '/tmp/other.db' as other",
    '/* x */ VACUUM',
    '-- x\n  PRAGMA user_version = 1',
    '\n\t DETACH other',
  ])('cannot be dodged with comments or space before the statement: %j', (sql) => {
    expect(() => refuseWrites(sql)).toThrow(QueryRefusedError);
  });

  it('cannot be dodged by a "--" inside a block comment', () => {
    expect(() => refuseWrites("/* -- */ ATTACH '/tmp/other.db' AS other")).toThrow(QueryRefusedError);
    expect(() => refuseWrites('/* -- */ PRAGMA user_version = 1')).toThrow(QueryRefusedError);
  });

  it('cannot be dodged by an empty statement before it', () => {
    expect(() => refuseWrites("; ATTACH '/tmp/other.db' AS other")).toThrow(QueryRefusedError);
  });
});

describe('ReadOnlyQuery', () => {
  const tempDir = useTempDir();

  const warehouseWithOneRow = (): string => {
    const path = join(tempDir(), 'w.db');
    const db = new Database(path);
    db.exec(
      "CREATE TABLE trade_flows (reporter_iso3 TEXT, value_usd REAL); INSERT INTO trade_flows VALUES ('PAK', 1.5)",
    );
    db.close();
    return path;
  };

  it('runs a SELECT and streams its rows', () => {
    const query = new ReadOnlyQuery(warehouseWithOneRow());
    try {
      const result = query.run('SELECT reporter_iso3, value_usd FROM trade_flows');
      expect(result.columns).toEqual(['reporter_iso3', 'value_usd']);
      expect([...result.rows]).toEqual([['PAK', 1.5]]);
    } finally {
      query.close();
    }
  });

  it.each([
    "INSERT INTO trade_flows VALUES ('KAZ', 2)",
    "UPDATE trade_flows SET value_usd = 0 WHERE reporter_iso3 = 'PAK'",
    'DELETE FROM trade_flows',
    'DROP TABLE trade_flows',
    'CREATE TABLE t (a)',
  ])('refuses %s, which would write to the warehouse', (sql) => {
    const path = warehouseWithOneRow();
    const query = new ReadOnlyQuery(path);
    try {
      expect(() => query.run(sql)).toThrow(QueryRefusedError);
      expect(() => query.run(sql)).toThrow(/read-only/);
    } finally {
      query.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM trade_flows').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses two statements at once, with a hint', () => {
    const query = new ReadOnlyQuery(warehouseWithOneRow());
    try {
      expect(() => query.run('SELECT 1; SELECT 2')).toThrow(/one statement at a time/);
    } finally {
      query.close();
    }
  });

  it('refuses an ATTACH hidden behind "/* -- */"', () => {
    const path = warehouseWithOneRow();
    const query = new ReadOnlyQuery(path);
    try {
      expect(() => query.run(`/* -- */ ATTACH '${path}' AS other`)).toThrow(QueryRefusedError);
    } finally {
      query.close();
    }
  });
});
