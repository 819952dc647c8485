/**
 * Runs a load: collects every file first (paths checked, URLs downloaded into the landing
 * area; a typo fails before anything loads), opens a run in the journal, loads each file in its
 * own transaction, refreshes the derived indicator tables for what changed, and returns a
 * RunResult. Used by `corridor run <pipeline>`, `corridor schedule` and, with an ad-hoc
 * pipeline, `corridor load`.
 */

import { join } from 'node:path';
import { asConnectionLost } from '../db/connection-loss.ts';
import { DEFAULT_WAREHOUSE_PATH, type Warehouse } from '../db/warehouse.ts';
import { type DeriveResult, refreshIndicators } from '../derive/refresh-indicators.ts';
import { ConfigError, CorridorError, describeError, ExitCode } from '../errors.ts';
import type { LocatedFile } from '../extract/file-locator.ts';
import type { PeriodRange } from '../extract/period-template.ts';
import type { FetchDoneOutcome } from '../extract/remote-files.ts';
import type { TransferProgress } from '../extract/transfer-progress.ts';
import type { Declarations } from '../layout/stated-facts.ts';
import { loadFile, recordUnfetchedFile } from '../load/file-loader.ts';
import { emptyResult, type FileProgress, type FileResult } from '../load/file-result.ts';
import { interruptionOf } from '../load/interruption.ts';
import { Journal } from '../load/journal.ts';
import { trackOpenRun } from '../load/open-runs.ts';
import { CountryResolver } from '../normalize/country-resolver.ts';
import { HsCodeBook } from '../normalize/hs-code-book.ts';
import { checkDeclarations } from './check-declarations.ts';
import { collectFiles, landingDirOf } from './collect-files.ts';
import type { Pipeline } from './define-pipeline.ts';
import { failFilesInFlight, reconnected } from './reconnect-run.ts';
import { checkReplaceScopes, layoutKeyOf } from './replace-scope.ts';
import { selectRetries } from './retry-selection.ts';
import { type RunResult, type RunTrigger, statusOf, totalsOf } from './run-result.ts';

export interface RunOptions {
  readonly force?: boolean;
  readonly dryRun?: boolean;
  /**
   * Refresh the derived indicator tables after the loads (the default). Off, the next
   * `corridor derive`, or the next run that derives, takes these loads in. @default true
   */
  readonly derive?: boolean;
  /** Folder that relative file patterns start from. */
  readonly base?: string;
  /** Fills `{year}`/`{month}` in file names (`--from`/`--to`); the pipeline's `periods` otherwise. */
  readonly periods?: PeriodRange;
  /** Load only what the last run left undone (`--only-failed`). */
  readonly onlyFailed?: boolean;
  /** Load downloaded files from their landing copies, without asking any server. */
  readonly offline?: boolean;
  /**
   * Where downloads land; `landing/` beside the warehouse file by default, and on PostgreSQL
   * `warehouse/landing/` under `base`.
   */
  readonly landingDir?: string;
  /** Recorded in the journal. @default 'manual' */
  readonly trigger?: RunTrigger;
  /**
   * Asked before each file: a reason to stop (a signal, a lost lock) ends the run there, after
   * the file in flight, which completes. Downloads still under way are cancelled by `signal`.
   */
  readonly stopReason?: () => string | null | Promise<string | null>;
  readonly signal?: AbortSignal;
  /**
   * A new connection when the warehouse's was lost mid-run (`connection_lost`, PostgreSQL), with
   * the pipeline's lock taken again: the file in flight failed and rolled back, and the run goes
   * on with the next file. Absent, a lost connection ends the run.
   */
  readonly reconnect?: () => Promise<Warehouse>;
}

export interface RunHooks {
  /** A download starts (http(s) files are fetched before any file loads). */
  readonly onFetchStart?: (url: string) => void;
  readonly onFetchProgress?: (progress: TransferProgress) => void;
  /** A download ended: `fetched` new bytes, `not_modified` (the landing copy is current), `missing` (a templated period answered 404), or `failed`. */
  readonly onFetchDone?: (url: string, outcome: FetchDoneOutcome, detail: string) => void;
  readonly onFileStart?: (file: LocatedFile, index: number, total: number) => void;
  readonly onFileProgress?: (progress: FileProgress) => void;
  readonly onFileDone?: (result: FileResult, index: number, total: number) => void;
  /** The files are done and the derived tables are being refreshed. */
  readonly onDeriveStart?: () => void;
}

/**
 * @example
 * const result = await runPipeline(warehouse, pipeline, { force: false });
 * if (result.exitCode !== 0) console.error(result.files.filter((f) => f.error));
 */
export async function runPipeline(
  warehouse: Warehouse,
  pipeline: Pipeline,
  options: RunOptions = {},
  hooks: RunHooks = {},
): Promise<RunResult> {
  const state: RunState = { runId: 0, results: [], started: Date.now(), untrack: () => {}, warehouse };
  try {
    return await runStages(warehouse, pipeline, options, hooks, state);
  } catch (error) {
    // An error past the opening of the run (the warehouse busy for longer than its timeout)
    // must not leave the run `running` in the journal.
    if (state.runId !== 0) {
      await new Journal(state.warehouse.db)
        .finishRun(state.runId, {
          status: 'failed',
          exitCode: error instanceof CorridorError ? error.exitCode : ExitCode.RunFailed,
          durationMs: Date.now() - state.started,
          ...totalsOf(state.results),
          message: describeError(error),
        })
        .catch(() => {
          // Still busy: the next run marks this one interrupted.
        });
    }
    throw error;
  } finally {
    state.untrack();
  }
}

/** What runStages has done so far, for the journal when it fails. */
interface RunState {
  runId: number;
  readonly results: FileResult[];
  readonly started: number;
  /** Ends the run's entry among the open runs closed at a crash or a late stop (open-runs.ts). */
  untrack: () => void;
  /** The connection in use: a new one after the first was lost. */
  warehouse: Warehouse;
}

async function runStages(
  initialWarehouse: Warehouse,
  pipeline: Pipeline,
  options: RunOptions,
  hooks: RunHooks,
  state: RunState,
): Promise<RunResult> {
  const started = state.started;
  let warehouse = initialWarehouse;
  const dryRun = options.dryRun ?? false;
  const force = options.force ?? false;
  const trigger = options.trigger ?? 'manual';
  let journal = new Journal(warehouse.db);
  checkReplaceScopes(pipeline);
  checkDeclarations(pipeline);
  // A last run whose process died must read as interrupted before --only-failed looks at it.
  if (options.onlyFailed) await journal.markInterruptedRuns();
  const retry = options.onlyFailed ? await selectRetries(warehouse.db, pipeline.name) : null;
  if (options.onlyFailed && retry === null)
    throw new ConfigError(
      `Pipeline "${pipeline.name}" has not run yet, so nothing failed; run it without --only-failed.`,
      {
        code: 'nothing_to_retry',
      },
    );
  if (retry !== null && retry.retries === null) {
    return {
      ...emptyRunResult(pipeline, dryRun, trigger, started),
      note: `Nothing to retry: the last run of ${pipeline.name} (run ${retry.lastRunId}) ${retry.lastStatus === 'succeeded' ? 'succeeded' : `ended ${retry.lastStatus.replaceAll('_', ' ')}`} with no failed file.`,
    };
  }

  let runId = 0;
  const startRun = async () => {
    if (dryRun) return;
    runId = state.runId = await journal.startRun({
      pipeline: pipeline.name,
      rejectThreshold: pipeline.rejectThreshold,
      trigger,
      options: {
        force,
        sources: pipeline.sources,
        ...(options.periods ? { periods: options.periods } : {}),
        ...(retry ? { onlyFailedAfterRun: retry.lastRunId } : {}),
        ...(options.offline ? { offline: true } : {}),
      },
    });
    state.untrack = trackOpenRun(warehouse, runId);
  };
  const collected = await collectFiles(warehouse.db, pipeline, {
    beforeDownloads: startRun,
    base: options.base ?? process.cwd(),
    periods: options.periods ?? null,
    only: retry?.retries ?? null,
    // Beside a warehouse file; a server's warehouse has no folder here, so `warehouse/landing/`
    // under the project folder, where a SQLite warehouse's would be by default.
    landingDir:
      options.landingDir ??
      (warehouse.target.backend === 'sqlite'
        ? landingDirOf(warehouse.target.path)
        : landingDirOf(join(options.base ?? process.cwd(), DEFAULT_WAREHOUSE_PATH))),
    offline: options.offline ?? false,
    remember: !dryRun,
    ...(options.signal ? { signal: options.signal } : {}),
    hooks: {
      ...(hooks.onFetchStart ? { onStart: hooks.onFetchStart } : {}),
      ...(hooks.onFetchProgress ? { onProgress: hooks.onFetchProgress } : {}),
      ...(hooks.onFetchDone ? { onDone: hooks.onFetchDone } : {}),
    },
  });

  const results = state.results;
  // Asked to stop while downloading: the downloads cut short were not reached, not failed.
  let stoppedBecause: string | null = (await options.stopReason?.()) ?? null;
  const unfetched = collected.unfetched.filter((u) => stoppedBecause === null || u.code !== 'fetch_aborted');
  const total = collected.work.reduce((n, w) => n + w.files.length, 0) + unfetched.length;
  const cutShort = collected.unfetched.length - unfetched.length;
  // A download that failed is a failed file: journaled, counted, and retried by --only-failed.
  for (const failure of unfetched) {
    const source = collected.work.find((w) => w.entry === failure.entry)!.source;
    const result = await recordUnfetchedFile({ journal, runId }, source, failure.url, failure, dryRun);
    results.push(result);
    hooks.onFileDone?.(result, results.length - 1, total);
  }
  const countries = await CountryResolver.load(warehouse.db);
  const hsCodes = await HsCodeBook.load(warehouse.db);
  files: for (const { entry, source, files } of collected.work) {
    for (const file of files) {
      stoppedBecause ??= (await options.stopReason?.()) ?? null;
      if (stoppedBecause !== null) break files;
      hooks.onFileStart?.(file, results.length, total);
      const fileStarted = Date.now();
      const result = await loadFile(
        {
          warehouse,
          journal,
          runId,
          countries,
          hsCodes,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(hooks.onFileProgress ? { onProgress: hooks.onFileProgress } : {}),
        },
        source,
        file,
        {
          force,
          dryRun,
          rejectThreshold: pipeline.rejectThreshold,
          rejectCap: pipeline.rejectCap,
          ...(entry.encoding === undefined ? {} : { encoding: entry.encoding }),
          ...(entry.replaceScope === undefined ? {} : { replaceScope: entry.replaceScope }),
          ...(entry.release === undefined ? {} : { release: entry.release }),
          ...(entry.edition === undefined ? {} : { edition: entry.edition }),
          ...declarationsOf(entry),
          layoutKey: layoutKeyOf(entry),
        },
      ).catch((error: unknown) => {
        const lost = asConnectionLost(error, warehouse.path);
        if (lost === null) throw error;
        return {
          ...emptyResult(file, source, fileStarted),
          status: 'failed' as const,
          loadId: null,
          error: { code: lost.code, message: `${file.shown}: ${lost.message}` },
        };
      });
      if (result.error?.code === 'connection_lost') {
        // The server rolled the file back with the connection; a new one goes on with the next.
        warehouse = state.warehouse = await reconnected(
          warehouse,
          options,
          file.shown,
          result.error!.message,
        );
        journal = new Journal(warehouse.db);
        await failFilesInFlight(warehouse, runId, result.error!.message);
      }
      results.push(result);
      hooks.onFileDone?.(result, results.length - 1, total);
      if (interruptionOf(options.signal) !== null) break files;
    }
  }
  const totals = totalsOf(results);
  let { status, exitCode } = statusOf(results);
  // A stop signal interrupts: the file in flight rolled back. A lock taken over stops between files.
  const interrupted = interruptionOf(options.signal);
  if (interrupted !== null) {
    stoppedBecause = `${interrupted.signalName} received`;
    status = 'interrupted';
    exitCode = interrupted.exitCode;
  } else if (stoppedBecause !== null) {
    status = 'stopped';
    exitCode = ExitCode.RunFailed;
  }
  // Derived tables follow the data: refreshed for the years this run's loads touched. A
  // refresh that fails leaves them as they were and fails the run, whose loads stand. A run
  // being stopped leaves the refresh to the next run, which takes these loads in.
  let derived: DeriveResult | null = null;
  let deriveError: string | null = null;
  if (!dryRun && (options.derive ?? true) && totals.filesLoaded > 0 && stoppedBecause === null) {
    hooks.onDeriveStart?.();
    try {
      derived = await refreshIndicators(warehouse, {
        runId,
        ...(pipeline.checks === undefined ? {} : { checks: pipeline.checks }),
      });
      // As rejects over the threshold: the loads stand, and the exit code says to look (3).
      if (derived.openFindings.error > 0 && exitCode === ExitCode.Success) {
        status = 'data_quality_errors';
        exitCode = ExitCode.DataQualityErrors;
      }
    } catch (cause) {
      deriveError = `${(cause as Error).message} The loads themselves stand.`;
      status = 'failed';
      exitCode = ExitCode.RunFailed;
    }
  }
  const durationMs = Date.now() - started;
  const stopNote =
    stoppedBecause === null
      ? null
      : `${interrupted === null ? 'stopped' : 'interrupted'} (${stoppedBecause}) after ${results.length - (results.at(-1)?.error?.code === 'interrupted' ? 1 : 0)} of ${total} files${cutShort === 0 ? '' : ` and ${cutShort} download${cutShort === 1 ? '' : 's'} cut short`}; the rest load on the next run, or now with --only-failed`;
  if (!dryRun) {
    const firstError = stopNote ?? results.find((r) => r.error !== null)?.error?.message ?? deriveError;
    await journal.finishRun(runId, { status, exitCode, durationMs, ...totals, message: firstError });
  }
  return {
    runId: dryRun ? null : runId,
    pipeline: pipeline.name,
    dryRun,
    trigger,
    status,
    exitCode,
    files: results,
    totals,
    missing: collected.missing,
    derived,
    deriveError,
    note: stopNote,
    durationMs,
  };
}

function emptyRunResult(
  pipeline: Pipeline,
  dryRun: boolean,
  trigger: RunTrigger,
  started: number,
): RunResult {
  return {
    runId: null,
    pipeline: pipeline.name,
    dryRun,
    trigger,
    status: 'succeeded',
    exitCode: ExitCode.Success,
    files: [],
    totals: totalsOf([]),
    missing: [],
    derived: null,
    deriveError: null,
    note: null,
    durationMs: Date.now() - started,
  };
}

/**
 * What the user declares about an entry's files: its `declare:` (or `--flow`, `--unit`…), and a
 * `table` layout's constant flow, which declares the flow of a table that states it once.
 */
function declarationsOf(entry: Pipeline['sources'][number]): { declared?: Declarations } {
  const flow = entry.table?.map.flow;
  const constantFlow = flow !== undefined && 'value' in flow ? flow.value : undefined;
  const declared = { ...(constantFlow === undefined ? {} : { flow: constantFlow }), ...entry.declare };
  return Object.keys(declared).length === 0 ? {} : { declared };
}
