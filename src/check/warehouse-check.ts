/**
 * What a warehouse check is: a stable name, the severity of what it finds, what it looks at,
 * and a function reading the warehouse that returns its findings. Checks recorded elsewhere
 * (by a load, or by the derive stage) are listed beside them with `run` absent, so
 * `corridor check` names every kind of finding in one place.
 */

import type { Finding, FindingSeverity } from '../db/dq-findings.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { CheckSettings } from './check-settings.ts';

export interface WarehouseCheck {
  /** The stable `check_name` of its findings. */
  readonly name: string;
  /** The severities it records, most severe first (`error`, or `error` and `info`). */
  readonly severities: readonly FindingSeverity[];
  /** The table its findings name (`table_name`). */
  readonly table: string;
  readonly description: string;
  /** Who records it: `corridor check` and each derive, a load, or the derive stage itself. */
  readonly recordedBy: 'check' | 'load' | 'derive';
  /** Tables it reads: when one is missing (no derive yet), the check is skipped. */
  readonly reads?: readonly string[];
  /**
   * Each of its findings is about figures of one calendar year (it sets `year`), and `run`
   * reads only the years it is given: after a load, the refresh checks the years it rewrote
   * and resolves findings of those years alone. A check without it (one whose finding could
   * depend on figures of several years) would read every year each time.
   */
  readonly byYear?: boolean;
  /**
   * Reads the warehouse (SQL that runs on both backends: `warehouse.flavor` spells what
   * differs) and returns what it finds; absent for checks recorded elsewhere. `years` is null
   * for every year, and always null for a check without `byYear`.
   */
  readonly run?: (warehouse: Warehouse, settings: CheckSettings, years: CheckYears) => Promise<Finding[]>;
  /**
   * The same as `run`, a page of findings at a time, for a check that may find hundreds of
   * thousands: they are recorded as they come, so memory does not grow with them.
   */
  readonly pages?: (
    warehouse: Warehouse,
    settings: CheckSettings,
    years: CheckYears,
  ) => AsyncIterable<readonly Finding[]>;
}

/** The calendar years a check reads: null for every year. */
export type CheckYears = readonly number[] | null;

/** SQL: `column` (a year) among `years`; true for every year. */
export function inYears(column: string, years: CheckYears): string {
  if (years === null) return '1 = 1';
  // Written into the SQL: they are years of the refresh's scope, checked to be integers.
  if (!years.every(Number.isInteger)) throw new Error(`check years must be integers: ${years.join(', ')}`);
  return years.length === 0 ? '0 = 1' : `${column} in (${years.join(', ')})`;
}

/**
 * SQL: `inYears` on an indicator table clustered on source and year (`clusteringKey` in
 * src/derive/indicator-table.ts), with the table's sources named as well, so that the database
 * reads those years' ranges of the table instead of scanning every year of it: on five 1M-row
 * BACI years, 0.4 s instead of 2.6 s for one year of ind_shares. The sources come from the table
 * itself, one seek each (a loose index scan); true for every year.
 */
export function inSourceYears(table: string, years: CheckYears, alias: string = table): string {
  if (years === null) return '1 = 1';
  const sources = `with recursive sources (source) as (
      select min(source) from ${table}
      union all
      select (select min(t.source) from ${table} t where t.source > sources.source)
      from sources where sources.source is not null
    ) select source from sources`;
  return `${alias}.source in (${sources}) and ${inYears(`${alias}.year`, years)}`;
}

/** A reporter's trade in one flow and period, as the checks' queries name it. */
export interface ReporterSlice {
  readonly source: string;
  readonly reporter_iso3: string;
  readonly flow: string;
  readonly freq: string;
  readonly period: string;
}

/** The same with one partner. */
export interface PairSlice extends ReporterSlice {
  readonly partner_iso3: string;
}

/** `1234567.891` → `1,234,567.89`, for messages. */
export const usd = (value: number): string =>
  `${value.toLocaleString('en', { maximumFractionDigits: 2 })} USD`;

/** `0.1234` → `12.3 %`, for messages. */
export const percentOf = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`;

/** `X` → `exports`, for messages. */
export const flowWord = (flow: string): string =>
  flow === 'X' ? 'exports' : flow === 'M' ? 'imports' : `flow ${flow}`;

/**
 * SQL: the plain rows of trade_flows (alias `t`), without a second partner, a mode of transport
 * or a customs procedure: those split the same trade again.
 */
export const PLAIN_ROW = (t: string): string =>
  `${t}.partner2_iso3 = 'W00' and ${t}.mode_of_transport = '0' and ${t}.customs_procedure = 'C00'`;
