/**
 * A canonical trade flow as a flat array of values, the form rows travel in between the map
 * stage (possibly in a worker thread: arrays clone faster than objects) and the bulk writer.
 */
import type { TradeFlowRow } from '../validate/trade-source.ts';

/** Column order of a row's values: every `trade_flows` column but `source` and `load_id`, which the writer adds. */
export const ROW_COLUMNS = [
  'reporter_iso3',
  'reporter_code',
  'partner_iso3',
  'partner_code',
  'partner2_iso3',
  'flow',
  'freq',
  'period',
  'year',
  'month',
  'hs_edition',
  'hs_code',
  'hs_level',
  'value_usd',
  'cif_value_usd',
  'fob_value_usd',
  'net_weight_kg',
  'net_weight_estimated',
  'gross_weight_kg',
  'qty',
  'qty_unit_code',
  'qty_unit',
  'mode_of_transport',
  'customs_procedure',
  'source_row',
] as const;

export type RowValues = unknown[];

/** Positions of the columns the writer reads by name. */
export const AT = Object.freeze(Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, i]))) as Readonly<
  Record<(typeof ROW_COLUMNS)[number], number>
>;

export function toRowValues(r: TradeFlowRow, sourceRow: number): RowValues {
  return [
    r.reporter_iso3,
    r.reporter_code,
    r.partner_iso3,
    r.partner_code,
    r.partner2_iso3,
    r.flow,
    r.freq,
    r.period,
    r.year,
    r.month,
    r.hs_edition,
    r.hs_code,
    r.hs_level,
    r.value_usd,
    r.cif_value_usd,
    r.fob_value_usd,
    r.net_weight_kg,
    r.net_weight_estimated,
    r.gross_weight_kg,
    r.qty,
    r.qty_unit_code,
    r.qty_unit,
    r.mode_of_transport,
    r.customs_procedure,
    sourceRow,
  ];
}

/** The row as an object of column → value, for a reject's raw row when only values are at hand. */
export function rowValuesAsObject(values: RowValues): Record<string, unknown> {
  return Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, values[i] ?? null]));
}
