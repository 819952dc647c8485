/**
 * Year-to-date tables (Port Qasim reports July–March cumulatively): each month's own figure is
 * its column minus the one before it, starting again under each year heading.
 */
import type { CellReading } from './cell-number.ts';
import type { FigureColumnAt } from './header-binding.ts';
import type { LayoutWarning } from './layout-report.ts';
import { formatFigure } from './printed-figures.ts';

/**
 * A row of year-to-date figures as each month's own: m_k = YTD_k − YTD_(k−1), starting again
 * under each year heading (DOMAIN.md §5.4). A month that comes out negative means an earlier
 * month was revised: it stays negative, so the source rejects it, and a warning says why.
 */
export function decumulate(
  readings: readonly CellReading[],
  columns: readonly FigureColumnAt[],
  place: string,
  sheet: string | null,
  row: number,
  warnings: LayoutWarning[],
): CellReading[] {
  let group: string | null = null;
  let previous: { value: number; decimals: number; path: string } | null = null;
  return readings.map((reading, i) => {
    const column = columns[i]!;
    if (column.group !== group) {
      group = column.group;
      previous = null;
    }
    if (reading.kind !== 'number') return reading;
    const decimals = Math.max(reading.decimals, previous?.decimals ?? 0);
    const own =
      previous === null ? reading.value : Number((reading.value - previous.value).toFixed(decimals));
    if (own < 0 && previous !== null) {
      warnings.push({
        code: 'ytd_decrease',
        sheet,
        row,
        column: column.path,
        message: `${place} row ${row}, column "${column.path}": the year-to-date figure falls from ${formatFigure(previous.value)} ("${previous.path}") to ${formatFigure(reading.value)}, so the month comes out at ${formatFigure(own)}; an earlier month was probably revised. That month is rejected; load the revised table.`,
      });
    }
    previous = { value: reading.value, decimals, path: column.path };
    return { ...reading, value: own, decimals };
  });
}
