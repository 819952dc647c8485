/**
 * Issue 21, point 6: `corridor copy` moves a whole warehouse between backends. A SQLite
 * warehouse built with the CLI (two vintages of a Comtrade file, so the journal, closed
 * versions and derived indicator tables all hold rows) is copied to PostgreSQL and back to a
 * new SQLite file; every table is compared row by row each way. A target that already holds a
 * warehouse is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from '../helpers/backends.ts';
import { csvText, PLUS_HEADER, tradeRow } from '../helpers/comtrade-csv.ts';
import { realSubheadings } from '../helpers/hs-codes.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let database: Awaited<ReturnType<typeof createPgDatabase>>;

beforeAll(async () => {
  database = await createPgDatabase();
});
afterAll(async () => {
  await database?.drop();
});

type Row = Record<string, unknown>;

/** Every table of a SQLite warehouse but kysely's and SQLite's own bookkeeping. */
function sqliteTables(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db
        .prepare(
          `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_migration%' order by name`,
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
  } finally {
    db.close();
  }
}

/** A table's rows with columns in name order, sorted on every column: comparable whatever the backend. */
function canonical(rows: Row[]): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k]]),
      ),
    )
    .sort();
}

function sqliteRows(path: string, table: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return canonical(db.prepare(`select * from "${table}"`).all() as Row[]);
  } finally {
    db.close();
  }
}

async function pgRows(client: pg.Client, table: string): Promise<string[]> {
  const result = await client.query(`select * from "${table}"`);
  // bigint and numeric come back as text from pg; Corridor reads them as numbers, as SQLite gives them.
  const numeric = result.fields
    .filter((f) => f.dataTypeID === 20 || f.dataTypeID === 1700)
    .map((f) => f.name);
  for (const row of result.rows)
    for (const name of numeric) if (row[name] !== null) row[name] = Number(row[name]);
  return canonical(result.rows);
}

/** A Comtrade file of PAK's exports to two partners; `bump` changes some values (a revision). */
function comtradeFile(name: string, bump: number): string {
  const codes = realSubheadings('H5', 40);
  const rows = [];
  for (const partner of ['KAZ', 'CHN'])
    for (const [i, code] of codes.entries())
      rows.push(tradeRow({ partner, code, usd: 1000 + i + (i % 3 === 0 ? bump : 0), kg: 10 + i }));
  const path = join(tmp(), name);
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return path;
}

describe('corridor copy', () => {
  it('moves a SQLite warehouse to PostgreSQL and back, every table equal row for row', async () => {
    const original = join(tmp(), 'original.db');
    expect((await cli(['init', '--db', original])).code).toBe(0);
    for (const [file, bump] of [
      ['first.csv', 0],
      ['revised.csv', 250],
    ] as const) {
      const load = await cli(
        ['load', comtradeFile(file, bump), '--source', 'comtrade', '--db', original],
        tmp(),
      );
      expect(load.code, load.stderr).toBe(0);
    }
    const tables = sqliteTables(original);
    // What makes the copy worth checking: the journal, closed versions and indicators hold rows.
    for (const table of [
      'load_files',
      'trade_flow_rows',
      'trade_flow_rows_closed',
      'ind_trade_sums',
      'countries',
    ])
      expect(sqliteRows(original, table).length, table).toBeGreaterThan(0);

    const there = await cli(['--json', 'copy', '--from', original, '--to', database.url], tmp());
    expect(there.code, there.stderr).toBe(0);
    const summary = JSON.parse(there.stdout);
    expect(summary.tables.map((t: { name: string }) => t.name).sort()).toEqual(tables);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const table of tables)
        expect(await pgRows(client, table), table).toEqual(sqliteRows(original, table));
      // Ids go on after the copied ones: the next load gets the next load_id.
      const next = await client.query(
        `select nextval(pg_get_serial_sequence('load_files', 'load_id')) as next, (select max(load_id) from load_files) as max`,
      );
      expect(Number(next.rows[0].next)).toBe(Number(next.rows[0].max) + 1);
    } finally {
      await client.end();
    }

    const back = join(tmp(), 'back.db');
    const returned = await cli(['copy', '--from', database.url, '--to', back], tmp());
    expect(returned.code, returned.stderr).toBe(0);
    expect(returned.stdout).toMatch(/^Copied postgres:\/\/.* to .*back\.db: \d+ tables, \d+ rows, in /);
    expect(sqliteTables(back)).toEqual(tables);
    for (const table of tables) expect(sqliteRows(back, table), table).toEqual(sqliteRows(original, table));

    // The copy is a warehouse like any other: a further load goes on from it.
    const more = await cli(
      ['load', comtradeFile('third.csv', 500), '--source', 'comtrade', '--db', database.url],
      tmp(),
    );
    expect(more.code, more.stderr).toBe(0);
  }, 180_000);

  it('copies as a role that is not a superuser (its own triggers disabled for the copy), and leaves them on', async () => {
    // A role of this test alone (roles are the cluster's), owning a database of its own.
    const role = `corridor_owner_${process.pid}`;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const owned = await createPgDatabase();
    try {
      await admin.query(`create role ${role} login`);
      await admin.query(`alter database ${owned.name} owner to ${role}`);
      const url = new URL(owned.url);
      url.username = role;
      const source = join(tmp(), 'by-owner.db');
      expect(
        (await cli(['load', comtradeFile('o.csv', 0), '--source', 'comtrade', '--db', source], tmp())).code,
      ).toBe(0);
      const copied = await cli(['copy', '--from', source, '--to', url.toString()], tmp());
      expect(copied.code, copied.stderr).toBe(0);
      const check = new pg.Client({ connectionString: owned.url });
      await check.connect();
      try {
        expect(await pgRows(check, 'trade_flow_rows')).toEqual(sqliteRows(source, 'trade_flow_rows'));
        const off = await check.query(
          `select tgname from pg_trigger where not tgisinternal and tgenabled <> 'O'`,
        );
        expect(off.rows).toEqual([]);
      } finally {
        await check.end();
      }
    } finally {
      await owned.drop();
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  }, 120_000);

  it('refuses a target that already holds a warehouse, and copies nothing', async () => {
    const source = join(tmp(), 'source.db');
    expect(
      (await cli(['load', comtradeFile('s.csv', 0), '--source', 'comtrade', '--db', source], tmp())).code,
    ).toBe(0);
    const target = join(tmp(), 'target.db');
    expect(
      (await cli(['load', comtradeFile('t.csv', 7), '--source', 'comtrade', '--db', target], tmp())).code,
    ).toBe(0);
    const before = sqliteRows(target, 'trade_flow_rows');
    const refused = await cli(['--json', 'copy', '--from', source, '--to', target], tmp());
    expect(refused.code).toBe(2);
    const { error } = JSON.parse(refused.stdout);
    expect(error.code).toBe('copy_target_not_empty');
    expect(error.message).toMatch(/already holds a warehouse .* nothing was copied/);
    expect(sqliteRows(target, 'trade_flow_rows')).toEqual(before);

    const usage = await cli(['copy', '--from', source], tmp());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/needs --from .* and --to/);
  });
});
