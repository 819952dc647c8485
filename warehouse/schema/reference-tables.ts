/** Reference data loaded by `corridor init`: countries, HS nomenclature, concordances, categories, settings. Part of the warehouse schema (../schema.ts). */
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
