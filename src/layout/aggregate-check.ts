/**
 * Checks a table's total and subtotal rows against the sum of their parts. Tables made for
 * people interleave aggregates with the rows they sum ("Всего", "Страны СНГ", "Europe", "Total
 * dry bulk"); loading them as data double counts, dropping them unchecked hides a missing or
 * doubled row. A mismatch beyond what rounding the printed figures allows becomes a warning in
 * the journal, never silence.
 *
 * Which rows are the parts of an aggregate:
 * - a grand total: every other non-aggregate row of the sheet;
 * - a subtotal heading its parts (`before`): the rows after it, up to the next aggregate
 *   indented as much or less (" Страны ЕАЭС" then its members, up to " Страны вне ЕАЭС");
 * - a subtotal closing its parts (`after`): the rows since the previous aggregate indented as
 *   much or less ("Wheat", "Rice", then "Total grain").
 * An aggregate without parts in that span (the Kyrgyz table lists "CIS", "SCO" at the top,
 * their members scattered below) cannot be checked by position and is passed over; a blank row
 * ends the groups headed above it.
 */

/** A figure as printed: its value and the decimals it was written with (rounding tolerance). */
export interface PrintedFigure {
  readonly value: number;
  readonly decimals: number;
}

export type RowRole = 'part' | 'subtotal' | 'total';

export interface OfferedRow {
  readonly row: number;
  readonly label: string;
  readonly role: RowRole;
  /** Indentation of the label (leading spaces): nesting of subtotals. */
  readonly depth: number;
  /** One figure per checked column, null when the cell holds none. */
  readonly figures: readonly (PrintedFigure | null)[];
}

export interface AggregateMismatch {
  readonly row: number;
  readonly label: string;
  readonly column: string;
  readonly stated: number;
  readonly sum: number;
  readonly parts: number;
  readonly tolerance: number;
  /** The rows summed (those with a figure in this column), in sheet order: where to look. */
  readonly partRows: readonly number[];
}

import { formatFigure } from './printed-figures.ts';

/** Half a unit in the last printed decimal: how far a printed figure may be from the exact one. */
const roundingOf = (figure: PrintedFigure) => 0.5 * 10 ** -Math.min(figure.decimals, 12);

/** Running sums of one column's parts. */
class PartSums {
  sum = 0;
  tolerance = 0;
  parts = 0;
  rows: number[] = [];

  add(figure: PrintedFigure, row: number): void {
    this.sum += figure.value;
    this.tolerance += roundingOf(figure);
    this.parts++;
    this.rows.push(row);
  }
}

interface OpenAggregate {
  readonly row: OfferedRow;
  readonly sums: PartSums[];
}

export class AggregateChecker {
  readonly #columns: readonly string[];
  readonly #position: 'before' | 'after';
  readonly #mismatches: AggregateMismatch[] = [];
  #checked = 0;
  /** `before`: subtotals whose parts are still coming, outermost first. */
  #open: OpenAggregate[] = [];
  /** `after`: where each earlier subtotal stood, as the number of parts seen before it. */
  #closed: { readonly depth: number; readonly at: number }[] = [];
  /**
   * `after`: running sums of every column over the parts seen, one entry per part, and the rows
   * that had a figure in the column (`count` indexes them).
   */
  #prefix: { sum: number[]; tolerance: number[]; count: number[]; rows: number[] }[] = [];
  #partsSeen = 0;
  #totals: OfferedRow[] = [];
  #all: PartSums[];

  readonly #selection: boolean;

  /**
   * @param columns names of the checked columns, for messages.
   * @param selection the table lists only some of each aggregate's members (the Kyrgyz table
   *   lists main partners): an aggregate above the sum of its rows is expected and passes; one
   *   below it is still a mismatch.
   */
  constructor(columns: readonly string[], position: 'before' | 'after' = 'before', selection = false) {
    this.#columns = columns;
    this.#position = position;
    this.#selection = selection;
    this.#all = this.#newSums();
    this.#resetPrefix();
  }

  /** Comparisons made so far (one per aggregate and column with parts). */
  get checked(): number {
    return this.#checked;
  }

  get mismatches(): readonly AggregateMismatch[] {
    return this.#mismatches;
  }

  #newSums(): PartSums[] {
    return this.#columns.map(() => new PartSums());
  }

  #resetPrefix(): void {
    this.#prefix = this.#columns.map(() => ({ sum: [0], tolerance: [0], count: [0], rows: [] }));
    this.#closed = [];
    this.#partsSeen = 0;
  }

  offer(row: OfferedRow): void {
    if (row.role === 'total') this.#totals.push(row);
    else if (row.role === 'subtotal') {
      if (this.#position === 'before') {
        // A heading closes the groups it is not nested in, then opens its own.
        this.#closeWhile((open) => open.row.depth >= row.depth);
        this.#open.push({ row, sums: this.#newSums() });
      } else this.#closeAfter(row);
    } else this.#addPart(row);
  }

  /**
   * A blank row: groups headed above it end there (the Kyrgyz table leaves a blank row before
   * "Undefined country", which belongs to no continent).
   */
  breakGroups(): void {
    if (this.#position === 'before') this.#closeWhile(() => true);
  }

  #addPart(row: OfferedRow): void {
    this.#partsSeen++;
    const after = this.#position === 'after';
    row.figures.forEach((figure, i) => {
      if (after) {
        const prefix = this.#prefix[i]!;
        const last = prefix.sum.length - 1;
        prefix.sum.push(prefix.sum[last]! + (figure?.value ?? 0));
        prefix.tolerance.push(prefix.tolerance[last]! + (figure === null ? 0 : roundingOf(figure)));
        prefix.count.push(prefix.count[last]! + (figure === null ? 0 : 1));
        if (figure !== null) prefix.rows.push(row.row);
      }
      if (figure === null) return;
      this.#all[i]!.add(figure, row.row);
      for (const open of this.#open) open.sums[i]!.add(figure, row.row);
    });
  }

  /** A closing subtotal: its parts are those since the previous subtotal at its level or above. */
  #closeAfter(row: OfferedRow): void {
    let from = 0;
    for (const earlier of this.#closed) if (earlier.depth <= row.depth) from = Math.max(from, earlier.at);
    const sums = this.#prefix.map((prefix) => {
      const part = new PartSums();
      part.sum = prefix.sum[this.#partsSeen]! - prefix.sum[from]!;
      part.tolerance = prefix.tolerance[this.#partsSeen]! - prefix.tolerance[from]!;
      part.parts = prefix.count[this.#partsSeen]! - prefix.count[from]!;
      part.rows = prefix.rows.slice(prefix.count[from]!, prefix.count[this.#partsSeen]!);
      return part;
    });
    this.#compare(row, sums);
    this.#closed.push({ depth: row.depth, at: this.#partsSeen });
  }

  #closeWhile(predicate: (open: OpenAggregate) => boolean): void {
    while (this.#open.length > 0 && predicate(this.#open[this.#open.length - 1]!)) {
      const open = this.#open.pop()!;
      this.#compare(open.row, open.sums);
    }
  }

  #compare(row: OfferedRow, sums: readonly PartSums[]): void {
    row.figures.forEach((stated, i) => {
      const parts = sums[i]!;
      if (stated === null || parts.parts === 0) return;
      this.#checked++;
      const tolerance = roundingOf(stated) + parts.tolerance + 1e-9 * Math.abs(stated.value);
      const excess = stated.value - parts.sum;
      if (excess > tolerance ? !this.#selection : excess < -tolerance) {
        this.#mismatches.push({
          row: row.row,
          label: row.label,
          column: this.#columns[i]!,
          stated: stated.value,
          sum: parts.sum,
          parts: parts.parts,
          tolerance,
          partRows: parts.rows,
        });
      }
    });
  }

  /** Ends the sheet: open subtotals are compared, and grand totals against every part. */
  finish(): void {
    this.#closeWhile(() => true);
    for (const total of this.#totals) this.#compare(total, this.#all);
    this.#totals = [];
    this.#all = this.#newSums();
    this.#resetPrefix();
  }
}

/** A subtotal that does not match its rows, in words: which way, by how much, and what may explain it. */
export function describeMismatch(place: string, m: AggregateMismatch, selection: boolean): string {
  const gap = m.stated - m.sum;
  const share = m.stated === 0 ? '' : ` (${Math.abs((100 * gap) / m.stated).toFixed(1)} %)`;
  const rows = `${m.parts} row${m.parts === 1 ? '' : 's'}`;
  const cause =
    gap > 0
      ? `A row may be missing${selection ? '' : ', or the table lists only some members (a source can declare its aggregates a selection)'}`
      : 'A row may be counted twice, or belong to another group';
  return `${place} row ${m.row} "${m.label}", column "${m.column}": the ${rows} it sums add up to ${formatFigure(m.sum)}, ${formatFigure(Math.abs(gap))}${share} ${gap > 0 ? 'less' : 'more'} than the ${formatFigure(m.stated)} it states, beyond what rounding allows. ${cause}; compare the table with the publisher's.`;
}
