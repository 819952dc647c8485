/**
 * Loads one file: the unit of atomicity. Its rows land together or not at all. They merge by
 * natural key (src/db/merge-lane.ts): new keys inserted, changed figures versioned, identical
 * ones untouched; rows of earlier loads are retired only inside the coverage the source or the
 * user declares (src/db/coverage.ts). An unchanged file (same sha256, read with the same
 * layout) is skipped unless forced. For every file, figures read = rejected + inserted +
 * changed + unchanged, checked here and again by the database (`load_files`).
 */

import { basename } from 'node:path';
import { factTableOf } from '../../warehouse/fact-tables.ts';
import { coverageColumns } from '../db/coverage.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { ErrorCode } from '../error-codes.ts';
import { CorridorError, describeError } from '../errors.ts';
import { sha256File } from '../extract/file-fingerprint.ts';
import type { LocatedFile } from '../extract/file-locator.ts';
import type { Declarations } from '../layout/stated-facts.ts';
import type { CountryResolver } from '../normalize/country-resolver.ts';
import type { HsCodeBook } from '../normalize/hs-code-book.ts';
import { openMappedTableInWorker } from '../validate/map-in-worker.ts';
import { type MappedTable, openMappedTable } from '../validate/map-stage.ts';
import type { TradeSource } from '../validate/trade-source.ts';
import { emptyResult, type FileProgress, type FileResult } from './file-result.ts';
import { abortableBatches, interruptionOf, unlessAborted } from './interruption.ts';
import { type FileOutcome, type Journal, NOTHING_LOADED } from './journal.ts';
import { recordLayoutFindings } from './layout-findings.ts';
import { duplicateIssue, failureOf } from './load-failure.ts';
import { describeLayout, describeRevisedLoads } from './load-notes.ts';
import { needsHsEditions, openFlowWriter } from './open-flow-writer.ts';
import { RejectSink } from './reject-sink.ts';
import { UnstatedHsEditions } from './unstated-hs-editions.ts';
import { lockFactTables } from './write-lock.ts';

export interface FileLoadOptions {
  /** Reload even when the same bytes are already loaded. */
  readonly force: boolean;
  /** Read, validate and plan, then roll everything back and write nothing, not even the journal. */
  readonly dryRun: boolean;
  /** Largest share of rejected rows before the file counts as over the threshold (0.05 = 5 %). */
  readonly rejectThreshold: number;
  /** Most rejects stored per file. */
  readonly rejectCap: number;
  /** Encoding named by the user; otherwise detected. */
  readonly encoding?: string;
  /**
   * What one file covers completely, declared by the user (`--replace-scope reporter,period`):
   * overrides the source's own coverage. Undefined: the source's; it merges only without one.
   */
  readonly replaceScope?: readonly string[];
  /** Tells apart two layouts read over one file: the unchanged-file skip is per file and layout. */
  readonly layoutKey?: string | null;
  /** The release the user names for these files (`--release 2024-03`), when the file does not say. */
  readonly release?: string;
  /** The HS edition the user declares for rows whose file says only "HS" (`--edition H5`); inferred otherwise. */
  readonly edition?: string;
  /** Flow, unit and period the user declares for tables that do not say them (`--flow M`). */
  readonly declared?: Declarations;
}

/** Files at least this large are read in a worker thread: 16 MiB, or CORRIDOR_PARALLEL_MIN_BYTES. Read at each load. */
const parallelMinBytes = () => Number(process.env.CORRIDOR_PARALLEL_MIN_BYTES ?? 16 * 1024 * 1024);

export interface LoadContext {
  readonly warehouse: Warehouse;
  readonly journal: Journal;
  readonly runId: number;
  readonly countries: CountryResolver;
  readonly hsCodes: HsCodeBook;
  readonly onProgress?: (progress: FileProgress) => void;
  /** Aborted by a stop signal: the file is abandoned where it stands and rolled back. */
  readonly signal?: AbortSignal;
}

/**
 * How often a file's progress is reported while it loads. Often enough for a live terminal
 * line to move smoothly; the display decides what to print (progress-display.ts). Checked once
 * per batch, so a report costs one clock read per batch.
 */
const PROGRESS_EVERY_MS = 250;

// biome-ignore lint/suspicious/noExplicitAny: the engine handles every source alike.
type AnySource = TradeSource<string, any, any>;

/**
 * A file that never reached the loader because its download failed: journaled as a failed
 * file that read and loaded nothing, so the run's counts and `--only-failed` see it.
 */
export async function recordUnfetchedFile(
  ctx: Pick<LoadContext, 'journal' | 'runId'>,
  source: AnySource,
  url: string,
  error: { readonly code: ErrorCode; readonly message: string },
  dryRun: boolean,
): Promise<FileResult> {
  const started = Date.now();
  const file: LocatedFile = { path: url, shown: url, origin: url, sizeBytes: 0 };
  const fileName = basename(new URL(url).pathname) || url;
  const loadId = dryRun
    ? null
    : await ctx.journal.recordUnreadable(
        {
          runId: ctx.runId,
          source: source.name,
          targetTable: source.target,
          path: url,
          origin: url,
          fileName,
        },
        error.code,
        error.message,
      );
  return { ...emptyResult(file, source, started), status: 'failed', loadId, error };
}

export async function loadFile(
  ctx: LoadContext,
  source: AnySource,
  file: LocatedFile,
  options: FileLoadOptions,
): Promise<FileResult> {
  const started = Date.now();
  const { warehouse, journal } = ctx;
  // A downloaded file is known by its URL, not by its landing copy's hash name: the journal,
  // rejects and messages name what the user's pipeline names.
  const origin = file.origin ?? file.path;
  const fileName =
    file.origin === undefined ? basename(file.path) : basename(new URL(file.origin).pathname) || file.origin;

  const fileStart = {
    runId: ctx.runId,
    source: source.name,
    targetTable: source.target,
    path: file.path,
    origin: file.origin ?? file.path,
    fileName,
    sizeBytes: file.sizeBytes,
    about: source.about,
  };
  let sha256: string;
  try {
    sha256 = await unlessAborted(sha256File(file.path), ctx.signal);
  } catch (cause) {
    const interrupted = interruptionOf(ctx.signal);
    // Stopped while hashing: the file was not started, so it has no journal row.
    if (interrupted !== null)
      return {
        ...emptyResult(file, source, started),
        status: 'failed',
        loadId: null,
        error: {
          code: 'interrupted',
          message: `${fileName}: stopped by ${interrupted.signalName} before it was read.`,
        },
      };
    const message = `${file.shown} could not be read: ${describeError(cause)}.`;
    const loadId = options.dryRun
      ? null
      : await journal.recordUnreadable(fileStart, 'file_not_readable', message);
    return {
      ...emptyResult(file, source, started),
      status: 'failed',
      loadId,
      error: { code: 'file_not_readable', message },
    };
  }
  const layoutKey = options.layoutKey ?? null;
  const release = options.release ?? source.releaseOf?.(fileName) ?? null;
  const coverage = options.replaceScope ?? source.coverage ?? null;
  const coverageText =
    coverage === null
      ? null
      : `${coverage.join(' × ')}, declared by ${options.replaceScope === undefined ? `the ${source.name} source` : '--replace-scope'}`;
  const hashed = { ...fileStart, sha256, layoutKey, release, replaceScope: coverage };

  if (!options.force) {
    const current = await journal.findCurrentLoad(source.name, sha256, layoutKey);
    if (current !== null) {
      const loadId = options.dryRun ? null : await journal.recordSkip(hashed, current);
      return {
        ...emptyResult(file, source, started),
        status: 'skipped',
        loadId,
        sha256,
        sameAsLoadId: current,
      };
    }
  }

  const loadId = options.dryRun ? 0 : await journal.startFile(hashed);
  let table: MappedTable | null = null;
  let inTransaction = false;
  let sink: RejectSink | null = null;
  let rowsRead = 0;
  const notes: string[] = [];
  try {
    const mapInput = {
      path: file.path,
      countries: ctx.countries,
      hsCodes: ctx.hsCodes,
      ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
      ...(options.declared === undefined ? {} : { declared: options.declared }),
    };
    // Large files are read and validated in a worker thread while this one writes. Tables
    // with a layout are made for people (thousands of rows, not millions) and may come from a
    // pipeline file the worker cannot load: they are read here.
    table = await unlessAborted(
      file.sizeBytes >= parallelMinBytes() && source.layout === undefined
        ? openMappedTableInWorker({
            ...mapInput,
            sourceName: source.name,
            source,
          })
        : openMappedTable({ ...mapInput, source }),
      ctx.signal,
    );
    if (table.noData !== undefined) notes.push(table.noData);
    if (table.encoding !== 'utf-8') notes.push(`decoded as ${table.encoding}`);
    // A laid-out table's columns are the layout's own: only a plain table's spare columns are news.
    if (table.unused.length > 0 && source.layout === undefined)
      notes.push(
        `${table.unused.length} column(s) not used: ${table.unused.slice(0, 8).join(', ')}${table.unused.length > 8 ? ', …' : ''}`,
      );

    await warehouse.sql.begin({ writeLock: true });
    inTransaction = true;
    const factTable = factTableOf(source.target, source.storage);
    await unlessAborted(lockFactTables(warehouse, [factTable.name]), ctx.signal);
    const columns = coverage === null ? null : coverageColumns(factTable, coverage);
    const flowSpec = {
      target: source.target,
      storage: source.storage,
      source: source.name,
      loadId,
      coverage,
      coverageColumns: columns,
    };
    const writer = openFlowWriter(warehouse, flowSpec);
    // Rows whose file says only "HS" get their edition here, before the merge keys them.
    const editions = needsHsEditions(flowSpec)
      ? new UnstatedHsEditions(warehouse, ctx.hsCodes, {
          declared: options.edition ?? null,
          fileName,
          source: source.name,
          loadId,
        })
      : null;
    if (editions === null && options.edition !== undefined)
      throw new CorridorError(
        'edition_not_applicable',
        `${fileName}: --edition (edition: in a pipeline) is for trade files whose classification says only HS; the ${source.name} source ${source.target === 'port_throughput' ? 'loads no HS codes' : source.target === 'world_trade_totals' ? 'reads the edition from its hs_edition column' : 'reads the edition from the file name'}. Leave it out.`,
      );
    sink = new RejectSink(warehouse.sql, {
      runId: ctx.runId,
      loadId,
      source: source.name,
      file: origin,
      sheet: table.sheet,
      rowUnit: table.rowUnit,
      header: table.header,
      cap: options.rejectCap,
      write: !options.dryRun,
    });
    let lastProgress = Date.now();
    let sheetRows: number | null = null;
    const batches = abortableBatches(table.batches, ctx.signal);
    for await (const batch of editions === null ? batches : editions.around(batches)) {
      rowsRead += batch.read;
      if (batch.sheetRows !== undefined) sheetRows = (sheetRows ?? 0) + batch.sheetRows;
      for (const rejected of batch.rejected) sink.reject(rejected, rejected.issues);
      const duplicates = await unlessAborted(writer.write(batch), ctx.signal);
      if (duplicates.length > 0) {
        const cells = await unlessAborted(table.rawCells(duplicates.map((d) => d.sourceRow)), ctx.signal);
        duplicates.forEach((dup, i) => {
          const issue = duplicateIssue(source.target, table!.rowUnit, dup);
          const raw = cells[i];
          if (raw) sink!.reject({ row: dup.sourceRow, cells: raw }, [issue]);
          else sink!.rejectCanonical(dup.sourceRow, dup.row(), [issue]);
        });
      }
      await sink.flush();
      if (ctx.onProgress !== undefined && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        ctx.onProgress({
          shown: file.shown,
          rowsRead,
          rowsRejected: sink.rowsRejected,
          elapsedMs: lastProgress - started,
          bytesRead: table.bytesRead(),
          totalBytes: file.sizeBytes,
        });
      }
    }
    const layout = table.layoutReport();
    const rowsAggregate = layout?.aggregateRecords ?? 0;
    if (layout !== null) notes.push(...describeLayout(layout));
    // A publisher's answer that nothing matched loads as 0 rows with its note; any other file without rows fails.
    if (rowsRead === 0 && table.noData === undefined) {
      throw new CorridorError(
        'empty_file',
        `${fileName} has a header but no data rows. Check that the download or export finished.`,
      );
    }
    await table.close();
    const { lateDuplicates, ...written } = await unlessAborted(writer.finish(), ctx.signal);
    // After the writer's finish: only then does every backend hold the file's rows (PostgreSQL
    // merges them at the end), which is what tells the earlier HS rows to retire.
    const superseded = [...((await editions?.supersede())?.values() ?? [])].reduce((a, b) => a + b, 0);
    notes.push(...(editions?.notes ?? []));
    // Keys repeated within the file that the backend finds only at the end (PostgreSQL's bulk
    // path): not written, so rejected like any other duplicate; the table's cells are gone by now.
    for (const dup of lateDuplicates)
      sink.rejectCanonical(dup.sourceRow, dup.row(), [duplicateIssue(source.target, table.rowUnit, dup)]);
    await sink.flush();
    const rowsLoaded = written.inserted + written.changed + written.unchanged;
    if (rowsRead !== rowsLoaded + sink.rowsRejected || rowsLoaded !== writer.rowsWritten) {
      throw new CorridorError(
        'count_mismatch',
        `${fileName}: read ${rowsRead} figures but inserted ${written.inserted}, changed ${written.changed}, left ${written.unchanged} unchanged and rejected ${sink.rowsRejected}. Nothing was loaded; please report this.`,
      );
    }
    const replacements = await describeRevisedLoads(
      warehouse,
      { changed: written.changedLoads, retired: written.retiredLoads },
      file.path,
      source.revisesEarlierFiles ?? false,
      coverageText ?? '',
    );
    notes.push(...replacements.map((r) => r.text));
    const layoutWarnings = layout?.warnings ?? [];
    const warnings = [
      ...replacements.filter((r) => r.warn).map((r) => r.text),
      ...(editions?.warnings ?? []),
      ...layoutWarnings.slice(0, 3).map((w) => w.message),
      ...(layoutWarnings.length > 3
        ? [`${layoutWarnings.length - 3} more in load_warnings (corridor runs --files ${ctx.runId})`]
        : []),
    ];
    if (sink.capped)
      notes.push(
        `rejects capped: kept ${sink.stored} of ${sink.issuesSeen} problems (cap ${options.rejectCap} per file)`,
      );
    const outcome: FileOutcome = {
      status: 'loaded',
      format: table.format,
      encoding: table.encoding,
      delimiter: table.delimiter,
      // The journal's balance counts every figure read: loaded, rejected, or an aggregate checked.
      rowsRead: rowsRead + rowsAggregate,
      rowsLoaded,
      rowsRejected: sink.rowsRejected,
      rowsAggregate,
      rejectsStored: sink.stored,
      rowsInserted: written.inserted,
      rowsChanged: written.changed,
      rowsUnchanged: written.unchanged,
      rowsRetired: written.retired + superseded,
      sheetRows,
      slices: writer.slices,
      durationMs: Date.now() - started,
      errorCode: null,
      errorMessage: null,
      notes,
      facts: layout?.sheets.flatMap((s) => s.facts) ?? [],
      warnings: layoutWarnings.map((w) => ({
        code: w.code,
        sheet: w.sheet,
        row: w.row,
        column: w.column,
        message: w.message,
      })),
    };
    if (!options.dryRun)
      await journal.finishFile(loadId, outcome, { runId: ctx.runId, source: source.name, path: origin });
    // Printed subtotals that do not add up become data-quality findings, committed with the rows.
    if (!options.dryRun && layout !== null)
      await recordLayoutFindings(warehouse, { loadId, runId: ctx.runId, fileName, origin }, layout);
    // A stop that came during the last steps still rolls the file back: it was in flight.
    ctx.signal?.throwIfAborted();
    if (options.dryRun) await warehouse.sql.rollback();
    else await warehouse.sql.commit();
    inTransaction = false;
    return {
      ...emptyResult(file, source, started),
      status: 'loaded',
      loadId: options.dryRun ? null : loadId,
      sha256,
      rowsRead: rowsRead + rowsAggregate,
      rowsLoaded,
      rowsRejected: sink.rowsRejected,
      rowsAggregate,
      rejectsStored: sink.stored,
      rejectsCapped: sink.capped,
      rowsInserted: written.inserted,
      rowsChanged: written.changed,
      rowsUnchanged: written.unchanged,
      rowsRetired: written.retired + superseded,
      coverage: coverageText,
      slices: writer.slices.length,
      overThreshold: sink.rowsRejected / rowsRead > options.rejectThreshold,
      firstIssues: sink.first,
      rejectsByCode: Object.fromEntries(sink.byCode),
      notes,
      ...(table.noData === undefined ? {} : { noData: table.noData }),
      warnings,
      warningsRecorded: layoutWarnings.length,
    };
  } catch (cause) {
    if (inTransaction) await warehouse.sql.rollback().catch(() => {});
    const interrupted = interruptionOf(ctx.signal);
    // Stopped, the reader is not waited for: closing it may wait for the step abandoned.
    if (interrupted === null) await table?.close();
    else void table?.close().catch(() => {});
    const error = failureOf(cause, fileName, interrupted);
    if (!(cause instanceof CorridorError) && process.env.CORRIDOR_DEBUG) console.error(cause);
    if (!options.dryRun) {
      await journal.finishFile(loadId, {
        status: interrupted === null ? 'failed' : 'interrupted',
        format: table?.format ?? null,
        encoding: table?.encoding ?? null,
        delimiter: table?.delimiter ?? null,
        ...NOTHING_LOADED,
        slices: [],
        durationMs: Date.now() - started,
        errorCode: error.code,
        errorMessage: error.message,
        notes,
        warnings: [],
      });
    }
    return {
      ...emptyResult(file, source, started),
      status: 'failed',
      loadId: options.dryRun ? null : loadId,
      sha256,
      rowsRead,
      error,
      notes,
    };
  }
}
