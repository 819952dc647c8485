/**
 * What a run returns instead of throwing for expected failures, the way kysely's Migrator
 * returns `{ error, results }`: a status, the exit code it maps to, and a result per file.
 */

import type { DeriveResult } from '../derive/refresh-indicators.ts';
import { ExitCode } from '../errors.ts';
import type { FileResult } from '../load/file-result.ts';
import type { RunCounts } from '../load/journal.ts';

/**
 * `stopped`: asked to stop (a signal, a lost lock) before every file was loaded.
 * `data_quality_errors`: everything loaded, but a data-quality finding of severity `error` is
 * open after the checks that follow the refresh (`corridor check` lists it).
 */
/** `interrupted`: a stop signal ended it, the file in flight rolled back (src/load/interruption.ts). */
export type RunStatus =
  | 'succeeded'
  | 'failed'
  | 'rejects_over_threshold'
  | 'data_quality_errors'
  | 'stopped'
  | 'interrupted';

/** Who started a run: a command, a cron tick, or a tick missed while the scheduler was down. */
export type RunTrigger = 'manual' | 'schedule' | 'catch_up';

export interface RunTotals extends RunCounts {
  /** Warnings the run's files recorded in `load_warnings`. */
  readonly warnings: number;
  /** Figures of earlier loads that this run's files gave new values. */
  readonly rowsChanged: number;
  /** Rows of earlier loads that this run's files retired inside their coverage. */
  readonly rowsRetired: number;
}

export interface RunResult {
  /** The journal's run id; null for a dry run, which writes nothing. */
  readonly runId: number | null;
  readonly pipeline: string;
  readonly dryRun: boolean;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly exitCode: ExitCode;
  readonly files: readonly FileResult[];
  readonly totals: RunTotals;
  /** Periods a file template names that are not published (HTTP 404) or not there yet: not failures. */
  readonly missing: readonly { readonly shown: string; readonly message: string }[];
  /**
   * The refresh of the derived indicator tables that followed the loads; null when nothing was
   * loaded (every file skipped or failed) or for a dry run.
   */
  readonly derived: DeriveResult | null;
  /** Why the refresh failed, when it did: the loads stand, and `corridor derive` retries it. */
  readonly deriveError: string | null;
  /** Why the run stopped early, or why `--only-failed` found nothing to do. */
  readonly note: string | null;
  readonly durationMs: number;
}

export function totalsOf(files: readonly FileResult[]): RunTotals {
  const loaded = files.filter((f) => f.status === 'loaded');
  const sum = (pick: (f: FileResult) => number) => loaded.reduce((n, f) => n + pick(f), 0);
  return {
    filesTotal: files.length,
    filesLoaded: loaded.length,
    filesSkipped: files.filter((f) => f.status === 'skipped').length,
    filesFailed: files.filter((f) => f.status === 'failed').length,
    rowsRead: sum((f) => f.rowsRead),
    rowsLoaded: sum((f) => f.rowsLoaded),
    rowsRejected: sum((f) => f.rowsRejected),
    rowsAggregate: sum((f) => f.rowsAggregate),
    warnings: sum((f) => f.warningsRecorded),
    rowsChanged: sum((f) => f.rowsChanged),
    rowsRetired: sum((f) => f.rowsRetired),
  };
}

/** A failed file outranks rejects over the threshold: exit 1 before exit 3. */
export function statusOf(files: readonly FileResult[]): { status: RunStatus; exitCode: ExitCode } {
  if (files.some((f) => f.status === 'failed')) return { status: 'failed', exitCode: ExitCode.RunFailed };
  if (files.some((f) => f.overThreshold))
    return { status: 'rejects_over_threshold', exitCode: ExitCode.RejectsOverThreshold };
  return { status: 'succeeded', exitCode: ExitCode.Success };
}
