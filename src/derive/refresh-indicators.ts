/**
 * Refreshes the derived indicator tables (warehouse/indicators/) after loads.
 *
 * Incremental by default: the years of each source that loads since the last refresh touched
 * (changed-slices.ts), widened by what each indicator looks back or ahead on
 * (refresh-scope.ts), are deleted and computed again; other rows are left as they are. The
 * first refresh of a warehouse, a table whose definition changed, new reference data and
 * `corridor derive --full` recompute everything. All tables change in one transaction, so a
 * reader never sees a balance of this load beside a growth rate of the last. Each refresh is
 * journalled in `derive_runs` and `derive_tables` with its timings.
 *
 * The same statements run on SQLite and PostgreSQL (the definitions write what differs with the
 * warehouse's flavor). All of it is set-based SQL, a few dozen statements per refresh, so the
 * asynchronous session costs nothing beside the statements themselves.
 */
import { sql } from 'kysely';
import { INDICATORS } from '../../warehouse/indicators/index.ts';
import type { IndicatorDefinition } from '../../warehouse/indicators/indicator.ts';
import type { CheckSettings } from '../check/check-settings.ts';
import {
  type CheckRunResult,
  type OpenFindingCounts,
  openFindingCounts,
  runWarehouseChecks,
} from '../check/run-checks.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';
import { runStoppable } from '../native-step.ts';
import { type ChangedSlices, changedSlices } from './changed-slices.ts';
import { createTradeInputs, dropTradeInputs, type InputTableTiming } from './derive-inputs.ts';
import { insertOrder, tableSchemaSql, tableState } from './indicator-table.ts';
import {
  acrossSources,
  EVERY_YEAR,
  scopeOf,
  type TableScope,
  widest,
  type YearsBySource,
  yearsForJournal,
  yearsWritten,
} from './refresh-scope.ts';
import { recordShareFindings } from './share-findings.ts';

/** The lock one refresh at a time holds on PostgreSQL. */
const DERIVE_LOCK = 'corridor:derive';

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
  /** The trade years that changed, by source; null for a full refresh. */
  readonly tradeYears: Readonly<Record<string, number[]>> | null;
  /** The port years that changed (all sources under `*`); null for a full refresh. */
  readonly portYears: Readonly<Record<string, number[]>> | null;
  readonly tables: readonly RefreshedTable[];
  /** Tables dropped and computed whole because their definition changed (or they were new). */
  readonly rebuilt: readonly string[];
  /** The trade input tables the indicators share (derive-inputs.ts): the time of each. */
  readonly inputs: readonly InputTableTiming[];
  readonly durationMs: number;
  /** The data-quality checks run after the refresh (src/check/). */
  readonly checks: CheckRunResult;
  /** Open data-quality findings of every check after them, by severity. */
  readonly openFindings: OpenFindingCounts;
}

export interface DeriveOptions {
  /** Recompute every row of every table. */
  readonly full?: boolean;
  /** The load run that asked for the refresh, for the journal. */
  readonly runId?: number | null;
  /** Thresholds of the data-quality checks run after the refresh (a pipeline's `checks:`). */
  readonly checks?: CheckSettings;
}

/** The changed years a table depends on: its source's, every source's, or the ports'. */
function yearsFor(definition: IndicatorDefinition, changed: ChangedSlices): YearsBySource {
  if (definition.family === 'port') return changed.port;
  if (definition.family === 'both') return acrossSources(changed.trade, changed.port);
  return definition.acrossSources ? acrossSources(changed.trade) : changed.trade;
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
  const { sql: session, flavor } = warehouse;
  const started = Date.now();
  const changed = await changedSlices(warehouse);
  const rebuild = new Set<string>();
  for (const definition of INDICATORS) {
    if ((await tableState(warehouse, definition)) !== 'current') rebuild.add(definition.table);
  }
  // A table computed whole makes whole those that read it (INDICATORS lists readers after).
  for (const definition of INDICATORS) {
    if (definition.readsTables?.some((t) => rebuild.has(t))) rebuild.add(definition.table);
  }
  const full = options.full === true || changed.wholeBecause !== null;
  const tradeYears = full ? null : yearsForJournal(changed.trade);
  const portYears = full ? null : yearsForJournal(changed.port);
  const deriveId = Number(
    await session.value(
      `insert into derive_runs (run_id, mode, trade_years, port_years, through_load_id, reference_stamp,
         started_at, status) values (?, ?, ?, ?, ?, ?, ?, 'running') returning derive_id`,
      [
        options.runId ?? null,
        full ? 'full' : 'incremental',
        tradeYears === null ? null : JSON.stringify(tradeYears),
        portYears === null ? null : JSON.stringify(portYears),
        changed.throughLoadId,
        changed.referenceStamp,
        new Date(started).toISOString(),
      ],
    ),
  );

  /** Each table's scope; null when it has nothing to refresh. */
  const scopes = new Map<IndicatorDefinition, TableScope | null>(
    INDICATORS.map((d) => [d, full || rebuild.has(d.table) ? EVERY_YEAR : scopeOf(d, yearsFor(d, changed))]),
  );
  // The trade inputs hold what every table that reads them needs.
  const inputScope = widest(INDICATORS.filter((d) => d.readsTradeInputs).flatMap((d) => scopes.get(d) ?? []));

  const tables: RefreshedTable[] = [];
  let inputs: InputTableTiming[] = [];
  let current = 'the trade input tables';
  const [lockSql, unlockSql] = [flavor.sessionLock(DERIVE_LOCK), flavor.sessionUnlock(DERIVE_LOCK)];
  const refreshAll = async () => {
    // Every input table and indicator from one snapshot of the facts, whatever loads commit
    // meanwhile (on PostgreSQL; SQLite's write transaction sees no other).
    if (flavor.oneSnapshot !== '') await session.exec(flavor.oneSnapshot);
    if (flavor.stopWithClient !== '') await session.exec(flavor.stopWithClient);
    if (inputScope !== null) {
      inputs = await createTradeInputs(warehouse, inputScope);
    }
    for (const definition of INDICATORS) {
      current = definition.table;
      const tableStarted = performance.now();
      if (rebuild.has(definition.table)) {
        // Views over the table (trade_by_category reads ind_trade_sums) go with it on
        // PostgreSQL, and come back over the new table.
        const views = await session.all<{ name: string; definition: string }>(flavor.dependentViewsSql, [
          definition.table,
        ]);
        await session.exec(flavor.dropTable(definition.table));
        await session.exec(tableSchemaSql(definition, flavor));
        for (const view of views) await session.exec(`create view ${view.name} as ${view.definition}`);
      } else await session.exec(tableSchemaSql(definition, flavor));
      const scope = scopes.get(definition);
      if (scope === null || scope === undefined) continue;
      // Without a WHERE clause SQLite empties the table at once instead of row by row. With
      // one, the year predicate (the table is clustered on source and year) makes the delete a
      // range of the table, and on PostgreSQL the inputs read only the year partitions of the
      // fact tables: a refresh works per partition, as per year.
      await session.run(
        scope === EVERY_YEAR
          ? `delete from ${definition.table}`
          : `delete from ${definition.table} where ${scope.write('year')}`,
      );
      const columns = definition.columns.map((c) => c.name).join(', ');
      const rows = flavor.integerFlags(
        definition.select(scope, flavor),
        definition.columns.length,
        definition.columns.flatMap((c, i) => (c.type === 'integer' ? [i] : [])),
      );
      const inserted = await session.run(
        `insert into ${definition.table} (${columns}, derive_id) select *, ${deriveId} from (${rows}) as computed${insertOrder(definition)}`,
      );
      tables.push({
        table: definition.table,
        rowsWritten: inserted.changes,
        durationMs: Math.round(performance.now() - tableStarted),
      });
    }
    await dropTradeInputs(warehouse);
    const record =
      'insert into derive_tables (derive_id, table_name, rows_written, duration_ms) values (?, ?, ?, ?)';
    // Each input table's time, beside the indicator tables that read them; it writes no row
    // of the warehouse (so a sum of rows_written counts indicator rows).
    for (const i of inputs) await session.run(record, [deriveId, i.table, 0, i.durationMs]);
    for (const t of tables) await session.run(record, [deriveId, t.table, t.rowsWritten, t.durationMs]);
  };

  try {
    // The write lock from the start (SQLite IMMEDIATE), so a load committing while the inputs
    // are computed waits instead of making this transaction fail at its first write.
    // A signal meanwhile ends the process at once (native-step.ts); the backend rolls this back.
    // On PostgreSQL a second refresh waits for this one at a lock taken before its snapshot,
    // so it sees (and replaces) this one's rows rather than colliding with them.
    if (lockSql !== '') await session.value(lockSql);
    if (flavor.bulkWork.begin !== '') await session.exec(flavor.bulkWork.begin);
    try {
      await runStoppable(() => session.transaction(refreshAll, { writeLock: true }));
    } finally {
      if (flavor.bulkWork.end !== '') await session.exec(flavor.bulkWork.end).catch(() => {});
      if (unlockSql !== '') await session.value(unlockSql).catch(() => {});
    }
  } catch (cause) {
    const reason = (cause as Error).message;
    await sql`update derive_runs set status = 'failed', message = ${reason},
      finished_at = ${new Date().toISOString()}, duration_ms = ${Date.now() - started}
      where derive_id = ${deriveId}`.execute(warehouse.db);
    throw new WarehouseError(
      `refreshing the derived indicator tables failed at ${current} (${reason}). Every indicator table is as it was before; fix the cause (a view or reference table changed by hand?) and run "corridor derive --full".`,
      { code: 'derive_failed', cause },
    );
  }
  const durationMs = Date.now() - started;
  await warehouse.db
    .updateTable('derive_runs')
    .set({ status: 'succeeded', finished_at: new Date().toISOString(), duration_ms: durationMs })
    .where('derive_id', '=', deriveId)
    .execute();
  // The findings of what the refresh wrote, recorded against this run. Those about one year at
  // a time are looked for in the years it rewrote (every year after a full one).
  const years = yearsWritten([...scopes.values()].flatMap((s) => s ?? []));
  await recordShareFindings(warehouse, options.runId ?? null, years);
  const checks = await runWarehouseChecks(warehouse, {
    runId: options.runId ?? null,
    years,
    ...(options.checks === undefined ? {} : { settings: options.checks }),
  });
  return {
    deriveId,
    mode: full ? 'full' : 'incremental',
    fullBecause: options.full === true ? 'requested' : changed.wholeBecause,
    tradeYears,
    portYears,
    tables,
    rebuilt: [...rebuild],
    inputs,
    durationMs,
    checks,
    openFindings: await openFindingCounts(warehouse),
  };
}
