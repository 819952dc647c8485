/**
 * The data dictionary: every table and view a migrated and refreshed warehouse has, with its
 * columns, types, units and meaning, and each indicator's formula. `corridor docs` prints it,
 * `corridor export` writes its words beside the data, and test/data-dictionary.test.ts compares
 * it with a real warehouse, so a migration that adds a column without documenting it fails.
 *
 * The `ind_*` entries are not written here: they are read from the indicator definitions
 * (warehouse/indicators/), the same objects the derive stage creates the tables from.
 */

import { dependencyRule } from '../indicators/dependency-rule.ts';
import { INDICATORS } from '../indicators/index.ts';
import { DERIVE_ID, type IndicatorColumn, type IndicatorDefinition } from '../indicators/indicator.ts';
import { JOURNAL_TABLES } from './journal-tables.ts';
import { OPERATIONS_TABLES } from './operations-tables.ts';
import { PORT_TABLES } from './port-tables.ts';
import { PROVENANCE_TABLES } from './provenance-tables.ts';
import { QUALITY_TABLES } from './quality-tables.ts';
import { REFERENCE_TABLES } from './reference-tables.ts';
import type { ColumnDoc, TableDoc } from './table-doc.ts';
import { TRADE_TABLES } from './trade-tables.ts';
import { WORLD_TABLES } from './world-tables.ts';

export interface DictionaryArea {
  readonly area: TableDoc['area'];
  readonly title: string;
  readonly description: string;
}

/** The dictionary's parts, in the order it reads: what analysts come for first, bookkeeping last. */
export const DICTIONARY_AREAS: readonly DictionaryArea[] = [
  {
    area: 'trade',
    title: 'Trade flows',
    description:
      'What countries report trading with each other: `trade_flows`, the views over it, and the tables behind it.',
  },
  {
    area: 'port',
    title: 'Port throughput',
    description:
      'What ports handle: `port_throughput`, the figures behind it, the ports and the names they go by, and the commodity aliases.',
  },
  {
    area: 'indicator',
    title: 'Derived indicators',
    description:
      'The `ind_*` tables: computed in SQL from what is loaded, after every run that loaded something (formulas follow DOMAIN.md section 6). A measure that cannot be computed is NULL with its reason in a `null_reason` column; `small_base` flags a measure that swings on little.',
  },
  {
    area: 'reference',
    title: 'Reference data',
    description:
      'Countries, the HS nomenclature and its correlations, categories and settings, loaded from warehouse/reference/ by `corridor init` and again whenever those files change.',
  },
  {
    area: 'journal',
    title: 'The journal',
    description:
      'What each run, file, refresh, download and alert did: read it to know where a row came from and what was left out.',
  },
];

/** What holds for every table, said once rather than in every column (warehouse/schema.ts). */
export const DICTIONARY_CONVENTIONS: readonly string[] = [
  'Codes (HS, country, customs, transport) are text, never numbers: HS `030613` keeps its leading zero.',
  'Values are in base units: US dollars, kilograms, tonnes, TEU. A column with a unit says it; a quantity without one is in the unit its row names.',
  'NULL means not reported or not computable, never zero.',
  'Timestamps are ISO 8601 text in UTC. Periods are `YYYY` or `YYYY-MM` (ports also `FY2023-24`).',
  'Flags are integers, 1 or 0.',
  "Query the views (`trade_flows`, `port_throughput`); the tables behind them are the loader's.",
];

function columnDoc(column: IndicatorColumn): ColumnDoc {
  return {
    name: column.name,
    type: column.type,
    ...(column.unit === undefined ? {} : { unit: column.unit }),
    description: column.description,
  };
}

/**
 * An indicator table as the derive stage creates it (src/derive/indicator-table.ts): the
 * definition's columns, then `derive_id`.
 *
 * @example
 * indicatorTableDoc(tradeBalance).columns.at(-1)?.name; // 'derive_id'
 */
export function indicatorTableDoc(definition: IndicatorDefinition): TableDoc {
  return {
    name: definition.table,
    kind: 'table',
    area: 'indicator',
    description: definition.description,
    columns: [...definition.columns, DERIVE_ID].map(columnDoc),
    key: definition.key,
    formula: definition.formula,
    dependsOn: dependencyRule(definition),
  };
}

const AREA_ORDER = DICTIONARY_AREAS.map((a) => a.area);

/** Every table and view, area by area in the order of DICTIONARY_AREAS. */
export const DICTIONARY: readonly TableDoc[] = Object.freeze(
  [
    ...TRADE_TABLES,
    ...WORLD_TABLES,
    ...PORT_TABLES,
    ...INDICATORS.map(indicatorTableDoc),
    ...REFERENCE_TABLES,
    ...JOURNAL_TABLES,
    ...PROVENANCE_TABLES,
    ...OPERATIONS_TABLES,
    ...QUALITY_TABLES,
  ]
    .map((t) => Object.freeze(t))
    .sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area)),
);

/**
 * How much the dictionary documents, for summary lines.
 *
 * @example
 * dictionaryCounts(DICTIONARY); // { tables: 40, views: 4, columns: 576 }
 */
export function dictionaryCounts(tables: readonly TableDoc[]): {
  tables: number;
  views: number;
  columns: number;
} {
  const views = tables.filter((t) => t.kind === 'view').length;
  return {
    tables: tables.length - views,
    views,
    columns: tables.reduce((sum, t) => sum + t.columns.length, 0),
  };
}

const BY_NAME = new Map(DICTIONARY.map((t) => [t.name, t]));

/**
 * The dictionary's entry for a table or view, or undefined for one it does not know.
 *
 * @example
 * tableDoc('trade_flows')?.columns.find((c) => c.name === 'value_usd')?.unit; // 'USD'
 */
export function tableDoc(name: string): TableDoc | undefined {
  return BY_NAME.get(name);
}
