/**
 * What the layout toolkit reports about a table it read (laid-out-table.ts), for the journal:
 * the sheets and how each was read, what was passed over, the aggregates checked and the
 * warnings found.
 */

export interface LayoutWarning {
  readonly code: 'aggregate_mismatch' | 'ytd_decrease';
  readonly sheet: string | null;
  readonly row: number;
  readonly column: string;
  readonly message: string;
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
