/**
 * Refreshes the derived indicator tables (warehouse/indicators/) after loads.
 *
 * Incremental by default: the years that loads since the last refresh touched (read from each
 * file's slices in the journal), widened by what each indicator looks back or ahead on (growth
 * over five years reads five years back), are deleted and computed again; other years are left
 * as they are. The first refresh of a warehouse, a table whose definition changed, and
 * `corridor derive --full` recompute everything. All tables change in one transaction, so a
 * reader never sees a balance of this load beside a growth rate of the last. Each refresh is
 * journalled in `derive_runs` and `derive_tables` with its timings.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { INDICATORS } from '../../warehouse/indicators/index.ts';
import type { IndicatorDefinition, YearScope } from '../../warehouse/indicators/indicator.ts';
import { WarehouseError } from '../errors.ts';
import type { Warehouse } from '../load/warehouse.ts';
import { createTradeInputs, dropTradeInputs } from './derive-inputs.ts';
import { tableSchemaSql, tableState } from './indicator-table.ts';

export interface RefreshedTable {
  readonly table: string;
  readonly rowsWritten: number;
  readonly durationMs: number;
}

export interface DeriveResult {
  readonly deriveId: number;
  readonly mode: 'full' | 'incremental';
  /** Why a refresh was full: asked for (`--full`), the warehouse's first, or new reference data. */
  readonly fullBecause: 'requested' | 'first_refresh' | 'reference_changed' | null;
  /** Calendar years recomputed, per family; null when all were. */
  readonly tradeYears: readonly number[] | null;
  readonly portYears: readonly number[] | null;
  readonly tables: readonly RefreshedTable[];
  /** Time spent computing the trade input tables the indicators share (derive-inputs.ts). */
  readonly inputsDurationMs: number;
  readonly durationMs: number;
}

export interface DeriveOptions {
  /** Recompute every row of every table. */
  readonly full?: boolean;
  /** The load run that asked for the refresh, for the journal. */
  readonly runId?: number | null;
}

/** The years a slice's period falls in: `2023`, `2023-07`, `FY2023-24` (which reaches into 2024). */
export function yearsOfPeriod(period: string): number[] {
  const fiscal = /^FY(\d{4})-\d{2}$/.exec(period);
  if (fiscal) return [Number(fiscal[1]), Number(fiscal[1]) + 1];
  const year = /^(\d{4})/.exec(period);
  return year ? [Number(year[1])] : [];
}

interface ChangedYears {
  readonly trade: Set<number>;
  readonly port: Set<number>;
  readonly throughLoadId: number;
  readonly referenceStamp: string;
  /** Why every row must be computed (no refresh yet, the reference changed); null when not. */
  readonly wholeBecause: 'first_refresh' | 'reference_changed' | null;
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

/** Years touched by the loads after the last successful refresh, from their slices. */
async function changedYears(warehouse: Warehouse): Promise<ChangedYears> {
  const { db } = warehouse;
  const last = await db
    .selectFrom('derive_runs')
    .select(['through_load_id', 'reference_stamp'])
    .where('status', '=', 'succeeded')
    .orderBy('derive_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const after = last?.through_load_id ?? null;
  const stamp = await referenceStamp(warehouse);
  const files = await db
    .selectFrom('load_files')
    .select(['load_id', 'target_table', 'slices'])
    .where('status', '=', 'loaded')
    .where('load_id', '>', after ?? 0)
    .execute();
  const newest = await db
    .selectFrom('load_files')
    .select((e) => e.fn.max('load_id').as('id'))
    .executeTakeFirst();
  const trade = new Set<number>();
  const port = new Set<number>();
  for (const file of files) {
    const years = file.target_table === 'port_throughput' ? port : trade;
    for (const slice of JSON.parse(file.slices ?? '[]') as { period?: string }[]) {
      for (const year of yearsOfPeriod(String(slice.period ?? ''))) years.add(year);
    }
  }
  const wholeBecause =
    last === undefined ? 'first_refresh' : last.reference_stamp !== stamp ? 'reference_changed' : null;
  return { trade, port, throughLoadId: newest?.id ?? 0, referenceStamp: stamp, wholeBecause };
}

/** A table's years to recompute, and the input years it reads (null: every year). */
type TableScope = YearScope & { readonly readYears: readonly number[] | null };

/** The years of a table to recompute when input years `changed` moved, and the input years that needs. */
function scopeOf(definition: IndicatorDefinition, changed: ReadonlySet<number>): TableScope {
  const written = new Set<number>();
  for (const year of changed) {
    for (let y = year - definition.lookahead; y <= year + definition.lookback; y++) written.add(y);
  }
  const read = new Set<number>();
  for (const year of written) {
    for (let y = year - definition.lookback; y <= year + definition.lookahead; y++) read.add(y);
  }
  const list = (years: Set<number>) => sorted(years).join(', ');
  return {
    readYears: sorted(read),
    read: (column) => `${column} in (${list(read)})`,
    write: (column) => `${column} in (${list(written)})`,
  };
}

const sorted = (years: ReadonlySet<number>): number[] => [...years].sort((a, b) => a - b);

const EVERY_YEAR: TableScope = { readYears: null, read: () => '1 = 1', write: () => '1 = 1' };

/** A scope reading every year any of `scopes` reads; null when there is none. */
function widest(scopes: readonly TableScope[]): YearScope | null {
  if (scopes.length === 0) return null;
  if (scopes.some((s) => s.readYears === null)) return EVERY_YEAR;
  const years = sorted(new Set(scopes.flatMap((s) => s.readYears ?? [])));
  const condition = (column: string) => `${column} in (${years.join(', ')})`;
  return { read: condition, write: condition };
}

/**
 * Brings every indicator table up to date with the loads; returns what it did. Throws a
 * WarehouseError (`derive_failed`) on a database error, after recording the failure in
 * `derive_runs`; the tables are then as they were before the refresh.
 */
export async function refreshIndicators(
  warehouse: Warehouse,
  options: DeriveOptions = {},
): Promise<DeriveResult> {
  const { sqlite } = warehouse;
  const started = Date.now();
  const changed = await changedYears(warehouse);
  const rebuild = new Set<string>();
  for (const definition of INDICATORS) {
    if (tableState(sqlite, definition) !== 'current') rebuild.add(definition.table);
  }
  const full = options.full === true || changed.wholeBecause !== null;
  const startedAt = new Date(started).toISOString();
  const deriveId = Number(
    sqlite
      .prepare(
        `insert into derive_runs (run_id, mode, trade_years, port_years, through_load_id, reference_stamp,
           started_at, status) values (?, ?, ?, ?, ?, ?, ?, 'running')`,
      )
      .run(
        options.runId ?? null,
        full ? 'full' : 'incremental',
        full ? null : JSON.stringify(sorted(changed.trade)),
        full ? null : JSON.stringify(sorted(changed.port)),
        changed.throughLoadId,
        changed.referenceStamp,
        startedAt,
      ).lastInsertRowid,
  );

  /** Each table's scope, or null when it has nothing to refresh. */
  const scopes = new Map<IndicatorDefinition, TableScope | null>();
  for (const definition of INDICATORS) {
    const whole = full || rebuild.has(definition.table);
    const years =
      definition.family === 'both'
        ? new Set([...changed.trade, ...changed.port])
        : definition.family === 'trade'
          ? changed.trade
          : changed.port;
    scopes.set(definition, whole ? EVERY_YEAR : years.size === 0 ? null : scopeOf(definition, years));
  }
  /** The trade inputs cover what every trade table reads. */
  const tradeScopes = INDICATORS.filter((d) => d.family !== 'port').flatMap((d) => scopes.get(d) ?? []);
  const inputScope = widest(tradeScopes);

  const tables: RefreshedTable[] = [];
  let inputsDurationMs = 0;
  const refreshAll = sqlite.transaction(() => {
    if (inputScope !== null) {
      const inputsStarted = performance.now();
      createTradeInputs(sqlite, inputScope);
      inputsDurationMs = Math.round(performance.now() - inputsStarted);
    }
    for (const definition of INDICATORS) {
      const tableStarted = performance.now();
      if (rebuild.has(definition.table)) sqlite.exec(`drop table if exists ${definition.table}`);
      sqlite.exec(tableSchemaSql(definition));
      const scope = scopes.get(definition);
      if (scope === null || scope === undefined) continue;
      // Without a WHERE clause SQLite empties the table at once instead of row by row.
      sqlite.exec(
        scope === EVERY_YEAR
          ? `delete from ${definition.table}`
          : `delete from ${definition.table} where ${scope.write('year')}`,
      );
      const columns = definition.columns.map((c) => c.name).join(', ');
      const inserted = sqlite
        .prepare(
          `insert into ${definition.table} (${columns}, derive_id) select *, ${deriveId} from (${definition.select(scope)})`,
        )
        .run();
      tables.push({
        table: definition.table,
        rowsWritten: inserted.changes,
        durationMs: Math.round(performance.now() - tableStarted),
      });
    }
    dropTradeInputs(sqlite);
    const record = sqlite.prepare(
      'insert into derive_tables (derive_id, table_name, rows_written, duration_ms) values (?, ?, ?, ?)',
    );
    // The input tables' time is journalled under their common prefix.
    if (inputScope !== null) record.run(deriveId, 'input_*', 0, inputsDurationMs);
    for (const t of tables) record.run(deriveId, t.table, t.rowsWritten, t.durationMs);
  });

  try {
    refreshAll();
  } catch (cause) {
    const reason = (cause as Error).message;
    await sql`update derive_runs set status = 'failed', message = ${reason},
      finished_at = ${new Date().toISOString()}, duration_ms = ${Date.now() - started}
      where derive_id = ${deriveId}`.execute(warehouse.db);
    const table = tables.length < INDICATORS.length ? INDICATORS[tables.length]!.table : null;
    throw new WarehouseError(
      `refreshing the derived indicator tables failed${table === null ? '' : ` at ${table}`} (${reason}). Every indicator table is as it was before; fix the cause (a view or reference table changed by hand?) and run "corridor derive --full".`,
      { code: 'derive_failed', cause },
    );
  }
  const durationMs = Date.now() - started;
  await warehouse.db
    .updateTable('derive_runs')
    .set({ status: 'succeeded', finished_at: new Date().toISOString(), duration_ms: durationMs })
    .where('derive_id', '=', deriveId)
    .execute();
  return {
    deriveId,
    mode: full ? 'full' : 'incremental',
    fullBecause: options.full === true ? 'requested' : changed.wholeBecause,
    tradeYears: full ? null : sorted(changed.trade),
    portYears: full ? null : sorted(changed.port),
    tables,
    inputsDurationMs,
    durationMs,
  };
}
