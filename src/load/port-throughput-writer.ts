/**
 * The bulk row path into `port_throughput_rows` (migration 0005). Port tables are small (a
 * port's year is a few thousand figures), so rows go through one prepared multi-row INSERT
 * without the constant-column tricks of trade-flow-writer.ts, merged by natural key
 * (src/db/merge-lane.ts). A port table covers its ports, periods, directions and units as read
 * (the source's declared coverage): a revised table retires the figures of those it no longer
 * holds, and a port's TEU table never touches its tonnage table. Rows that repeat a key of the
 * same file (the same port, period, direction, cargo group, label and unit twice) come back as
 * duplicates.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */

import { PORT_THROUGHPUT_ROWS } from '../../warehouse/fact-tables.ts';
import { ScopeRetirer } from '../db/coverage.ts';
import type { SqliteDatabase, SqliteStatement } from '../db/driver.ts';
import { MergeLane, type MergeOutcome, mergeClause } from '../db/merge-lane.ts';
import { foldName } from '../normalize/fold-name.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import type { PortThroughputRow } from '../validate/trade-source.ts';
import type { Duplicate, FlowWriter } from './flow-writer.ts';
import { TouchedSlices } from './touched-slices.ts';

/** A port row as the map stage hands it on: its canonical values and its row in the file. */
export interface PortRowValues {
  readonly row: PortThroughputRow;
  readonly sourceRow: number;
}

/** The stored columns a row fills, in table order: all but `source` and `load_id`, which the writer's statement holds. */
const COLUMNS = PORT_THROUGHPUT_ROWS.columns.filter((c) => c !== 'source' && c !== 'load_id');

/** The natural key's columns a row carries (all but `source`, which is the writer's). */
const KEY = PORT_THROUGHPUT_ROWS.key.filter((c) => c !== 'source') as (keyof PortThroughputRow)[];

const ROWS_PER_STATEMENT = 100;

function valuesOf({ row, sourceRow }: PortRowValues): unknown[] {
  return COLUMNS.map((c) =>
    c === 'source_row'
      ? sourceRow
      : c === 'commodity_key'
        ? foldName(row.commodity_raw)
        : row[c as keyof PortThroughputRow],
  );
}

export class PortThroughputWriter implements FlowWriter {
  readonly #sqlite: SqliteDatabase;
  readonly #source: string;
  readonly #loadId: number;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #findKey: SqliteStatement;
  readonly #touched = new TouchedSlices();
  readonly #lane: MergeLane;
  readonly #retirer: ScopeRetirer | null;
  readonly #scopeColumns: readonly (keyof PortThroughputRow)[];

  /** @param coverageColumns the columns of the file's coverage, or null to merge only. */
  constructor(
    sqlite: SqliteDatabase,
    source: string,
    loadId: number,
    coverageColumns: readonly string[] | null,
  ) {
    this.#sqlite = sqlite;
    this.#source = source;
    this.#loadId = loadId;
    this.#lane = new MergeLane(sqlite, PORT_THROUGHPUT_ROWS, loadId);
    this.#scopeColumns = (coverageColumns ?? []) as (keyof PortThroughputRow)[];
    this.#retirer =
      coverageColumns === null
        ? null
        : new ScopeRetirer(sqlite, PORT_THROUGHPUT_ROWS, loadId, coverageColumns, ['source'], [source]);
    this.#findKey = sqlite
      .prepare(
        `select coalesce(seen_row, source_row) from port_throughput_rows where source = ? and ${KEY.map((c) => `${c} = ?`).join(' and ')}`,
      )
      .pluck();
  }

  get rowsWritten(): number {
    return this.#lane.inserted + this.#lane.merged;
  }

  get slices() {
    return this.#touched.slices;
  }

  #statementFor(rows: number, merge: boolean): SqliteStatement {
    const key = `${rows}${merge ? 'm' : 'i'}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(?,${COLUMNS.map(() => '?').join(',')},${this.#loadId})`;
      const conflict = merge ? mergeClause(PORT_THROUGHPUT_ROWS, this.#loadId) : 'on conflict do nothing';
      statement = this.#sqlite.prepare(
        `insert into port_throughput_rows (source,${COLUMNS.join(',')},load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} ${conflict}`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  write(batch: MappedBatch): Duplicate[] {
    const rows = batch.portRows ?? [];
    for (const { row } of rows) {
      // A slice's `reporter` is the port here.
      this.#touched.note(
        { reporter: row.port_locode, period: row.period, direction: row.direction, unit: row.unit },
        [row.port_locode, row.period, row.direction, row.unit],
      );
      this.#retirer?.claim(this.#scopeColumns.map((c) => row[c]));
    }
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const params = chunk.flatMap((r) => [this.#source, ...valuesOf(r)]);
      const n = chunk.length;
      const outcome = this.#lane.run(this.#statementFor(n, false), this.#statementFor(n, true), params, n);
      if (outcome.duplicates > 0) {
        for (const r of chunk) {
          const firstRow = this.#findKey.get(this.#source, ...KEY.map((k) => r.row[k])) as number;
          if (firstRow !== r.sourceRow)
            duplicates.push({ sourceRow: r.sourceRow, firstRow, row: () => ({ ...r.row }) });
        }
      }
    }
    return duplicates;
  }

  finish(): MergeOutcome {
    const retired = this.#retirer?.retire() ?? 0;
    return this.#lane.outcome(retired, this.#retirer?.scopes ?? 0);
  }
}
