/**
 * What a chart is, independent of where it is drawn: the console serves it as inline SVG and
 * `corridor chart` writes the same SVG to a file, both through renderSvg (svg-chart.ts), so a
 * report and the console always show the same picture for the same data.
 */

/**
 * - `stacked-bar`: one bar per category (a year), each series a segment (potash, grain…).
 * - `grouped-bar`: one bar per series side by side within each category.
 * - `line`: one line per series over the categories (months, years); gaps where a value is null.
 * - `horizontal-bar`: one bar per category, long labels on the left (top HS6 products).
 */
export type ChartKind = 'stacked-bar' | 'grouped-bar' | 'line' | 'horizontal-bar';

export interface ChartSeries {
  readonly name: string;
  /** One value per category, in the same order; null where there is no figure (drawn as none, not 0). */
  readonly values: readonly (number | null)[];
}

export interface ChartSpec {
  readonly kind: ChartKind;
  readonly title: string;
  /** A second line under the title: the source, the unit, what was left out. */
  readonly subtitle?: string;
  /** The x axis (or the y axis of a horizontal bar chart), in order. */
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** The unit of the values, as axis labels show it: "USD", "tonnes", "TEU", "ratio". */
  readonly unit: string;
  /**
   * Why there are no figures, when the data says (rows whose every figure is NULL, and their
   * null_reason): shown in place of the chart instead of a bare "No data".
   */
  readonly noFigures?: string;
  /** Pixels; defaults chosen by the renderer. */
  readonly width?: number;
  readonly height?: number;
}
