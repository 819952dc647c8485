/**
 * What makes the layout toolkit refuse a table before reading its figures, or read a sheet as
 * not yet known: declarations it cannot use, two columns of one period, and the placeholder
 * unit of a sheet whose facts were refused (laid-out-table.ts).
 */
import { CorridorError, SchemaDriftError } from '../errors.ts';
import { HEADER_SEARCH_ROWS } from '../read/header-search.ts';
import { describeExpectedHeader, type FigureColumnAt } from './header-binding.ts';
import { describeNearHeader, type NearHeader } from './header-block.ts';
import type { ColumnUnit } from './sheet-facts.ts';
import type { Declarations } from './stated-facts.ts';
import type { TableLayout } from './table-layout.ts';

/** A declaration for a fact this layout does not read once per table (the flow of a table with export and import columns) would be ignored: refuse it. */
export function refuseInapplicableDeclarations(layout: TableLayout, declared: Declarations): void {
  const unread = (['flow', 'period'] as const).filter(
    (fact) => declared[fact] !== undefined && layout.facts?.[fact] === undefined,
  );
  if (unread.length > 0)
    throw new CorridorError(
      'bad_declaration',
      `--${unread[0]} does not apply to this source: its table gives the ${unread[0]} of each figure in its own columns or rows. Drop --${unread[0]}.`,
      { exitCode: 2 },
    );
}

/** A placeholder unit for the figure columns of a sheet not read yet (its facts refused): never applied. */
export const UNREAD_UNIT: ColumnUnit = {
  unit: '',
  dimension: 'value',
  multiplier: 1,
  phrase: '',
  assumed: true,
  origin: 'declaration',
  place: '',
};

/**
 * Two figure columns read as the same period under the same heading ("exports_2023" and
 * "share_2023", or "2023" and "2023*") would load two figures for one key, the second refused
 * as a duplicate or, worse, the wrong one kept: the table is refused, naming both columns.
 */
export function refuseRepeatedPeriods(where: string, figures: readonly FigureColumnAt[]): void {
  const seen = new Map<string, FigureColumnAt>();
  for (const column of figures) {
    if (column.key === null) continue;
    const key = `${column.group ?? ''}\u0000${column.key}`;
    const first = seen.get(key);
    if (first !== undefined)
      throw new CorridorError(
        'duplicate_period_columns',
        `${where}: columns "${first.path}" and "${column.path}" both read as period ${column.key}, so one figure per key cannot be told from the other. Keep one of them in the table, or name the columns the layout reads (a figure column the layout does not name is left out).`,
      );
    seen.set(key, column);
  }
}

/** What the sheet search saw, for the message when no sheet holds the table. */
export interface SheetSearch {
  /** Sheets looked at for the header. */
  readonly examined: readonly string[];
  readonly visible: readonly string[];
  /** The first sheet without the table: where, and how it begins. */
  readonly firstSeen: { readonly place: string; readonly lines: readonly string[] } | null;
  /** The block nearest the layout's header, of any sheet. */
  readonly nearest: (NearHeader & { readonly sheet: string | null }) | null;
}

/**
 * The error for a file in which no sheet holds the table (`table_not_found`): what was looked
 * for, the sheets seen, and the closest candidate. One sheet looked at: how it begins.
 */
export function noTableFound(name: string, layout: TableLayout, search: SheetSearch): SchemaDriftError {
  const { examined, visible, firstSeen, nearest } = search;
  const near = nearest === null ? '' : `; ${describeNearHeader(nearest)}`;
  const columns = Object.keys(layout.columns);
  if (examined.length === 1 && firstSeen !== null) {
    const seen = firstSeen.lines;
    const begins =
      seen.length > 0
        ? `; it begins: ${seen.map((t) => `"${t.slice(0, 80)}"`).join(', ')}`
        : ' (it is empty)';
    return new SchemaDriftError(
      name,
      columns,
      `${firstSeen.place}: no header row with ${describeExpectedHeader(layout)} in its first ${HEADER_SEARCH_ROWS} rows${begins}${near}. Check that the file is the table this source reads.`,
      'table_not_found',
    );
  }
  const wanted = [
    ...(layout.sheets?.names ?? []).map((n) => `"${n}"`),
    ...(layout.sheets?.pattern ? [`names matching ${layout.sheets.pattern}`] : []),
  ].join(' or ');
  return new SchemaDriftError(
    name,
    columns,
    examined.length === 0
      ? `${name}: none of its sheets (${visible.map((v) => `"${v}"`).join(', ') || 'none visible'}) is one this table is read from (${wanted}). Check the sheet's name, or the layout's sheets option.`
      : `${name}: no sheet holds a table with ${describeExpectedHeader(layout)} (looked at ${examined.map((s) => `"${s}"`).join(', ')})${near}. It may be another table of the same publisher; check that the file is the table this source reads.`,
    'table_not_found',
  );
}
