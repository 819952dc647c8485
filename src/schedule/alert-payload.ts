/**
 * What an alert says, built from a run's result by pure functions so the same payload goes to a
 * command's stdin, a webhook and the tests. Keys are snake_case, like the journal's columns, and
 * the payload carries its own version (`corridor_alert: 1`): receivers are scripts written once
 * and forgotten, so a key never changes meaning; new keys may be added.
 */
import type { RunResult, RunStatus } from '../pipeline/run-result.ts';
import type { AlertEvent } from './alert-config.ts';

/** Most entries in `first_errors`: enough to act on, small enough for a chat message. */
export const FIRST_ERRORS_CAP = 10;

/** A run's status as an alert reports it: the journal also knows runs killed mid-way. */
export type AlertStatus = RunStatus | 'interrupted';

/** A file that loaded nothing, or (file null) a run that could not start. */
export interface AlertFileError {
  readonly file: string | null;
  readonly code: string;
  readonly message: string;
}

/** A rejected row of a file whose rejects passed the threshold. */
export interface AlertRowError {
  readonly file: string;
  /** The sheet, for spreadsheets; null for CSV and JSON. */
  readonly sheet: string | null;
  /** The row number a spreadsheet shows (record number for JSON). */
  readonly row: number;
  /** The column as the file names it; null when the whole row is wrong. */
  readonly column: string | null;
  readonly code: string;
  readonly message: string;
}

export interface AlertPayload {
  readonly corridor_alert: 1;
  readonly event: AlertEvent;
  /** The journal's run id; null for a run that never reached the journal. */
  readonly run_id: number | null;
  readonly pipeline: string;
  readonly status: AlertStatus;
  readonly exit_code: number;
  readonly host: string;
  /** ISO 8601, UTC. */
  readonly started_at: string;
  /** ISO 8601, UTC. */
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly counts: {
    readonly files_total: number;
    readonly files_loaded: number;
    readonly files_skipped: number;
    readonly files_failed: number;
    readonly rows_read: number;
    readonly rows_loaded: number;
    readonly rows_rejected: number;
  };
  /** The pipeline's threshold as a share of a file's rows (0.05 = 5 %). */
  readonly reject_threshold: number;
  /** Failed files first, then the first rejected rows of files over the threshold; at most 10. */
  readonly first_errors: readonly (AlertFileError | AlertRowError)[];
  /** Why the refresh of the indicator tables failed, when it did (the loads stand). */
  readonly derive_error: string | null;
  /** The command that lists this run's rejected rows; null when there are none to list. */
  readonly rejects_hint: string | null;
}

export interface AlertContext {
  /** The event being alerted, from `alertEventFor`. */
  readonly event: AlertEvent;
  /** The machine that ran the pipeline: `os.hostname()`. */
  readonly host: string;
  readonly startedAt: Date;
  /** When the run ended; by default `startedAt` plus the run's duration. */
  readonly finishedAt?: Date;
  readonly rejectThreshold: number;
}

/**
 * The event a run's status raises, or null when the pipeline does not alert on it.
 *
 * @example
 * alertEventFor('rejects_over_threshold', ['failure', 'rejects']) // 'rejects'
 * alertEventFor('succeeded', ['failure', 'rejects'])              // null
 */
export function alertEventFor(status: AlertStatus, on: readonly AlertEvent[]): AlertEvent | null {
  // Anything that is neither a success nor rejects over the threshold is a failure: a status
  // added later (`stopped`) alerts rather than passes in silence.
  const event: AlertEvent =
    status === 'succeeded' ? 'success' : status === 'rejects_over_threshold' ? 'rejects' : 'failure';
  return on.includes(event) ? event : null;
}

/**
 * The payload for a finished run.
 *
 * @example
 * const event = alertEventFor(result.status, alerts.on);
 * if (event !== null)
 *   alertPayloadOf(result, { event, host: hostname(), startedAt, rejectThreshold: pipeline.rejectThreshold });
 * // { corridor_alert: 1, event: 'rejects', run_id: 42, status: 'rejects_over_threshold', … }
 */
export function alertPayloadOf(result: RunResult, context: AlertContext): AlertPayload {
  const { totals } = result;
  const failed: AlertFileError[] = result.files
    .filter((f) => f.status === 'failed' && f.error !== null)
    .map((f) => ({ file: f.shown, code: f.error!.code, message: f.error!.message }));
  // Row issues only of files over the threshold: a few rejects under it are expected noise, and
  // the alert is about what made the run exit 3.
  const rows: AlertRowError[] = result.files
    .filter((f) => f.overThreshold)
    .flatMap((f) =>
      f.firstIssues.map((issue) => ({
        file: f.shown,
        sheet: issue.place.sheet,
        row: issue.place.row,
        column: issue.column,
        code: issue.code,
        message: issue.message,
      })),
    );
  return {
    ...envelope(context, result.pipeline, result.runId, result.status, result.exitCode, result.durationMs),
    counts: {
      files_total: totals.filesTotal,
      files_loaded: totals.filesLoaded,
      files_skipped: totals.filesSkipped,
      files_failed: totals.filesFailed,
      rows_read: totals.rowsRead,
      rows_loaded: totals.rowsLoaded,
      rows_rejected: totals.rowsRejected,
    },
    reject_threshold: context.rejectThreshold,
    first_errors: [...failed, ...rows].slice(0, FIRST_ERRORS_CAP),
    derive_error: result.deriveError,
    rejects_hint:
      result.runId !== null && totals.rowsRejected > 0 ? `corridor rejects --run ${result.runId}` : null,
  };
}

/** Why a run could not start or was cut short before it had a result. */
export interface RunFailure {
  readonly pipeline: string;
  /** The journal's run id, when the run got as far as the journal. */
  readonly runId: number | null;
  readonly status: 'failed' | 'interrupted';
  readonly exitCode: number;
  readonly durationMs: number;
  /** The error, as `CorridorError` carries it; `file` when one file or URL was to blame. */
  readonly error: { readonly code: string; readonly message: string; readonly file?: string };
}

/**
 * The payload for a run that has no result: a fetch that failed, a pipeline that could not be
 * read, a run found interrupted. Counts are zero because nothing was loaded.
 *
 * @example
 * runFailurePayloadOf(
 *   { pipeline: 'pak-kaz-trade', runId: null, status: 'failed', exitCode: 1, durationMs: 812,
 *     error: { code: 'fetch_failed', message: 'comtrade answered 503 …' } },
 *   { event: 'failure', host: hostname(), startedAt, rejectThreshold: 0.05 },
 * )
 */
export function runFailurePayloadOf(failure: RunFailure, context: AlertContext): AlertPayload {
  return {
    ...envelope(
      context,
      failure.pipeline,
      failure.runId,
      failure.status,
      failure.exitCode,
      failure.durationMs,
    ),
    counts: {
      files_total: 0,
      files_loaded: 0,
      files_skipped: 0,
      files_failed: 0,
      rows_read: 0,
      rows_loaded: 0,
      rows_rejected: 0,
    },
    reject_threshold: context.rejectThreshold,
    first_errors: [
      { file: failure.error.file ?? null, code: failure.error.code, message: failure.error.message },
    ],
    derive_error: null,
    rejects_hint: null,
  };
}

function envelope(
  context: AlertContext,
  pipeline: string,
  runId: number | null,
  status: AlertStatus,
  exitCode: number,
  durationMs: number,
) {
  const finishedAt = context.finishedAt ?? new Date(context.startedAt.getTime() + durationMs);
  return {
    corridor_alert: 1,
    event: context.event,
    run_id: runId,
    pipeline,
    status,
    exit_code: exitCode,
    host: context.host,
    started_at: context.startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: durationMs,
  } as const;
}
