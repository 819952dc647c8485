/**
 * A read-only view of the warehouse for the analysts' commands (sql, export, runs, rejects,
 * revisions), on either backend. It opens the warehouse without write access (a SQLite file
 * read-only with `query_only`; a PostgreSQL connection with `default_transaction_read_only`),
 * answers Corridor's own small listings (rows()), and starts analysts' statements with a time
 * limit (start()): on SQLite in a child process (bounded-query.ts), on PostgreSQL on the server
 * under `statement_timeout` (pg-bounded-query.ts).
 */
import { existsSync } from 'node:fs';
import { numberPlaceholders } from '../db/postgres/placeholders.ts';
import { isPostgresUrl, openWarehouse, type Warehouse } from '../db/warehouse.ts';
import { ExitCode, QueryRefusedError, WarehouseError } from '../errors.ts';
import { type AsOf, asOfStatements, resolveAsOf } from './as-of.ts';
import { type BoundedQuery, openBoundedQuery, queryError } from './bounded-query.ts';
import { openPgBoundedQuery } from './pg-bounded-query.ts';
import { refuseSessionStatements, refuseWrites } from './read-only-query.ts';

export interface ReaderRows {
  readonly columns: readonly string[];
  readonly rows: readonly unknown[][];
}

export interface StartOptions {
  readonly timeoutMs: number;
  /** How messages name it: "The query", "The --query". */
  readonly what: string;
  /** An export's query: integers as bigint on SQLite, and a statement without rows refused. */
  readonly exporting?: boolean;
  readonly batchRows?: number;
}

export class WarehouseReader {
  readonly warehouse: Warehouse;
  /** What asOf() set up, replayed on the connection that runs a bounded query. */
  readonly #setup: string[] = [];

  private constructor(warehouse: Warehouse) {
    this.warehouse = warehouse;
  }

  /** Opens the warehouse at a path or URL read-only; `warehouse_missing` when a file is not there. */
  static async open(location: string): Promise<WarehouseReader> {
    // A file that is not there (or whose folder is not) is a missing warehouse, never created
    // here; a PostgreSQL URL is not a file, and its server says whether the database exists.
    if (!isPostgresUrl(location) && location !== ':memory:' && !existsSync(location))
      throw new WarehouseError(
        `No warehouse at ${location}. Create it with "corridor init" or load a file first, or point --db at an existing one.`,
        { code: 'warehouse_missing', exitCode: ExitCode.Usage },
      );
    const warehouse = await openWarehouse(location, { readonly: true });
    // A SQLite file opened read-only can still hold temporary tables; query_only stops those too.
    if (warehouse.backend === 'sqlite') warehouse.sqlite.pragma('query_only = ON');
    return new WarehouseReader(warehouse);
  }

  get backend(): Warehouse['backend'] {
    return this.warehouse.backend;
  }

  /**
   * Every row of one of Corridor's own reading statements (small listings), as arrays: two
   * columns of one name (`o.value_usd, n.value_usd`) stay two, which objects would merge.
   * `parameters` are bound to the statement's `?` on both backends (never spliced into its text).
   */
  async rows(sql: string, parameters: readonly unknown[] = []): Promise<ReaderRows> {
    if (this.warehouse.backend === 'sqlite') {
      const statement = this.warehouse.sqlite.prepare(sql).raw(true);
      return {
        columns: statement.columns().map((c) => c.name),
        rows: statement.all(...parameters) as unknown[][],
      };
    }
    const result = (await this.warehouse.pg.query({
      text: numberPlaceholders(sql),
      values: [...parameters],
      rowMode: 'array',
    })) as unknown as {
      rows: unknown[][];
      fields: { name: string }[];
    };
    return { columns: result.fields.map((f) => f.name), rows: result.rows };
  }

  /**
   * From now on, answers as the warehouse stood at `text` (a run id, a date or a release):
   * `trade_flows`, `port_throughput` and the views over them show the versions current then.
   * Only temporary views are created, on the query's connection; the warehouse is never written.
   */
  async asOf(text: string): Promise<AsOf> {
    const { sql, flavor } = this.warehouse;
    const resolved = await resolveAsOf(sql, text, flavor.groupConcat);
    if (this.warehouse.backend === 'sqlite') {
      const db = this.warehouse.sqlite;
      const viewsOverFacts = db
        .prepare(
          `select name, sql from sqlite_master where type = 'view' and name not in ('trade_flows', 'port_throughput')
             and name not like '%_history' and (sql like '%trade_flows%' or sql like '%port_throughput%') order by rowid`,
        )
        .all() as { name: string; sql: string }[];
      const columnsOf = (view: string) =>
        (db.prepare(`select name from pragma_table_info('${view}')`).pluck().all() as string[]).map(
          (c) => `"${c}"`,
        );
      db.pragma('query_only = OFF');
      try {
        for (const statement of asOfStatements(resolved.loadId, viewsOverFacts, columnsOf)) {
          db.exec(statement);
          this.#setup.push(statement);
        }
      } finally {
        db.pragma('query_only = ON');
      }
      return resolved;
    }
    // PostgreSQL: the definitions are read before any temporary view exists, so they name the
    // warehouse's own relations unqualified and bind to the temporary ones when replayed.
    const viewsOverFacts = (
      await sql.all<{ name: string; definition: string }>(
        `select c.relname as name, pg_get_viewdef(c.oid) as definition from pg_class c
          where c.relkind = 'v' and c.relnamespace = current_schema()::regnamespace
            and c.relname not in ('trade_flows', 'port_throughput') and c.relname not like '%\\_history'
            and (pg_get_viewdef(c.oid) like '%trade_flows%' or pg_get_viewdef(c.oid) like '%port_throughput%')
          order by c.oid`,
      )
    ).map((v) => ({
      name: v.name,
      sql: `create view "${v.name}" as ${v.definition.trim().replace(/;$/, '')}`,
    }));
    const columns = new Map<string, string[]>();
    for (const view of ['trade_flows', 'port_throughput']) {
      const names = await sql.all<{ name: string }>(
        `select attname as name from pg_attribute where attrelid = cast(? as regclass) and attnum > 0 and not attisdropped order by attnum`,
        [view],
      );
      columns.set(
        view,
        names.map((c) => `"${c.name}"`),
      );
    }
    this.#setup.push(...asOfStatements(resolved.loadId, viewsOverFacts, (v) => columns.get(v) ?? [], ''));
    return resolved;
  }

  /**
   * Starts an analyst's statement, stopped at `timeoutMs`, after the refusals of corridor sql.
   * Throws QueryRefusedError when it would write or does not compile, CorridorError
   * `query_timeout` when it passes the limit before its first rows.
   */
  async start(sql: string, options: StartOptions): Promise<BoundedQuery> {
    let readOnlyPragma = false;
    try {
      if (this.backend === 'sqlite') readOnlyPragma = refuseWrites(sql);
      else refuseSessionStatements(sql);
    } catch (cause) {
      if (options.exporting !== true) throw cause;
      throw new QueryRefusedError(`--query follows the rules of corridor sql: ${(cause as Error).message}`, {
        cause,
      });
    }
    try {
      if (this.backend === 'postgres') {
        return await openPgBoundedQuery(this.warehouse, {
          sql,
          timeoutMs: options.timeoutMs,
          setup: this.#setup.splice(0),
          ...(options.batchRows === undefined ? {} : { batchRows: options.batchRows }),
        });
      }
      return await openBoundedQuery({
        path: this.warehouse.path,
        sql,
        setup: this.#setup,
        readOnlyPragma,
        timeoutMs: options.timeoutMs,
        ...(options.exporting === true ? { safeIntegers: true, requireReader: true } : {}),
        ...(options.batchRows === undefined ? {} : { batchRows: options.batchRows }),
      });
    } catch (error) {
      throw queryError(error, options.what, options.timeoutMs, 0, this.backend);
    }
  }

  async close(): Promise<void> {
    await this.warehouse.close();
  }
}
