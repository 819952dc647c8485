/**
 * How a run reads on a terminal: a line as each file starts and ends, the first problems of
 * files with rejects, and one countable summary line
 * (`Loaded 12,345 rows (37 rejected) from 3 files into trade_flows in 2.1s`).
 */
import { basename } from 'node:path';
import type { OpenFindingCounts } from '../check/run-checks.ts';
import type { DeriveResult } from '../derive/refresh-indicators.ts';
import type { FileProgress, FileResult } from '../load/file-result.ts';
import type { PipelineExportsResult } from '../pipeline/pipeline-exports.ts';
import type { RunHooks } from '../pipeline/run-pipeline.ts';
import type { RunResult } from '../pipeline/run-result.ts';
import type { AlertDelivery } from '../schedule/alert-sender.ts';
import { formatRowIssue } from '../validate/row-issue.ts';
import { formatCount, formatDuration, type Output } from './output.ts';
import { ProgressDisplay, type ProgressDisplayOptions } from './progress-display.ts';

const percent = (part: number, whole: number) =>
  whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(part * 1000 < whole ? 2 : 1)}%`;

export function describeFile(f: FileResult, dryRun = false): string {
  const name = f.shown;
  switch (f.status) {
    case 'skipped':
      return `SKIP  ${name}: unchanged, already loaded as load ${f.sameAsLoadId} (same sha256); --force reloads it`;
    case 'failed': {
      const message = f.error?.message ?? 'failed';
      // Most messages name the file themselves ("kz.xls › 12_2021: …"): say it once.
      if (message.startsWith(name)) return `FAIL  ${message}`;
      const folder = name.slice(0, name.length - basename(name).length);
      return message.startsWith(basename(name)) ? `FAIL  ${folder}${message}` : `FAIL  ${name}: ${message}`;
    }
    case 'loaded': {
      // Shares are of the records offered for loading: figures on total rows are neither.
      const rejected =
        f.rowsRejected === 0
          ? ''
          : `, ${formatCount(f.rowsRejected)} rejected (${percent(f.rowsRejected, f.rowsRead - f.rowsAggregate)})`;
      // A load merges by key: say what it did to figures already there, and what its coverage retired.
      const merged =
        f.rowsChanged + f.rowsUnchanged === 0
          ? ''
          : ` (${formatCount(f.rowsInserted)} new, ${formatCount(f.rowsChanged)} changed, ${formatCount(f.rowsUnchanged)} unchanged)`;
      const replaced =
        f.rowsRetired === 0
          ? ''
          : `, retired ${formatCount(f.rowsRetired)} earlier rows this file no longer holds (coverage: ${f.coverage})`;
      const totals =
        f.rowsAggregate === 0
          ? ''
          : `, ${formatCount(f.rowsAggregate)} figures on total rows checked, not loaded`;
      const flag = f.overThreshold ? 'WARN' : 'OK  ';
      if (f.noData !== undefined)
        return `${flag}  ${name}: ${f.noData}; 0 rows ${dryRun ? 'would load' : 'loaded'} in ${formatDuration(f.durationMs)}`;
      return `${flag}  ${name}: ${formatCount(f.rowsLoaded)} rows ${dryRun ? 'would load' : 'loaded'}${merged}${rejected}${totals}${replaced} in ${formatDuration(f.durationMs)}`;
    }
  }
}

const FETCH_FLAGS = { fetched: 'GET ', not_modified: 'SAME', failed: 'FAIL' } as const;

/**
 * What a run shows as it goes: downloads and loads in flight through a ProgressDisplay (live
 * lines on a terminal, plain periodic lines elsewhere), then a permanent line per download and
 * per file with its first problems.
 *
 * @example
 * await runPipeline(warehouse, pipeline, { dryRun: false }, progressHooks(out, 0.05));
 * // in a test, live lines on a pretend 60-column terminal:
 * progressHooks(out, 0.05, false, { live: true, columns: 60 });
 */
export function progressHooks(
  out: Output,
  threshold: number,
  dryRun = false,
  display: ProgressDisplayOptions = {},
): RunHooks {
  const progress = new ProgressDisplay(out, display);
  return {
    onFetchStart: (url) => progress.fetchStarted(url),
    onFetchProgress: (p) => progress.fetchProgress(p),
    onFetchDone: (url, outcome, detail) => {
      progress.fetchDone(url);
      // A period not published yet is listed with the run's result (MISS), once.
      if (outcome === 'missing') return;
      const line = `${FETCH_FLAGS[outcome]}  ${url}: ${detail}`;
      // As for a file: why a download failed must survive --quiet.
      if (outcome === 'failed' && !out.json) out.message(line);
      else out.progress(line);
    },
    onFileStart: (file, index, total) => progress.fileStarted(file.shown, index, total),
    onFileProgress: (p: FileProgress) => progress.fileProgress(p),
    onFileDone: (f, index, total) => {
      progress.fileDone(f.shown);
      // Why a file failed is a message, not progress: --quiet must not hide it.
      if (f.status === 'failed' && !out.json)
        out.message(`[${index + 1}/${total}] ${describeFile(f, dryRun)}`);
      else out.progress(`[${index + 1}/${total}] ${describeFile(f, dryRun)}`);
      for (const warning of f.warnings) out.progress(`        warning: ${warning}`);
      if (f.status === 'loaded' && f.rowsRejected > 0) {
        for (const issue of f.firstIssues.slice(0, 3))
          out.progress(`        ${formatRowIssue(issue, basename(issue.place.file))}`);
        if (f.rejectsCapped)
          out.progress(
            `        rejects capped: ${formatCount(f.rejectsStored)} problems kept in the rejects table; ${formatCount(f.rowsRejected)} rows rejected in all`,
          );
        if (f.overThreshold)
          out.progress(
            `        ${percent(f.rowsRejected, f.rowsRead - f.rowsAggregate)} of rows rejected, above the threshold of ${+(threshold * 100).toFixed(2)}%`,
          );
      }
    },
  };
}

export function summaryLine(result: RunResult): string {
  const t = result.totals;
  if (t.filesLoaded === 0 && t.filesFailed === 0 && t.filesSkipped > 0) {
    return `Nothing new: ${formatCount(t.filesSkipped)} unchanged file${t.filesSkipped === 1 ? '' : 's'} skipped (already loaded, same sha256) in ${formatDuration(result.durationMs)}; --force reloads.`;
  }
  const files = `${formatCount(t.filesLoaded)} file${t.filesLoaded === 1 ? '' : 's'}`;
  const verb = result.dryRun ? 'Dry run: would load' : 'Loaded';
  const extras = [
    t.filesSkipped > 0 ? `${t.filesSkipped} unchanged file${t.filesSkipped === 1 ? '' : 's'} skipped` : null,
    t.filesFailed > 0 ? `${t.filesFailed} file${t.filesFailed === 1 ? '' : 's'} failed` : null,
  ].filter((e) => e !== null);
  const warned = t.warnings === 0 ? '' : `; ${formatCount(t.warnings)} warning${t.warnings === 1 ? '' : 's'}`;
  const targets = [...new Set(result.files.map((f) => f.target))];
  const into = targets.length === 0 ? 'trade_flows' : targets.join(' and ');
  return `${verb} ${formatCount(t.rowsLoaded)} rows (${formatCount(t.rowsRejected)} rejected${warned}) from ${files} into ${into} in ${formatDuration(result.durationMs)}${extras.length > 0 ? `; ${extras.join(', ')}` : ''}.`;
}

/**
 * "Refreshed 13 indicator tables for changes in 2021 (4,120 rows rewritten) in 135ms.", or
 * "Rebuilt …" after a full refresh.
 */
export function deriveLine(derived: DeriveResult): string {
  const rows = formatCount(derived.tables.reduce((n, t) => n + t.rowsWritten, 0));
  const tables = derived.tables.length;
  const took = formatDuration(derived.durationMs);
  if (derived.mode === 'full') {
    const why =
      derived.fullBecause === 'first_refresh'
        ? ', their first refresh'
        : derived.fullBecause === 'reference_changed'
          ? ', as reference data changed'
          : '';
    return `Rebuilt ${tables} indicator tables (${rows} rows${why}) in ${took}.`;
  }
  const changed = [...Object.values(derived.tradeYears ?? {}), ...Object.values(derived.portYears ?? {})];
  const years = [...new Set(changed.flat())].sort((a, b) => a - b);
  const rebuilt =
    derived.rebuilt.length === 0 ? '' : `; rebuilt ${derived.rebuilt.length} whose definition changed`;
  if (years.length === 0)
    return derived.rebuilt.length === 0
      ? `Indicator tables are current: no loaded year changed since the last refresh (${took}).`
      : `Rebuilt ${derived.rebuilt.length} indicator tables whose definition changed (${rows} rows) in ${took}.`;
  const span = years.length === 1 ? String(years[0]) : `${years[0]}–${years[years.length - 1]}`;
  return `Refreshed ${tables} indicator tables for changes in ${span} (${rows} rows rewritten${rebuilt}) in ${took}.`;
}

/** "Data-quality findings open: 1 error, 3 warnings, 0 info (corridor check lists them)." */
export function findingsLine(open: OpenFindingCounts): string {
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
  const counts = `${plural(open.error, 'error')}, ${plural(open.warning, 'warning')}, ${formatCount(open.info)} info`;
  return open.error + open.warning + open.info === 0
    ? 'Data-quality checks: no open findings.'
    : `Data-quality findings open: ${counts} (corridor check lists them).`;
}

export function printRunResult(out: Output, result: RunResult): void {
  if (out.json) {
    out.document(result);
    return;
  }
  if (result.runId === null && !result.dryRun && result.note !== null) {
    out.line(result.note);
    return;
  }
  for (const missing of result.missing) out.progress(`MISS  ${missing.message}`);
  out.line(summaryLine(result));
  // Files that were the publisher's answer that nothing matched: 0 rows is their whole content.
  const noData = result.files.filter((f) => f.noData !== undefined);
  for (const f of noData.slice(0, 5))
    out.line(`${f.shown}: ${f.noData}${/[.!?]"?$/.test(f.noData!) ? '' : '.'}`);
  if (noData.length > 5)
    out.line(`${noData.length - 5} more files hold no data (corridor runs --files ${result.runId}).`);
  if ((result.status === 'stopped' || result.status === 'interrupted') && result.note !== null)
    out.line(`Stopped: ${result.note}.`);
  if (result.derived !== null) {
    out.line(deriveLine(result.derived));
    out.line(findingsLine(result.derived.openFindings));
  }
  if (result.deriveError !== null) out.line(`Error: ${result.deriveError}`);
  if (result.runId === null) return;
  const hints = [`run ${result.runId}`];
  if (result.totals.rowsRejected > 0) hints.push(`rejects: corridor rejects --run ${result.runId}`);
  if (result.deriveError !== null)
    hints.push('the indicator tables were not refreshed; corridor derive retries');
  else if (result.status === 'failed') hints.push('the failed files loaded nothing; fix them and run again');
  if (result.status === 'rejects_over_threshold') hints.push('rejects passed the threshold (exit code 3)');
  if (result.status === 'data_quality_errors')
    hints.push('a data-quality finding of severity error is open (exit code 3): corridor check');
  out.line(hints.join('; '));
}

/** One line per alert sent: where to, and whether it arrived. */
export function printAlerts(out: Output, deliveries: readonly AlertDelivery[]): void {
  for (const d of deliveries) {
    const line = `alert ${d.channel} ${d.target}: ${d.ok ? 'sent' : 'NOT delivered'} (${d.detail})`;
    if (d.ok) out.progress(line);
    else out.message(`corridor: ${line}`);
  }
}

/** One line per pipeline export: written, unchanged, or failed (always shown). */
export function printExports(out: Output, exports: PipelineExportsResult): void {
  for (const e of exports.written)
    out.progress(
      `EXPORT  ${e.files[0]}: ${formatCount(e.rows)} rows${e.table === null ? '' : ` of ${e.table}`} (${e.format}, with ${basename(e.dataPackage)}) in ${formatDuration(e.durationMs)}`,
    );
  for (const file of exports.unchanged) out.progress(`EXPORT  ${file}: unchanged (nothing new loaded)`);
  for (const f of exports.failed)
    out.message(
      `corridor: export ${f.export.table ?? 'query'} (${f.export.format}) to ${f.export.path} failed: ${f.message}`,
    );
}
