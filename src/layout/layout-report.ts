/**
 * What the layout toolkit reports about a table it read (laid-out-table.ts), for the journal:
 * the sheets and how each was read, what was passed over, the aggregates checked and the
 * warnings found.
 */
import type { SettledFact } from './stated-facts.ts';

export interface LayoutWarning {
  readonly code: 'aggregate_mismatch' | 'ytd_decrease';
  readonly sheet: string | null;
  readonly row: number;
  readonly column: string;
  readonly message: string;
  /** For an aggregate mismatch: the figures compared, for the data-quality findings (src/load/layout-findings.ts). */
  readonly aggregate?: AggregateFigures;
}

/** A total or subtotal as printed beside the sum of the rows it stands for, in the table's own unit. */
export interface AggregateFigures {
  /** The row's label as printed ("Europe", "Страны СНГ"). */
  readonly label: string;
  readonly printed: number;
  readonly summed: number;
  /** The rows summed, in sheet order. */
  readonly partRows: readonly number[];
  /** The unit the figures are printed in ("thousand US dollars"). */
  readonly unit: string | null;
}

export interface LaidOutSheet {
  readonly name: string | null;
  /** Row number of the header's first row. */
  readonly headerRow: number;
  /** The unit the sheet's figures were written in, as written, and its factor to the canonical unit. */
  readonly units: readonly string[];
  readonly context: Readonly<Record<string, string>>;
  /** Header columns the layout neither keeps nor reads figures from (a "Total" or "% change" column). */
  readonly unread: readonly string[];
  /** The flow, period and unit the sheet's figures were read with, and where each came from. */
  readonly facts: readonly SettledFact[];
}

export interface LayoutReport {
  readonly sheets: readonly LaidOutSheet[];
  /** Sheets passed over, with why (a cover, a legend; hidden). */
  readonly skippedSheets: readonly { readonly name: string; readonly reason: string }[];
  /** Figures on total and subtotal rows: checked, not loaded. */
  readonly aggregateRecords: number;
  /** Aggregate figures compared with the sum of their parts. */
  readonly aggregatesChecked: number;
  /** Cells holding no value ("-", "…", blank) where a figure could stand; not records. */
  readonly nilCells: number;
  /** Rows without any figure (notes under the table); not records. */
  readonly rowsWithoutFigures: number;
  readonly warnings: readonly LayoutWarning[];
}
