/**
 * The warehouse's tables and columns, as kysely sees them: the one place that names them all.
 * Analysts read the same names in `corridor docs`; migrations in ./migrations create them.
 *
 * Conventions: snake_case; codes (HS, country, customs, transport) are TEXT, never numbers;
 * values in base units (US dollars, kilograms); timestamps are ISO 8601 text in UTC;
 * booleans are INTEGER 0/1.
 *
 * Each table's columns are described in ./schema/, one file per area (trade, reference, ports,
 * journal); DB below names every table.
 */
import type {
  DeriveRunsTable,
  DeriveTablesTable,
  LoadFactsTable,
  LoadFilesTable,
  LoadRunsTable,
  LoadWarningsTable,
  PipelineLocksTable,
  RejectsTable,
  RemoteFilesTable,
  RunAlertsTable,
} from './schema/journal-tables.ts';
import type {
  PortAliasesTable,
  PortCommoditiesTable,
  PortsTable,
  PortThroughputRowsClosedTable,
  PortThroughputRowsTable,
} from './schema/port-tables.ts';
import type { DqFindingsTable } from './schema/quality-tables.ts';
import type {
  CountriesTable,
  CountryCodesTable,
  CountryNamesTable,
  HsCategoriesTable,
  HsCategoryRulesTable,
  HsCodeCategoriesTable,
  HsCodesTable,
  HsConcordanceTable,
  HsConversionTable,
  HsSectionsTable,
  ReferenceFilesTable,
  SettingsTable,
} from './schema/reference-tables.ts';
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
} from './schema/trade-tables.ts';
import type {
  WorldTradeTotalsClosedTable,
  WorldTradeTotalsHistoryView,
  WorldTradeTotalsTable,
} from './schema/world-tables.ts';

export type * from './schema/journal-tables.ts';
export type * from './schema/port-tables.ts';
export type * from './schema/quality-tables.ts';
export type * from './schema/reference-tables.ts';
export type * from './schema/trade-tables.ts';
export type * from './schema/world-tables.ts';

export interface DB {
  /** A view: every trade flow, over `trade_flow_rows` and `baci_flows`. Read it; the loader writes the tables. */
  trade_flows: TradeFlowsTable;
  /** Trade flows of every source but BACI, all columns. */
  trade_flow_rows: TradeFlowRowsTable;
  baci_flows: BaciFlowsTable;
  /** Superseded versions of `trade_flow_rows` (changed, retired or reverted). */
  trade_flow_rows_closed: TradeFlowRowsClosedTable;
  baci_flows_closed: BaciFlowsClosedTable;
  /** A view: every version of every trade flow, current and superseded. */
  trade_flows_history: TradeFlowsHistoryView;
  baci_country_codes: BaciCountryCodesTable;
  /** The world's trade by year, HS edition and code, from a file the user supplies (sources/world-totals/). */
  world_trade_totals: WorldTradeTotalsTable;
  world_trade_totals_closed: WorldTradeTotalsClosedTable;
  world_trade_totals_history: WorldTradeTotalsHistoryView;
  settings: SettingsTable;
  hs_sections: HsSectionsTable;
  hs_codes: HsCodesTable;
  hs_concordance: HsConcordanceTable;
  hs_conversion: HsConversionTable;
  hs_categories: HsCategoriesTable;
  hs_category_rules: HsCategoryRulesTable;
  hs_code_categories: HsCodeCategoriesTable;
  trade_by_category: TradeByCategoryView;
  trade_flows_converted: TradeFlowsConvertedView;
  countries: CountriesTable;
  country_codes: CountryCodesTable;
  country_names: CountryNamesTable;
  reference_files: ReferenceFilesTable;
  load_runs: LoadRunsTable;
  load_files: LoadFilesTable;
  rejects: RejectsTable;
  load_warnings: LoadWarningsTable;
  /** Data-quality findings: what checks found wrong, from first seen to resolved. */
  dq_findings: DqFindingsTable;
  load_facts: LoadFactsTable;
  ports: PortsTable;
  port_aliases: PortAliasesTable;
  port_commodities: PortCommoditiesTable;
  port_throughput_rows: PortThroughputRowsTable;
  port_throughput_rows_closed: PortThroughputRowsClosedTable;
  derive_runs: DeriveRunsTable;
  derive_tables: DeriveTablesTable;
  pipeline_locks: PipelineLocksTable;
  remote_files: RemoteFilesTable;
  run_alerts: RunAlertsTable;
}
