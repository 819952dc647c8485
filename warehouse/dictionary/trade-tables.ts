/**
 * The data dictionary's trade area: `trade_flows` and the views over it, and the two tables
 * behind it. Column words repeat the JSDoc of warehouse/schema/trade-tables.ts (the data
 * dictionary test checks that each starts with it) and add what an analyst needs beyond it.
 */

import { TRADE_FLOW_ROWS } from '../fact-tables.ts';
import type {
  BaciCountryCodesTable,
  BaciFlowsClosedTable,
  BaciFlowsTable,
  TradeByCategoryView,
  TradeFlowRowsClosedTable,
  TradeFlowRowsTable,
  TradeFlowsConvertedView,
  TradeFlowsHistoryView,
  TradeFlowsTable,
} from '../schema/trade-tables.ts';
import { type ColumnSpecs, schemaColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';
import { CLOSED, HISTORY, SEEN } from './vintage-columns.ts';

/**
 * A flow's identity, its natural key: the unique index of `trade_flow_rows` (migration 0001),
 * which `baci_flows`' primary key maps onto. Loads merge by it (warehouse/fact-tables.ts).
 */
const TRADE_FLOW_KEY = TRADE_FLOW_ROWS.key;

/** The columns of `trade_flows` and of `trade_flow_rows`, which the view shows unchanged; the views over it reuse their words. */
const FLOW: ColumnSpecs<TradeFlowsTable> = {
  source: {
    type: 'text',
    description:
      'Which source format the row came from: `comtrade`, `baci`. Also `kz-bns`, `kg-nsc`, `uz-stat`, or the name a pipeline gives a table made for people (`pk-exports-example`). Corridor never adds figures of two sources together.',
  },
  reporter_iso3: {
    type: 'text',
    description:
      'Reporting country, ISO 3166 alpha-3 (or a Comtrade special code such as `EUR`). For BACI, the exporter.',
  },
  reporter_code: {
    type: 'text',
    description:
      "The reporter's numeric code as the file gave it (Comtrade `586`, or `588` for Pakistan before 1972). For BACI, BACI's own country code; NULL when the file gave none.",
  },
  partner_iso3: {
    type: 'text',
    description:
      'Partner, ISO alpha-3, or a special area: `W00` World, `_X` Areas n.e.s., `X1` Bunkers, `X2` Free zones, `XX` Special categories, `S19` Other Asia n.e.s. For BACI, the importer.',
  },
  partner_code: {
    type: 'text',
    description:
      "The partner's numeric code as the file gave it (a Comtrade area code, or BACI's country code); NULL when the file gave none.",
  },
  partner2_iso3: {
    type: 'text',
    description: 'Second partner (consignment country); `W00` when not broken down.',
  },
  flow: {
    type: 'text',
    description:
      '`X` export, `M` import, `RX` re-export, `RM` re-import, `DX`, `FM`, `MIP`, `MOP`, `XIP`, `XOP`. X already includes RX. DX is domestic exports and FM foreign imports; MIP and XIP are imports for and exports after inward processing, XOP and MOP exports for and imports after outward processing.',
  },
  freq: { type: 'text', description: '`A` annual or `M` monthly.' },
  period: { type: 'text', description: '`YYYY` for annual rows, `YYYY-MM` for monthly rows.' },
  year: { type: 'integer', description: 'The calendar year of the period.' },
  month: { type: 'integer', description: '1–12 for monthly rows, NULL for annual rows.' },
  hs_edition: {
    type: 'text',
    description:
      'HS edition as reported: `H0`…`H6`, or `HS` when the file did not say which. `H0` is HS 1992, `H1` HS 1996, `H2` HS 2002, `H3` HS 2007, `H4` HS 2012, `H5` HS 2017, `H6` HS 2022.',
  },
  hs_code: {
    type: 'text',
    description:
      'HS code as text with its leading zeros (`030613`), or `TOTAL`. Its description is in `hs_codes` (same edition).',
  },
  hs_level: {
    type: 'integer',
    description: '0 for TOTAL, else 2, 4 or 6 digits. 2 is a chapter, 4 a heading, 6 a subheading.',
  },
  value_usd: {
    type: 'real',
    unit: 'USD',
    description: 'Trade value in US dollars: FOB for exports, CIF for imports (Comtrade `primaryValue`).',
  },
  cif_value_usd: { type: 'real', unit: 'USD', description: 'CIF value in US dollars, when reported.' },
  fob_value_usd: {
    type: 'real',
    unit: 'USD',
    description: 'FOB value in US dollars, when reported. For BACI, the value itself (BACI is FOB).',
  },
  net_weight_kg: {
    type: 'real',
    unit: 'kg',
    description:
      'Net weight in kilograms; NULL when not reported. A missing weight is never stored as 0 on a row with a value.',
  },
  net_weight_estimated: {
    type: 'integer',
    description:
      '1 when the reporter or UNSD estimated the net weight. 0 when it was reported as measured; NULL when the source does not say.',
  },
  gross_weight_kg: {
    type: 'real',
    unit: 'kg',
    description: 'Gross weight in kilograms. NULL when not reported.',
  },
  qty: {
    type: 'real',
    description:
      'Quantity in `qty_unit`; comparable only within one unit. NULL when not reported; it has no fixed unit, so never sum it across units.',
  },
  qty_unit_code: {
    type: 'text',
    description: 'Comtrade quantity unit code as text (`8` = kg, `5` = units, `-1` = not applicable).',
  },
  qty_unit: { type: 'text', description: 'Quantity unit abbreviation as reported (`kg`, `u`, `l`).' },
  mode_of_transport: {
    type: 'text',
    description:
      'Comtrade mode of transport code: `0` all modes, `2100` sea, `3100` rail… Rows of one mode are a breakdown of the `0` row, not an addition to it.',
  },
  customs_procedure: {
    type: 'text',
    description:
      'Comtrade customs procedure code: `C00` all procedures. Other codes are a breakdown of the `C00` row.',
  },
  source_row: {
    type: 'integer',
    description:
      'Row number in the source file as a spreadsheet shows it (header = row 1), or the JSON record number.',
  },
  load_id: {
    type: 'integer',
    description:
      'The file load that wrote this row: `load_files.load_id`. It names the file, its run and when it was loaded.',
  },
};
const TRADE_FLOW_COLUMNS = schemaColumns<TradeFlowsTable>(FLOW);

/** The columns of `baci_flows` that carry a figure; the closed versions keep the same. */
const BACI_COLUMNS: ColumnSpecs<Omit<BaciFlowsTable, 'seen_load' | 'seen_row'>> = {
  reporter_code: {
    type: 'integer',
    description: "BACI's exporter code (`i`). `baci_country_codes` says which country it stands for.",
  },
  period: { type: 'integer', description: "The year. BACI's `t`." },
  partner_code: {
    type: 'integer',
    description: "BACI's importer code (`j`). `baci_country_codes` says which country it stands for.",
  },
  hs_edition: {
    type: 'text',
    description: 'The HS edition of the BACI release, from the file name: `BACI_HS17_…` is `H5`.',
  },
  hs_code: {
    type: 'integer',
    description: "The HS subheading as a number: `10121` is `010121`. BACI's `k`.",
  },
  value_usd: {
    type: 'real',
    unit: 'USD',
    description: "Trade value in US dollars, FOB: BACI's `v`, given in thousands, times 1,000.",
  },
  net_weight_kg: {
    type: 'real',
    unit: 'kg',
    description:
      "Net weight in kilograms: BACI's `q`, given in tonnes, times 1,000; NULL when BACI has none.",
  },
  source_row: {
    type: 'integer',
    description: 'Row number in the BACI file as a spreadsheet shows it (header = row 1).',
  },
  load_id: { type: 'integer', description: 'The file load that wrote this row: `load_files.load_id`.' },
};

export const TRADE_TABLES: readonly TableDoc[] = [
  {
    name: 'trade_flows',
    kind: 'view',
    area: 'trade',
    description:
      "Every reported trade flow, one row per flow as its reporter (or BACI) published it: who reported, with which partner, which way, when, which product in which HS edition, the value in US dollars, weights, quantity, and how the goods travelled. This is the table to query: a view over `trade_flow_rows` (every source but BACI) and `baci_flows`, showing both with the same columns. Codes are text with their leading zeros. Rows with a second partner, a transport mode other than `0` or a customs procedure other than `C00` break down a total row: filter on `partner2_iso3 = 'W00'`, `mode_of_transport = '0'` and `customs_procedure = 'C00'` before summing.",
    key: TRADE_FLOW_KEY,
    columns: TRADE_FLOW_COLUMNS,
  },
  {
    name: 'trade_flows_history',
    kind: 'view',
    area: 'trade',
    description:
      'Every version of every trade flow, current and superseded, with the columns of `trade_flows` and when each version was current (`valid_from_load`, `valid_to_load`): what the warehouse said before a revised release changed a figure. `corridor sql --as-of <run | date | release>` reads `trade_flows` from it as the warehouse stood then; `corridor revisions` lists what each load changed.',
    key: [...TRADE_FLOW_KEY, 'valid_from_load'],
    columns: schemaColumns<TradeFlowsHistoryView>({ ...FLOW, ...HISTORY }),
  },
  {
    name: 'trade_flows_converted',
    kind: 'view',
    area: 'trade',
    description:
      'Every trade flow in the target HS edition (`settings.target_hs_edition`, HS 2022 unless changed with `corridor derive --target-edition`), so that years reported in different editions compare. A code linked to k codes of the next edition sends 1/k of its value, weight and quantity to each (or the shares of `warehouse/reference/hs/conversion-weights.csv`), so a reported row may appear several times, once per target code. A year loaded in two editions appears twice: filter on `reported_hs_edition`.',
    key: [
      'source',
      'reporter_iso3',
      'period',
      'flow',
      'partner_iso3',
      'partner2_iso3',
      'reported_hs_edition',
      'reported_hs_code',
      'mode_of_transport',
      'customs_procedure',
      'hs_code',
    ],
    columns: schemaColumns<TradeFlowsConvertedView>({
      source: FLOW.source,
      reporter_iso3: FLOW.reporter_iso3,
      partner_iso3: FLOW.partner_iso3,
      partner2_iso3: FLOW.partner2_iso3,
      flow: FLOW.flow,
      freq: FLOW.freq,
      period: FLOW.period,
      year: FLOW.year,
      month: FLOW.month,
      reported_hs_edition: {
        type: 'text',
        description: 'The HS edition the row was reported in (`trade_flows.hs_edition`).',
      },
      reported_hs_code: { type: 'text', description: 'The HS code as reported (`trade_flows.hs_code`).' },
      hs_edition: {
        type: 'text',
        description: 'The target edition the code was converted into (`H6` by default).',
      },
      hs_code: {
        type: 'text',
        description:
          'A code of the target edition that the reported code converts into, with its leading zeros.',
      },
      hs_level: {
        type: 'integer',
        description: 'Digits of the code, the same in both editions: 2, 4 or 6; 0 for TOTAL.',
      },
      conversion_weight: {
        type: 'real',
        unit: 'ratio',
        description:
          "The share of the reported row's value, weight and quantity that goes to this code (`hs_conversion.weight`): 1 for a one-to-one link.",
      },
      converted_approximately: {
        type: 'integer',
        description:
          '1 when a step of the conversion split the code, so the figures are an estimate; 0 when every step was one-to-one.',
      },
      value_usd: {
        type: 'real',
        unit: 'USD',
        description: 'The reported value in US dollars times `conversion_weight`.',
      },
      net_weight_kg: {
        type: 'real',
        unit: 'kg',
        description:
          'The reported net weight in kilograms times `conversion_weight`; NULL when not reported.',
      },
      qty: {
        type: 'real',
        description:
          'The reported quantity times `conversion_weight`, in `qty_unit`; NULL when not reported.',
      },
      qty_unit: FLOW.qty_unit,
      mode_of_transport: FLOW.mode_of_transport,
      customs_procedure: FLOW.customs_procedure,
      source_row: FLOW.source_row,
      load_id: FLOW.load_id,
    }),
  },
  {
    name: 'trade_by_category',
    kind: 'view',
    area: 'trade',
    description:
      'Trade summed by category, per source, reporter, partner, flow and period, along the HS tree: the category rows of `ind_trade_sums` (see it and docs/hierarchy-sums.md), filled by the derive stage. On each branch the most detailed level the file publishes that adds up to the row above it, else the coarser row as published; nothing counted twice. Only rows without second-partner, transport-mode or customs-procedure breakdown count. Scheme `section` has the 21 HS sections plus `special`; scheme `corridor` the named categories of `warehouse/reference/categories.csv` (potash, grain, textiles…), which nest: keep categories whose `hs_categories.parent` is null before adding them up. It follows the derived tables, so `corridor sql --as-of` does not rewind it.',
    key: [
      'source',
      'reporter_iso3',
      'partner_iso3',
      'flow',
      'freq',
      'period',
      'hs_edition',
      'scheme',
      'category',
    ],
    columns: schemaColumns<TradeByCategoryView>({
      source: FLOW.source,
      reporter_iso3: FLOW.reporter_iso3,
      partner_iso3: FLOW.partner_iso3,
      flow: FLOW.flow,
      freq: FLOW.freq,
      period: FLOW.period,
      year: FLOW.year,
      month: FLOW.month,
      hs_edition: {
        type: 'text',
        description:
          'The HS edition of the rows summed: one per source, reporter and period (the newest, when a year is loaded in two).',
      },
      scheme: {
        type: 'text',
        description: '`section` (the 21 HS sections plus `special`) or `corridor` (named categories).',
      },
      category: {
        type: 'text',
        description:
          'The category within its scheme: `I`…`XXI` or `special`; `potash`, `grain`… Its name is in `hs_categories`.',
      },
      value_usd: {
        type: 'real',
        unit: 'USD',
        description:
          'The sum in US dollars; NULL with null_reason `coarser_than_category` where the file publishes only codes wider than the category.',
      },
      net_weight_kg: {
        type: 'real',
        unit: 'kg',
        description:
          'Sum of the net weights in kilograms that were reported; NULL when none was. See `net_weight_complete`.',
      },
      net_weight_complete: {
        type: 'integer',
        description: '1 when every row summed had a net weight. 0 when some had none, so the sum is short.',
      },
      hs_level: {
        type: 'integer',
        description:
          'The finest HS level the sum drew on (hs_levels lists them all); NULL when it drew on no row.',
      },
      row_count: { type: 'integer', description: 'How many published rows the sum drew on.' },
      sum_basis: {
        type: 'text',
        description: 'exact, from_coarser or partial: how the sum was made (ind_trade_sums.sum_basis).',
      },
      hs_levels: { type: 'text', description: "The HS levels of the rows summed, space-separated ('2 6')." },
      codes_drawn_on: {
        type: 'text',
        description: 'The codes summed, space-separated, when there are at most 12; NULL when more.',
      },
      null_reason: { type: 'text', description: 'coarser_than_category when value_usd is NULL.' },
    }),
  },
  {
    name: 'trade_flow_rows',
    kind: 'table',
    area: 'trade',
    description:
      'The table behind `trade_flows` for every source but BACI, with all the columns: the current version of each flow. Loads merge by the key (new keys inserted, changed values versioned into `trade_flow_rows_closed`, identical ones untouched); read `trade_flows`, which adds BACI.',
    key: TRADE_FLOW_KEY,
    columns: schemaColumns<TradeFlowRowsTable>({ ...FLOW, ...SEEN }),
  },
  {
    name: 'trade_flow_rows_closed',
    kind: 'table',
    area: 'trade',
    description:
      'Superseded versions of `trade_flow_rows`: each flow a later load changed, retired or reverted, as it was, with the load that closed it. Read `trade_flows_history`.',
    key: [...TRADE_FLOW_KEY, 'load_id'],
    columns: schemaColumns<TradeFlowRowsClosedTable>({ ...FLOW, ...CLOSED }),
  },
  {
    name: 'baci_flows',
    kind: 'table',
    area: 'trade',
    description:
      "BACI's rows, narrow and numeric (migration 0002). `trade_flows` shows them with ISO codes (through `baci_country_codes`), text periods, zero-padded HS codes and the columns BACI rows all share (flow `X`, freq `A`, partner2 `W00`, hs_level 6, transport mode `0`, customs procedure `C00`, FOB = value). Read BACI through `trade_flows`; this table is the loader's.",
    key: ['reporter_code', 'period', 'partner_code', 'hs_edition', 'hs_code'],
    columns: schemaColumns<BaciFlowsTable>({ ...BACI_COLUMNS, ...SEEN }),
  },
  {
    name: 'baci_flows_closed',
    kind: 'table',
    area: 'trade',
    description:
      'Superseded versions of `baci_flows`: each BACI figure a later release changed or no longer held, as it was, with the load that closed it. Read `trade_flows_history`, which shows them with ISO codes.',
    key: ['reporter_code', 'period', 'partner_code', 'hs_edition', 'hs_code', 'load_id'],
    columns: schemaColumns<BaciFlowsClosedTable>({ ...BACI_COLUMNS, ...CLOSED }),
  },
  {
    name: 'baci_country_codes',
    kind: 'table',
    area: 'trade',
    description: "Which country each BACI code stands for, as the loaded files' country lists said.",
    key: ['code'],
    columns: schemaColumns<BaciCountryCodesTable>({
      code: {
        type: 'integer',
        description: "BACI's country code, as `baci_flows.reporter_code` and `partner_code` hold it.",
      },
      iso3: {
        type: 'text',
        description:
          'The country it stands for, ISO alpha-3 (or a Comtrade special code), from the country list beside the data file.',
      },
    }),
  },
];
