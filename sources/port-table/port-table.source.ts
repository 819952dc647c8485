/**
 * The `port-table` source: a port authority's published table (cargo handled by commodity,
 * months or years as columns, units in a title) read by the layout a pipeline file declares,
 * into `port_throughput` (docs/adding-a-source.md, "Loading a port's own tables"). One figure a row: port, period,
 * direction, cargo group, the commodity label as written, unit and quantity.
 *
 * Units are kept apart (t, TEU, boxes, calls) and never converted into one another; tonnes are
 * tonnes whatever the table's scale ('000 tonnes × 1000). A fiscal-year column ("2022-23") with
 * no months under it is stored as the fiscal year itself, period `FY2022-23`, year 2023
 * (Pakistan names that year FY23).
 *
 * A port, in a column or as the layout's constant, is a UN/LOCODE ("PKKHI", "PK KHI") or a name
 * the ports reference or its aliases know ("KPT", "Bin Qasim"), resolved to the LOCODE
 * (src/normalize/port-resolver.ts, docs/ports.md); any other is refused, never taken for a code.
 */
import { z } from 'zod';
import { ConfigError } from '../../src/errors.ts';
import { readPeriodLabel } from '../../src/layout/period-label.ts';
import { PATH_SEPARATOR } from '../../src/layout/table-layout.ts';
import { findUnit } from '../../src/layout/unit-phrase.ts';
import { bundledPortResolver } from '../../src/load/port-reference-loader.ts';
import type { PortResolver } from '../../src/normalize/port-resolver.ts';
import { readWrittenPeriod } from '../../src/normalize/written-period.ts';
import { undeclaredAbout } from '../../src/validate/source-about.ts';
import {
  defineTradeSource,
  type FieldIssue,
  type PortThroughputRow,
  type TradeSource,
} from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';
import { fieldMap } from '../table/field-map.ts';
import { layoutOf } from '../table/table.source.ts';
import type { PortTableOptions } from './port-table-options.ts';

const FIELDS = [
  'port',
  'period',
  'month',
  'direction',
  'cargoGroup',
  'commodity',
  'quantity',
  'unit',
  'status',
] as const;
type Field = (typeof FIELDS)[number];

const LABELS: Readonly<Record<Field, string>> = {
  port: 'port',
  period: 'period',
  month: 'month',
  direction: 'direction',
  cargoGroup: 'cargo group',
  commodity: 'commodity',
  quantity: 'quantity',
  unit: 'unit',
  status: 'status',
};

const rowSchema = z.object({
  port: cells.code({ label: 'port' }),
  period: cells.code({ label: 'period' }),
  month: cells.code({ label: 'month' }),
  direction: cells.code({ label: 'direction' }),
  cargoGroup: cells.code({ label: 'cargo group' }),
  commodity: cells.code({ label: 'commodity' }),
  // A negative figure is reported by the mapper, which knows whether the table is year-to-date.
  quantity: cells.number({ label: 'quantity' }),
  unit: cells.code({ label: 'unit' }),
  status: cells.code({ label: 'status' }),
});

type PortRow = z.infer<typeof rowSchema>;

/** A figure times a factor, rounded to 15 significant digits so that 0.1 × 1000 stays 100. */
const scaled = (value: number, factor: number): number =>
  factor === 1 ? value : Number((value * factor).toPrecision(15));

/** The units port_throughput keeps, from the layout toolkit's canonical units. */
const UNITS: Readonly<Record<string, { unit: string; factor: number }>> = {
  t: { unit: 't', factor: 1 },
  kg: { unit: 't', factor: 0.001 },
  TEU: { unit: 'TEU', factor: 1 },
  boxes: { unit: 'boxes', factor: 1 },
  calls: { unit: 'calls', factor: 1 },
};

const DIRECTIONS: readonly [RegExp, string][] = [
  [/^(imp\.?|import|imports|inward|unloaded|unloading|discharged?|discharging)$/i, 'import'],
  [/^(exp\.?|export|exports|outward|loaded|loading|shipped)$/i, 'export'],
  [/^trans-?s?hip(ment|ments|\.)?$/i, 'transshipment'],
  [/^(\w+\s+)?transit$/i, 'transit'],
  [/^(total|all|both|imports? and exports?|import\/export)$/i, 'total'],
];

const CARGO_GROUPS: readonly [RegExp, string][] = [
  [/^dry(\s|-|_)*(bulk)?$/i, 'dry_bulk'],
  [/^liquid(\s|-|_)*(bulk)?$/i, 'liquid_bulk'],
  [/^(container(s|i[sz]ed)?(\s+cargo)?)$/i, 'container'],
  [/^(general(\s+cargo)?|break(\s|-)*bulk)$/i, 'general'],
  [/^(all|total)$/i, 'all'],
];

const MONTHS_OR_YEAR = /^(all|year|annual|total)$/i;

/**
 * The value a cell names, or the first a heading path names ("Imports › Dry bulk › 2022-23"
 * gives import and dry_bulk): header levels often carry the direction and the cargo group.
 */
function findIn(text: string, patterns: readonly [RegExp, string][]): string | undefined {
  for (const part of [text, ...text.split(PATH_SEPARATOR)]) {
    const found = patterns.find(([pattern]) => pattern.test(part.trim()))?.[1];
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A period cell (with a month cell beside it, if the table has one) as port_throughput stores it. */
function portPeriod(
  text: string | null,
  month: string | null,
): Pick<PortThroughputRow, 'period' | 'freq' | 'year' | 'month'> | { problem: string } {
  if (text === null) return { problem: 'is empty; every figure needs its period.' };
  if (month !== null && !MONTHS_OR_YEAR.test(month.trim())) {
    const label = readPeriodLabel(`${month} ${text}`);
    if (label?.kind !== 'month' || label.year === null)
      return { problem: `${JSON.stringify(month)} ${JSON.stringify(text)} is not a month and a year.` };
    text = `${label.year}-${String(label.month).padStart(2, '0')}`;
  }
  const period = readWrittenPeriod(text, { fiscalFirst: true });
  if ('fiscalYear' in period)
    return { period: `FY${period.fiscalYear}`, freq: 'FY', year: period.endYear, month: null };
  if ('problem' in period) return period;
  return { period: period.period, freq: period.freq, year: period.year, month: period.month };
}

/**
 * What the port-table source reads. Who published a table and on which terms is for its
 * pipeline entry to declare (`about:`); undeclared, it stays unknown.
 */
export const portTableSourceAbout = undeclaredAbout({
  dataset: "a port's published table, as its pipeline declares it",
  fileCovers: 'the ports, periods, directions and units it holds, as read',
  flows: ['import', 'export', 'transit', 'transshipment', 'total'],
  units: ['tonnes at the scale the table states (kg converted)', 'TEU', 'boxes', 'calls'],
  periods: ['monthly', 'annual', 'fiscal'],
});

/**
 * @param ports the ports a cell may name: the warehouse's (the bundled reference and what users
 *   added with `corridor ports`); the bundled reference alone when no warehouse is at hand.
 */
export function createPortTableSource(
  options: PortTableOptions,
  ports: PortResolver = bundledPortResolver(),
): TradeSource<Field, PortRow, PortThroughputRow> {
  // A port named as a constant must be one Corridor knows: its fiscal year places the months.
  const portConstant = 'value' in options.map.port ? options.map.port.value.trim() : null;
  const constantPort = portConstant === null ? null : ports.resolve(portConstant);
  if (constantPort !== null && 'problem' in constantPort) {
    const closest = ports.closest(portConstant!);
    throw new ConfigError(
      `Pipeline table "${options.name}": port "${portConstant}" is not in warehouse/reference/ports.csv${closest === null ? '' : ` (the closest is ${ports.describe(closest.locode)})`}, nor among the ports and aliases added with corridor ports. Give the port's UN/LOCODE or a name Corridor knows (corridor ports list), or add it: corridor ports add <LOCODE> --name "<name>" --country <ISO3> --fiscal-year-start <month>, or corridor ports alias "${portConstant}" <LOCODE> (docs/ports.md).`,
      { code: 'unknown_port' },
    );
  }
  const fiscalYearStart =
    options.wide?.kind === 'periods'
      ? (options.wide.fiscalYearStart ?? constantPort?.port.fiscalYearStart)
      : undefined;
  // Port figures are tonnes, boxes or calls: a table in money is refused whole.
  const layout = layoutOf(options, ['mass', 'containers', 'count']);
  const cumulative = options.wide?.kind === 'periods' && options.wide.cumulative === true;
  // A table repeats its few labels on every row of every month: each is searched for a unit once.
  const labelUnits = new Map<string, ReturnType<typeof findUnit>>();
  const unitOfLabel = (label: string) => {
    if (!labelUnits.has(label)) labelUnits.set(label, findUnit(label));
    return labelUnits.get(label)!;
  };
  // A long table (one figure a row, no `wide`) has no figure columns whose unit the layout
  // reads and applies; its unit is the layout's unit.default, applied here.
  const longTableUnit =
    options.wide === undefined && options.unit?.default !== undefined ? findUnit(options.unit.default) : null;
  const { columns, fromColumn, constant } = fieldMap(FIELDS, LABELS, {
    ...options.map,
    unit: { column: 'unit' },
    status: { column: 'status' },
  });

  // A table names its few ports on every row: each spelling is resolved once.
  const resolvedPorts = new Map<string, ReturnType<PortResolver['resolve']>>();
  const resolvePort = (cell: string) => {
    const known = resolvedPorts.get(cell);
    if (known !== undefined) return known;
    const found = ports.resolve(cell);
    resolvedPorts.set(cell, found);
    return found;
  };

  return defineTradeSource<Field, PortRow, PortThroughputRow>({
    name: options.name,
    about: portTableSourceAbout,
    description: "a port's published table, read by the layout its pipeline declares",
    target: 'port_throughput',
    // A port table holds every figure of its ports, periods, directions and units as read: a
    // revised table retires what it no longer holds there, and never touches another unit.
    coverage: ['port', 'period', 'direction', 'unit'],
    layout:
      layout.wide?.kind === 'periods' && fiscalYearStart !== undefined
        ? { ...layout, wide: { ...layout.wide, fiscalYearStart } }
        : layout,
    columns,
    required: fromColumn.filter((f) => f !== 'unit' && f !== 'status').map((f) => [f]),
    rowSchema,
    begin: () => (row) => {
      const issues: FieldIssue<Field>[] = [];
      const text = (field: Exclude<Field, 'quantity'>) => row[field] ?? constant(field);

      const portCell = text('port');
      const port = portCell === null ? null : resolvePort(portCell);
      if (port === null)
        issues.push({
          code: 'missing_value',
          field: 'port',
          message: 'is empty; every figure needs its port.',
        });
      else if ('problem' in port) issues.push({ code: 'unknown_port', field: 'port', message: port.message });
      const period = portPeriod(text('period'), text('month'));
      if ('problem' in period) issues.push({ code: 'bad_period', field: 'period', message: period.problem });

      const directionText = text('direction') ?? 'total';
      const direction = findIn(directionText, DIRECTIONS);
      if (direction === undefined)
        issues.push({
          code: 'bad_direction',
          field: 'direction',
          message: `${JSON.stringify(directionText)} is not a direction; use import, export, transit, transshipment or total.`,
        });
      const groupText = text('cargoGroup') ?? 'all';
      const cargoGroup = findIn(groupText, CARGO_GROUPS) ?? null;
      if (cargoGroup === null)
        issues.push({
          code: 'bad_direction',
          field: 'cargoGroup',
          message: `${JSON.stringify(groupText)} is not a cargo group; use dry bulk, liquid bulk, container, general or all.`,
        });
      const commodity = text('commodity');
      if (commodity === null)
        issues.push({
          code: 'missing_value',
          field: 'commodity',
          message: 'is empty; every figure needs its commodity label.',
        });
      const unitName = row.unit ?? longTableUnit?.unit ?? null;
      const unit = unitName === null ? undefined : UNITS[unitName];
      if (unit === undefined)
        issues.push({
          code: 'unknown_unit',
          field: 'unit',
          message:
            unitName === null && options.wide === undefined
              ? 'names no unit: a table with one figure a row takes its unit from the layout; add unit: { default: "tonnes" } (or TEU, boxes, calls) to the pipeline.'
              : `figures in ${unitName ?? 'no unit'} are not port throughput; port_throughput keeps tonnes, TEU, boxes and ship calls (${Object.keys(UNITS).join(', ')}).`,
        });
      if (row.quantity === null)
        issues.push({
          code: 'missing_value',
          field: 'quantity',
          message: 'is empty; give the figure or a nil marker ("-").',
        });
      else if (row.quantity < 0)
        issues.push({
          code: 'negative_value',
          field: 'quantity',
          message: cumulative
            ? `comes out at ${row.quantity} for the month: the year-to-date figure fell below the month before's (an earlier month revised; see load_warnings, ytd_decrease). Load the revised table.`
            : `${row.quantity} is negative; a port handles no negative cargo. Check the sign in the source file.`,
        });
      // A row whose label names another unit ("Containers (TEUs)" in a tonnes table) is not in the table's unit.
      const labelUnit = commodity === null ? null : unitOfLabel(commodity);
      if (labelUnit !== null && unit !== undefined && UNITS[labelUnit.unit]?.unit !== unit.unit)
        issues.push({
          code: 'unknown_unit',
          field: 'commodity',
          message: `names its own unit (${labelUnit.phrase}) while the table's figures are in ${unit.unit}; put such rows in a table of their own unit, so that quantities are never summed across units.`,
        });
      if (issues.length > 0 || 'problem' in period || port === null || 'problem' in port) return issues;

      const status = row.status ?? '';
      return {
        port_locode: port.port.locode,
        ...period,
        direction: direction!,
        cargo_group: cargoGroup!,
        commodity_raw: commodity!.replace(/\s+/g, ' ').trim(),
        unit: unit!.unit,
        quantity: scaled(
          row.quantity!,
          (row.unit === null ? (longTableUnit?.multiplier ?? 1) : 1) * unit!.factor,
        ),
        is_provisional: status.includes('provisional') ? 1 : 0,
        is_revised: status.includes('revised') ? 1 : 0,
      };
    },
  });
}
