/**
 * Runs a load: checks every source and file first (a typo fails before anything loads), opens
 * a run in the journal, loads each file in its own transaction, refreshes the derived
 * indicator tables for what changed, and returns a RunResult.
 * Used by `corridor run <pipeline>` and, with an ad-hoc pipeline, by `corridor load`.
 */
import { type DeriveResult, refreshIndicators } from '../derive/refresh-indicators.ts';
import { ExitCode } from '../errors.ts';
import { type LocatedFile, locateFiles } from '../extract/file-locator.ts';
import { type FileProgress, type FileResult, loadFile } from '../load/file-loader.ts';
import { Journal } from '../load/journal.ts';
import type { Warehouse } from '../load/warehouse.ts';
import { CountryResolver } from '../normalize/country-resolver.ts';
import { HsCodeBook } from '../normalize/hs-code-book.ts';
import type { Pipeline } from './define-pipeline.ts';
import { type RunResult, statusOf, totalsOf } from './run-result.ts';
import { sourceOfEntry } from './source-registry.ts';

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
}

export interface RunHooks {
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
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const force = options.force ?? false;
  const work = pipeline.sources.map((entry) => ({
    entry,
    source: sourceOfEntry(entry),
    files: locateFiles(entry.files, options.base),
  }));
  const total = work.reduce((n, w) => n + w.files.length, 0);

  const journal = new Journal(warehouse.db);
  const runId = dryRun
    ? 0
    : await journal.startRun({
        pipeline: pipeline.name,
        rejectThreshold: pipeline.rejectThreshold,
        options: { force, sources: pipeline.sources },
      });
  const countries = await CountryResolver.load(warehouse.db);
  const hsCodes = await HsCodeBook.load(warehouse.db);
  const results: FileResult[] = [];
  for (const { entry, source, files } of work) {
    for (const file of files) {
      hooks.onFileStart?.(file, results.length, total);
      const result = await loadFile(
        {
          warehouse,
          journal,
          runId,
          countries,
          hsCodes,
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
        },
      );
      results.push(result);
      hooks.onFileDone?.(result, results.length - 1, total);
    }
  }
  const totals = totalsOf(results);
  let { status, exitCode } = statusOf(results);
  // Derived tables follow the data: refreshed for the years this run's loads touched. A
  // refresh that fails leaves them as they were and fails the run, whose loads stand.
  let derived: DeriveResult | null = null;
  let deriveError: string | null = null;
  if (!dryRun && (options.derive ?? true) && totals.filesLoaded > 0) {
    hooks.onDeriveStart?.();
    try {
      derived = await refreshIndicators(warehouse, { runId });
    } catch (cause) {
      deriveError = `${(cause as Error).message} The loads themselves stand.`;
      status = 'failed';
      exitCode = ExitCode.RunFailed;
    }
  }
  const durationMs = Date.now() - started;
  if (!dryRun) {
    const firstError = results.find((r) => r.error !== null)?.error?.message ?? deriveError;
    await journal.finishRun(runId, { status, exitCode, durationMs, ...totals, message: firstError });
  }
  return {
    runId: dryRun ? null : runId,
    pipeline: pipeline.name,
    dryRun,
    status,
    exitCode,
    files: results,
    totals,
    derived,
    deriveError,
    durationMs,
  };
}
