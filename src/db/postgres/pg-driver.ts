/**
 * The PostgreSQL driver (`pg`) and COPY streams (`pg-copy-streams`), imported here and nowhere
 * else, as better-sqlite3 is in ../driver.ts.
 */
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

export type PgClient = pg.Client;
export type PgQueryResult = pg.QueryResult;

// Numbers come back as numbers: bigint (int8) and numeric columns hold counts, codes and money
// that stay far below 2^53; SQLite returns them as numbers too, and the warehouse contract
// must not change with the backend.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A new, not yet connected client for `url`. */
export function newPgClient(url: string, options: { applicationName?: string } = {}): PgClient {
  return new pg.Client({
    connectionString: url,
    types,
    application_name: options.applicationName ?? 'corridor',
    connectionTimeoutMillis: 10_000,
  });
}

/** A writable stream that carries `COPY ... FROM STDIN` data to the server. */
export function copyFrom(client: PgClient, statement: string): NodeJS.WritableStream & { rowCount?: number } {
  return client.query(copyStreams.from(statement)) as unknown as NodeJS.WritableStream & {
    rowCount?: number;
  };
}

/** A readable stream of `COPY ... TO STDOUT` data. */
export function copyTo(client: PgClient, statement: string): NodeJS.ReadableStream {
  return client.query(copyStreams.to(statement)) as unknown as NodeJS.ReadableStream;
}

/** Quotes an identifier for PostgreSQL. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
