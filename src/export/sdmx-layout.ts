/**
 * Decides how `trade_flows`, `port_throughput` and the `ind_*` indicator tables are written as
 * SDMX observations: which columns are the dimensions and in what order (FREQ first,
 * TIME_PERIOD last), which are the measures, and the attributes each observation carries
 * (UNIT_MEASURE, UNIT_MULT, OBS_STATUS). sdmx-csv-writer.ts writes the lines; this file says
 * what goes in them, from each table's name and columns (`sdmxLayoutFor`):
 *
 * - Dimensions are the columns of the table's natural key (the unique index of `trade_flows`
 *   and `port_throughput_rows`, an indicator's `key`), so no two lines share a series key and
 *   a period. Names follow SDMX's cross-domain concepts where one fits (REF_AREA,
 *   COUNTERPART_AREA, TIME_PERIOD); other key columns keep their warehouse name, upper-cased.
 * - SOURCE is a dimension: Corridor never sums sources, and Comtrade and BACI both give a
 *   figure for the same reporter, partner, code and year.
 * - A unit that tells series apart (port_throughput's `unit`, ind_port_growth's) is the
 *   dimension QUANTITY_UNIT, because a port's containers in tonnes and in TEU are two series;
 *   UNIT_MEASURE stays the attribute saying what OBS_VALUE is counted in.
 * - An indicator table has several measures a row: each becomes its own observation, named by
 *   the INDICATOR dimension (the measure column, upper-cased) with its column's unit.
 * - UNIT_MULT is always 0: the warehouse stores whole USD and tonnes (kUSD and '000 t are
 *   converted when loaded).
 * - OBS_STATUS uses SDMX's CL_OBS_STATUS: P for a figure the port marks provisional, E for a
 *   modelled one (is_modelled), and for a NULL measure O (missing: an input was not loaded) or
 *   M (cannot exist: zero or negative base, a single item, a break). Empty otherwise.
 * - TIME_PERIOD: `2023` and `2023-01` as they are; a fiscal year (`FY2022-23`, or
 *   ind_port_mix's `2022-23`) as the SDMX time range from its first day, `2022-07-01/P1Y` at
 *   Karachi, from the port's fiscal-year start in warehouse/reference/ports.csv (DOMAIN.md §5.4:
 *   "2022-23" is July 2022 to June 2023 in Pakistan, April to March in India). FREQ is then A.
 */
import { INDICATORS } from '../../warehouse/indicators/index.ts';
import type { IndicatorDefinition } from '../../warehouse/indicators/indicator.ts';
import { CorridorError, ExitCode } from '../errors.ts';
import { readReferenceCsv } from '../load/reference-files.ts';
import type { ExportColumn, ExportRow } from './table-writer.ts';

/** The agency of an SDMX export that names none (`corridor config set sdmx.agency` changes it). */
export const DEFAULT_SDMX_AGENCY = 'CORRIDOR';
/** The version of an SDMX export's dataflow that names none. */
export const DEFAULT_SDMX_VERSION = '1.0';
/** An SDMX agency id: nested with dots (IMF.STA), each part a letter then letters, digits, _ or -. */
export const SDMX_AGENCY_ID = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;
/** An SDMX version: numbers with dots (1.0, 1.0.0), optionally a suffix (1.0.0-draft). */
export const SDMX_VERSION = /^\d+(\.\d+){0,2}(-[A-Za-z0-9]+)?$/;

/**
 * An export's dataflow with the parts not given filled in: agency CORRIDOR, the table's name
 * upper-cased as its id (SDMX ids are conventionally upper case: `trade_flows` → TRADE_FLOWS),
 * version 1.0.
 */
export function sdmxDataflowOf(
  given: { readonly agency?: string; readonly dataflow?: string; readonly version?: string },
  table: string | null,
): { agency: string; dataflow: string; version: string } {
  return {
    agency: given.agency ?? DEFAULT_SDMX_AGENCY,
    dataflow: given.dataflow ?? (table ?? 'query').toUpperCase(),
    version: given.version ?? DEFAULT_SDMX_VERSION,
  };
}

/** The attributes every observation carries, in column order. */
export const SDMX_ATTRIBUTES = ['UNIT_MEASURE', 'UNIT_MULT', 'OBS_STATUS'] as const;

/** How one table is written as SDMX observations. */
export interface SdmxLayout {
  readonly table: string;
  /** Dimension ids in column order: FREQ first, TIME_PERIOD last. */
  readonly dimensions: readonly string[];
  /** The columns after STRUCTURE, STRUCTURE_ID and ACTION: the dimensions, OBS_VALUE, the attributes. */
  readonly header: readonly string[];
  /** The observations one warehouse row gives (one per measure), each as cells in `header` order. */
  observations(row: ExportRow): string[][];
}

/**
 * Decides a table's SDMX dimensions, measures and attributes from its name and columns. Refuses
 * (`sdmx_unsupported`, exit 2) tables it has no mapping for and queries, and
 * (`sdmx_missing_column`, exit 2) an export that leaves out a column the key needs.
 *
 * @example
 * const layout = sdmxLayoutFor('ind_trade_balance', columns);
 * layout.header;
 * // ['FREQ', 'SOURCE', 'REF_AREA', 'COUNTERPART_AREA', 'PRODUCT_KIND', 'CLASSIFICATION',
 * //  'COMMODITY', 'INDICATOR', 'TIME_PERIOD', 'OBS_VALUE', 'UNIT_MEASURE', 'UNIT_MULT', 'OBS_STATUS']
 * layout.observations(row); // one per measure: EXPORTS_USD, IMPORTS_USD, BALANCE_USD, NORMALISED_BALANCE
 */
export function sdmxLayoutFor(table: string, columns: readonly ExportColumn[]): SdmxLayout {
  if (table === 'trade_flows') return tradeFlowsLayout(columns);
  if (table === 'port_throughput') return portThroughputLayout(columns);
  const indicator = INDICATORS.find((d) => d.table === table);
  if (indicator !== undefined) return indicatorLayout(indicator, columns);
  throw unsupported(table);
}

// ---------------------------------------------------------------------------------------------
// The three kinds of table

/** SDMX ids of key columns that have an SDMX cross-domain concept or a clearer name; others are upper-cased. */
const DIMENSION_IDS: Readonly<Record<string, string>> = {
  reporter_iso3: 'REF_AREA',
  country_iso3: 'REF_AREA',
  partner_iso3: 'COUNTERPART_AREA',
  partner2_iso3: 'SECOND_PARTNER',
  exporter_iso3: 'EXPORTER',
  importer_iso3: 'IMPORTER',
  flow: 'TRADE_FLOW',
  hs_edition: 'CLASSIFICATION',
  hs_code: 'COMMODITY',
  product: 'COMMODITY',
  commodity_raw: 'COMMODITY',
  port_locode: 'PORT',
  mode_of_transport: 'TRANSPORT_MODE',
  unit: 'QUANTITY_UNIT',
};
const dimensionId = (column: string): string => DIMENSION_IDS[column] ?? column.toUpperCase();

/** trade_flows: one observation a row, the value in USD, keyed as the table's unique index. */
function tradeFlowsLayout(columns: readonly ExportColumn[]): SdmxLayout {
  const key = [
    'source',
    'reporter_iso3',
    'partner_iso3',
    'partner2_iso3',
    'flow',
    'hs_edition',
    'hs_code',
    'mode_of_transport',
    'customs_procedure',
  ];
  const at = requireColumns('trade_flows', columns, [...key, 'freq', 'period', 'value_usd']);
  const period = periodReader({ period: at('period'), freq: at('freq'), port: null });
  return buildLayout(
    'trade_flows',
    [
      { id: 'FREQ', cell: (row) => period(row).freq },
      ...key.map((name) => keyDimension(name, at(name))),
      { id: 'TIME_PERIOD', cell: (row) => period(row).time },
    ],
    [
      {
        indicator: null,
        value: at('value_usd'),
        unit: () => 'USD',
        status: (row) => missingStatus(row[at('value_usd')] ?? null, null),
      },
    ],
  );
}

/** port_throughput: one observation a row, the quantity in the row's own unit. */
function portThroughputLayout(columns: readonly ExportColumn[]): SdmxLayout {
  const key = ['source', 'port_locode', 'direction', 'cargo_group', 'commodity_raw', 'unit'];
  const at = requireColumns('port_throughput', columns, [...key, 'freq', 'period', 'quantity']);
  const provisional = columns.findIndex((c) => c.name === 'is_provisional');
  const period = periodReader({ period: at('period'), freq: at('freq'), port: at('port_locode') });
  const quantity = at('quantity');
  return buildLayout(
    'port_throughput',
    [
      { id: 'FREQ', cell: (row) => period(row).freq },
      ...key.map((name) => keyDimension(name, at(name))),
      { id: 'TIME_PERIOD', cell: (row) => period(row).time },
    ],
    [
      {
        indicator: null,
        value: quantity,
        unit: (row) => unitCode(text(row[at('unit')])),
        status: (row) =>
          missingStatus(row[quantity] ?? null, null) ||
          (provisional >= 0 && isTrue(row[provisional]) ? 'P' : ''),
      },
    ],
  );
}

/**
 * An indicator table: its key columns are the dimensions and each of its measures (the real
 * columns outside the key) is an observation, named by INDICATOR. Counts and 0/1 flags are
 * context for the measures, not indicators, and are left out; is_modelled and the null reasons
 * feed OBS_STATUS.
 */
function indicatorLayout(definition: IndicatorDefinition, columns: readonly ExportColumn[]): SdmxLayout {
  const { table, key } = definition;
  const timeColumn = key.includes('period') ? 'period' : key.includes('fiscal_year') ? 'fiscal_year' : null;
  if (timeColumn === null) throw unsupported(table);
  const at = requireColumns(table, columns, key);
  const indexOf = (name: string): number => columns.findIndex((c) => c.name === name);
  const period = periodReader({
    period: at(timeColumn),
    freq: key.includes('freq') ? at('freq') : null,
    port: key.includes('port_locode') ? at('port_locode') : null,
    fiscal: timeColumn === 'fiscal_year',
  });
  const modelled = indexOf('is_modelled');
  const measures = columns.flatMap((column, index): Measure[] => {
    if (key.includes(column.name) || column.type !== 'real') return [];
    const declared = column.unit ?? definition.columns.find((c) => c.name === column.name)?.unit;
    const reason = reasonColumn(column.name, columns);
    return [
      {
        indicator: column.name.toUpperCase(),
        value: index,
        unit: measureUnit(column.name, declared, columns),
        status: (row) =>
          missingStatus(row[index] ?? null, reason >= 0 ? (row[reason] ?? null) : null) ||
          (modelled >= 0 && isTrue(row[modelled]) ? 'E' : ''),
      },
    ];
  });
  if (measures.length === 0) {
    throw new CorridorError(
      'sdmx_missing_column',
      `SDMX-CSV for ${table} needs at least one of its measures (${definition.columns
        .filter((c) => c.type === 'real' && !key.includes(c.name))
        .map((c) => c.name)
        .join(', ')}); the export leaves them all out.`,
      { exitCode: ExitCode.Usage },
    );
  }
  return buildLayout(
    table,
    [
      { id: 'FREQ', cell: (row) => period(row).freq },
      ...key
        .filter((name) => name !== 'freq' && name !== timeColumn)
        .map((name) => keyDimension(name, at(name))),
      { id: 'INDICATOR', cell: (_row, measure) => measure.indicator ?? '' },
      { id: 'TIME_PERIOD', cell: (row) => period(row).time },
    ],
    measures,
  );
}

// ---------------------------------------------------------------------------------------------
// Building blocks

interface Measure {
  /** The INDICATOR code, or null where the table has one measure and no INDICATOR dimension. */
  readonly indicator: string | null;
  /** Index of the value's column. */
  readonly value: number;
  /** The SDMX unit code of the value. */
  readonly unit: (row: ExportRow) => string;
  readonly status: (row: ExportRow) => string;
}

interface Dimension {
  readonly id: string;
  readonly cell: (row: ExportRow, measure: Measure) => string;
}

function buildLayout(
  table: string,
  dimensions: readonly Dimension[],
  measures: readonly Measure[],
): SdmxLayout {
  const ids = dimensions.map((d) => d.id);
  return Object.freeze({
    table,
    dimensions: Object.freeze(ids),
    header: Object.freeze([...ids, 'OBS_VALUE', ...SDMX_ATTRIBUTES]),
    observations(row: ExportRow): string[][] {
      return measures.map((measure) => [
        ...dimensions.map((d) => d.cell(row, measure)),
        numberCell(row[measure.value] ?? null),
        measure.unit(row),
        '0',
        measure.status(row),
      ]);
    },
  });
}

/** A key column as a dimension; a unit is written as the same code as UNIT_MEASURE (`t` → `T`). */
function keyDimension(column: string, index: number): Dimension {
  const id = dimensionId(column);
  return column === 'unit'
    ? { id, cell: (row) => unitCode(text(row[index])) }
    : { id, cell: (row) => text(row[index]) };
}

/** Column indexes by name, after checking that every column the layout needs is exported. */
function requireColumns(
  table: string,
  columns: readonly ExportColumn[],
  names: readonly string[],
): (name: string) => number {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const missing = names.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new CorridorError(
      'sdmx_missing_column',
      `SDMX-CSV for ${table} needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to identify each observation, and the export leaves ${missing.length > 1 ? 'them' : 'it'} out. Export the whole table, or choose CSV.`,
      { exitCode: ExitCode.Usage },
    );
  }
  return (name) => index.get(name)!;
}

/** Refuses a table SDMX-CSV has no layout for, or a query (`table` null): exit 2. */
export function unsupported(table: string | null): CorridorError {
  const supported = ['trade_flows', 'port_throughput', ...INDICATORS.map((d) => d.table)].join(', ');
  return new CorridorError(
    'sdmx_unsupported',
    table === null
      ? `SDMX-CSV needs to know what each column means, which a query's rows do not say. SDMX is written for ${supported}; export one of those, or write the query's rows as CSV.`
      : `SDMX-CSV is written for ${supported}; ${table} is not one of them. Export it as CSV, Parquet or JSON instead.`,
    { exitCode: ExitCode.Usage },
  );
}

// ---------------------------------------------------------------------------------------------
// Periods

interface SdmxPeriod {
  readonly freq: string;
  readonly time: string;
}

/**
 * Reads a row's period as SDMX FREQ and TIME_PERIOD. `fiscal` marks a column of fiscal-year
 * labels (ind_port_mix's `2022-23`), which look like months otherwise (`2011-12`).
 */
function periodReader(columns: {
  readonly period: number;
  readonly freq: number | null;
  readonly port: number | null;
  readonly fiscal?: boolean;
}): (row: ExportRow) => SdmxPeriod {
  // FREQ and TIME_PERIOD are two cells read from the same period: read it once per row.
  let lastRow: ExportRow | null = null;
  let last: SdmxPeriod = { freq: '', time: '' };
  const fiscalStart = fiscalYearStarts();
  return (row) => {
    if (row === lastRow) return last;
    const label = text(row[columns.period]);
    const freq = columns.freq === null ? null : text(row[columns.freq]);
    const port = columns.port === null ? null : text(row[columns.port]);
    last = sdmxPeriod(label, { fiscal: columns.fiscal === true || freq === 'FY', port, fiscalStart });
    lastRow = row;
    return last;
  };
}

const YEAR = /^\d{4}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const FISCAL_YEAR = /^(?:FY)?(\d{4})-(\d{2})$/;

function sdmxPeriod(
  label: string,
  context: {
    readonly fiscal: boolean;
    readonly port: string | null;
    readonly fiscalStart: (port: string | null, label: string) => number;
  },
): SdmxPeriod {
  if (YEAR.test(label)) return { freq: 'A', time: label };
  const fiscal = FISCAL_YEAR.exec(label);
  if (fiscal !== null && (context.fiscal || label.startsWith('FY'))) {
    const first = Number(fiscal[1]);
    if (Number(fiscal[2]) === (first + 1) % 100) {
      const start = context.fiscalStart(context.port, label);
      // A fiscal year is a year-long SDMX time range from its first day (SDMX 3.0, section 6 time formats).
      return { freq: 'A', time: `${first}-${String(start).padStart(2, '0')}-01/P1Y` };
    }
  }
  if (!context.fiscal && MONTH.test(label)) return { freq: 'M', time: label };
  throw new CorridorError(
    'sdmx_bad_period',
    `Period ${JSON.stringify(label)} is not a year (2023), a month (2023-01) or a fiscal year (FY2022-23), so it has no SDMX TIME_PERIOD; the warehouse should not hold it: check the load that wrote it.`,
  );
}

/**
 * The month each port's fiscal year starts, from warehouse/reference/ports.csv: read when the
 * first fiscal year is met, once per export.
 */
function fiscalYearStarts(): (port: string | null, label: string) => number {
  let starts: Map<string, number> | null = null;
  return (port, label) => {
    starts ??= new Map(
      readReferenceCsv('ports.csv').rows.map((r) => [
        r.locode?.trim() ?? '',
        Number(r.fiscal_year_start ?? '1'),
      ]),
    );
    const start = port === null ? undefined : starts.get(port);
    if (start === undefined || !(start >= 1 && start <= 12)) {
      throw new CorridorError(
        'sdmx_unknown_fiscal_year',
        `Fiscal year ${label}${port === null ? '' : ` of port ${port}`} cannot be placed in time: warehouse/reference/ports.csv gives no fiscal_year_start for ${port ?? 'it'}. Add the port's row there (fiscal_year_start 7 for July, as Karachi).`,
      );
    }
    return start;
  };
}

// ---------------------------------------------------------------------------------------------
// Units, status and cells

/** SDMX unit codes for the units Corridor writes; others are upper-cased with `_` between words. */
const UNIT_CODES: Readonly<Record<string, string>> = {
  USD: 'USD',
  t: 'T',
  kg: 'KG',
  TEU: 'TEU',
  percent: 'PC',
};

/** `percent` → `PC`, `t` → `T`, `USD/kg` → `USD_KG`, `index 0–100` → `INDEX_0_100`. */
function unitCode(unit: string): string {
  return (
    UNIT_CODES[unit] ??
    unit
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
  );
}

/**
 * A measure's unit. A declared unit may name another column (`USD per qty_unit`), whose value
 * the row supplies; a measure without one is counted in the row's `unit` or `<name>_unit`
 * (ind_port_growth's quantities, ind_unit_values' qty).
 */
function measureUnit(
  name: string,
  declared: string | undefined,
  columns: readonly ExportColumn[],
): (row: ExportRow) => string {
  const indexOf = (column: string): number => columns.findIndex((c) => c.name === column);
  if (declared !== undefined) {
    const named = declared.split(/\s+/).find((word) => indexOf(word) >= 0);
    if (named === undefined) {
      const code = unitCode(declared);
      return () => code;
    }
    const index = indexOf(named);
    return (row) => unitCode(declared.replace(named, text(row[index])));
  }
  const own = indexOf(`${name}_unit`) >= 0 ? indexOf(`${name}_unit`) : indexOf('unit');
  return own >= 0 ? (row) => unitCode(text(row[own])) : () => '';
}

/** The null reason of a measure: its own (`cagr_3y_null_reason` for `cagr_3y_pct`), else the row's. */
function reasonColumn(measure: string, columns: readonly ExportColumn[]): number {
  const own = columns.findIndex(
    (c) =>
      c.name.endsWith('null_reason') && c.name !== 'null_reason' && measure.startsWith(c.name.slice(0, -11)),
  );
  return own >= 0 ? own : columns.findIndex((c) => c.name === 'null_reason');
}

/**
 * OBS_STATUS of a NULL measure (CL_OBS_STATUS): O, missing, when an input was not loaded; M,
 * cannot exist, when the formula has no value (zero or negative base, one item, an edition
 * break). Empty for a value.
 */
function missingStatus(value: ExportRow[number], reason: ExportRow[number]): string {
  if (value !== null) return '';
  return reason === null || reason === 'missing_input' ? 'O' : 'M';
}

const isTrue = (value: ExportRow[number] | undefined): boolean =>
  value !== null && value !== undefined && Number(value) === 1;

const text = (value: ExportRow[number] | undefined): string =>
  value === null || value === undefined ? '' : String(value);

/** OBS_VALUE: the shortest text that reads back as the same double; empty for NULL. */
const numberCell = (value: ExportRow[number]): string => (value === null ? '' : String(value));
