/**
 * What the file loader needs from a bulk writer, whichever table it fills: rows in, duplicates
 * out, and an account of the slices it replaced.
 */
import type { MappedBatch } from '../validate/map-stage.ts';
import type { SliceReplacer } from './slice-replacer.ts';

export interface Duplicate {
  readonly sourceRow: number;
  /** The earlier row of the same file holding the same key. */
  readonly firstRow: number;
  /** The row as trade_flows would show it, for a reject when the raw cells are gone. */
  row(): Record<string, unknown>;
}

export interface FlowWriter {
  readonly rowsInserted: number;
  /** The slices this file touched and the earlier rows they replaced. */
  readonly replacer: SliceReplacer;
  /** What a slice of this table is, for messages: "reporter and period". */
  readonly sliceKey: string;
  /** Inserts a batch's rows; returns the rows whose key an earlier row of this file already holds. */
  write(batch: MappedBatch): Duplicate[];
}
