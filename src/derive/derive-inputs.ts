/**
 * The trade rows the indicators read, computed once per refresh into temporary tables
 * (warehouse/indicators/trade-inputs.ts says what each holds). Each indicator then reads
 * indexed tables instead of evaluating the trade_flows view and the same grouping again: on a
 * 5,000,000-row BACI year this took the first refresh from 8 min 45 s to about a minute.
 *
 * Temporary tables live with the connection (and on PostgreSQL, inside the refresh's
 * transaction, they are private to it): readers never see them.
 */

import type { YearScope } from '../../warehouse/indicators/indicator.ts';
import { TRADE_INPUTS } from '../../warehouse/indicators/trade-inputs.ts';
import type { Warehouse } from '../db/warehouse.ts';

/** The journal's name for the planner statistics of the input tables (SQLite's ANALYZE of them all). */
export const INPUT_STATISTICS = 'input_statistics';

/** One input table as a refresh computed it: the time its query and index took. */
export interface InputTableTiming {
  readonly table: string;
  readonly durationMs: number;
}

/**
 * Fills the input tables with the years `scope.read` admits; the caller drops them
 * (dropTradeInputs). Returns each table's time, which the refresh journals
 * (derive_tables) so that an operator sees where a refresh's time goes.
 */
export async function createTradeInputs(warehouse: Warehouse, scope: YearScope): Promise<InputTableTiming[]> {
  const { sql, flavor } = warehouse;
  const timings: InputTableTiming[] = [];
  for (const input of TRADE_INPUTS) {
    const started = performance.now();
    await sql.exec(`drop table if exists ${flavor.tempTable(input.table)}`);
    await sql.exec(`create temp table ${input.table} as ${input.select(scope, flavor)}`);
    await sql.exec(flavor.tempIndex(`${input.table}_key`, input.table, input.index));
    // PostgreSQL's statistics of each table, as the next reads it (SQLite's: below).
    const analyze = flavor.analyzeTempTable(input.table);
    if (analyze !== '') await sql.exec(analyze);
    timings.push({ table: input.table, durationMs: Math.round(performance.now() - started) });
  }
  // The planner's statistics for the new tables: without them it may scan where it should seek.
  if (flavor.analyzeTemp !== '') {
    const started = performance.now();
    await sql.exec(flavor.analyzeTemp);
    timings.push({ table: INPUT_STATISTICS, durationMs: Math.round(performance.now() - started) });
  }
  return timings;
}

export async function dropTradeInputs(warehouse: Warehouse): Promise<void> {
  for (const input of [...TRADE_INPUTS].reverse())
    await warehouse.sql.exec(`drop table if exists ${warehouse.flavor.tempTable(input.table)}`);
}
