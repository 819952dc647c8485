/**
 * A run as an unattended job needs it: the pipeline's lock around it, so that no other
 * run of the pipeline overlaps; a way to stop after the file in flight; and alerts to the
 * pipeline's command or webhook when it fails or its rejects pass the threshold. Used by
 * `corridor run` and by every tick of `corridor schedule`.
 */
import { hostname } from 'node:os';
import {
  acquirePipelineLock,
  checkPipelineLockFree,
  type LockRow,
  type PipelineLock,
  type PipelineLockOptions,
} from '../db/pipeline-lock.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { CorridorError, ExitCode, LockHeldError } from '../errors.ts';
import type { Pipeline } from '../pipeline/define-pipeline.ts';
import {
  type PipelineExportsResult,
  runMayExport,
  writePipelineExports,
} from '../pipeline/pipeline-exports.ts';
import { type RunHooks, type RunOptions, runPipeline } from '../pipeline/run-pipeline.ts';
import type { RunResult } from '../pipeline/run-result.ts';
import { type AlertPayload, alertEventFor, alertPayloadOf, runFailurePayloadOf } from './alert-payload.ts';
import { type AlertDelivery, sendAlerts } from './alert-sender.ts';
import { nightlyConnectOptions, openNightlyWarehouse, reconnectWithLock } from './nightly-warehouse.ts';

export interface SupervisedRunOptions extends Omit<RunOptions, 'stopReason'> {
  readonly warehousePath: string;
  /** Who holds the lock, as others see it: `corridor run`, `corridor schedule`. */
  readonly purpose: string;
  /**
   * Hold the pipeline's lease lock during the run. `corridor load` does not: its one-off loads
   * of named files may run side by side, each file its own transaction. @default true
   */
  readonly lock?: boolean;
  /** Asked before each file; a reason (a signal) stops the run after the file in flight. */
  readonly stopRequested?: () => string | null;
  /** The lease taken or found: for the caller to report a takeover. */
  readonly onLease?: (tookOver: LockRow | null) => void;
  /** Something the caller should print that does not change the run's result. */
  readonly onWarning?: (message: string) => void;
  /** The pipeline's exports, once written (before the result is returned). */
  readonly onExports?: (exports: PipelineExportsResult) => void;
  /** Sent alerts, as they are known (before the result is returned). */
  readonly onAlerts?: (deliveries: readonly AlertDelivery[]) => void;
}

export interface SupervisedRun {
  readonly result: RunResult;
  readonly alerts: readonly AlertDelivery[];
  /** The pipeline's exports after the run; null when it has none or the run did not load. */
  readonly exports: PipelineExportsResult | null;
}

async function recordAlerts(
  warehouse: Warehouse,
  runId: number,
  event: string,
  deliveries: readonly AlertDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const sentAt = new Date().toISOString();
  await warehouse.db
    .insertInto('run_alerts')
    .values(
      deliveries.map((d) => ({
        run_id: runId,
        event,
        channel: d.channel,
        target: d.target,
        delivered: d.ok ? 1 : 0,
        detail: d.detail,
        sent_at: sentAt,
        duration_ms: Math.round(d.durationMs),
      })),
    )
    .execute();
}

/**
 * @example
 * const { result } = await supervisedRun(pipeline, { warehousePath, purpose: 'corridor run' }, hooks);
 */
export async function supervisedRun(
  pipeline: Pipeline,
  options: SupervisedRunOptions,
  hooks: RunHooks = {},
): Promise<SupervisedRun> {
  const started = new Date();
  const dryRun = options.dryRun ?? false;
  const locked = !dryRun && (options.lock ?? true);
  // A second run says so at once, before it waits on the write lock of the first one's load.
  if (locked && !options.force) await checkPipelineLockFree(options.warehousePath, pipeline.name);
  let warehouse: Warehouse | null = null;
  let lease: PipelineLock | null = null;
  let result: RunResult;
  let stoppedOnRequest = false;
  const connect = nightlyConnectOptions(options.onWarning);
  const lockOptions: PipelineLockOptions = {
    leaseMs: pipeline.lockLeaseSeconds * 1000,
    purpose: options.purpose,
    force: options.force ?? false,
    onTakeOver: (holder) => options.onWarning?.(`took the lock of "${pipeline.name}" over from ${holder}`),
  };
  try {
    warehouse = await openNightlyWarehouse(options.warehousePath, { dryRun, connect });
    if (locked) {
      lease = await acquirePipelineLock(warehouse, pipeline.name, lockOptions);
      options.onLease?.(lease.tookOver);
    }
    result = await runPipeline(
      warehouse,
      pipeline,
      {
        ...options,
        stopReason: async () => {
          const asked = options.stopRequested?.() ?? null;
          if (asked !== null) {
            stoppedOnRequest = true;
            return asked;
          }
          // Asked of the warehouse before each file, not left to the heartbeat: a run that lost
          // its lock to --force loads nothing more.
          return lease === null || (await lease.stillHeld())
            ? null
            : 'another process took the lock over with --force';
        },
        // A lost connection took the lock with it (PostgreSQL): a new one takes it again.
        reconnect: async () => {
          await warehouse?.close().catch(() => {});
          warehouse = null;
          // The old lock went with its connection: nothing to release.
          lease = null;
          if (!locked) {
            warehouse = await openNightlyWarehouse(options.warehousePath, { connect });
            return warehouse;
          }
          const again = await reconnectWithLock(options.warehousePath, pipeline.name, {
            ...lockOptions,
            connect,
          });
          warehouse = again.warehouse;
          lease = again.lock;
          return warehouse;
        },
      },
      hooks,
    );
  } catch (error) {
    const unreleased = await lease?.release();
    if (unreleased) options.onWarning?.(unreleased);
    // A run that could not start or broke off is a failure to tell someone about; finding the
    // lock held is not (the other run is doing the job).
    if (!dryRun && pipeline.alerts !== undefined && !(error instanceof LockHeldError)) {
      const event = alertEventFor('failed', pipeline.alerts.on);
      if (event !== null) {
        const cause = error instanceof CorridorError ? error : null;
        const payload = runFailurePayloadOf(
          {
            pipeline: pipeline.name,
            runId: null,
            status: 'failed',
            exitCode: cause?.exitCode ?? ExitCode.RunFailed,
            durationMs: Date.now() - started.getTime(),
            error: {
              code: cause?.code ?? 'internal_error',
              message: (error as Error)?.message ?? String(error),
            },
          },
          { event, host: hostname(), startedAt: started, rejectThreshold: pipeline.rejectThreshold },
        );
        options.onAlerts?.(await sendAlerts(pipeline.alerts, payload));
      }
    }
    await warehouse?.close();
    throw error;
  }
  let exports: PipelineExportsResult | null = null;
  try {
    // Exports are part of the run: written under its lock, so they never mix two runs' data.
    if (runMayExport(result) && pipeline.exports.length > 0 && !stoppedOnRequest) {
      exports = await writePipelineExports(pipeline, result, {
        warehouse: options.warehousePath,
        base: options.base ?? process.cwd(),
        startedAt: started,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      options.onExports?.(exports);
    }
  } catch (error) {
    await lease?.release();
    await warehouse?.close();
    throw error;
  }
  try {
    // The lock goes before the alerts: a slow webhook must not keep the next run out.
    const unreleased = await lease?.release();
    if (unreleased) options.onWarning?.(unreleased);
    // Stopped on request is someone's decision (a shutdown), not a failure to report.
    const alerts = stoppedOnRequest ? null : await alertAfter(pipeline, result, started, dryRun);
    if (alerts !== null) {
      options.onAlerts?.(alerts.deliveries);
      if (result.runId !== null)
        await recordAlerts(warehouse, result.runId, alerts.payload.event, alerts.deliveries);
    }
    return { result, alerts: alerts?.deliveries ?? [], exports };
  } finally {
    await warehouse.close();
  }
}

async function alertAfter(
  pipeline: Pipeline,
  result: RunResult,
  started: Date,
  dryRun: boolean,
): Promise<{ payload: AlertPayload; deliveries: AlertDelivery[] } | null> {
  if (dryRun || pipeline.alerts === undefined || result.runId === null) return null;
  const event = alertEventFor(result.status, pipeline.alerts.on);
  if (event === null) return null;
  const payload = alertPayloadOf(result, {
    event,
    host: hostname(),
    startedAt: started,
    rejectThreshold: pipeline.rejectThreshold,
  });
  return { payload, deliveries: await sendAlerts(pipeline.alerts, payload) };
}
