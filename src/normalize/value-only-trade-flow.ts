/**
 * `trade_flows` rows for files that report only values: a national statistics office's table
 * by country (all goods, hs_code TOTAL), or a table read by a declared layout. Everything such
 * a file does not say (weights, quantities, CIF/FOB split, second partner, transport mode,
 * customs procedure) takes the value that means "not broken down" or "not reported".
 */
import type { TradeFlowRow } from '../validate/trade-source.ts';
import type { Period } from './period.ts';

export interface ValueOnlyTrade {
  readonly reporterIso3: string;
  /** The reporter's numeric code as the file or the source gives it. */
  readonly reporterCode: string | null;
  readonly partnerIso3: string;
  /** The partner's code as the file gives it, if it gives one. */
  readonly partnerCode: string | null;
  readonly flow: string;
  readonly period: Period;
  readonly hs: { readonly edition: string; readonly code: string; readonly level: number };
  /** US dollars. */
  readonly valueUsd: number;
}

export function valueOnlyTradeFlow(t: ValueOnlyTrade): TradeFlowRow {
  return {
    reporter_iso3: t.reporterIso3,
    reporter_code: t.reporterCode,
    partner_iso3: t.partnerIso3,
    partner_code: t.partnerCode,
    partner2_iso3: 'W00',
    flow: t.flow,
    freq: t.period.freq,
    period: t.period.period,
    year: t.period.year,
    month: t.period.month,
    hs_edition: t.hs.edition,
    hs_code: t.hs.code,
    hs_level: t.hs.level,
    value_usd: t.valueUsd,
    cif_value_usd: null,
    fob_value_usd: null,
    net_weight_kg: null,
    net_weight_estimated: null,
    gross_weight_kg: null,
    qty: null,
    qty_unit_code: null,
    qty_unit: null,
    mode_of_transport: '0',
    customs_procedure: 'C00',
  };
}

/** All goods: the edition is `HS`, "not stated", since the total is the same in every edition. */
export const TOTAL_OF_ALL_GOODS = Object.freeze({ edition: 'HS', code: 'TOTAL', level: 0 });

export interface TotalTrade {
  readonly reporterIso3: string;
  /** The reporter's UN M49 code, as Comtrade gives it. */
  readonly reporterCode: string;
  readonly partnerIso3: string;
  readonly partnerCode: string | null;
  /** X, M, RX or RM. */
  readonly flow: string;
  readonly year: number;
  /** US dollars. */
  readonly valueUsd: number;
}

/**
 * A country's total trade with one partner in one year, all goods. The edition is `HS`, "not
 * stated": the total of all goods is the same in every edition.
 */
export function totalTradeFlow(t: TotalTrade): TradeFlowRow {
  return valueOnlyTradeFlow({
    ...t,
    period: { freq: 'A', period: String(t.year), year: t.year, month: null },
    hs: TOTAL_OF_ALL_GOODS,
  });
}
