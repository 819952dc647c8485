/**
 * Picks a file's bulk writer by the table its source fills and the warehouse's backend: the one
 * place the load asks which backend it writes to. SQLite takes rows through synchronous
 * prepared statements (trade-flow-writer.ts, baci-flow-writer.ts, keyed-row-writer.ts);
 * PostgreSQL by COPY and a set-based merge (src/load/postgres/copy-flow-writer.ts). Both give the
 * same rows, counts and history for the same file.
 */
import { type FactTarget, factTableOf, TRADE_FLOW_ROWS } from '../../warehouse/fact-tables.ts';
import { ensureYearPartitions } from '../db/postgres/partitions.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { BaciFlowWriter } from './baci-flow-writer.ts';
import type { FlowWriter } from './flow-writer.ts';
import { PortThroughputWriter } from './port-throughput-writer.ts';
import { CopyFlowWriter } from './postgres/copy-flow-writer.ts';
import { copyRowsFor } from './postgres/copy-rows.ts';
import { TradeFlowWriter } from './trade-flow-writer.ts';
import { WorldTotalsWriter } from './world-totals-writer.ts';

export interface FlowWriterSpec {
  readonly target: FactTarget;
  readonly storage: 'baci_flows' | 'trade_flow_rows' | undefined;
  readonly source: string;
  readonly loadId: number;
  /** The coverage's dimensions (`reporter`, `period`...), or null to merge only. */
  readonly coverage: readonly string[] | null;
  /** The same as columns of the source's table (src/db/coverage.ts `coverageColumns`). */
  readonly coverageColumns: readonly string[] | null;
}

/**
 * The writer for a file, inside the transaction the caller has begun on `warehouse` (the
 * writer never commits).
 */
export function openFlowWriter(warehouse: Warehouse, spec: FlowWriterSpec): FlowWriter {
  const table = factTableOf(spec.target, spec.storage);
  if (warehouse.backend === 'postgres') {
    const rows = copyRowsFor(table, spec, spec.coverage, spec.coverageColumns);
    return new CopyFlowWriter(warehouse, rows, spec.loadId, async (name, years) => {
      if (table.partitionColumn !== undefined) await ensureYearPartitions(warehouse, name, years);
    });
  }
  const { sqlite } = warehouse;
  if (spec.target === 'port_throughput')
    return new PortThroughputWriter(sqlite, spec.source, spec.loadId, spec.coverageColumns);
  if (spec.target === 'world_trade_totals')
    return new WorldTotalsWriter(sqlite, spec.source, spec.loadId, spec.coverageColumns);
  if (spec.storage === 'baci_flows') return new BaciFlowWriter(sqlite, spec.loadId, spec.coverage);
  return new TradeFlowWriter(sqlite, spec.source, spec.loadId, spec.coverageColumns);
}

/**
 * Whether the file's rows may say only "HS" and need their edition settled before the merge
 * keys them (unstated-hs-editions.ts): rows of `trade_flow_rows`. BACI files name their edition.
 */
export function needsHsEditions(spec: Pick<FlowWriterSpec, 'target' | 'storage'>): boolean {
  return factTableOf(spec.target, spec.storage) === TRADE_FLOW_ROWS;
}
