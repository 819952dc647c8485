/**
 * The SQL session of a PostgreSQL warehouse: one client, shared with kysely through
 * single-connection-pool.ts, so a transaction begun here covers kysely's statements too. A
 * connection that drops mid-transaction takes the transaction (and its advisory locks) with it:
 * the server rolls back, and the next statement here fails with `connection_lost`.
 */
import { ExitCode, WarehouseError } from '../../errors.ts';
import { type RunResult, runInTransaction, type SqlSession } from '../sql-session.ts';
import type { PgClient } from './pg-driver.ts';
import { numberPlaceholders } from './placeholders.ts';

/** SQLSTATE classes and socket errors that mean the connection itself is gone. */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error)?.message ?? '';
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    /Connection terminated|Client has encountered a connection error|not queryable/i.test(message)
  );
}

export function connectionLost(error: unknown, label: string): WarehouseError {
  return new WarehouseError(
    `The connection to ${label} was lost (${(error as Error).message}). The server rolled back the transaction in flight, so nothing of it was written; run the command again once the server is back.`,
    { code: 'connection_lost', exitCode: ExitCode.RunFailed, cause: error },
  );
}

export class PgSession implements SqlSession {
  readonly backend = 'postgres' as const;
  readonly client: PgClient;
  readonly #label: string;
  #open = false;

  constructor(client: PgClient, label: string) {
    this.client = client;
    this.#label = label;
  }

  async query(text: string, params: readonly unknown[] = []) {
    try {
      return await this.client.query(numberPlaceholders(text), params as unknown[]);
    } catch (error) {
      if (isConnectionLoss(error)) throw connectionLost(error, this.#label);
      throw error;
    }
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(text, params)).rows as T[];
  }

  async get<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }

  async value<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const result = await this.query(text, params);
    const first = result.fields[0];
    const row = result.rows[0] as Record<string, unknown> | undefined;
    return first === undefined || row === undefined ? undefined : (row[first.name] as T);
  }

  async run(text: string, params: readonly unknown[] = []): Promise<RunResult> {
    return { changes: (await this.query(text, params)).rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    // The simple query protocol (no parameters) runs several statements in one round trip.
    try {
      await this.client.query(script);
    } catch (error) {
      if (isConnectionLoss(error)) throw connectionLost(error, this.#label);
      throw error;
    }
  }

  transaction<T>(work: () => Promise<T>, options: { readonly writeLock?: boolean } = {}): Promise<T> {
    return runInTransaction(this, work, options);
  }

  /** PostgreSQL takes row locks as it writes; a second writer waits on them, so there is no IMMEDIATE. */
  async begin(): Promise<void> {
    await this.exec('begin');
    this.#open = true;
  }

  async commit(): Promise<void> {
    try {
      await this.exec('commit');
    } finally {
      this.#open = false;
    }
  }

  async rollback(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.client.query('rollback').catch(() => {});
  }

  get inTransaction(): boolean {
    return this.#open;
  }
}
