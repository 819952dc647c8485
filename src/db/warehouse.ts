/**
 * Opening the warehouse: a SQLite file (the embedded default) or a PostgreSQL database. Either
 * way there is one connection, used by kysely (`db`) for queries and small writes and by the
 * SQL session (`sql`) for set-based statements and transactions. Nothing outside src/db knows
 * which driver is underneath; code that must still differ asks `backend` and `flavor`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import { ExitCode, WarehouseError } from '../errors.ts';
import { openSqlite, type SqliteDatabase } from './driver.ts';
import { type ConnectOptions, connectPostgres } from './postgres/connect.ts';
import type { PgClient } from './postgres/pg-driver.ts';
import { PgSession } from './postgres/pg-session.ts';
import { singleConnectionPool } from './postgres/single-connection-pool.ts';
import { type SqlFlavor, sqlFlavor } from './sql-flavor.ts';
import type { Backend, SqlSession } from './sql-session.ts';
import { SqliteSession } from './sqlite/sqlite-session.ts';
import { targetLabel, targetOf, type WarehouseTarget } from './warehouse-target.ts';

export {
  DEFAULT_WAREHOUSE_PATH,
  isPostgresUrl,
  resolveWarehouseTarget,
  type WarehouseTarget,
} from './warehouse-target.ts';

export interface Warehouse {
  readonly backend: Backend;
  readonly target: WarehouseTarget;
  /** The file's absolute path, or the PostgreSQL URL without its password: for messages. */
  readonly path: string;
  readonly db: Kysely<DB>;
  readonly sql: SqlSession;
  readonly flavor: SqlFlavor;
  /**
   * The raw SQLite connection under `db`, for the SQLite bulk paths. On PostgreSQL it throws
   * `unsupported_on_postgres`, naming the step, so a path not yet ported fails clearly.
   */
  readonly sqlite: SqliteDatabase;
  /** The raw PostgreSQL client (COPY, advisory locks); throws on SQLite. */
  readonly pg: PgClient;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Open without write access; a SQLite file must exist. */
  readonly readonly?: boolean;
  /** How a PostgreSQL connection is retried when the server cannot be reached. */
  readonly connect?: ConnectOptions;
}

/** The target's path or URL as `--db` would take it: where the warehouse is. */
export function resolveWarehousePath(flag: string | undefined, cwd: string = process.cwd()): string {
  const target = targetOf(flag ?? process.env.CORRIDOR_DB ?? 'warehouse/corridor.db', cwd);
  return target.backend === 'sqlite' ? target.path : target.url;
}

/**
 * Opens (and for writing, creates) the warehouse at a file path or a `postgres://` URL.
 *
 * @example
 * const warehouse = await openWarehouse('warehouse/corridor.db');
 * const n = await warehouse.sql.value('select count(*) from trade_flows');
 */
export async function openWarehouse(location: string, options: OpenOptions = {}): Promise<Warehouse> {
  const target = targetOf(location);
  return target.backend === 'sqlite'
    ? openSqliteWarehouse(target, options)
    : openPostgresWarehouse(target, options);
}

function openSqliteWarehouse(
  target: WarehouseTarget & { backend: 'sqlite' },
  options: OpenOptions,
): Warehouse {
  const { path } = target;
  let sqlite: SqliteDatabase;
  try {
    if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = openSqlite(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (cause) {
    const missing = options.readonly && (cause as { code?: string }).code === 'SQLITE_CANTOPEN';
    throw new WarehouseError(
      missing
        ? `No warehouse at ${path}. Create it with "corridor init" (or load a file), or point --db at an existing one.`
        : `Cannot open the warehouse at ${path}: ${(cause as Error).message}. Check the path and its permissions.`,
      { code: missing ? 'warehouse_missing' : 'warehouse_unreadable', exitCode: ExitCode.Usage, cause },
    );
  }
  try {
    sqlite.pragma('busy_timeout = 5000');
    // Reading the schema version checks that the file is a SQLite database at all.
    sqlite.pragma('schema_version');
    if (!options.readonly) {
      // WAL with synchronous=NORMAL never corrupts the file on power loss; at worst the last
      // committed transaction is rolled back, which the journal then shows as not finished.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
    }
  } catch (cause) {
    sqlite.close();
    const code = (cause as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new WarehouseError(
        `${path} is not a Corridor warehouse: it is not a SQLite database (or it is damaged). Point --db at the warehouse file, or at a new path to create one.`,
        { code: 'not_a_warehouse', exitCode: ExitCode.Usage, cause },
      );
    }
    throw cause;
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    backend: 'sqlite',
    target,
    path,
    db,
    sql: new SqliteSession(sqlite),
    flavor: sqlFlavor('sqlite'),
    sqlite,
    get pg(): PgClient {
      throw new Error('warehouse.pg is only there on PostgreSQL');
    },
    close: async () => {
      await db.destroy();
    },
  };
}

async function openPostgresWarehouse(
  target: WarehouseTarget & { backend: 'postgres' },
  options: OpenOptions,
): Promise<Warehouse> {
  const label = targetLabel(target);
  const client = await connectPostgres(target.url, label, options.connect);
  const session = new PgSession(client, label);
  try {
    // Timestamps are stored as ISO text as on SQLite; the session's zone must not shift them.
    await session.exec(`set time zone 'UTC'; set client_min_messages = warning`);
    if (options.readonly) await session.exec('set default_transaction_read_only = on');
  } catch (cause) {
    await client.end().catch(() => {});
    throw cause;
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: singleConnectionPool(client) }) });
  return {
    backend: 'postgres',
    target,
    path: label,
    db,
    sql: session,
    flavor: sqlFlavor('postgres'),
    get sqlite(): SqliteDatabase {
      throw new WarehouseError(
        `This step does not run on a PostgreSQL warehouse yet (${label}); use a SQLite warehouse for it, or see docs/postgresql.md for what each backend supports.`,
        { code: 'unsupported_on_postgres', exitCode: ExitCode.Usage },
      );
    },
    pg: client,
    close: async () => {
      await db.destroy();
      await client.end().catch(() => {});
    },
  };
}
