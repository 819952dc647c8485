/**
 * The PostgreSQL driver (`pg`) and COPY streams (`pg-copy-streams`), imported here and nowhere
 * else, as better-sqlite3 is in ../driver.ts. They are imported when the first client is made:
 * loading them took about a tenth of a second of every command's start, SQLite ones included.
 */
import type pg from 'pg';
import type copyStreams from 'pg-copy-streams';

export type PgClient = pg.Client;
export type PgQueryResult = pg.QueryResult;

let driver: { readonly pg: typeof pg; readonly copyStreams: typeof copyStreams } | null = null;

async function loadDriver(): Promise<NonNullable<typeof driver>> {
  driver ??= { pg: (await import('pg')).default, copyStreams: (await import('pg-copy-streams')).default };
  return driver;
}

/** The driver, once a client was made (a COPY needs a connected client first). */
function loadedDriver(): NonNullable<typeof driver> {
  if (driver === null) throw new Error('the PostgreSQL driver is used before any client was made');
  return driver;
}

// Numbers come back as numbers: bigint (int8) and numeric columns hold counts, codes and money
// that stay far below 2^53; SQLite returns them as numbers too, and the warehouse contract
// must not change with the backend.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return loadedDriver().pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A new, not yet connected client for `url`. */
export async function newPgClient(
  url: string,
  options: { applicationName?: string } = {},
): Promise<PgClient> {
  const { pg } = await loadDriver();
  const client = new pg.Client({
    connectionString: url,
    types,
    application_name: options.applicationName ?? 'corridor',
    connectionTimeoutMillis: 10_000,
  });
  serializeQueries(client);
  return client;
}

type Submittable = { submit: unknown; once(event: string, listener: () => void): unknown };
const isSubmittable = (value: unknown): value is Submittable =>
  typeof value === 'object' && value !== null && typeof (value as { submit?: unknown }).submit === 'function';

/**
 * One connection serves kysely, the SQL session and COPY (single-connection-pool.ts). pg
 * queues a query issued while another runs, but that queue is deprecated (pg 9 removes it and
 * pg 8 warns on stderr), so queries wait their turn here instead: each promise-style query
 * starts when the one before it has settled, and a COPY stream holds the turn until it ends.
 * A COPY is only started when nothing else is in flight, so it is passed straight through.
 */
function serializeQueries(client: pg.Client): void {
  const submit = client.query.bind(client) as (...args: unknown[]) => unknown;
  let turn: Promise<unknown> = Promise.resolve();
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    if (isSubmittable(first)) {
      const ended = new Promise<void>((resolve) => {
        for (const event of ['end', 'finish', 'error', 'close']) first.once(event, () => resolve());
      });
      turn = turn.then(() => ended);
      return submit(...args);
    }
    if (typeof args.at(-1) === 'function') return submit(...args);
    const result = turn.then(() => submit(...args));
    turn = result.catch(() => {});
    return result;
  };
}

/** A writable stream that carries `COPY ... FROM STDIN` data to the server. */
export function copyFrom(client: PgClient, statement: string): NodeJS.WritableStream & { rowCount?: number } {
  return client.query(loadedDriver().copyStreams.from(statement)) as unknown as NodeJS.WritableStream & {
    rowCount?: number;
  };
}

/** A readable stream of `COPY ... TO STDOUT` data. */
export function copyTo(client: PgClient, statement: string): NodeJS.ReadableStream {
  return client.query(loadedDriver().copyStreams.to(statement)) as unknown as NodeJS.ReadableStream;
}

/** Quotes an identifier for PostgreSQL. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
