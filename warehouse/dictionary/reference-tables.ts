/**
 * The data dictionary's reference area: countries, the HS nomenclature and its correlations,
 * categories and settings, all loaded by `corridor init` from warehouse/reference/. Column words
 * repeat the JSDoc of warehouse/schema/reference-tables.ts (the data dictionary test checks that
 * each starts with it) and add what an analyst needs beyond it.
 */
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
} from '../schema/reference-tables.ts';
import { schemaColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';

const EDITION = {
  type: 'text',
  description:
    'HS edition: `H0` (HS 1992), `H1` (1996), `H2` (2002), `H3` (2007), `H4` (2012), `H5` (2017), `H6` (2022), or `HS`, all of them together, for rows whose edition was not stated.',
} as const;

const SCHEME = {
  type: 'text',
  description:
    'The category scheme: `section` (the 21 HS sections plus `special`: every code falls in exactly one) or `corridor` (named categories such as `potash`, `grain`, `textiles`, which nest).',
} as const;

export const REFERENCE_TABLES: readonly TableDoc[] = [
  {
    name: 'countries',
    kind: 'table',
    area: 'reference',
    description:
      'Every country, territory and special area Corridor knows (warehouse/reference/countries.csv): ISO and UN codes, names in English and Russian, UN region, and whether it is a landlocked developing country. Trade rows name countries by `iso3`.',
    key: ['iso3'],
    columns: schemaColumns<CountriesTable>({
      iso3: {
        type: 'text',
        description: 'ISO 3166-1 alpha-3, or the Comtrade code for special and historical areas.',
      },
      iso2: {
        type: 'text',
        description: 'ISO 3166-1 alpha-2; NULL for special areas, groups and some historical ones.',
      },
      iso_numeric: { type: 'text', description: 'ISO 3166-1 numeric, zero-padded to 3 digits.' },
      m49: { type: 'text', description: 'UN M49 code, zero-padded to 3 digits.' },
      name: { type: 'text', description: 'Short English name (`Pakistan`, `Other Asia, nes`).' },
      official_name: { type: 'text', description: 'Official English name, where known.' },
      name_ru: {
        type: 'text',
        description: 'Russian name, as the statistics offices of Central Asia write it; NULL where unknown.',
      },
      region: {
        type: 'text',
        description: 'UN M49 region (`Asia`, `Europe`…); NULL for special areas and groups.',
      },
      sub_region: {
        type: 'text',
        description:
          'UN M49 sub-region (`Central Asia`, `Southern Asia`…); NULL for special areas and groups.',
      },
      is_lldc: { type: 'integer', description: '1 for landlocked developing countries (LLDC). 0 otherwise.' },
      kind: {
        type: 'text',
        description:
          '`country`, `special` (World, n.e.s. areas, bunkers, free zones), `historical` or `group`.',
      },
    }),
  },
  {
    name: 'country_codes',
    kind: 'table',
    area: 'reference',
    description:
      "The codes that name a country in other schemes (ISO alpha-2, ISO numeric, M49, and UN Comtrade area codes where they differ), with the years a code is valid for: how loaders turn a file's codes into `iso3`.",
    key: ['scheme', 'code'],
    columns: schemaColumns<CountryCodesTable>({
      scheme: { type: 'text', description: '`iso2`, `iso_numeric`, `m49` or `comtrade`.' },
      code: { type: 'text', description: 'The code in that scheme, as text (`586`).' },
      iso3: { type: 'text', description: 'The country it names (`countries.iso3`).' },
      first_year: {
        type: 'integer',
        description:
          'First year the code is valid for, when it is limited (Comtrade 586 Pakistan: 1972). NULL when it has no start.',
      },
      last_year: {
        type: 'integer',
        description:
          'Last year the code is valid for (Comtrade 58 Belgium-Luxembourg: 1998); NULL when it has no end.',
      },
      name: {
        type: 'text',
        description: 'The name the scheme gives the code (`Belgium-Luxembourg`), where it has one.',
      },
    }),
  },
  {
    name: 'country_names',
    kind: 'table',
    area: 'reference',
    description:
      "Country names and their variants, English and Russian, folded for matching: how the national tables' country labels are read.",
    key: ['name_key'],
    columns: schemaColumns<CountryNamesTable>({
      name_key: {
        type: 'text',
        description: 'The name folded for matching: lower case, letters and digits only.',
      },
      name: { type: 'text', description: 'The name as written (`Кыргызстан`).' },
      iso3: { type: 'text', description: 'The country it names (`countries.iso3`).' },
      origin: {
        type: 'text',
        description:
          '`reference` (from countries) or `alias` (warehouse/reference/country-aliases.csv). Russian aliases come from country-aliases-ru.csv.',
      },
    }),
  },
  {
    name: 'reference_files',
    kind: 'table',
    area: 'reference',
    description:
      'The reference files loaded into the warehouse and their digests: a file whose bytes changed is loaded again by the next command that writes to the warehouse (`init`, `load`, `run`, `derive`).',
    key: ['file'],
    columns: schemaColumns<ReferenceFilesTable>({
      file: {
        type: 'text',
        description: 'The file, relative to warehouse/reference/ (`countries.csv`, `hs/hs2022.csv`).',
      },
      sha256: { type: 'text', description: "sha256 of the file's bytes when it was loaded." },
      rows: { type: 'integer', description: 'Rows read from it.' },
      loaded_at: { type: 'text', description: 'When it was loaded, ISO 8601 UTC.' },
    }),
  },
  {
    name: 'settings',
    kind: 'table',
    area: 'reference',
    description:
      'Settings of this warehouse: `target_hs_edition` (default `H6`) is the edition `trade_flows_converted` shows; `corridor derive --target-edition H5` changes it. Corridor also keeps its own bookkeeping here (`hs_conversion_built_for`, `hs_model_version`).',
    key: ['key'],
    columns: schemaColumns<SettingsTable>({
      key: { type: 'text', description: "The setting's name (`target_hs_edition`)." },
      value: { type: 'text', description: 'Its value, as text (`H6`).' },
    }),
  },
  {
    name: 'hs_sections',
    kind: 'table',
    area: 'reference',
    description:
      'The 21 HS sections, the coarsest grouping of the nomenclature (chapters 01–05 are section I).',
    key: ['section'],
    columns: schemaColumns<HsSectionsTable>({
      section: { type: 'text', description: 'Roman numeral `I`…`XXI`.' },
      name: { type: 'text', description: "The section's title (`Live animals; animal products`)." },
      position: {
        type: 'integer',
        description: 'Its place in the nomenclature, 1 to 21: sort by it, not by the numeral.',
      },
    }),
  },
  {
    name: 'hs_codes',
    kind: 'table',
    area: 'reference',
    description:
      "Every code of every HS edition (`H0`…`H6`, and `HS` for the union, used for rows whose edition was not stated): chapters (level 2), headings (4), subheadings (6) and TOTAL (0). H6 and H5 come from the nomenclature files with descriptions; H0–H4 are derived from the correlation tables and have no descriptions. A trade row's code must be here in its edition, or it is rejected.",
    key: ['edition', 'code'],
    columns: schemaColumns<HsCodesTable>({
      edition: EDITION,
      code: {
        type: 'text',
        description:
          'The code as text with its leading zeros: chapter `01`, heading `0101`, subheading `010121`, or `TOTAL`.',
      },
      level: { type: 'integer', description: 'Digits of the code: 2, 4 or 6; 0 for TOTAL.' },
      section: { type: 'text', description: 'HS section (`I`…`XXI`); NULL for special codes.' },
      parent: {
        type: 'text',
        description: 'The code one level up (`0101` for `010121`; `TOTAL` for chapters).',
      },
      description: {
        type: 'text',
        description:
          "The nomenclature's description (H5, H6); NULL for H0–H4, whose descriptions are UN Comtrade's and may not be redistributed.",
      },
      special: {
        type: 'text',
        description:
          '`total` (TOTAL), `not_specified` (99, 9999, 999999), `national` (other codes of chapters 98, 99), or NULL.',
      },
    }),
  },
  {
    name: 'hs_concordance',
    kind: 'table',
    area: 'reference',
    description:
      'Links between adjacent HS editions, as the UN correlation tables give them: which codes of the older edition became which codes of the newer. `hs_conversion` is computed from them.',
    key: ['older_edition', 'older_code', 'newer_edition', 'newer_code'],
    columns: schemaColumns<HsConcordanceTable>({
      newer_edition: { type: 'text', description: 'The later edition of the pair (`H6`).' },
      newer_code: { type: 'text', description: 'The code in the later edition.' },
      older_edition: { type: 'text', description: 'The earlier edition of the pair (`H5`).' },
      older_code: { type: 'text', description: 'The code in the earlier edition.' },
      relationship: {
        type: 'text',
        description:
          'How the codes correspond, read newer:older: `1:1`, `n:1` (the old code was split), `1:n` (old codes were merged), `n:n`.',
      },
      origin: {
        type: 'text',
        description:
          'The reference file the link came from. `hs/hs-correlations.csv`, or a table added by `corridor add-correlation`.',
      },
    }),
  },
  {
    name: 'hs_conversion',
    kind: 'table',
    area: 'reference',
    description:
      'How a code of any edition converts into the target edition: a code linked to k codes sends 1/k of its value to each, step by step (equal weights, unless warehouse/reference/hs/conversion-weights.csv gives shares); `approximate` = 1 when any step split it. `trade_flows_converted` applies it.',
    key: ['from_edition', 'from_code', 'to_edition', 'to_code'],
    columns: schemaColumns<HsConversionTable>({
      from_edition: { type: 'text', description: 'The edition of the code converted, as rows report it.' },
      from_code: { type: 'text', description: 'The code converted.' },
      to_edition: { type: 'text', description: 'The target edition (`settings.target_hs_edition`).' },
      to_code: { type: 'text', description: 'A code of the target edition it converts into.' },
      weight: {
        type: 'real',
        unit: 'ratio',
        description:
          "The share of the code's value, weight and quantity that goes to `to_code`; a code's weights add up to 1.",
      },
      approximate: {
        type: 'integer',
        description:
          '1 when a step split the code, so converted figures are an estimate; 0 when every step was one-to-one.',
      },
    }),
  },
  {
    name: 'hs_categories',
    kind: 'table',
    area: 'reference',
    description:
      'Categories from warehouse/reference/categories.csv: scheme `section` (exhaustive) and `corridor` (named categories). Edit that file and run `corridor derive` to add one; no trade file is read again.',
    key: ['scheme', 'category'],
    columns: schemaColumns<HsCategoriesTable>({
      scheme: SCHEME,
      category: { type: 'text', description: "The category's code within its scheme (`XV`, `potash`)." },
      name: { type: 'text', description: 'Its name (`Potash (potassic fertilizers)`).' },
      parent: {
        type: 'text',
        description:
          'The category it is part of in the same scheme (`citrus` for `mandarins`); NULL at the top. Keep `parent is null` before adding categories up.',
      },
      note: {
        type: 'text',
        description: 'What categories.csv says about it: where the codes come from, what is left out.',
      },
    }),
  },
  {
    name: 'hs_category_rules',
    kind: 'table',
    area: 'reference',
    description:
      'The rules behind hs_categories: HS prefixes included and excluded, for all editions or some. One row per line of categories.csv; several lines may build one category. SQLite enforces no key here.',
    key: ['scheme', 'category', 'editions', 'include'],
    columns: schemaColumns<HsCategoryRulesTable>({
      scheme: SCHEME,
      category: { type: 'text', description: 'The category the rule builds (`hs_categories.category`).' },
      editions: {
        type: 'text',
        description: 'The editions the rule is for, space-separated (`H5 H6`); NULL for every edition.',
      },
      include: {
        type: 'text',
        description: 'HS prefixes, space-separated: a code that starts with one belongs to the category.',
      },
      exclude: {
        type: 'text',
        description:
          'HS prefixes, space-separated, taken out again: a code that starts with one, or contains one (chapter 50 contains 5001), does not belong. NULL when none.',
      },
    }),
  },
  {
    name: 'hs_code_categories',
    kind: 'table',
    area: 'reference',
    description:
      'Which categories each code of each edition falls in, as the rules of hs_category_rules give them. TOTAL is in no category.',
    key: ['edition', 'code', 'scheme', 'category'],
    columns: schemaColumns<HsCodeCategoriesTable>({
      edition: EDITION,
      code: { type: 'text', description: 'The HS code (`hs_codes.code`).' },
      scheme: SCHEME,
      category: { type: 'text', description: 'A category the code falls in (`hs_categories.category`).' },
    }),
  },
];
