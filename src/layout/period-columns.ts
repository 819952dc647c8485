/**
 * Which columns of a wide table are periods, and which period each is. A column's header path
 * is read from its last segment up: "2019" is a year; "Jul" under "2022-23" is a month of that
 * fiscal year; "Q1" under "2021" a quarter. Months of a fiscal year are placed by their order
 * under it: by the fiscal year's first month when the layout knows it (a port's), else by
 * their order: the year turns when the month number falls (Jul … Dec of 2022, then Jan … Jun
 * of 2023).
 */
import { type PeriodLabel, readPeriodLabel } from './period-label.ts';
import { PATH_SEPARATOR } from './table-layout.ts';

export interface PeriodColumn {
  readonly index: number;
  readonly path: string;
  /** "2019", "2021-07", "2021-Q1" or a fiscal year "2022-23". */
  readonly period: string;
  /** The path above the period ("2022-23" over its months): a year-to-date series restarts with each. */
  readonly group: string;
}

const two = (n: number) => String(n).padStart(2, '0');

function periodText(label: PeriodLabel, year: number): string {
  switch (label.kind) {
    case 'year':
      return String(label.year);
    case 'month':
      return `${year}-${two(label.month)}`;
    case 'quarter':
      return `${year}-Q${label.quarter}`;
    case 'fiscal_year':
      return label.label;
  }
}

export function periodColumns(
  paths: readonly string[],
  options: { readonly serialDates: boolean; readonly fiscalYearStart?: number | undefined },
): PeriodColumn[] {
  const columns: PeriodColumn[] = [];
  // Per group of months (their path above the month), the last month seen and whether the year turned.
  const fiscal = new Map<string, { lastMonth: number; turned: boolean }>();
  paths.forEach((path, index) => {
    const segments = path.split(PATH_SEPARATOR);
    const group = segments.slice(0, -1).join(PATH_SEPARATOR);
    const leafText = segments[segments.length - 1]!;
    // Header paths are text: a date serial typed as a number reads as one again when asked.
    const leafCell = options.serialDates && /^\d+(\.\d+)?$/.test(leafText) ? Number(leafText) : leafText;
    const leaf = readPeriodLabel(leafCell, { serialDates: options.serialDates });
    if (leaf === null) return;
    const undated = (leaf.kind === 'month' || leaf.kind === 'quarter') && leaf.year === null;
    if (!undated) {
      const year = leaf.kind === 'month' || leaf.kind === 'quarter' ? leaf.year! : 0;
      columns.push({ index, path, period: periodText(leaf, year), group });
      return;
    }
    // A month or quarter without a year takes it from the nearest segment above that has one.
    for (let level = segments.length - 2; level >= 0; level--) {
      const above = readPeriodLabel(segments[level], { serialDates: false });
      if (above?.kind === 'year') {
        columns.push({ index, path, period: periodText(leaf, above.year), group });
        return;
      }
      if (above?.kind === 'fiscal_year') {
        // Quarters of a fiscal year are fiscal quarters (Q1 = Jul–Sep in Pakistan): not calendar ones.
        if (leaf.kind !== 'month') return;
        // Months run in order under their own parent ("2022-23 › Exports", "2022-23 › Imports").
        // With the fiscal year's first month known, a month is placed by it ("Mar" under
        // "2023-24" is March 2024 in Pakistan); otherwise by its order under the heading.
        const start = options.fiscalYearStart;
        let inEndYear: boolean;
        if (start !== undefined && start > 1) inEndYear = leaf.month < start;
        else {
          const state = fiscal.get(group) ?? { lastMonth: 0, turned: false };
          if (leaf.month < state.lastMonth) state.turned = true;
          state.lastMonth = leaf.month;
          fiscal.set(group, state);
          inEndYear = state.turned;
        }
        columns.push({
          index,
          path,
          period: periodText(leaf, inEndYear ? above.endYear : above.startYear),
          group,
        });
        return;
      }
    }
  });
  return columns;
}
