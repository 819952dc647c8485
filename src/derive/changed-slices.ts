/**
 * What changed since the last successful refresh of the indicator tables: the calendar years
 * of each source that loads since then covered (from each file's slices in the journal), the
 * last load taken into account, and whether the reference data the indicators read changed.
 */
import { createHash } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import type { YearsBySource } from './refresh-scope.ts';

export interface ChangedSlices {
  /** Trade years by source (a table computed within one source refreshes only that source's rows). */
  readonly trade: YearsBySource;
  /** Port years, all sources together. */
  readonly port: YearsBySource;
  readonly throughLoadId: number;
  readonly referenceStamp: string;
  /** Why every row must be computed (no refresh yet, the reference changed); null when not. */
  readonly wholeBecause: 'first_refresh' | 'reference_changed' | null;
}

/** The years a slice's period falls in: `2023`, `2023-07`, `FY2023-24` (which reaches into 2024). */
export function yearsOfPeriod(period: string): number[] {
  const fiscal = /^FY(\d{4})-\d{2}$/.exec(period);
  if (fiscal) return [Number(fiscal[1]), Number(fiscal[1]) + 1];
  const year = /^(\d{4})/.exec(period);
  return year ? [Number(year[1])] : [];
}

/**
 * A digest of the reference data the indicators read through joins (countries and their kinds,
 * HS categories, ports and their commodity aliases) and of the settings (the target edition).
 */
async function referenceStamp(warehouse: Warehouse): Promise<string> {
  const files = await warehouse.db
    .selectFrom('reference_files')
    .select(['file', 'sha256'])
    .orderBy('file')
    .execute();
  const settings = await warehouse.db
    .selectFrom('settings')
    .select(['key', 'value'])
    .orderBy('key')
    .execute();
  return createHash('sha256')
    .update(JSON.stringify([files, settings]))
    .digest('hex');
}

export async function changedSlices(warehouse: Warehouse): Promise<ChangedSlices> {
  const { db } = warehouse;
  const last = await db
    .selectFrom('derive_runs')
    .select(['through_load_id', 'reference_stamp'])
    .where('status', '=', 'succeeded')
    .orderBy('derive_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const stamp = await referenceStamp(warehouse);
  // Loads still running in another process have their journal row already but commit later:
  // this refresh takes in only loads before the first of them, and the next one the rest.
  const newest = await db
    .selectFrom('load_files')
    .select((e) => e.fn.max('load_id').as('id'))
    .executeTakeFirst();
  const running = await db
    .selectFrom('load_files')
    .select((e) => e.fn.min('load_id').as('id'))
    .where('status', '=', 'running')
    .executeTakeFirst();
  const through = running?.id == null ? (newest?.id ?? 0) : running.id - 1;
  const files = await db
    .selectFrom('load_files')
    .select(['source', 'target_table', 'slices'])
    .where('status', '=', 'loaded')
    .where('load_id', '>', last?.through_load_id ?? 0)
    .where('load_id', '<=', through)
    .execute();
  const trade = new Map<string | null, Set<number>>();
  const port = new Set<number>();
  for (const file of files) {
    const years =
      file.target_table === 'port_throughput' ? port : (trade.get(file.source) ?? new Set<number>());
    if (file.target_table !== 'port_throughput') trade.set(file.source, years);
    for (const slice of JSON.parse(file.slices ?? '[]') as { period?: string }[]) {
      for (const year of yearsOfPeriod(String(slice.period ?? ''))) years.add(year);
    }
  }
  const wholeBecause =
    last === undefined ? 'first_refresh' : last.reference_stamp !== stamp ? 'reference_changed' : null;
  return {
    trade,
    port: new Map([[null, port]]),
    throughLoadId: Math.max(through, last?.through_load_id ?? 0),
    referenceStamp: stamp,
    wholeBecause,
  };
}
