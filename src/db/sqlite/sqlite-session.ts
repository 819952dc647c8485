/**
 * The SQL session of a SQLite warehouse: better-sqlite3 is synchronous, so each call settles at
 * once; statements are prepared once and kept, as they are small in number and reused.
 */
import type { SqliteDatabase, SqliteStatement } from '../driver.ts';
import { type RunResult, runInTransaction, type SqlSession } from '../sql-session.ts';

const MAX_CACHED = 200;

export class SqliteSession implements SqlSession {
  readonly backend = 'sqlite' as const;
  readonly #sqlite: SqliteDatabase;
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(sqlite: SqliteDatabase) {
    this.#sqlite = sqlite;
  }

  #prepare(text: string): SqliteStatement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#sqlite.prepare(text);
      if (this.#statements.size >= MAX_CACHED) this.#statements.clear();
      this.#statements.set(text, statement);
    }
    return statement;
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.#prepare(text).all(...params) as T[];
  }

  async get<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.#prepare(text).get(...params) as T | undefined;
  }

  async value<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    // The statement is cached and shared with all/get: back to objects even when get throws.
    const statement = this.#prepare(text).raw(true);
    try {
      return (statement.get(...params) as unknown[] | undefined)?.[0] as T | undefined;
    } finally {
      statement.raw(false);
    }
  }

  async run(text: string, params: readonly unknown[] = []): Promise<RunResult> {
    return { changes: this.#prepare(text).run(...params).changes };
  }

  async exec(script: string): Promise<void> {
    this.#sqlite.exec(script);
  }

  transaction<T>(work: () => Promise<T>, options: { readonly writeLock?: boolean } = {}): Promise<T> {
    return runInTransaction(this, work, options);
  }

  async begin(options: { readonly writeLock?: boolean } = {}): Promise<void> {
    this.#sqlite.exec(options.writeLock ? 'begin immediate' : 'begin');
  }

  async commit(): Promise<void> {
    this.#sqlite.exec('commit');
  }

  async rollback(): Promise<void> {
    if (this.#sqlite.inTransaction) this.#sqlite.exec('rollback');
  }

  get inTransaction(): boolean {
    return this.#sqlite.inTransaction;
  }
}
