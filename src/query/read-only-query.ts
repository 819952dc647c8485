/**
 * Refusals of analysts' statements (refuseWrites on SQLite, refuseSessionStatements on
 * PostgreSQL), and ReadOnlyQuery: SQLite listings on a connection that cannot write (corridor
 * check and unmapped; the analysts' commands use warehouse-reader.ts, on both backends). Three locks, each enough
 * on its own for ordinary writes: the file is opened read-only, SQLite reports whether the
 * prepared statement writes (`stmt.readonly`), and statements that change the connection
 * rather than the file (ATTACH, DETACH, writing PRAGMAs, VACUUM INTO) are refused by name.
 */
import { openSqlite, type SqliteDatabase, type SqliteStatement } from '../db/driver.ts';
import { ExitCode, QueryRefusedError, WarehouseError } from '../errors.ts';

/**
 * The statement's text without comments and without leading empty statements, upper-cased, so
 * a refusal cannot be dodged with `/* -- *\/ ATTACH` or `; ATTACH`. Comments are removed in
 * the order they open, and quoted text is kept as it is (a `--` inside a string is not a comment).
 */
function firstWords(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = sql.indexOf(close, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/^[\s;]+/, '').toUpperCase();
}

const READ_ONLY_PRAGMAS = new Set([
  'TABLE_INFO',
  'TABLE_XINFO',
  'TABLE_LIST',
  'INDEX_LIST',
  'INDEX_INFO',
  'INDEX_XINFO',
  'FOREIGN_KEY_LIST',
  'DATABASE_LIST',
  'COLLATION_LIST',
  'FUNCTION_LIST',
  'PRAGMA_LIST',
  'COMPILE_OPTIONS',
  'USER_VERSION',
  'SCHEMA_VERSION',
  'PAGE_COUNT',
  'PAGE_SIZE',
  'FREELIST_COUNT',
  'JOURNAL_MODE',
  'INTEGRITY_CHECK',
  'QUICK_CHECK',
  'FOREIGN_KEY_CHECK',
  'ENCODING',
]);

/**
 * Throws QueryRefusedError for statements that would change anything. Returns true for a PRAGMA
 * on the read-only list: SQLite marks some of those (`journal_mode`) as writing even when they
 * only read, so the caller trusts this list for them.
 */
export function refuseWrites(sql: string): boolean {
  const text = firstWords(sql);
  const verb = /^[A-Z]+/.exec(text)?.[0] ?? '';
  const refuse = (what: string) => {
    throw new QueryRefusedError(
      `${what} is refused: corridor sql is read-only. Loads go through "corridor load" or "corridor run"; to explore another database, pass it with --db.`,
    );
  };
  if (verb === 'ATTACH' || verb === 'DETACH') refuse(verb);
  if (verb === 'VACUUM') refuse('VACUUM');
  if (verb === 'PRAGMA') {
    const match = /^PRAGMA\s+(?:\w+\.)?(\w+)\s*(=|\()?/.exec(text);
    const name = match?.[1] ?? '';
    // `PRAGMA x = v` and `PRAGMA x(v)` set; only a listed name is allowed to be read.
    if (
      match?.[2] === '=' ||
      !READ_ONLY_PRAGMAS.has(name) ||
      (match?.[2] === '(' && !/^(TABLE_|INDEX_|FOREIGN_KEY_LIST)/.test(name))
    ) {
      refuse(`PRAGMA ${name.toLowerCase()}${match?.[2] ? ' with a value' : ''}`);
    }
    return true;
  }
  return false;
}

/**
 * Statements that would step out of the read-only transaction a PostgreSQL query runs in, or
 * change the session rather than the data: refused by name, before the server sees them (it
 * refuses writes itself). PostgreSQL's counterpart of refuseWrites.
 */
const SESSION_VERBS = new Set([
  'BEGIN',
  'START',
  'COMMIT',
  'END',
  'ROLLBACK',
  'ABORT',
  'SAVEPOINT',
  'RELEASE',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'SET',
  'RESET',
  'DISCARD',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
  'COPY',
  'VACUUM',
  'ANALYZE',
  'CHECKPOINT',
  'LOAD',
  'DO',
  'CALL',
  'LOCK',
  'CLUSTER',
  'REINDEX',
  'REFRESH',
  'GRANT',
  'REVOKE',
  'DECLARE',
  'FETCH',
  'MOVE',
  'CLOSE',
]);

export function refuseSessionStatements(sql: string): void {
  const verb = /^[A-Z]+/.exec(firstWords(sql))?.[0] ?? '';
  if (SESSION_VERBS.has(verb)) {
    throw new QueryRefusedError(
      `${verb} is refused: corridor sql is read-only and runs one query in a read-only transaction. Loads go through "corridor load" or "corridor run".`,
    );
  }
}

/** A failure while rows are produced (`json('{bad')`) is the query's fault, not Corridor's. */
function runtimeFailure(cause: unknown): QueryRefusedError {
  return new QueryRefusedError(
    `The query failed while running: ${(cause as Error).message}. Check the SQL (SQLite dialect) and the values it works on.`,
    {
      code: 'bad_query',
      cause,
    },
  );
}

function* guarded(rows: Iterable<unknown[]>): Generator<unknown[]> {
  try {
    yield* rows;
  } catch (cause) {
    throw runtimeFailure(cause);
  }
}

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: Iterable<readonly unknown[]>;
}

export class ReadOnlyQuery {
  readonly #db: SqliteDatabase;

  constructor(path: string) {
    try {
      this.#db = openSqlite(path, { readonly: true, fileMustExist: true });
    } catch (cause) {
      throw new WarehouseError(
        `No warehouse at ${path}. Create it with "corridor init" or load a file first, or point --db at an existing one.`,
        {
          code: 'warehouse_missing',
          exitCode: ExitCode.Usage,
          cause,
        },
      );
    }
    this.#db.pragma('query_only = ON');
  }

  /** Prepares and runs one statement; rows stream from SQLite as they are iterated. */
  run(sql: string): QueryResult {
    const readOnlyPragma = refuseWrites(sql);
    let statement: SqliteStatement;
    try {
      statement = this.#db.prepare(sql);
    } catch (cause) {
      const message = (cause as Error).message;
      const hint = /more than one statement/i.test(message)
        ? 'Run one statement at a time.'
        : /no such table/i.test(message)
          ? 'List the tables with: corridor sql "select name from sqlite_master where type = \'table\'"'
          : 'Check the SQL (SQLite dialect).';
      throw new QueryRefusedError(`The query does not run: ${message}. ${hint}`, {
        code: 'bad_query',
        cause,
      });
    }
    if (!statement.readonly && !readOnlyPragma) {
      throw new QueryRefusedError(
        'This statement would write to the warehouse, and corridor sql is read-only. Loads go through "corridor load" or "corridor run".',
      );
    }
    try {
      if (!statement.reader) {
        statement.run();
        return { columns: [], rows: [] };
      }
      statement.raw(true);
      const columns = statement.columns().map((c) => c.name);
      return { columns, rows: guarded(statement.iterate() as Iterable<unknown[]>) };
    } catch (cause) {
      throw runtimeFailure(cause);
    }
  }

  close(): void {
    this.#db.close();
  }
}
