/**
 * A table's header block: its rows flattened into one path per column ("Экспорт › Всего"), and
 * the search for it among a sheet's first rows. Spreadsheets made for people merge a group's
 * label across the columns below it; only the merge's first cell holds the text, so an empty
 * cell in an upper header row takes the label on its left, as long as the rows below it name
 * a column there.
 */
import { CorridorError } from '../errors.ts';
import { HEADER_SEARCH_ROWS } from '../read/header-search.ts';
import { isBlankRow } from '../read/raw-table.ts';
import type { SheetRow } from '../read/sheet-stream.ts';
import type { FigureColumnAt } from './header-binding.ts';
import { readPeriodLabel } from './period-label.ts';
import { PATH_SEPARATOR } from './table-layout.ts';

/** A header cell as one line of text. */
const headerCellText = (cell: unknown): string =>
  cell === null || cell === undefined ? '' : String(cell).replace(/\s+/g, ' ').trim();

/**
 * One path per column from the rows of a header block, upper rows first.
 * @example flattenHeader([['Country', 'Exports', null], [null, 'Total', 'Share, %']])
 *   // → ['Country', 'Exports › Total', 'Exports › Share, %']
 */
export function flattenHeader(rows: readonly (readonly unknown[])[]): string[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const grid = rows.map((r) => Array.from({ length: width }, (_, j) => headerCellText(r[j])));
  // Where each row's own labels start, before any carrying: a group above bounds the carry below.
  const starts = grid.map((cells) => cells.map((text) => text !== ''));
  for (let level = 0; level < grid.length - 1; level++) {
    const cells = grid[level]!;
    let carried = '';
    for (let j = 0; j < width; j++) {
      if (cells[j] !== '') {
        carried = cells[j]!;
        continue;
      }
      // Stop carrying a label over a column no lower row names (the table's right edge), or
      // where a row above starts a new group ("Total" merged down over this row).
      const namedBelow = grid.slice(level + 1).some((lower) => lower[j] !== '');
      const groupAbove = starts.slice(0, level).some((above) => above[j]);
      if (!namedBelow || groupAbove) carried = '';
      else cells[j] = carried;
    }
  }
  return Array.from({ length: width }, (_, j) =>
    grid
      .map((cells) => cells[j]!)
      .filter((text, level, all) => text !== '' && text !== all[level - 1])
      .join(PATH_SEPARATOR),
  );
}

export interface FoundHeader {
  /** Index of the header's first row among the rows given. */
  readonly index: number;
  readonly paths: readonly string[];
}

/**
 * The first of the first HEADER_SEARCH_ROWS non-blank rows whose block of `height` rows the
 * test accepts; null when none does.
 */
export function findHeader(
  rows: readonly SheetRow[],
  height: number,
  accepts: (paths: readonly string[]) => boolean,
): FoundHeader | null {
  let nonBlank = 0;
  for (let i = 0; i < rows.length && nonBlank < HEADER_SEARCH_ROWS; i++) {
    if (isBlankRow(rows[i]!.cells)) continue;
    nonBlank++;
    const block = rows.slice(i, i + height).map((r) => r.cells);
    const paths = flattenHeader(block);
    if (accepts(paths)) return { index: i, paths };
  }
  return null;
}

/** The text of the rows above the header (titles, unit lines, notes), one string per row. */
export function titleLines(rows: readonly SheetRow[], headerIndex: number): string[] {
  return rows
    .slice(0, headerIndex)
    .filter((r) => !isBlankRow(r.cells))
    .map((r) =>
      r.cells
        .map(headerCellText)
        .filter((t) => t !== '')
        .join(' '),
    );
}

/**
 * A header block declared one row too short leaves its last row among the data: a row of
 * month or quarter names where figures should be ("2023" above "January", "February"…). Its
 * figures would load under the wrong period, so the table is refused with the fix.
 */
export function refuseShortHeader(
  place: string,
  rows: readonly SheetRow[],
  figureColumns: readonly FigureColumnAt[],
  height: number,
): void {
  const first = rows.find((r) => !isBlankRow(r.cells));
  if (first === undefined || figureColumns.length === 0) return;
  const labels = figureColumns
    .map((c) => first.cells[c.index])
    .filter((cell): cell is string => typeof cell === 'string' && cell.trim() !== '');
  const periods = labels.filter((cell) => {
    const label = readPeriodLabel(cell);
    return label !== null && (label.kind === 'month' || label.kind === 'quarter');
  });
  if (periods.length === 0 || periods.length * 2 < figureColumns.length) return;
  throw new CorridorError(
    'header_too_short',
    `${place}: row ${first.number} reads as more header, not data (${periods
      .slice(0, 3)
      .map((p) => `"${p}"`)
      .join(
        ', ',
      )}…): the table's header has more rows than the ${height} its layout declares. Set headerRows to ${height + 1}.`,
  );
}

/** The block among a sheet's first rows that comes nearest a layout's header, when none is it. */
export interface NearHeader {
  readonly row: number;
  /** The block's column headers, as read. */
  readonly paths: readonly string[];
  readonly found: readonly string[];
  readonly missing: readonly string[];
  /** Parts of the layout found × 1000 + text cells: how near, to compare sheets. */
  readonly score: number;
}

/**
 * The block with the most of the layout's parts, else the row most like a header (the most
 * text cells: another table's header, "Код ТН ВЭД", "Наименование товара"); null for a sheet
 * without text.
 */
export function closestHeader(
  rows: readonly SheetRow[],
  height: number,
  likeness: (paths: readonly string[]) => { found: readonly string[]; missing: readonly string[] },
): NearHeader | null {
  let best: NearHeader | null = null;
  let nonBlank = 0;
  for (let i = 0; i < rows.length && nonBlank < HEADER_SEARCH_ROWS; i++) {
    if (isBlankRow(rows[i]!.cells)) continue;
    nonBlank++;
    const paths = flattenHeader(rows.slice(i, i + height).map((r) => r.cells));
    const { found, missing } = likeness(paths);
    const texts = rows[i]!.cells.filter((c) => typeof c === 'string' && /\p{L}/u.test(c)).length;
    // Parts of the layout count first; a row of one title cell is not a header.
    const score = found.length * 1000 + (texts >= 2 ? texts : 0);
    if (score > (best?.score ?? 0)) best = { row: rows[i]!.number, paths, found, missing, score };
  }
  return best;
}

/** 'the closest is sheet "X", row 4 ("Код ТН ВЭД", "Экспорт"…), which has … but lacks …'. */
export function describeNearHeader(near: NearHeader & { readonly sheet: string | null }): string {
  const where = near.sheet === null ? `row ${near.row}` : `sheet "${near.sheet}", row ${near.row}`;
  const shown = near.paths
    .filter((p) => p !== '')
    .slice(0, 6)
    .map((p) => `"${p.slice(0, 60)}"`)
    .join(', ');
  const has = near.found.length === 0 ? 'none of these columns' : `${near.found.join(', ')}`;
  return `the closest is ${where} (${shown}${near.paths.filter((p) => p !== '').length > 6 ? ', …' : ''}), which has ${has}${near.missing.length === 0 ? '' : ` and lacks ${near.missing.join(', ')}`}`;
}
