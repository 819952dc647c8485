/**
 * What the file loader needs from a bulk writer, whichever table it fills: rows in, duplicates
 * out, and at the end what the merge did (src/db/merge-lane.ts) and what coverage retired
 * (src/db/coverage.ts).
 */
import type { MergeOutcome } from '../db/merge-lane.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import type { Slice } from './touched-slices.ts';

export interface Duplicate {
  readonly sourceRow: number;
  /** The earlier row of the same file holding the same key. */
  readonly firstRow: number;
  /** The row as trade_flows would show it, for a reject when the raw cells are gone. */
  row(): Record<string, unknown>;
}

export interface FlowWriter {
  /** Rows written so far (inserted or merged). */
  readonly rowsWritten: number;
  /** The slices this file touched, for the journal. */
  readonly slices: readonly Slice[];
  /** Writes a batch's rows; returns the rows whose key an earlier row of this file already holds. */
  write(batch: MappedBatch): Duplicate[];
  /** After the last batch: retires what the coverage says and counts what the load did. */
  finish(): MergeOutcome;
}
