/** Trade flows: the rows every source loads into, BACI's compact table, and the views over them. Part of the warehouse schema (../schema.ts). */
export interface TradeFlowsTable {
  /** Which source format the row came from: `comtrade`, `baci`. */
  source: string;
  /** Reporting country, ISO 3166 alpha-3 (or a Comtrade special code such as `EUR`). */
  reporter_iso3: string;
  /** The reporter's numeric code as the file gave it (Comtrade `586`, or `588` for Pakistan before 1972). */
  reporter_code: string | null;
  /** Partner, ISO alpha-3, or a special area: `W00` World, `_X` Areas n.e.s., `X1` Bunkers, `X2` Free zones, `XX` Special categories, `S19` Other Asia n.e.s. */
  partner_iso3: string;
  partner_code: string | null;
  /** Second partner (consignment country); `W00` when not broken down. */
  partner2_iso3: string;
  /** `X` export, `M` import, `RX` re-export, `RM` re-import, `DX`, `FM`, `MIP`, `MOP`, `XIP`, `XOP`. X already includes RX. */
  flow: string;
  /** `A` annual or `M` monthly. */
  freq: string;
  /** `YYYY` for annual rows, `YYYY-MM` for monthly rows. */
  period: string;
  year: number;
  /** 1–12 for monthly rows, NULL for annual rows. */
  month: number | null;
  /** HS edition as reported: `H0`…`H6`, or `HS` when the file did not say which. */
  hs_edition: string;
  /** HS code as text with its leading zeros (`030613`), or `TOTAL`. */
  hs_code: string;
  /** 0 for TOTAL, else 2, 4 or 6 digits. */
  hs_level: number;
  /** Trade value in US dollars: FOB for exports, CIF for imports (Comtrade `primaryValue`). */
  value_usd: number;
  /** CIF value in US dollars, when reported. */
  cif_value_usd: number | null;
  /** FOB value in US dollars, when reported. */
  fob_value_usd: number | null;
  /** Net weight in kilograms; NULL when not reported. */
  net_weight_kg: number | null;
  /** 1 when the reporter or UNSD estimated the net weight. */
  net_weight_estimated: number | null;
  /** Gross weight in kilograms. */
  gross_weight_kg: number | null;
  /** Quantity in `qty_unit`; comparable only within one unit. */
  qty: number | null;
  /** Comtrade quantity unit code as text (`8` = kg, `5` = units, `-1` = not applicable). */
  qty_unit_code: string | null;
  /** Quantity unit abbreviation as reported (`kg`, `u`, `l`). */
  qty_unit: string | null;
  /** Comtrade mode of transport code: `0` all modes, `2100` sea, `3100` rail… */
  mode_of_transport: string;
  /** Comtrade customs procedure code: `C00` all procedures. */
  customs_procedure: string;
  /** Row number in the source file as a spreadsheet shows it (header = row 1), or the JSON record number. */
  source_row: number;
  /** The file load that wrote this row: `load_files.load_id`. */
  load_id: number;
}

/**
 * BACI's rows, narrow and numeric (migration 0002). `trade_flows` shows them with ISO codes (through
 * `baci_country_codes`), text periods, zero-padded HS codes and the columns BACI rows all share
 * (flow `X`, freq `A`, partner2 `W00`, hs_level 6, transport mode `0`, customs procedure `C00`,
 * FOB = value). Read BACI through `trade_flows`; this table is the loader's.
 */
export interface BaciFlowsTable {
  /** BACI's exporter code (`i`). */
  reporter_code: number;
  /** The year. */
  period: number;
  /** BACI's importer code (`j`). */
  partner_code: number;
  hs_edition: string;
  /** The HS subheading as a number: `10121` is `010121`. */
  hs_code: number;
  value_usd: number;
  net_weight_kg: number | null;
  source_row: number;
  load_id: number;
  /** The last load that carried this figure, changed or not; NULL when it is `load_id`. */
  seen_load: number | null;
  /** The figure's row in the file of `seen_load`; NULL when it is `source_row`. */
  seen_row: number | null;
}

/** Which country each BACI code stands for, as the loaded files' country lists said. */
export interface BaciCountryCodesTable {
  code: number;
  iso3: string;
}

/**
 * A view: trade summed by category, per source, reporter, partner, flow and period. Only rows
 * without second-partner, transport-mode or customs-procedure breakdown count, and of the HS
 * levels a file reports, only the finest under each category, so nothing is counted twice.
 */
export interface TradeByCategoryView {
  source: string;
  reporter_iso3: string;
  partner_iso3: string;
  flow: string;
  freq: string;
  period: string;
  year: number;
  month: number | null;
  /** The HS edition of the rows summed: one per source, reporter and period (the newest, when a year is loaded in two). */
  hs_edition: string;
  scheme: string;
  category: string;
  /** The sum in US dollars; NULL with null_reason `coarser_than_category` where the file publishes only codes wider than the category. */
  value_usd: number | null;
  net_weight_kg: number | null;
  /** 1 when every row summed had a net weight. */
  net_weight_complete: number;
  /** The finest HS level the sum drew on (hs_levels lists them all); NULL when it drew on no row. */
  hs_level: number | null;
  row_count: number;
  /** exact, from_coarser or partial: how the sum was made (ind_trade_sums.sum_basis). */
  sum_basis: string | null;
  hs_levels: string | null;
  codes_drawn_on: string | null;
  null_reason: string | null;
}

/** A view: every trade flow in the target HS edition (settings.target_hs_edition), values multiplied by the conversion weight. */
export interface TradeFlowsConvertedView {
  source: string;
  reporter_iso3: string;
  partner_iso3: string;
  partner2_iso3: string;
  flow: string;
  freq: string;
  period: string;
  year: number;
  month: number | null;
  reported_hs_edition: string;
  reported_hs_code: string;
  hs_edition: string;
  hs_code: string;
  hs_level: number;
  conversion_weight: number;
  converted_approximately: number;
  value_usd: number;
  net_weight_kg: number | null;
  qty: number | null;
  qty_unit: string | null;
  mode_of_transport: string;
  customs_procedure: string;
  source_row: number;
  load_id: number;
}

/** Columns every fact table has beside its figures, to merge by natural key (migration 0008). */
export interface SeenColumns {
  /** The last load that carried this figure, changed or not; NULL when it is `load_id`. */
  seen_load: number | null;
  /** The figure's row in the file of `seen_load`; NULL when it is `source_row`. */
  seen_row: number | null;
}

/** How a superseded version was closed, in every `*_closed` table. */
export interface ClosedColumns {
  /** The load that closed this version: `load_files.load_id`. */
  valid_to_load: number;
  /** Why: `changed` (a later load gave the key a new value), `retired` (a later file covering it no longer held it), `reverted` (its load was reverted). */
  closed_by: string;
}

/** Every version of a figure, current and superseded: the columns of the current view and its validity. */
export interface HistoryColumns {
  /** The load that gave this version its value (`load_id`). */
  valid_from_load: number;
  /** The load that closed it; NULL while it is current. */
  valid_to_load: number | null;
  /** `changed`, `retired` or `reverted`; NULL while it is current. */
  closed_by: string | null;
}

/** Trade flows of every source but BACI as stored: the view's columns and the merge's bookkeeping. */
export interface TradeFlowRowsTable extends TradeFlowsTable, SeenColumns {}

/** Superseded versions of `trade_flow_rows`. */
export interface TradeFlowRowsClosedTable extends TradeFlowsTable, ClosedColumns {}

/** Superseded versions of `baci_flows`. */
export interface BaciFlowsClosedTable extends Omit<BaciFlowsTable, keyof SeenColumns>, ClosedColumns {}

/** A view: every version of every trade flow. */
export interface TradeFlowsHistoryView extends TradeFlowsTable, HistoryColumns {}
