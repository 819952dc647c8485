/**
 * Kysely's PostgreSQL dialect asks a pool for a connection per query. The warehouse keeps one
 * connection, as on SQLite, so that `begin` on the SQL session covers kysely's statements and
 * the advisory lock and the writes share a session: this "pool" always hands out that one.
 * Queries issued together wait in the client's own queue.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { PgClient } from './pg-driver.ts';

export function singleConnectionPool(client: PgClient): PostgresPool {
  const pooled = {
    query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args),
    release: () => {},
  } as unknown as PostgresPoolClient;
  return {
    connect: async () => pooled,
    end: async () => {},
  };
}
