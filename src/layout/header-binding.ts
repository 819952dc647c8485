/**
 * Where a layout's columns are in a header block: the kept columns by their labels (or
 * position), the figure columns (a wide table's periods or named columns, a long table's
 * figure columns). A block in which a required column is missing is not this table's header,
 * which is how the header is found below titles and how sheets without the table are passed
 * over.
 */
import { type PeriodColumn, periodColumns } from './period-columns.ts';
import { matchesLabel, type TableLayout } from './table-layout.ts';

/** A column whose cells are figures: a wide value column or a long table's figure column. */
export interface FigureColumnAt {
  readonly index: number;
  /** Header path, for messages and reject columns. */
  readonly path: string;
  /** Wide tables: the key that goes into the record (a period, "X"); null in a long table. */
  readonly key: string | null;
  /** Long tables: the output column the figure goes to. */
  readonly field: string | null;
  /** Wide tables by period: the heading over the period, where a year-to-date series restarts. */
  readonly group: string | null;
}

export interface HeaderBinding {
  /** Position of each kept column, by output name; -1 for an optional column not found. */
  readonly kept: Readonly<Record<string, number>>;
  readonly figures: readonly FigureColumnAt[];
}

/** The layout's columns in a header block, or null when the block is not this table's header. */
export function bindHeader(layout: TableLayout, paths: readonly string[]): HeaderBinding | null {
  const kept: Record<string, number> = {};
  for (const [field, spec] of Object.entries(layout.columns)) {
    let at = spec.index ?? -1;
    if (spec.labels !== undefined) at = paths.findIndex((p) => matchesLabel(p, spec.labels!));
    if (at < 0 && !spec.optional) return null;
    kept[field] = at;
  }
  let wide: FigureColumnAt[] = [];
  if (layout.wide?.kind === 'columns') {
    for (const [key, labels] of Object.entries(layout.wide.columns)) {
      const at = paths.findIndex((p) => matchesLabel(p, labels));
      if (at >= 0) wide.push({ index: at, path: paths[at]!, key, field: null, group: null });
    }
    if (wide.length === 0) return null;
  } else if (layout.wide?.kind === 'periods') {
    wide = periodColumns(paths, {
      serialDates: layout.wide.serialDates ?? false,
      fiscalYearStart: layout.wide.fiscalYearStart,
    }).map((c: PeriodColumn) => ({
      index: c.index,
      path: c.path,
      key: c.period,
      field: null,
      group: c.group,
    }));
    if (wide.length === 0) return null;
  }
  // A wide table's figures are its wide columns; a long table's, the kept columns it names.
  const figures: FigureColumnAt[] =
    layout.wide !== undefined
      ? wide
      : (layout.figures ?? [])
          .filter((field) => (kept[field] ?? -1) >= 0)
          .map((field) => ({
            index: kept[field]!,
            path: paths[kept[field]!]!,
            key: null,
            field,
            group: null,
          }));
  return { kept, figures };
}

/** What a header of this layout holds, for messages: `"Country", "Exports › Total"`. */
export function describeExpectedHeader(layout: TableLayout): string {
  const shown = (label: string | RegExp) => (typeof label === 'string' ? `"${label}"` : String(label));
  const kept = Object.values(layout.columns).flatMap((c) => (c.labels ?? []).slice(0, 2).map(shown));
  const wide =
    layout.wide?.kind === 'columns'
      ? Object.values(layout.wide.columns).flatMap((labels) => labels.slice(0, 1).map(shown))
      : layout.wide?.kind === 'periods'
        ? ['columns headed by years or months']
        : [];
  return [...kept, ...wide].join(', ');
}

/** How near a header block comes to this layout's: the parts it has and the parts it lacks, for the message when no block has them all. */
export function headerLikeness(
  layout: TableLayout,
  paths: readonly string[],
): { readonly found: readonly string[]; readonly missing: readonly string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  const shown = (labels: readonly (string | RegExp)[]) =>
    typeof labels[0] === 'string' ? `"${labels[0]}"` : String(labels[0]);
  for (const spec of Object.values(layout.columns)) {
    if (spec.labels === undefined || spec.optional) continue;
    const at = paths.find((p) => matchesLabel(p, spec.labels!));
    if (at !== undefined) found.push(`"${at}"`);
    else missing.push(shown(spec.labels));
  }
  if (layout.wide?.kind === 'columns') {
    for (const labels of Object.values(layout.wide.columns)) {
      const at = paths.find((p) => matchesLabel(p, labels));
      if (at !== undefined) found.push(`"${at}"`);
      else missing.push(shown(labels));
    }
  } else if (layout.wide?.kind === 'periods') {
    const periods = periodColumns(paths, { serialDates: layout.wide.serialDates ?? false });
    if (periods.length > 0) found.push(`${periods.length} period columns`);
    else missing.push('columns headed by years or months');
  }
  return { found, missing };
}
