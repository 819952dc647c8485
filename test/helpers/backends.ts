/**
 * The backends a contract test runs against. `npm test` runs the contract suite (test/contract/)
 * on SQLite; `npm run test:pg` runs it again on PostgreSQL with CORRIDOR_TEST_BACKEND=postgres,
 * plus the PostgreSQL-only tests (test/postgres/). Each test file gets a database of its own on
 * the server, dropped when the file is done, so files run in parallel without seeing each other.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export type BackendName = 'sqlite' | 'postgres';

/** The server the PostgreSQL tests use: CORRIDOR_TEST_PG, else the local cluster's `test` database. */
export const PG_ADMIN_URL = process.env.CORRIDOR_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export const backendUnderTest = (): BackendName =>
  process.env.CORRIDOR_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** The URL of database `name` on the test server. */
export function pgUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether the test server answers. */
export async function pgAvailable(): Promise<boolean> {
  try {
    await admin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** A new, empty database on the test server; `drop` removes it (and ends its connections). */
export async function createPgDatabase(
  prefix = 'corridor_t',
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  return {
    name,
    url: pgUrl(name),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/**
 * A warehouse location for one test file on the backend under test, with direct read access
 * that bypasses Corridor's own query code. Call `dispose` in afterAll.
 */
export interface TestWarehouse {
  readonly backend: BackendName;
  /** What `--db` takes: a file path or a postgres:// URL. */
  readonly db: string;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  scalar<T = number>(sql: string, params?: readonly unknown[]): Promise<T>;
  /** Runs statements (no parameters) that write, on a connection of their own. */
  exec(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

/** `?` placeholders become `$n` for pg; test SQL has no `?` inside literals. */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** A fresh warehouse location in `dir` (SQLite) or a fresh database (PostgreSQL). */
export async function testWarehouse(
  dir: string,
  backend: BackendName = backendUnderTest(),
): Promise<TestWarehouse> {
  if (backend === 'sqlite') {
    const path = join(dir, 'corridor.db');
    const read = <T>(sql: string, params: readonly unknown[]) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    };
    return {
      backend,
      db: path,
      query: async (sql, params = []) => read(sql, params),
      scalar: async <T>(sql: string, params: readonly unknown[] = []) => {
        const row = read<Record<string, unknown>>(sql, params)[0];
        return (row === undefined ? undefined : Object.values(row)[0]) as T;
      },
      exec: async (sql) => {
        const db = new Database(path);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      dispose: async () => {},
    };
  }
  const database = await createPgDatabase();
  const client = new pg.Client({ connectionString: database.url });
  let connected = false;
  const connect = async () => {
    if (!connected) {
      await client.connect();
      connected = true;
    }
  };
  const types = (rows: Record<string, unknown>[], fields: pg.FieldDef[]) =>
    // Counts and bigint columns come back as numbers, as from SQLite.
    rows.map((r) => {
      for (const f of fields)
        if ((f.dataTypeID === 20 || f.dataTypeID === 1700) && r[f.name] !== null)
          r[f.name] = Number(r[f.name]);
      return r;
    });
  return {
    backend,
    db: database.url,
    query: async <T>(sql: string, params: readonly unknown[] = []) => {
      await connect();
      const result = await client.query(numbered(sql), params as unknown[]);
      return types(result.rows, result.fields) as T[];
    },
    scalar: async <T>(sql: string, params: readonly unknown[] = []) => {
      await connect();
      const result = await client.query(numbered(sql), params as unknown[]);
      const row = types(result.rows, result.fields)[0];
      return (row === undefined ? undefined : Object.values(row)[0]) as T;
    },
    exec: async (sql) => {
      await connect();
      await client.query(sql);
    },
    dispose: async () => {
      if (connected) await client.end();
      await database.drop();
    },
  };
}
