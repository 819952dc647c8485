/**
 * The bulk row path into `port_throughput_rows` (migration 0005). Port tables are small (a
 * port's year is a few thousand figures), so rows go through one prepared multi-row INSERT
 * without the constant-column tricks of trade-flow-writer.ts. Slices are (source, port,
 * period, direction, unit): a revised table replaces the months it covers, and a port's TEU
 * table does not replace its tonnage table. Rows the unique key refuses (the
 * same port, period, direction, cargo group, label and unit twice in one file) come back as
 * duplicates.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */
import type Database from 'better-sqlite3';
import { foldName } from '../normalize/fold-name.ts';
import type { PortThroughputRow } from '../pipeline/trade-source.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import type { Duplicate, FlowWriter } from './flow-writer.ts';
import { SliceReplacer } from './slice-replacer.ts';

/** A port row as the map stage hands it on: its canonical values and its row in the file. */
export interface PortRowValues {
  readonly row: PortThroughputRow;
  readonly sourceRow: number;
}

const COLUMNS = [
  'port_locode',
  'period',
  'freq',
  'year',
  'month',
  'direction',
  'cargo_group',
  'commodity_raw',
  'commodity_key',
  'unit',
  'quantity',
  'is_provisional',
  'is_revised',
  'source_row',
] as const;

const KEY = ['port_locode', 'period', 'direction', 'cargo_group', 'commodity_raw', 'unit'] as const;

const ROWS_PER_STATEMENT = 100;

function valuesOf({ row, sourceRow }: PortRowValues): unknown[] {
  return [
    row.port_locode,
    row.period,
    row.freq,
    row.year,
    row.month,
    row.direction,
    row.cargo_group,
    row.commodity_raw,
    foldName(row.commodity_raw),
    row.unit,
    row.quantity,
    row.is_provisional,
    row.is_revised,
    sourceRow,
  ];
}

export class PortThroughputWriter implements FlowWriter {
  readonly #sqlite: Database.Database;
  readonly #source: string;
  readonly #loadId: number;
  readonly #statements = new Map<number, Database.Statement>();
  readonly #findKey: Database.Statement;
  readonly replacer: SliceReplacer;
  readonly sliceKey = 'port, period, direction and unit';
  rowsInserted = 0;

  constructor(sqlite: Database.Database, source: string, loadId: number) {
    this.#sqlite = sqlite;
    this.#source = source;
    this.#loadId = loadId;
    // A port's slice is one series of a period: its direction and unit too, since ports publish
    // imports and exports, tonnes and TEU, in separate tables.
    const sliceWhere = 'source = ? and port_locode = ? and period = ? and direction = ? and unit = ?';
    this.replacer = new SliceReplacer(sqlite, loadId, {
      count: sqlite.prepare(
        `select load_id, count(*) as n from port_throughput_rows where ${sliceWhere} group by load_id`,
      ),
      remove: sqlite.prepare(`delete from port_throughput_rows where ${sliceWhere}`),
    });
    this.#findKey = sqlite
      .prepare(
        `select source_row from port_throughput_rows where source = ? and ${KEY.map((c) => `${c} = ?`).join(' and ')}`,
      )
      .pluck();
  }

  #statementFor(rows: number): Database.Statement {
    let statement = this.#statements.get(rows);
    if (statement === undefined) {
      const tuple = `(?,${COLUMNS.map(() => '?').join(',')},${this.#loadId})`;
      statement = this.#sqlite.prepare(
        `insert into port_throughput_rows (source,${COLUMNS.join(',')},load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} on conflict do nothing`,
      );
      this.#statements.set(rows, statement);
    }
    return statement;
  }

  write(batch: MappedBatch): Duplicate[] {
    const rows = batch.portRows ?? [];
    for (const { row } of rows) {
      // A slice's `reporter` is the port here.
      this.replacer.claim(
        { reporter: row.port_locode, period: row.period, direction: row.direction, unit: row.unit },
        [this.#source, row.port_locode, row.period, row.direction, row.unit],
      );
    }
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const params = chunk.flatMap((r) => [this.#source, ...valuesOf(r)]);
      const inserted = this.#statementFor(chunk.length).run(params).changes;
      this.rowsInserted += inserted;
      if (inserted < chunk.length) {
        for (const r of chunk) {
          const firstRow = this.#findKey.get(this.#source, ...KEY.map((k) => r.row[k])) as number;
          if (firstRow !== r.sourceRow)
            duplicates.push({ sourceRow: r.sourceRow, firstRow, row: () => ({ ...r.row }) });
        }
      }
    }
    return duplicates;
  }
}
