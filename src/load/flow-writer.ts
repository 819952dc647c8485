/**
 * What the file loader needs from a bulk writer, whichever table it fills and whichever backend
 * holds it: rows in, duplicates out, and at the end what the merge did (src/db/merge-lane.ts on
 * SQLite, src/db/postgres/fact-merge.ts on PostgreSQL) and what coverage retired.
 * open-flow-writer.ts picks the writer.
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

/** What a file's load did, and the duplicates found only at the end (never written). */
export type FlowWriterOutcome = MergeOutcome & { readonly lateDuplicates: readonly Duplicate[] };

/** Which table a writer fills: `trade_flow_rows` rows may need their HS edition settled first. */
export type FlowWriterKind = 'trade_flow_rows' | 'baci_flows' | 'port_throughput_rows' | 'world_trade_totals';

export interface FlowWriter {
  readonly kind: FlowWriterKind;
  /** Rows written so far (inserted or merged); after `finish`, inserted + changed + unchanged. */
  readonly rowsWritten: number;
  /** The slices this file touched, for the journal. */
  readonly slices: readonly Slice[];
  /**
   * Writes a batch's rows; returns the rows whose key an earlier row of this file already
   * holds, when the writer can tell at once (SQLite). Those rows are not written.
   */
  write(batch: MappedBatch): Promise<Duplicate[]>;
  /**
   * After the last batch: merges what is still pending, retires what the coverage says and
   * counts what the load did. Duplicates the writer could only find now come back in
   * `lateDuplicates`; they are not written either (the file's first row of a key wins).
   */
  finish(): Promise<FlowWriterOutcome>;
}
