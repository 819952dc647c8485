/**
 * The SQLite driver, imported here and nowhere else: the rest of the code names its types
 * through this module, so the storage layer alone knows which driver it talks to.
 */
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;
export type SqliteOptions = Database.Options;

/** Opens a SQLite database file (better-sqlite3, synchronous). */
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteDatabase {
  return new Database(path, options);
}
