/**
 * The warehouse's tables and columns, as kysely sees them: the one place that names them all.
 * Analysts read the same names in `corridor docs`; migrations in ./migrations create them.
 *
 * Conventions: snake_case; codes (HS, country, customs, transport) are TEXT, never numbers;
 * values in base units (US dollars, kilograms); timestamps are ISO 8601 text in UTC;
 * booleans are INTEGER 0/1.
 */
import type { Generated } from 'kysely';

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

export interface CountriesTable {
  /** ISO 3166-1 alpha-3, or the Comtrade code for special and historical areas. */
  iso3: string;
  iso2: string | null;
  /** ISO 3166-1 numeric, zero-padded to 3 digits. */
  iso_numeric: string | null;
  /** UN M49 code, zero-padded to 3 digits. */
  m49: string | null;
  name: string;
  official_name: string | null;
  name_ru: string | null;
  region: string | null;
  sub_region: string | null;
  /** 1 for landlocked developing countries (LLDC). */
  is_lldc: number;
  /** `country`, `special` (World, n.e.s. areas, bunkers, free zones), `historical` or `group`. */
  kind: string;
}

export interface CountryCodesTable {
  /** `iso2`, `iso_numeric`, `m49` or `comtrade`. */
  scheme: string;
  code: string;
  iso3: string;
  /** First year the code is valid for, when it is limited (Comtrade 586 Pakistan: 1972). */
  first_year: number | null;
  last_year: number | null;
  name: string | null;
}

export interface CountryNamesTable {
  /** The name folded for matching: lower case, letters and digits only. */
  name_key: string;
  name: string;
  iso3: string;
  /** `reference` (from countries) or `alias` (warehouse/reference/country-aliases.csv). */
  origin: string;
}

export interface ReferenceFilesTable {
  file: string;
  sha256: string;
  rows: number;
  loaded_at: string;
}

export interface LoadRunsTable {
  run_id: Generated<number>;
  /** Pipeline name, or `load` for a one-off `corridor load`. */
  pipeline: string;
  /** `running`, `succeeded`, `failed`, `rejects_over_threshold`, `interrupted`. */
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  files_total: Generated<number>;
  files_loaded: Generated<number>;
  files_skipped: Generated<number>;
  files_failed: Generated<number>;
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  /** Figures on total and subtotal rows, checked and not loaded (migration 0004). */
  rows_aggregate: Generated<number>;
  /** Largest share of rejected rows a file may have before the run exits with code 3. */
  reject_threshold: number;
  exit_code: number | null;
  host: string;
  pid: number;
  /** Options the run was started with, as JSON. */
  options: string;
  message: string | null;
}

export interface LoadFilesTable {
  load_id: Generated<number>;
  run_id: number;
  source: string;
  target_table: string;
  /** Absolute path of the file as loaded. */
  path: string;
  file_name: string;
  sha256: string | null;
  size_bytes: number | null;
  /** `running`, `loaded`, `skipped` (same sha256 already loaded), `failed`, `interrupted` (the process died). */
  status: string;
  format: string | null;
  encoding: string | null;
  delimiter: string | null;
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  /**
   * Figures on total and subtotal rows of a table made for people ("Всего", "Total dry bulk"):
   * checked against the sum of their parts, not loaded. rows_read = rows_loaded +
   * rows_rejected + rows_aggregate.
   */
  rows_aggregate: Generated<number>;
  /** Rejects kept in `rejects`; fewer than rows_rejected when the per-file cap was reached. */
  rejects_stored: Generated<number>;
  /** Rows of earlier loads that this file's slices replaced. */
  rows_replaced: Generated<number>;
  /** The slices this file covers, as a JSON array of `{reporter, period}`. */
  slices: string | null;
  /** For a skipped file, the load that already holds its rows. */
  same_as_load_id: number | null;
  /** The first later load that replaced one of this load's slices. */
  superseded_by: number | null;
  /** How many of this load's slices still hold its rows; 0 once later loads replaced them all. */
  slices_current: Generated<number>;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  /** Notes worth reading: encoding guessed, columns ignored, rejects capped. JSON array of text. */
  notes: string | null;
}

/** A port (migration 0005; warehouse/reference/ports.csv). */
export interface PortsTable {
  /** UN/LOCODE: PKKHI Karachi, PKBQM Port Qasim, PKGWD Gwadar. */
  locode: string;
  name: string;
  country_iso3: string;
  /** Month the port's fiscal year starts: 7 in Pakistan (July), 4 in India, 1 for calendar years. */
  fiscal_year_start: number;
}

/** A port commodity label and what it means (warehouse/reference/port-commodities.csv). */
export interface PortCommoditiesTable {
  /** The label folded: lower case, letters and digits only. */
  label_key: string;
  label: string;
  /** Canonical commodity: `wheat`, `petroleum_products`, `containers`. */
  commodity: string;
  /** `dry_bulk`, `liquid_bulk`, `container`, `general`. */
  cargo_group: string | null;
  /** HS heading where defensible (`1001` wheat); NULL for containers and general cargo. */
  hs_heading: string | null;
  /** A category of categories.csv (`grain`, `potash`) where one fits. */
  category: string | null;
  /** Version of the alias table that added the label. */
  version: string;
}

/** One published port figure (migration 0005); read `port_throughput`, the view over it. */
export interface PortThroughputRowsTable {
  source: string;
  port_locode: string;
  /** `YYYY-MM` for a month, `YYYY` for a calendar year, `FY2023-24` for a fiscal year given only whole. */
  period: string;
  /** `M`, `A` (calendar year) or `FY`. */
  freq: string;
  year: number;
  month: number | null;
  /** `import`, `export`, `transit`, `transshipment` or `total` (not split). */
  direction: string;
  /** `dry_bulk`, `liquid_bulk`, `container`, `general`, or `all`. */
  cargo_group: string;
  /** The commodity label as the port wrote it. */
  commodity_raw: string;
  /** commodity_raw folded, the key into `port_commodities`. */
  commodity_key: string;
  /** `t` (tonnes), `TEU`, `boxes` or `calls`: never summed across. */
  unit: string;
  quantity: number;
  /** 1 when the port marked the figure provisional (P). */
  is_provisional: number;
  /** 1 when the port marked the figure revised (R). */
  is_revised: number;
  source_row: number;
  load_id: number;
}

/** What a load found suspicious without refusing a row (migration 0004). */
export interface LoadWarningsTable {
  warning_id: Generated<number>;
  run_id: number;
  load_id: number;
  source: string;
  file: string;
  sheet: string | null;
  /** Row number as the user sees it; NULL for a warning about the whole file. */
  row_number: number | null;
  column_name: string | null;
  /** Stable code: `aggregate_mismatch`. */
  code: string;
  message: string;
}

export interface RejectsTable {
  reject_id: Generated<number>;
  run_id: number;
  load_id: number;
  source: string;
  file: string;
  /** Sheet name for spreadsheets; NULL for CSV and JSON. */
  sheet: string | null;
  /** Row number as the user sees it: spreadsheet row (header = 1) or JSON record number. */
  row_number: number;
  /** The column as the file names it; NULL when the problem is the whole row. */
  column_name: string | null;
  /** Stable code: `missing_value`, `bad_number`, `bad_hs_code`, `unknown_country`, `duplicate_key`… */
  code: string;
  message: string;
  value: string | null;
  /** The whole row as a JSON object of column → cell. */
  raw: string;
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
}

/** Which country each BACI code stands for, as the loaded files' country lists said. */
export interface BaciCountryCodesTable {
  code: number;
  iso3: string;
}

/** Settings of this warehouse: `target_hs_edition` (default `H6`) is the edition `trade_flows_converted` shows. */
export interface SettingsTable {
  key: string;
  value: string;
}

/** The 21 HS sections. */
export interface HsSectionsTable {
  /** Roman numeral `I`…`XXI`. */
  section: string;
  name: string;
  position: number;
}

/**
 * Every code of every HS edition (`H0`…`H6`, and `HS` for the union, used for rows whose edition
 * was not stated): chapters (level 2), headings (4), subheadings (6) and TOTAL (0). H6 and H5
 * come from the nomenclature files with descriptions; H0–H4 are derived from the correlation
 * tables and have no descriptions.
 */
export interface HsCodesTable {
  edition: string;
  code: string;
  level: number;
  /** HS section (`I`…`XXI`); NULL for special codes. */
  section: string | null;
  /** The code one level up (`0101` for `010121`; `TOTAL` for chapters). */
  parent: string | null;
  description: string | null;
  /** `total` (TOTAL), `not_specified` (99, 9999, 999999), `national` (other codes of chapters 98, 99), or NULL. */
  special: string | null;
}

/** Links between adjacent HS editions, as the UN correlation tables give them. `relationship` reads newer:older: `1:1`, `n:1` (old code split), `1:n` (old codes merged), `n:n`. */
export interface HsConcordanceTable {
  newer_edition: string;
  newer_code: string;
  older_edition: string;
  older_code: string;
  relationship: string;
  /** The reference file the link came from. */
  origin: string;
}

/**
 * How a code of any edition converts into the target edition: a code linked to k codes sends
 * 1/k of its value to each, step by step (equal weights); `approximate` = 1 when any step split it.
 */
export interface HsConversionTable {
  from_edition: string;
  from_code: string;
  to_edition: string;
  to_code: string;
  weight: number;
  approximate: number;
}

/** Categories from warehouse/reference/categories.csv: scheme `section` (exhaustive) and `corridor` (named categories). */
export interface HsCategoriesTable {
  scheme: string;
  category: string;
  name: string;
  parent: string | null;
  note: string | null;
}

/** The rules behind hs_categories: HS prefixes included and excluded, for all editions or some. */
export interface HsCategoryRulesTable {
  scheme: string;
  category: string;
  editions: string | null;
  include: string;
  exclude: string | null;
}

/** Which categories each code of each edition falls in. */
export interface HsCodeCategoriesTable {
  edition: string;
  code: string;
  scheme: string;
  category: string;
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
  /** The HS edition the rows were reported in: a year loaded in two editions (BACI HS17 and HS22) appears once per edition. */
  hs_edition: string;
  scheme: string;
  category: string;
  value_usd: number;
  net_weight_kg: number | null;
  /** 1 when every row summed had a net weight. */
  net_weight_complete: number;
  /** The HS level the sum was taken at. */
  hs_level: number;
  row_count: number;
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

/** One refresh of the derived indicator tables (migration 0006). */
export interface DeriveRunsTable {
  derive_id: Generated<number>;
  /** The load run after which it ran; NULL for `corridor derive`. */
  run_id: number | null;
  /** `full` recomputes every row; `incremental` only the years that loads since the last refresh touched. */
  mode: 'full' | 'incremental';
  /** The trade years loads changed, by source, as JSON (`{"comtrade":[2023]}`); NULL for a full refresh. */
  trade_years: string | null;
  /** The port years loads changed, as JSON (`{"*":[2023]}`); NULL for a full refresh. */
  port_years: string | null;
  /** The last load (load_files.load_id) whose rows this refresh took into account. */
  through_load_id: number;
  /** sha256 over the reference files and settings the indicators read; when it changes, the next refresh is full. */
  reference_stamp: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  status: 'running' | 'succeeded' | 'failed';
  message: string | null;
}

/** Per refresh and indicator table: rows written and time taken. */
export interface DeriveTablesTable {
  derive_id: number;
  table_name: string;
  rows_written: number;
  duration_ms: number;
}

export interface DB {
  /** A view: every trade flow, over `trade_flow_rows` and `baci_flows`. Read it; the loader writes the tables. */
  trade_flows: TradeFlowsTable;
  /** Trade flows of every source but BACI, all columns. */
  trade_flow_rows: TradeFlowsTable;
  baci_flows: BaciFlowsTable;
  baci_country_codes: BaciCountryCodesTable;
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
  ports: PortsTable;
  port_commodities: PortCommoditiesTable;
  port_throughput_rows: PortThroughputRowsTable;
  derive_runs: DeriveRunsTable;
  derive_tables: DeriveTablesTable;
}
