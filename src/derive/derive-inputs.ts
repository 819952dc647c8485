/**
 * The trade rows the indicators read, computed once per refresh into temporary tables
 * (warehouse/indicators/trade-inputs.ts says what each holds). Each indicator then reads
 * indexed tables instead of evaluating the trade_flows view and the same grouping again: on a
 * 5,000,000-row BACI year this took the first refresh from 8 min 45 s to about a minute.
 */

import type { YearScope } from '../../warehouse/indicators/indicator.ts';
import { TRADE_INPUTS } from '../../warehouse/indicators/trade-inputs.ts';
import type { SqliteDatabase } from '../db/driver.ts';

/** Fills the input tables with the years `scope.read` admits; the caller drops them (dropTradeInputs). */
export function createTradeInputs(sqlite: SqliteDatabase, scope: YearScope): void {
  for (const input of TRADE_INPUTS) {
    sqlite.exec(`drop table if exists temp.${input.table}`);
    sqlite.exec(`create temp table ${input.table} as ${input.select(scope)}`);
    sqlite.exec(`create index temp.${input.table}_key on ${input.table} (${input.index.join(', ')})`);
  }
  // The planner's statistics for the new tables: without them it may scan where it should seek.
  sqlite.exec('analyze temp');
}

export function dropTradeInputs(sqlite: SqliteDatabase): void {
  for (const input of [...TRADE_INPUTS].reverse()) sqlite.exec(`drop table if exists temp.${input.table}`);
}
