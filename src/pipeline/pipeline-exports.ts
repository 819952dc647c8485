/**
 * A pipeline's `exports`: the files downstream tools read, written after a run that loaded,
 * while the run still holds its lock, so an export never mixes two runs' data. `{date}`,
 * `{year}`, `{month}` (of the run's start, UTC) and `{run}` (its id) in a path name each day's
 * file apart.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openSqlite } from '../db/driver.ts';
import { describeError } from '../errors.ts';
import { type ExportResult, exportTable, exportTarget } from '../export/export-table.ts';
import type { Pipeline } from './define-pipeline.ts';
import type { RunResult } from './run-result.ts';
import { declaredAbout } from './source-registry.ts';

type PipelineExport = Pipeline['exports'][number];

export interface ExportFailure {
  readonly export: PipelineExport;
  readonly message: string;
}

export interface PipelineExportsResult {
  readonly written: readonly ExportResult[];
  /** Exports left as they were: nothing was loaded and the file is already there. */
  readonly unchanged: readonly string[];
  readonly failed: readonly ExportFailure[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The path with the run's placeholders filled in. */
export function exportPath(path: string, runId: number | null, at: Date): string {
  const date = `${at.getUTCFullYear()}-${pad2(at.getUTCMonth() + 1)}-${pad2(at.getUTCDate())}`;
  return path
    .replaceAll('{date}', date)
    .replaceAll('{year}', String(at.getUTCFullYear()))
    .replaceAll('{month}', pad2(at.getUTCMonth() + 1))
    .replaceAll('{run}', String(runId ?? 0));
}

/** When the warehouse's data last changed: the last file loaded, or the last indicator refresh. */
function lastWarehouseChange(path: string): string {
  const db = openSqlite(path, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        `select max(coalesce((select max(finished_at) from load_files where status = 'loaded'), ''),
                    coalesce((select max(finished_at) from derive_runs where status = 'succeeded'), '')) as at`,
      )
      .get() as { at: string };
    return row.at;
  } finally {
    db.close();
  }
}

/** Whether a run's data may be exported: it loaded (rejects over the threshold or data-quality errors included). */
export function runMayExport(result: RunResult): boolean {
  return (
    !result.dryRun &&
    (result.status === 'succeeded' ||
      result.status === 'rejects_over_threshold' ||
      result.status === 'data_quality_errors')
  );
}

/**
 * @example
 * const { written, failed } = await writePipelineExports(pipeline, result, { warehouse, base, startedAt });
 */
export async function writePipelineExports(
  pipeline: Pipeline,
  result: RunResult,
  options: {
    readonly warehouse: string;
    readonly base: string;
    readonly startedAt: Date;
    readonly signal?: AbortSignal;
  },
): Promise<PipelineExportsResult> {
  const written: ExportResult[] = [];
  const unchanged: string[] = [];
  const failed: ExportFailure[] = [];
  const lastChange = lastWarehouseChange(options.warehouse);
  for (const spec of pipeline.exports) {
    const filled = exportPath(spec.path, result.runId, options.startedAt);
    // resolve() drops a trailing slash, which is what says "a folder".
    const out = resolve(options.base, filled) + (/[/\\]$/.test(filled) ? '/' : '');
    const name = spec.table ?? 'query';
    // The file is newer than the warehouse's last change: the same rows would give the same
    // bytes. Asked of the journal, not of this run: a run that failed halfway loaded files
    // without exporting, and the next run must export them though it loads nothing new.
    const file = exportTarget(out, spec.format, name).file;
    if (
      result.totals.filesLoaded === 0 &&
      existsSync(file) &&
      statSync(file).mtime.toISOString() > lastChange
    ) {
      unchanged.push(file);
      continue;
    }
    try {
      written.push(
        await exportTable({
          warehouse: options.warehouse,
          subject: spec.table === undefined ? { query: spec.query! } : { table: spec.table },
          format: spec.format,
          out,
          ...(spec.raw === undefined ? {} : { raw: spec.raw }),
          ...(spec.sdmx === undefined ? {} : { sdmx: spec.sdmx }),
          ...(options.signal ? { signal: options.signal } : {}),
          declaredAbout,
        }),
      );
    } catch (error) {
      failed.push({ export: spec, message: describeError(error) });
    }
  }
  return { written, unchanged, failed };
}
