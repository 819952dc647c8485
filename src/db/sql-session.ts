/**
 * Raw SQL on the warehouse's one connection, the same on both backends: for statements kysely
 * does not express well (set-based refreshes, merges, DDL) and for explicit transactions.
 * Parameters are written `?` in the text on both backends; the PostgreSQL session numbers them.
 * The text itself must be valid on both (src/db/sql-flavor.ts writes the parts that differ).
 *
 * Kysely (`warehouse.db`) runs on the same connection, so a transaction begun here covers the
 * kysely statements issued before it commits, exactly as on SQLite.
 */

export type Backend = 'sqlite' | 'postgres';

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  readonly changes: number;
}

export interface SqlSession {
  readonly backend: Backend;
  /** Every row of a query. */
  all<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row of a query, or undefined. */
  get<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** The first column of the first row, or undefined when there is no row. */
  value<T = unknown>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** A statement that writes; how many rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<RunResult>;
  /** Several statements separated by semicolons, without parameters. */
  exec(script: string): Promise<void>;
  /**
   * Runs `work` in a transaction that commits when it resolves and rolls back when it throws.
   * `writeLock` takes the write lock at once (SQLite `BEGIN IMMEDIATE`), so a concurrent writer
   * waits at the start rather than failing at its first write. Not reentrant.
   */
  transaction<T>(work: () => Promise<T>, options?: { readonly writeLock?: boolean }): Promise<T>;
  /** The same, by hand, for a transaction that spans a loop with its own error handling. */
  begin(options?: { readonly writeLock?: boolean }): Promise<void>;
  commit(): Promise<void>;
  /** Rolls back the open transaction; does nothing when none is open (it may have died with its connection). */
  rollback(): Promise<void>;
  readonly inTransaction: boolean;
}

/**
 * `work` between `begin` and `commit`, rolled back when it throws: the `transaction` of both
 * sessions.
 */
export async function runInTransaction<T>(
  session: SqlSession,
  work: () => Promise<T>,
  options: { readonly writeLock?: boolean } = {},
): Promise<T> {
  await session.begin(options);
  try {
    const result = await work();
    await session.commit();
    return result;
  } catch (error) {
    await session.rollback();
    throw error;
  }
}
