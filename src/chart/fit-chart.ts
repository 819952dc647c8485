/** STUB (being written): a chart for a query's result when its shape fits one, else null. */
import type { ChartSpec } from './chart-spec.ts';

export function chartOfRows(
  _columns: readonly string[],
  _rows: readonly (readonly unknown[])[],
  _title: string,
): ChartSpec | null {
  return null;
}
