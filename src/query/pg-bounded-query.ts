/**
 * An analyst's query on a PostgreSQL warehouse (corridor sql, export --query, export of a table),
 * with the same BoundedQuery shape as the SQLite child process (bounded-query.ts).
 *
 * No child process here: better-sqlite3 needs one because it blocks the event loop and cannot be
 * interrupted, but a PostgreSQL query runs on the server, the client waits on a socket, and the
 * server enforces the limit itself (`statement_timeout`) and cancels the statement there, so a
 * long query stops using the server's CPU at the limit even if this process dies.
 *
 * The statement runs in a read-only transaction (`BEGIN READ ONLY`, on a connection opened with
 * `default_transaction_read_only`): the server refuses any write (SQLSTATE 25006), whatever the
 * role may do. Rows come through a server-side cursor, `batchRows` at a time, so a result of any
 * size never sits in memory; a statement a cursor cannot hold (SHOW, EXPLAIN, a write the server
 * then refuses) runs as it is, in the same transaction. The extended protocol is forced, so the
 * text is one statement: `select 1; commit; insert …` is refused by the server.
 *
 * The limit counts the time the server works, as on SQLite: each FETCH gets what is left of the
 * budget as its `statement_timeout`, and the time the reader spends writing rows is not counted.
 */

import type { Warehouse } from '../db/warehouse.ts';
import { type BoundedQuery, BoundedQueryFailure, type QueryColumn } from './bounded-query.ts';
import { writingVerb } from './writing-verb.ts';

const CURSOR = 'corridor_query';

interface PgField {
  readonly name: string;
  readonly tableID: number;
  readonly columnID: number;
  readonly dataTypeID: number;
}

interface PgArrayResult {
  readonly rows: unknown[][];
  readonly fields: readonly PgField[];
  readonly rowCount: number | null;
}

/** Type names by OID, as SQLite would declare them, so exports type columns the same way. */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  20: 'INTEGER',
  21: 'INTEGER',
  23: 'INTEGER',
  25: 'TEXT',
  1042: 'TEXT',
  1043: 'TEXT',
  700: 'REAL',
  701: 'REAL',
  1700: 'REAL',
};

/** Which phase a server error belongs to, by its SQLSTATE, for queryError's messages. */
function failureOf(error: unknown, timeoutMs: number): BoundedQueryFailure {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === '57014' && /statement timeout/i.test(message))
    return new BoundedQueryFailure('timeout', `it ran past its time limit of ${timeoutMs / 1000} s`);
  if (code === '25006') return new BoundedQueryFailure('writes', message);
  // Class 42 (syntax, unknown names), 0A (a feature the statement cannot use), 26 (a prepared
  // statement of several commands), 34 (a cursor): the SQL does not compile.
  if (/^(42|0A|26|34)/.test(code)) return new BoundedQueryFailure('prepare', message);
  if (code.startsWith('08') || code === '') return new BoundedQueryFailure('crash', message);
  return new BoundedQueryFailure('rows', message);
}

export interface PgBoundedQueryRequest {
  readonly sql: string;
  readonly timeoutMs: number;
  /** Statements run first, in their own read-write transaction (`--as-of`'s temporary views). */
  readonly setup?: readonly string[];
  readonly batchRows?: number;
}

/** Column facts the result carries only as OIDs: the table and column names behind them. */
async function describeColumns(warehouse: Warehouse, fields: readonly PgField[]): Promise<QueryColumn[]> {
  const tables = [...new Set(fields.filter((f) => f.tableID > 0).map((f) => f.tableID))];
  const names = new Map<string, { table: string; column: string }>();
  if (tables.length > 0) {
    const rows = await warehouse.sql.all<{ oid: number; num: number; tbl: string; col: string }>(
      `select cast(c.oid as bigint) as oid, cast(a.attnum as integer) as num, c.relname as tbl, a.attname as col
         from pg_class c join pg_attribute a on a.attrelid = c.oid
        where c.oid in (${tables.join(', ')}) and a.attnum > 0`,
    );
    for (const r of rows) names.set(`${r.oid}:${r.num}`, { table: r.tbl, column: r.col });
  }
  return fields.map((f) => {
    const origin = names.get(`${f.tableID}:${f.columnID}`);
    return {
      name: f.name,
      column: origin?.column ?? null,
      table: origin?.table ?? null,
      database: null,
      type: TYPE_NAMES[f.dataTypeID] ?? null,
    };
  });
}

/**
 * Starts the query in a read-only transaction on the warehouse's connection and reads its first
 * batch. Throws BoundedQueryFailure when it does not compile, would write, or passes the limit.
 * The connection is the query's until close().
 */
export async function openPgBoundedQuery(
  warehouse: Warehouse,
  request: PgBoundedQueryRequest,
): Promise<BoundedQuery> {
  const client = warehouse.pg;
  const batchRows = request.batchRows ?? 1_000;
  let budget = request.timeoutMs;
  const query = async (text: string): Promise<PgArrayResult> =>
    (await client.query({ text, rowMode: 'array', queryMode: 'extended' } as never)) as PgArrayResult;
  /** A statement that runs the analyst's SQL, under what is left of the time limit. */
  const timed = async (text: string): Promise<PgArrayResult> => {
    if (budget <= 0) throw failureOf({ code: '57014', message: 'statement timeout' }, request.timeoutMs);
    // statement_timeout is in whole milliseconds, and 0 would mean no limit at all.
    await client.query(`set local statement_timeout = ${Math.max(1, Math.ceil(budget))}`);
    const started = performance.now();
    try {
      return await query(text);
    } finally {
      budget -= performance.now() - started;
    }
  };

  let open = false;
  let markEnded: () => void = () => {};
  const exited = new Promise<void>((resolve) => (markEnded = resolve));
  const end = async () => {
    if (open) {
      open = false;
      // Rolling back closes the cursor; the server drops whatever the query had left.
      await client.query('rollback').catch(() => {});
    }
    markEnded();
  };
  // Should this process die mid-query (Ctrl-C, kill), the server notices the closed socket
  // within a second and cancels the statement, rather than running it to statement_timeout.
  // PostgreSQL 14+ on Linux, macOS and the BSDs; elsewhere the limit alone still ends it.
  await client.query('set client_connection_check_interval = 1000').catch(() => {});
  try {
    if (request.setup !== undefined && request.setup.length > 0) {
      await client.query('begin read write');
      for (const statement of request.setup) await client.query(statement);
      await client.query('commit');
    }
    await client.query('begin transaction read only');
    open = true;
    await client.query('savepoint corridor_declare');
    let viaCursor = true;
    let first: PgArrayResult;
    try {
      await query(`declare ${CURSOR} no scroll cursor for ${request.sql}`);
      first = await timed(`fetch forward ${batchRows} from ${CURSOR}`);
    } catch (error) {
      const failure = failureOf(error, request.timeoutMs);
      if (failure.phase !== 'prepare') throw failure;
      // Not a SELECT or VALUES (SHOW, EXPLAIN, or a write, which the read-only transaction
      // refuses before it writes anything): run it as it is. Its result is small or nothing.
      await client.query('rollback to savepoint corridor_declare');
      // A statement that changes something is refused by its verb, before the server sees it:
      // the read-only transaction would refuse most, but some fail for another reason first
      // (a DELETE from a view: "cannot delete from view"), which would read as a bad query.
      const verb = writingVerb(request.sql);
      if (verb !== null) throw new BoundedQueryFailure('writes', `${verb} changes the warehouse`);
      viaCursor = false;
      first = await timed(request.sql);
    }
    const reader = first.fields.length > 0;
    const columns = await describeColumns(warehouse, first.fields);
    let done = !viaCursor || first.rows.length < batchRows;
    return {
      columns,
      reader,
      async *batches() {
        try {
          if (first.rows.length > 0) yield first.rows;
          while (!done) {
            const next = await timed(`fetch forward ${batchRows} from ${CURSOR}`);
            done = next.rows.length < batchRows;
            if (next.rows.length > 0) yield next.rows;
          }
        } catch (error) {
          throw error instanceof BoundedQueryFailure ? error : failureOf(error, request.timeoutMs);
        }
      },
      async countRest() {
        if (done) return 0;
        try {
          // MOVE counts the rows it passes without sending them.
          return (await timed(`move forward all in ${CURSOR}`)).rowCount ?? 0;
        } catch (error) {
          throw error instanceof BoundedQueryFailure ? error : failureOf(error, request.timeoutMs);
        } finally {
          done = true;
        }
      },
      close: () => void end(),
      exited,
      pid: undefined,
    };
  } catch (error) {
    await end();
    throw error instanceof BoundedQueryFailure ? error : failureOf(error, request.timeoutMs);
  }
}
