/**
 * Opening the warehouse: one SQLite file, through kysely for queries and small writes, and the
 * same better-sqlite3 connection underneath for the bulk row path (prepared statements).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import { ExitCode, WarehouseError } from '../errors.ts';
import { openSqlite, type SqliteDatabase } from './driver.ts';

export const DEFAULT_WAREHOUSE_PATH = 'warehouse/corridor.db';

export interface Warehouse {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly db: Kysely<DB>;
  /** The raw connection under `db`: for prepared bulk statements and explicit transactions only. */
  readonly sqlite: SqliteDatabase;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Open without write access; the file must exist. */
  readonly readonly?: boolean;
}

/** Where the warehouse is: `--db`, else `CORRIDOR_DB`, else `warehouse/corridor.db` below the working folder. */
export function resolveWarehousePath(flag: string | undefined, cwd: string = process.cwd()): string {
  const chosen = flag ?? process.env.CORRIDOR_DB ?? DEFAULT_WAREHOUSE_PATH;
  if (/^postgres(ql)?:\/\//i.test(chosen)) {
    throw new WarehouseError(
      `PostgreSQL warehouses are not supported by this version yet (got "${chosen.replace(/:[^:@/]*@/, ':***@')}"). Use a SQLite file path.`,
      { code: 'unsupported_database', exitCode: ExitCode.Usage },
    );
  }
  return resolve(cwd, chosen);
}

/**
 * Opens (and for writing, creates) the warehouse file.
 *
 * @example
 * const warehouse = openWarehouse('warehouse/corridor.db');
 * const n = await warehouse.db.selectFrom('trade_flows').select((e) => e.fn.countAll().as('n')).executeTakeFirst();
 */
export function openWarehouse(path: string, options: OpenOptions = {}): Warehouse {
  let sqlite: SqliteDatabase;
  try {
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
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
    path,
    db,
    sqlite,
    close: async () => {
      await db.destroy();
    },
  };
}
