/**
 * The bulk row path into `port_throughput_rows` (migration 0005), through the small fact
 * tables' writer (keyed-row-writer.ts): port tables are small (a port's year is a few thousand
 * figures). A port table covers its ports, periods, directions and units as read (the source's
 * declared coverage): a revised table retires the figures of those it no longer holds, and a
 * port's TEU table never touches its tonnage table. Rows that repeat a key of the same file (the
 * same port, period, direction, cargo group, label and unit twice) come back as duplicates.
 */

import { PORT_THROUGHPUT_ROWS } from '../../warehouse/fact-tables.ts';
import { foldName } from '../normalize/fold-name.ts';
import type { PortThroughputRow } from '../validate/trade-source.ts';
import {
  type KeyedRow,
  type KeyedRowTable,
  KeyedRowWriter,
  type KeyedRowWriterArgs,
} from './keyed-row-writer.ts';

/** A port row as the map stage hands it on: its canonical values and its row in the file. */
export type PortRowValues = KeyedRow<PortThroughputRow>;

/** How port rows are stored: this writer's, and the PostgreSQL COPY path's (src/load/postgres/copy-rows.ts). */
export const PORT_ROWS: KeyedRowTable<PortThroughputRow> = {
  table: PORT_THROUGHPUT_ROWS,
  rowsOf: (batch) => batch.portRows ?? [],
  valueOf: (row, column) =>
    column === 'commodity_key' ? foldName(row.commodity_raw) : row[column as keyof PortThroughputRow],
  // A slice's `reporter` is the port here.
  sliceOf: (row) => ({
    slice: { reporter: row.port_locode, period: row.period, direction: row.direction, unit: row.unit },
    key: [row.port_locode, row.period, row.direction, row.unit],
  }),
};

export class PortThroughputWriter extends KeyedRowWriter<PortThroughputRow> {
  constructor(...args: KeyedRowWriterArgs) {
    super(PORT_ROWS, ...args);
  }
}
