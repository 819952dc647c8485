/**
 * The row path into `world_trade_totals` (migration 0013), through the small fact tables'
 * writer (keyed-row-writer.ts): a world-totals file is a few thousand codes a year. The file
 * covers its years and editions (the source's coverage): a corrected file retires the codes of
 * those it no longer holds. A row that repeats a key of the same file (a year, edition, flow and
 * code twice) comes back as a duplicate.
 */

import { WORLD_TRADE_TOTALS } from '../../warehouse/fact-tables.ts';
import type { WorldTotalRow } from '../validate/trade-source.ts';
import {
  type KeyedRow,
  type KeyedRowTable,
  KeyedRowWriter,
  type KeyedRowWriterArgs,
} from './keyed-row-writer.ts';

/** A world total as the map stage hands it on: its canonical values and its row in the file. */
export type WorldTotalValues = KeyedRow<WorldTotalRow>;

/** How world totals are stored: this writer's, and the PostgreSQL COPY path's (src/load/postgres/copy-rows.ts). */
export const WORLD_TOTAL_ROWS: KeyedRowTable<WorldTotalRow> = {
  table: WORLD_TRADE_TOTALS,
  rowsOf: (batch) => batch.worldRows ?? [],
  valueOf: (row, column) => row[column as keyof WorldTotalRow],
  // The world (reporter W00) in a year and edition: the refresh recomputes that year.
  sliceOf: (row) => ({
    slice: { reporter: 'W00', period: String(row.year), hs_edition: row.hs_edition },
    key: [row.year, row.hs_edition],
  }),
};

export class WorldTotalsWriter extends KeyedRowWriter<WorldTotalRow> {
  constructor(...args: KeyedRowWriterArgs) {
    super(WORLD_TOTAL_ROWS, ...args);
  }
}
