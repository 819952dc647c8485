/**
 * Which row of a table is its header. Files made for people put titles, notes and blank rows
 * above the table, so a reader offers its first rows, in order, to a HeaderSearch: the header is
 * the first of the first HEADER_SEARCH_ROWS non-blank rows that the test accepts (the source
 * finds its columns in it), else the first non-blank row, so the error then names what the
 * file has. Without a test, the first non-blank row.
 */

/** True when a row, as text, is the header the caller expects. */
export type HeaderTest = (cells: readonly string[]) => boolean;

export const HEADER_SEARCH_ROWS = 30;

/** The header row's cells as text. */
export const headerText = (cells: readonly unknown[]): string[] =>
  cells.map((c) => (c === null || c === undefined ? '' : String(c).trim()));

export class HeaderSearch {
  readonly #isHeader: HeaderTest | undefined;
  #offered = 0;
  #nonBlank = 0;
  #chosen = -1;
  #firstNonBlank = -1;

  constructor(isHeader: HeaderTest | undefined) {
    this.#isHeader = isHeader;
  }

  /** True once the header is found or enough rows were seen to give up looking. */
  get done(): boolean {
    return this.#chosen >= 0 || this.#nonBlank >= HEADER_SEARCH_ROWS;
  }

  /** Offers the next row, in file order; `blank` says it holds nothing. */
  offer(cells: readonly unknown[], blank: boolean): void {
    const index = this.#offered++;
    if (this.done || blank) return;
    this.#nonBlank++;
    if (this.#firstNonBlank < 0) this.#firstNonBlank = index;
    if (this.#isHeader === undefined || this.#isHeader(headerText(cells))) this.#chosen = index;
  }

  /** The header's index among the rows offered, or -1 when all were blank. */
  get index(): number {
    return this.#chosen >= 0 ? this.#chosen : this.#firstNonBlank;
  }
}
