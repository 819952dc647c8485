/**
 * A chart for a query's result when its shape fits one (the console's SQL page, `corridor
 * chart --query`), else null: a chart drawn from a shape it does not fit would mislead.
 *
 * Shapes that fit:
 * - wide: the first column labels the rows (text, or an integer year or period), at most
 *   MAX_CATEGORIES distinct, and 1 to MAX_SERIES numeric columns follow, one series each;
 * - long: a label, a series name (text) and one number, pivoted to one series per name
 *   (at most MAX_SERIES).
 * A line when the labels look like periods (2021, 2021-07, FY2023-24), bars otherwise.
 */
import type { ChartKind, ChartSeries, ChartSpec } from './chart-spec.ts';

export const MAX_CATEGORIES = 60;
export const MAX_SERIES = 12;

/** What `corridor chart --query` and the SQL page say when a result does not fit. */
export const FITTING_SHAPES = `A chart fits a result whose first column labels the rows (text or a year, at most ${MAX_CATEGORIES} distinct) followed by 1 to ${MAX_SERIES} numeric columns; or three columns: a label, a series name and one number (at most ${MAX_SERIES} series).`;

const NUMERIC_TEXT = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const PERIOD = /^(FY)?\d{4}((-|\/)(\d{2}|\d{4}|Q[1-4]|H[12]))?(-\d{2})?$/;

/** A cell as a number: numbers, bigints and numeric text (PostgreSQL's numeric); undefined when not one. */
export function numberOfCell(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value);
  return undefined;
}

/** A label cell as text: text, or an integer (a year); undefined for anything else. */
function labelOfCell(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return undefined;
}

/** The numbers of a column, or null when one of its cells is not a number (or none is). */
function numericColumn(rows: readonly (readonly unknown[])[], index: number): (number | null)[] | null {
  const values: (number | null)[] = [];
  for (const row of rows) {
    const n = numberOfCell(row[index]);
    if (n === undefined) return null;
    values.push(n);
  }
  return values.some((v) => v !== null) ? values : null;
}

/** The unit the column names give, when they all agree on one (value_usd → USD). */
function unitOf(names: readonly string[]): string {
  const units: [RegExp, string][] = [
    [/usd/i, 'USD'],
    [/teu/i, 'TEU'],
    [/(^|_)(t|tonnes|tons)$|tonnes/i, 't'],
    [/(^|_)kg$/i, 'kg'],
    [/pct|percent/i, '%'],
    [/ratio|share/i, 'ratio'],
  ];
  for (const [pattern, unit] of units) if (names.every((n) => pattern.test(n))) return unit;
  return '';
}

function kindFor(categories: readonly string[], seriesCount: number): ChartKind {
  if (categories.length >= 2 && categories.every((k) => PERIOD.test(k))) return 'line';
  const long = categories.some((k) => k.length > 12);
  return seriesCount === 1 && long ? 'horizontal-bar' : 'grouped-bar';
}

function wide(columns: readonly string[], rows: readonly (readonly unknown[])[], labels: string[]) {
  if (columns.length < 2 || columns.length - 1 > MAX_SERIES) return null;
  if (new Set(labels).size !== labels.length) return null;
  const series: ChartSeries[] = [];
  for (let i = 1; i < columns.length; i++) {
    const values = numericColumn(rows, i);
    if (values === null) return null;
    series.push({ name: columns[i]!, values });
  }
  return { categories: labels, series, unit: unitOf(columns.slice(1)) };
}

function long(columns: readonly string[], rows: readonly (readonly unknown[])[], labels: string[]) {
  if (columns.length !== 3) return null;
  const values = numericColumn(rows, 2);
  if (values === null) return null;
  const categories = [...new Set(labels)];
  const names: string[] = [];
  const cells = new Map<string, number | null>();
  for (const [r, row] of rows.entries()) {
    const name = row[1];
    if (typeof name !== 'string') return null;
    if (!names.includes(name)) names.push(name);
    const key = JSON.stringify([labels[r], name]);
    // Two rows for one label and series: which to draw is not the chart's call.
    if (cells.has(key)) return null;
    cells.set(key, values[r]!);
  }
  if (names.length > MAX_SERIES) return null;
  const series = names.map((name) => ({
    name,
    values: categories.map((k) => cells.get(JSON.stringify([k, name])) ?? null),
  }));
  return { categories, series, unit: unitOf([columns[2]!]) };
}

/** The chart of a result, or null when its shape fits none (FITTING_SHAPES says which do). */
export function chartOfRows(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  title: string,
): ChartSpec | null {
  if (rows.length === 0 || columns.length < 2) return null;
  const labels: string[] = [];
  for (const row of rows) {
    const text = labelOfCell(row[0]);
    if (text === undefined) return null;
    labels.push(text);
  }
  if (new Set(labels).size > MAX_CATEGORIES) return null;
  const byColumn = wide(columns, rows, labels);
  const shape = byColumn ?? long(columns, rows, labels);
  if (shape === null) return null;
  const seriesWord = byColumn === null ? columns[1]! : shape.series.map((s) => s.name).join(', ');
  return {
    kind: kindFor(shape.categories, shape.series.length),
    title,
    subtitle: `${seriesWord} by ${columns[0]}`,
    ...shape,
  };
}
