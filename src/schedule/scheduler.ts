/**
 * `corridor schedule`: runs each pipeline on its cron expression, in its time zone, until told
 * to stop. Runs go one at a time through a queue: they write to one warehouse, which takes one
 * writer at a time anyway, and a tick that finds its pipeline still running or queued is
 * skipped, with the reason written down. Every run holds the pipeline's lease lock, so a run
 * started by hand (or by a scheduler on another machine) is never overlapped either.
 *
 * Stopping (SIGINT, SIGTERM) stops the ticks, drops what is queued, lets the run in flight
 * finish its current file, releases its lock, and then resolves `finished`.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Warehouse } from '../db/warehouse.ts';
import { CorridorError, describeError, LockHeldError } from '../errors.ts';
import type { Pipeline } from '../pipeline/define-pipeline.ts';
import type { RunResult, RunTrigger } from '../pipeline/run-result.ts';
import type { AlertDelivery } from './alert-sender.ts';
import { firesOnSeconds, firstRunTimeAfter, formatInZone, nextRunTime } from './cron-times.ts';
import { supervisedRun } from './supervised-run.ts';

export interface SchedulerOptions {
  readonly warehousePath: string;
  /** Folder that the pipelines' relative paths start from. */
  readonly base: string;
  /** Pipelines to run; each must have a `schedule`. */
  readonly pipelines: readonly Pipeline[];
  /** Where the scheduler's lines go (one per run, one per skipped tick). */
  readonly log: (line: string) => void;
  /** How a finished run reads in the log: the run report's summary line. */
  readonly describeRun: (result: RunResult) => string;
  /** Lines for alerts sent after a run. */
  readonly describeAlerts?: (deliveries: readonly AlertDelivery[]) => string[];
  /** Reads the last run of each pipeline, for catch-up. */
  readonly lastRunStarted: (pipeline: string) => Promise<Date | null>;
}

interface QueuedRun {
  readonly pipeline: Pipeline;
  readonly trigger: RunTrigger;
}

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #tasks: ScheduledTask[] = [];
  readonly #queue: QueuedRun[] = [];
  #running: QueuedRun | null = null;
  #stopReason: string | null = null;
  #abort = new AbortController();
  #idle: (() => void) | null = null;
  /** Runs finished since start, for tests and the closing line. */
  runsFinished = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  #log(text: string): void {
    this.#options.log(`${stamp()} ${text}`);
  }

  /** Starts the ticks and, for pipelines that ask for it, the catch-up of a missed run. */
  async start(): Promise<void> {
    for (const pipeline of this.#options.pipelines) {
      const expression = pipeline.schedule!;
      const task = cron.schedule(expression, () => this.#tick(pipeline, 'schedule'), {
        timezone: pipeline.timezone,
        name: pipeline.name,
        // node-cron reports a tick it fired late (a suspended laptop); the scheduler's own
        // catch-up covers missed runs, so its console warnings are not wanted.
        logger: {
          info: () => {},
          debug: () => {},
          warn: (message) => this.#log(`${pipeline.name}: ${message}`),
          error: (message) => this.#log(`${pipeline.name}: ${String(message)}`),
        },
        suppressMissedWarning: true,
      });
      // A tick node-cron could not fire on time (a load held the event loop) is said, not lost.
      task.on('execution:missed', (context) =>
        this.#log(`${pipeline.name}: tick of ${context.date.toISOString()} missed: this process was busy`),
      );
      this.#tasks.push(task);
      const next = formatInZone(
        nextRunTime(expression, pipeline.timezone),
        pipeline.timezone,
        firesOnSeconds(expression),
      );
      this.#log(`${pipeline.name}: scheduled "${expression}" (${pipeline.timezone}); next run ${next}`);
    }
    for (const pipeline of this.#options.pipelines) {
      if (pipeline.catchUp) await this.#catchUp(pipeline);
    }
  }

  async #catchUp(pipeline: Pipeline): Promise<void> {
    const last = await this.#options.lastRunStarted(pipeline.name);
    if (last === null) {
      this.#log(
        `${pipeline.name}: no earlier run in the journal, so no run to catch up; it runs at its next time`,
      );
      return;
    }
    const due = firstRunTimeAfter(pipeline.schedule!, pipeline.timezone, last);
    if (due > new Date()) {
      // Said, not silent: whoever reads the log (or waits on it) knows the check was made.
      this.#log(
        `${pipeline.name}: no run missed (last run started ${last.toISOString()}; next due ${formatInZone(due, pipeline.timezone)}); nothing to catch up`,
      );
      return;
    }
    this.#log(
      `${pipeline.name}: the run due ${formatInZone(due, pipeline.timezone)} was missed (last run started ${last.toISOString()}); catching up now`,
    );
    this.#tick(pipeline, 'catch_up');
  }

  #tick(pipeline: Pipeline, trigger: RunTrigger): void {
    if (this.#stopReason !== null) return;
    if (this.#running?.pipeline.name === pipeline.name) {
      this.#log(`${pipeline.name}: tick skipped: its previous run is still going`);
      return;
    }
    if (this.#queue.some((q) => q.pipeline.name === pipeline.name)) {
      this.#log(`${pipeline.name}: tick skipped: a run is already waiting for its turn`);
      return;
    }
    this.#queue.push({ pipeline, trigger });
    if (this.#running === null) void this.#drain();
  }

  async #drain(): Promise<void> {
    for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
      if (this.#stopReason !== null) break;
      this.#running = next;
      await this.#runOne(next);
      this.#running = null;
      this.runsFinished++;
    }
    this.#idle?.();
  }

  async #runOne({ pipeline, trigger }: QueuedRun): Promise<void> {
    const o = this.#options;
    try {
      const { result } = await supervisedRun(
        pipeline,
        {
          warehousePath: o.warehousePath,
          purpose: 'corridor schedule',
          base: o.base,
          trigger,
          stopRequested: () => this.#stopReason,
          signal: this.#abort.signal,
          onLease: (tookOver) => {
            if (tookOver !== null)
              this.#log(
                `${pipeline.name}: took over a lapsed lock of pid ${tookOver.pid} on ${tookOver.host}`,
              );
          },
          onWarning: (message) => this.#log(`${pipeline.name}: ${message}`),
          onExports: (exports) => {
            for (const e of exports.written)
              this.#log(`${pipeline.name}: exported ${e.rows} rows to ${e.files[0]}`);
            for (const f of exports.failed)
              this.#log(`${pipeline.name}: export to ${f.export.path} failed: ${f.message}`);
          },
          onAlerts: (deliveries) => {
            for (const line of o.describeAlerts?.(deliveries) ?? []) this.#log(`${pipeline.name}: ${line}`);
          },
        },
        {},
      );
      const id = result.runId === null ? '' : ` run ${result.runId}`;
      const via = trigger === 'schedule' ? '' : ` (${trigger.replace('_', '-')})`;
      this.#log(
        `${pipeline.name}${id}${via} ${result.status} (exit ${result.exitCode}): ${o.describeRun(result)}`,
      );
    } catch (error) {
      if (error instanceof LockHeldError) {
        this.#log(`${pipeline.name}: tick skipped: ${error.message}`);
      } else if (error instanceof CorridorError) {
        this.#log(`${pipeline.name} failed before loading (exit ${error.exitCode}): ${error.message}`);
      } else {
        this.#log(
          `${pipeline.name} failed: internal error: ${describeError(error)}. This is a bug; please report it.`,
        );
      }
    }
  }

  /** What is going on, for the closing line. */
  get busyWith(): string | null {
    return this.#running?.pipeline.name ?? null;
  }

  /**
   * Stops ticking and stops the run in flight (with `cause`, a stop signal's Interrupted, its
   * file in flight rolls back); resolves when it has (its lock released). Queued runs are
   * dropped: they run at their next time.
   */
  async stop(reason: string, cause?: unknown): Promise<void> {
    if (this.#stopReason === null) this.#stopReason = reason;
    for (const task of this.#tasks) await task.destroy();
    this.#tasks.length = 0;
    const dropped = this.#queue.splice(0);
    for (const q of dropped) this.#log(`${q.pipeline.name}: queued run dropped: ${reason}`);
    // Downloads are cancelled at once; a file being loaded rolls back when `cause` is a stop signal.
    this.#abort.abort(cause ?? new Error(reason));
    if (this.#running === null) return;
    await new Promise<void>((resolve) => {
      this.#idle = resolve;
    });
  }
}

/** The start time of a pipeline's last run, from the journal; null if it never ran. */
export async function lastRunStartedIn(warehouse: Warehouse, pipeline: string): Promise<Date | null> {
  const row = await warehouse.db
    .selectFrom('load_runs')
    .select('started_at')
    .where('pipeline', '=', pipeline)
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : new Date(row.started_at);
}
