/** World trade totals a user supplies (sources/world-totals/, migration 0013). Part of the warehouse schema (../schema.ts). */
import type { ClosedColumns, HistoryColumns, SeenColumns } from './trade-tables.ts';

/** One figure of the world's trade: a year, HS edition and code, as the user's file gives it. */
export interface WorldTradeTotalsFigure {
  /** `world-totals`. */
  source: string;
  /** The calendar year. */
  year: number;
  /** The HS edition of the code: `H0` … `H6`. */
  hs_edition: string;
  /** `X`: the world's exports (the only flow RCA reads). */
  flow: string;
  /** The HS code (text, leading zeros kept), or `TOTAL` for every product. */
  hs_code: string;
  /** Digits of the code: 2, 4 or 6; 0 for `TOTAL`. */
  hs_level: number;
  /** The value in US dollars. */
  value_usd: number;
  /** Where the figure comes from, as the file says (`source_note`); NULL when it does not. */
  source_note: string | null;
  source_row: number;
  load_id: number;
}

/** The world's trade by year, edition and code: the current version of each figure. */
export interface WorldTradeTotalsTable extends WorldTradeTotalsFigure, SeenColumns {}

/** Superseded versions of `world_trade_totals`. */
export interface WorldTradeTotalsClosedTable extends WorldTradeTotalsFigure, ClosedColumns {}

/** A view: every version of every world total. */
export interface WorldTradeTotalsHistoryView extends WorldTradeTotalsFigure, HistoryColumns {}
