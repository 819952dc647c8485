/**
 * The slices a file touched, for the journal (`load_files.slices`) and for the incremental
 * refresh of the indicators, which recomputes the periods that changed (derive/changed-slices.ts).
 * A slice is a reporter (or a port) and a period; port slices also carry direction and unit.
 */

export interface Slice {
  readonly reporter: string;
  readonly period: string;
  /** For slices that include the HS edition (BACI). */
  readonly hs_edition?: string;
  /** Port slices: a port's imports and exports, tonnes and TEU come in separate files. */
  readonly direction?: string;
  readonly unit?: string;
}

export class TouchedSlices {
  readonly #slices = new Map<string, Slice>();

  /** Slices in first-seen order. */
  get slices(): readonly Slice[] {
    return [...this.#slices.values()];
  }

  /** Notes a slice, known by the values that tell it apart. */
  note(slice: Slice, keyValues: readonly unknown[]): void {
    const key = keyValues.join('\u0000');
    if (!this.#slices.has(key)) this.#slices.set(key, slice);
  }
}
