/**
 * The fact tables' storage contract, declared once: each table's natural key (its unique index),
 * the value columns a revision compares, its stored columns, where its closed versions go, and
 * the dimensions a coverage (a replace scope) may name. The merge (src/db/merge-lane.ts), the
 * retirement of rows outside a file (src/db/coverage.ts), revisions, reverts, the writers and
 * the data dictionary's keys read these lists; test/fact-tables.test.ts checks them against
 * the indexes and columns the migrations create.
 */

export type FactTableName = 'trade_flow_rows' | 'baci_flows' | 'port_throughput_rows' | 'world_trade_totals';

/** What a source fills: the view analysts read (world_trade_totals is its own table). */
export type FactTarget = 'trade_flows' | 'port_throughput' | 'world_trade_totals';

export interface FactTable {
  readonly name: FactTableName;
  /** The view analysts read the current figures through. */
  readonly view: FactTarget;
  /** The view of every version, current and closed. */
  readonly history: `${FactTarget}_history`;
  /** Where superseded versions go: same columns, plus valid_to_load and closed_by. */
  readonly closed: `${FactTableName}_closed`;
  /** The natural key, in the order of the table's unique index. A load never holds two rows of one key. */
  readonly key: readonly string[];
  /** Columns that carry the figure and its attributes: a revision is a key whose values differ. */
  readonly values: readonly string[];
  /** Every stored column of the current table, in table order, but seen_load and seen_row. */
  readonly columns: readonly string[];
  /**
   * The dimensions a coverage may name (`--replace-scope reporter,period,flow`), each with the
   * column it stands for in this table.
   */
  readonly scopeDimensions: Readonly<Record<string, string>>;
  /**
   * The column the table and its `_closed` table are partitioned by year on, on PostgreSQL
   * (src/db/postgres/partitions.ts); absent for a table small enough to stay whole.
   */
  readonly partitionColumn?: 'year' | 'period';
}

/**
 * The columns of the table's unique index, which a merge's ON CONFLICT names. On PostgreSQL a
 * unique index of a partitioned table must contain the partition column, so the index (and the
 * target) is the key plus that column when the key lacks it; the key alone still decides
 * (trade_flow_rows: `period` fixes `year`), so a conflict means the same on both backends.
 */
export function conflictTarget(table: FactTable, backend: 'sqlite' | 'postgres'): readonly string[] {
  const column = table.partitionColumn;
  if (backend === 'sqlite' || column === undefined || table.key.includes(column)) return table.key;
  return [...table.key, column];
}

const TRADE_KEY = [
  'source',
  'reporter_iso3',
  'period',
  'flow',
  'partner_iso3',
  'partner2_iso3',
  'hs_edition',
  'hs_code',
  'mode_of_transport',
  'customs_procedure',
] as const;

const TRADE_VALUES = [
  'reporter_code',
  'partner_code',
  'freq',
  'year',
  'month',
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
] as const;

export const TRADE_FLOW_ROWS: FactTable = Object.freeze({
  name: 'trade_flow_rows',
  view: 'trade_flows',
  history: 'trade_flows_history',
  closed: 'trade_flow_rows_closed',
  key: TRADE_KEY,
  values: TRADE_VALUES,
  columns: [
    'source',
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
    'load_id',
  ],
  scopeDimensions: {
    reporter: 'reporter_iso3',
    partner: 'partner_iso3',
    period: 'period',
    flow: 'flow',
    freq: 'freq',
    edition: 'hs_edition',
  },
  partitionColumn: 'year',
});

/** BACI's narrow table (migration 0002): codes are BACI's numbers, the view adds the rest. */
export const BACI_FLOWS: FactTable = Object.freeze({
  name: 'baci_flows',
  view: 'trade_flows',
  history: 'trade_flows_history',
  closed: 'baci_flows_closed',
  key: ['reporter_code', 'period', 'partner_code', 'hs_edition', 'hs_code'],
  values: ['value_usd', 'net_weight_kg'],
  columns: [
    'reporter_code',
    'period',
    'partner_code',
    'hs_edition',
    'hs_code',
    'value_usd',
    'net_weight_kg',
    'source_row',
    'load_id',
  ],
  scopeDimensions: { reporter: 'reporter_code', period: 'period', edition: 'hs_edition' },
  // BACI's period is its year.
  partitionColumn: 'period',
});

export const PORT_THROUGHPUT_ROWS: FactTable = Object.freeze({
  name: 'port_throughput_rows',
  view: 'port_throughput',
  history: 'port_throughput_history',
  closed: 'port_throughput_rows_closed',
  key: ['source', 'port_locode', 'period', 'direction', 'cargo_group', 'commodity_raw', 'unit'],
  values: ['freq', 'year', 'month', 'commodity_key', 'quantity', 'is_provisional', 'is_revised'],
  columns: [
    'source',
    'port_locode',
    'period',
    'freq',
    'year',
    'month',
    'direction',
    'cargo_group',
    'commodity_raw',
    'commodity_key',
    'unit',
    'quantity',
    'is_provisional',
    'is_revised',
    'source_row',
    'load_id',
  ],
  scopeDimensions: {
    port: 'port_locode',
    period: 'period',
    direction: 'direction',
    unit: 'unit',
    cargo_group: 'cargo_group',
  },
});

/**
 * The world's trade a user supplies (migration 0013, sources/world-totals/): read by RCA as its
 * world basis. Small (a year is a few thousand codes), so analysts read the table itself.
 */
export const WORLD_TRADE_TOTALS: FactTable = Object.freeze({
  name: 'world_trade_totals',
  view: 'world_trade_totals',
  history: 'world_trade_totals_history',
  closed: 'world_trade_totals_closed',
  key: ['source', 'year', 'hs_edition', 'flow', 'hs_code'],
  values: ['hs_level', 'value_usd', 'source_note'],
  columns: [
    'source',
    'year',
    'hs_edition',
    'flow',
    'hs_code',
    'hs_level',
    'value_usd',
    'source_note',
    'source_row',
    'load_id',
  ],
  scopeDimensions: { period: 'year', edition: 'hs_edition', flow: 'flow' },
});

export const FACT_TABLES: readonly FactTable[] = [
  TRADE_FLOW_ROWS,
  BACI_FLOWS,
  PORT_THROUGHPUT_ROWS,
  WORLD_TRADE_TOTALS,
];

/** The stored table behind a fact table's view for a source's storage. */
export function factTableOf(
  target: FactTarget,
  storage: 'trade_flow_rows' | 'baci_flows' | undefined,
): FactTable {
  if (target === 'port_throughput') return PORT_THROUGHPUT_ROWS;
  if (target === 'world_trade_totals') return WORLD_TRADE_TOTALS;
  return storage === 'baci_flows' ? BACI_FLOWS : TRADE_FLOW_ROWS;
}

/** The tables behind one view. */
export function factTablesOfView(view: FactTarget): readonly FactTable[] {
  return FACT_TABLES.filter((t) => t.view === view);
}
