/**
 * What an export reads: a table or view of the warehouse, on a connection that cannot write
 * (a query: query-export-source.ts), on either backend. It gives the columns (the data
 * dictionary's words when the table is documented, else the declared types) and the rows,
 * streamed in batches (a SQLite statement, a PostgreSQL cursor), in an order that
 * does not change from one export to the next: sorted by the table's key, ties broken by the
 * other columns, so tomorrow's export diffs cleanly against today's. A query's rows come in the
 * order it asks for (docs/downstream.md tells users to give it an ORDER BY).
 *
 * A changes export (`since`, a run id) reads a fact view's history instead: only the rows to
 * merge and the keys to delete since that run, each with an `action` column (changes-since.ts).
 */

import { tableDoc } from '../../warehouse/dictionary/index.ts';
import type { ColumnType, TableDoc } from '../../warehouse/dictionary/table-doc.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { ConfigError, WarehouseError } from '../errors.ts';
import { type BoundedQuery, MAX_TIMEOUT_SECONDS } from '../query/bounded-query.ts';
import { openPgBoundedQuery } from '../query/pg-bounded-query.ts';
import { WarehouseReader } from '../query/warehouse-reader.ts';
import type { Provenance } from '../validate/source-about.ts';
import { listRelations } from './catalog.ts';
import { checkChanges, prepareChanges } from './changes-since.ts';
import { readLoadedSources } from './loaded-sources.ts';
import { type Prepared, quoteName, shapeOf } from './table-shape.ts';
import type { ExportColumn, ExportRow } from './table-writer.ts';

/** Rows handed to a writer at a time: big enough to amortise each write, small in memory. */
export const BATCH_ROWS = 5_000;

/** A table or view by name, or a read-only query. */
export type ExportSubject = { readonly table: string } | { readonly query: string };

/**
 * The loads behind the warehouse's fact tables, from the journal (`load_files`): one entry per
 * source, fact table and provenance, so a source whose loads came from two publishers (the
 * samples and a real extract) is two entries.
 */
export interface LoadedSource {
  /** `load_files.source`: `comtrade`, `baci`, a port table's name… */
  readonly source: string;
  /** `trade_flows` or `port_throughput`. */
  readonly target: string;
  readonly files: number;
  /** The loads, by `load_id`, ascending. */
  readonly loadIds: readonly number[];
  /** Its files are named as the bundled illustrative samples (invented values). */
  readonly illustrative: boolean;
  /** Who published the files and on which terms, as recorded when they loaded; null for loads before migration 0012. */
  readonly provenance: Provenance | null;
}

export interface ExportSource {
  /** The table or view as the warehouse spells it, or null for a query. */
  readonly table: string | null;
  /** The dictionary's entry for the table, when it has one. */
  readonly doc: TableDoc | null;
  /** Columns in order; for a column SQLite declares no type for, the type of its first rows' values. */
  readonly columns: readonly ExportColumn[];
  /** The columns that identify a row: the dictionary's key, else the table's primary key; none for a query. */
  readonly key: readonly string[];
  /** The statement that reads the rows. */
  readonly sql: string;
  /** The run a changes export starts after (`--since`), or null for every current row. */
  readonly since: number | null;
  /** Index of the `action` column (a RowAction) in a changes export, else null. */
  readonly actionColumn: number | null;
  /** What the journal says was loaded, read before the rows (the connection is busy while they stream). */
  readonly loaded: readonly LoadedSource[];
  /** The rows, in batches of at most BATCH_ROWS, in the export's order. Iterate once. */
  batches(): AsyncIterable<ExportRow[]>;
  /**
   * The columns again, a declared type kept and an undeclared one taken from every value that
   * went by (any text: text; any fraction: real; else integer). Call after the rows.
   */
  finalColumns(): readonly ExportColumn[];
  close(): Promise<void>;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Up to five names close to `wanted`: within a few edits, or containing it, or contained in it. */
export function closeNames(wanted: string, names: readonly string[]): string[] {
  const w = wanted.toLowerCase();
  return names
    .map((name) => ({ name, d: distance(w, name.toLowerCase()) }))
    .filter(
      ({ name, d }) =>
        d <= Math.max(2, Math.floor(w.length / 3)) ||
        (w.length >= 3 && (name.toLowerCase().includes(w) || w.includes(name.toLowerCase()))),
    )
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map(({ name }) => name);
}

/**
 * A value as the writers take it: a safe integer as a number, a blob as base64 text; from
 * PostgreSQL also a date or time as ISO text, a boolean as 1 or 0 (as SQLite stores them) and
 * JSON as its text.
 */
function exportValue(value: unknown): ExportRow[number] {
  if (typeof value === 'bigint') {
    return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value as ExportRow[number];
}

/** A row from the driver as the writers take it, converted in place. */
export function toExportRow(values: unknown[]): ExportRow[number][] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'bigint' || typeof v === 'boolean' || (typeof v === 'object' && v !== null))
      values[i] = exportValue(v);
  }
  return values as ExportRow[number][];
}

/** The columns, each undeclared one with the type its values turned out to have. */
export function settledColumns(
  columns: readonly ExportColumn[],
  observed: readonly (ObservedType | null)[],
): ExportColumn[] {
  return columns.map((c, i) => {
    const type = observed[i]?.type;
    return type === undefined || type === null || type === c.type ? c : { ...c, type };
  });
}

/** What the values of a column without a declared type turned out to be. */
export class ObservedType {
  text = false;
  real = false;
  integer = false;
  see(value: ExportRow[number]): void {
    if (typeof value === 'string') this.text = true;
    else if (typeof value === 'bigint') this.integer = true;
    else if (typeof value === 'number') {
      if (Number.isInteger(value)) this.integer = true;
      else this.real = true;
    }
  }
  get type(): ColumnType | null {
    if (this.text) return 'text';
    if (this.real) return 'real';
    return this.integer ? 'integer' : null;
  }
}

/** The table or view as the warehouse spells it, or a ConfigError naming the close ones. */
async function resolveTable(warehouse: Warehouse, wanted: string, path: string): Promise<string> {
  const relations = await listRelations(warehouse);
  // Exact first, then regardless of case (SQLite's names are case-insensitive).
  const found =
    relations.find((r) => r.name === wanted) ??
    relations.find((r) => r.name.toLowerCase() === wanted.toLowerCase());
  if (found !== undefined) return found.name;
  const close = closeNames(
    wanted,
    relations.map((r) => r.name),
  );
  throw new ConfigError(
    `No table or view "${wanted}" in the warehouse ${path}.${
      close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ''
    } List them with: ${
      warehouse.backend === 'sqlite'
        ? `corridor sql "select name, type from sqlite_master where type in ('table', 'view') order by 1"`
        : 'corridor sql "select table_name, table_type from information_schema.tables where table_schema = current_schema() order by 1"'
    }`,
    { code: 'unknown_table' },
  );
}

async function prepareTable(warehouse: Warehouse, name: string, doc: TableDoc | null): Promise<Prepared> {
  const { names, columns, declared, key, order } = await shapeOf(warehouse, name, doc);
  // Text sorts by its bytes on both backends (SQLite's BINARY), whatever the server's locale,
  // so an export has the same row order from either.
  const binary = (column: string) =>
    warehouse.backend === 'postgres' &&
    columns[names.indexOf(column)]?.type === 'text' &&
    declared[names.indexOf(column)]
      ? `${quoteName(column)} collate "C"`
      : quoteName(column);
  const sql = `select ${names.map(quoteName).join(', ')} from ${quoteName(name)} order by ${order
    .map(binary)
    .join(', ')}`;
  return { columns, declared, key, sql };
}

/**
 * The rows of `sql`, raw, in batches. SQLite: iterated from the prepared statement on this
 * connection (synchronous and fast; integers as bigint). PostgreSQL: through a server-side cursor
 * (pg-bounded-query.ts), a batch per FETCH, with no time limit: an export of a table is not an
 * analyst's query, and a week is the longest limit there is.
 */
async function* rawBatches(
  reader: WarehouseReader,
  sql: string,
  batchRows: number,
  fail: (cause: unknown) => Error,
): AsyncGenerator<unknown[][]> {
  if (reader.backend === 'sqlite') {
    let iterator: IterableIterator<unknown[]>;
    try {
      const statement = reader.warehouse.sqlite.prepare(sql);
      statement.raw(true).safeIntegers(true);
      iterator = statement.iterate() as IterableIterator<unknown[]>;
    } catch (cause) {
      throw fail(cause);
    }
    // An export that stops early (a writer failed, Ctrl-C) must end the statement, or the
    // connection stays busy and cannot close.
    try {
      let batch: unknown[][] = [];
      for (;;) {
        let next: IteratorResult<unknown[]>;
        try {
          next = iterator.next();
        } catch (cause) {
          throw fail(cause);
        }
        if (next.done) break;
        batch.push(next.value);
        if (batch.length >= batchRows) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      iterator.return?.();
    }
    return;
  }
  let query: BoundedQuery;
  try {
    query = await openPgBoundedQuery(reader.warehouse, {
      sql,
      timeoutMs: MAX_TIMEOUT_SECONDS * 1000,
      batchRows,
    });
  } catch (cause) {
    throw fail(cause);
  }
  try {
    try {
      for await (const batch of query.batches()) yield batch;
    } catch (cause) {
      throw fail(cause);
    }
  } finally {
    query.close();
    await query.exited;
  }
}

/**
 * Opens the warehouse read-only and prepares the export of a table or view. Throws ConfigError
 * for an unknown table (naming close ones), WarehouseError when there is no warehouse.
 *
 * @example
 * const source = await openExportSource('warehouse/corridor.db', { table: 'trade_flows' });
 * try {
 *   for await (const batch of source.batches()) await writer.write(batch);
 * } finally {
 *   await source.close();
 * }
 */
export async function openExportSource(
  warehousePath: string,
  subject: { readonly table: string },
  options: { readonly batchRows?: number; readonly since?: number } = {},
): Promise<ExportSource> {
  const reader = await WarehouseReader.open(warehousePath);
  const warehouse = reader.warehouse;
  try {
    const loaded = await readLoadedSources(warehouse);
    const table = await resolveTable(warehouse, subject.table, warehousePath);
    const since = options.since ?? null;
    if (since !== null) await checkChanges(warehouse, table, since, warehousePath);
    const doc = tableDoc(table) ?? null;
    const prepared =
      since !== null
        ? await prepareChanges(warehouse, table, doc, since)
        : await prepareTable(warehouse, table, doc);
    const { declared, sql } = prepared;
    const columns = [...prepared.columns];
    const observed = declared.map((known) => (known ? null : new ObservedType()));
    const undeclared = observed.flatMap((o, i) => (o === null ? [] : [i]));
    const batchRows = options.batchRows ?? BATCH_ROWS;

    const fail = (cause: unknown) =>
      new WarehouseError(`Reading ${table} failed: ${(cause as Error).message}.`, { cause });

    async function* read(): AsyncGenerator<ExportRow[]> {
      for await (const raw of rawBatches(reader, sql, batchRows, fail)) {
        const batch = raw.map(toExportRow);
        for (const row of batch) for (const i of undeclared) observed[i]!.see(row[i] ?? null);
        yield batch as ExportRow[];
      }
    }

    // Columns without a declared type (a computed column of a view) take the type of the first
    // batch's values, so the writers open knowing it; the rest is checked as it passes.
    const rows = read();
    const first = undeclared.length > 0 ? await rows.next() : null;
    if (first !== null) {
      for (const i of undeclared) {
        const type = observed[i]!.type;
        if (type !== null) columns[i] = { ...columns[i]!, type };
      }
    }

    return {
      table,
      doc,
      columns,
      key: prepared.key,
      sql,
      since,
      actionColumn: since === null ? null : columns.length - 1,
      loaded,
      async *batches() {
        if (first !== null && first.done !== true) yield first.value;
        yield* rows;
      },
      finalColumns: () => settledColumns(columns, observed),
      async close() {
        await rows.return(undefined);
        await reader.close();
      },
    };
  } catch (error) {
    await reader.close();
    throw error;
  }
}
