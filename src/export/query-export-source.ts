/**
 * What `corridor export --query` reads: an analyst's statement, run in its own process with a
 * time limit (bounded-query.ts) under the rules of `corridor sql`. Its columns take SQLite's
 * declared types, or the words and unit of the documented column they read straight from
 * (`select value_usd from trade_flows`), or else the type of the values of the first batch.
 */
import { tableDoc } from '../../warehouse/dictionary/index.ts';
import { QueryRefusedError } from '../errors.ts';
import type { BoundedQuery } from '../query/bounded-query.ts';
import { queryError } from '../query/bounded-query.ts';
import { WarehouseReader } from '../query/warehouse-reader.ts';
import { BATCH_ROWS, type ExportSource, ObservedType, settledColumns, toExportRow } from './export-source.ts';
import { readLoadedSources } from './loaded-sources.ts';
import { declaredType } from './table-shape.ts';
import type { ExportColumn, ExportRow } from './table-writer.ts';

const WHAT = 'The --query';

/**
 * Starts the query and waits for its columns and first batch. Throws QueryRefusedError for a
 * query that would write, does not run or returns no rows; CorridorError `query_timeout` for
 * one that passes `timeoutMs`.
 */
export async function openQueryExportSource(
  warehousePath: string,
  sql: string,
  timeoutMs: number,
): Promise<ExportSource> {
  // On PostgreSQL the query runs on this connection, so it stays open until close().
  const query = await WarehouseReader.open(warehousePath);
  let running: BoundedQuery;
  let loaded: ExportSource['loaded'];
  try {
    loaded = await readLoadedSources(query.warehouse);
    running = await query.start(sql, { timeoutMs, what: WHAT, exporting: true, batchRows: BATCH_ROWS });
  } catch (error) {
    await query.close();
    throw error;
  }
  const closeAll = async () => {
    running.close();
    await running.exited;
    await query.close();
  };
  if (!running.reader) {
    await closeAll();
    throw new QueryRefusedError(
      'The --query returns no rows. Give a SELECT (or a reading PRAGMA) to export.',
      {
        code: 'bad_query',
      },
    );
  }

  const declared: boolean[] = [];
  const columns = running.columns.map((c): ExportColumn => {
    // A column read straight from a documented table keeps its words and unit; a computed one
    // has only its name.
    const origin =
      c.table && c.column ? tableDoc(c.table)?.columns.find((d) => d.name === c.column) : undefined;
    const type = declaredType(c.type) ?? origin?.type ?? null;
    declared.push(type !== null);
    const column: ExportColumn = {
      name: c.name,
      type: type ?? 'text',
      description: origin?.description ?? '',
    };
    return origin?.unit === undefined ? column : { ...column, unit: origin.unit };
  });
  const observed = declared.map((known) => (known ? null : new ObservedType()));
  const undeclared = observed.flatMap((o, i) => (o === null ? [] : [i]));

  let rowsRead = 0;
  async function* read(): AsyncGenerator<ExportRow[]> {
    try {
      for await (const batch of running.batches()) {
        for (const values of batch) {
          const row = toExportRow(values);
          for (const i of undeclared) observed[i]!.see(row[i] ?? null);
        }
        rowsRead += batch.length;
        yield batch as ExportRow[];
      }
    } catch (error) {
      throw queryError(error, WHAT, timeoutMs, rowsRead, query.backend);
    }
  }

  // Columns without a declared type take the type of the first batch's values, so the writers
  // open knowing it; the rest is checked as it passes.
  const rows = read();
  let first: IteratorResult<ExportRow[]> | null = null;
  try {
    first = undeclared.length > 0 ? await rows.next() : null;
  } catch (error) {
    await closeAll();
    throw error;
  }
  if (first !== null) {
    for (const i of undeclared) {
      const type = observed[i]!.type;
      if (type !== null) columns[i] = { ...columns[i]!, type };
    }
  }

  return {
    table: null,
    doc: null,
    columns,
    key: [],
    sql,
    since: null,
    actionColumn: null,
    loaded,
    async *batches() {
      if (first !== null && first.done !== true) yield first.value;
      yield* rows;
    },
    finalColumns: () => settledColumns(columns, observed),
    close: closeAll,
  };
}
