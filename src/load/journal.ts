/**
 * The run journal: one `load_runs` row per run, one `load_files` row per file, written through
 * kysely (small writes). A file's row is created as `running` before its data transaction and
 * completed inside it, so a crash leaves a visible `running` row and no data.
 */
import { hostname } from 'node:os';
import type { Insertable, Kysely } from 'kysely';
import type { DB, LoadFilesTable } from '../../warehouse/schema.ts';
import type { SettledFact } from '../layout/stated-facts.ts';
import type { SourceAbout } from '../validate/source-about.ts';
import { provenanceColumns } from './load-provenance.ts';

const now = () => new Date().toISOString();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

export interface RunStart {
  readonly pipeline: string;
  readonly rejectThreshold: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** `manual` (a command), `schedule` (a cron tick) or `catch_up`. @default 'manual' */
  readonly trigger?: 'manual' | 'schedule' | 'catch_up';
}

/** Counts of a finished run, as `load_runs` stores them. */
export interface RunCounts {
  readonly filesTotal: number;
  readonly filesLoaded: number;
  readonly filesSkipped: number;
  readonly filesFailed: number;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  readonly rowsAggregate: number;
}

export interface RunEnd extends RunCounts {
  readonly status: string;
  readonly exitCode: number;
  readonly durationMs: number;
  readonly message: string | null;
}

export interface FileStart {
  readonly runId: number;
  readonly source: string;
  readonly targetTable: string;
  readonly path: string;
  readonly fileName: string;
  readonly sha256: string | null;
  readonly sizeBytes: number | null;
  /** What the pipeline named: the URL of a downloaded file; the path when not given. */
  readonly origin?: string | undefined;
  /** The layout the file is read with, when a pipeline declares one: the unchanged-file skip is per file and layout. */
  readonly layoutKey?: string | null;
  /** The source's own release label or publication date, from the file, its name or the user. */
  readonly release?: string | null;
  /** The coverage the load retires within (dimension names), or null when it merges only. */
  readonly replaceScope?: readonly string[] | null;
  /** Who publishes the file and on which terms, as its source or pipeline declares: recorded as the load's provenance. */
  readonly about?: SourceAbout | undefined;
}

export interface FileOutcome {
  /** `interrupted`: a stop signal abandoned the file, whose transaction rolled back. */
  readonly status: 'loaded' | 'failed' | 'interrupted';
  readonly format: string | null;
  readonly encoding: string | null;
  readonly delimiter: string | null;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  /** Figures on total and subtotal rows: checked, not loaded. */
  readonly rowsAggregate: number;
  readonly rejectsStored: number;
  readonly rowsInserted: number;
  readonly rowsChanged: number;
  readonly rowsUnchanged: number;
  readonly rowsRetired: number;
  /** Rows of the sheet the figures came from, where a table has several figures a row. */
  readonly sheetRows: number | null;
  readonly slices: readonly { reporter: string; period: string }[];
  readonly durationMs: number;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly notes: readonly string[];
  /** Problems found without refusing a row (a subtotal that does not match its parts). */
  readonly warnings: readonly FileWarning[];
  /** The flow, unit and period a table's figures were read with, and where each came from. */
  readonly facts?: readonly SettledFact[];
}

/**
 * The counts of a file that loaded nothing (it failed, or a revert that reads no file): spread
 * into a FileOutcome beside its status, timing and messages.
 */
export const NOTHING_LOADED = Object.freeze({
  rowsRead: 0,
  rowsLoaded: 0,
  rowsRejected: 0,
  rowsAggregate: 0,
  rejectsStored: 0,
  rowsInserted: 0,
  rowsChanged: 0,
  rowsUnchanged: 0,
  rowsRetired: 0,
  sheetRows: null,
} as const);

export interface FileWarning {
  readonly code: string;
  readonly sheet: string | null;
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
}

export class Journal {
  readonly #db: Kysely<DB>;
  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  async startRun(start: RunStart): Promise<number> {
    await this.markInterruptedRuns();
    const row = await this.#db
      .insertInto('load_runs')
      .values({
        pipeline: start.pipeline,
        status: 'running',
        started_at: now(),
        reject_threshold: start.rejectThreshold,
        host: hostname(),
        pid: process.pid,
        options: JSON.stringify(start.options),
        trigger: start.trigger ?? 'manual',
      })
      .returning('run_id')
      .executeTakeFirstOrThrow();
    return row.run_id;
  }

  /**
   * A run whose process died (killed, power cut) stays `running` in the journal; its data
   * transaction was rolled back by SQLite. Mark such runs of this host `interrupted` so the
   * journal tells the truth. Runs of other hosts are left alone: their pid means nothing here.
   */
  async markInterruptedRuns(): Promise<void> {
    const running = await this.#db
      .selectFrom('load_runs')
      .select(['run_id', 'pid'])
      .where('status', '=', 'running')
      .where('host', '=', hostname())
      .execute();
    const dead = running.filter((r) => r.pid !== process.pid && !isAlive(r.pid)).map((r) => r.run_id);
    if (dead.length === 0) return;
    await this.#db
      .updateTable('load_runs')
      .set({
        status: 'interrupted',
        message: 'the process ended before the run finished; files not marked loaded loaded nothing',
      })
      .where('run_id', 'in', dead)
      .execute();
    await this.#db
      .updateTable('load_files')
      .set({
        status: 'interrupted',
        error_message: 'the process ended during this file; nothing from it was loaded',
      })
      .where('run_id', 'in', dead)
      .where('status', '=', 'running')
      .execute();
  }

  async finishRun(runId: number, totals: RunEnd): Promise<void> {
    await this.#db
      .updateTable('load_runs')
      .set({
        status: totals.status,
        exit_code: totals.exitCode,
        finished_at: now(),
        duration_ms: totals.durationMs,
        files_total: totals.filesTotal,
        files_loaded: totals.filesLoaded,
        files_skipped: totals.filesSkipped,
        files_failed: totals.filesFailed,
        rows_read: totals.rowsRead,
        rows_loaded: totals.rowsLoaded,
        rows_rejected: totals.rowsRejected,
        rows_aggregate: totals.rowsAggregate,
        message: totals.message,
      })
      .where('run_id', '=', runId)
      .execute();
  }

  /**
   * The load that already holds these bytes for this source, read with the same layout, unless
   * it was reverted. Loading the same bytes again would change nothing (a merge of identical
   * figures), so re-running a pipeline is a no-op rather than a tug of war between two files;
   * `--force` reads it again, and a forced reload of an unchanged file writes no new version.
   */
  async findCurrentLoad(
    source: string,
    sha256: string,
    layoutKey: string | null = null,
  ): Promise<number | null> {
    const row = await this.#db
      .selectFrom('load_files')
      .select('load_id')
      .where('source', '=', source)
      .where('sha256', '=', sha256)
      .where('status', '=', 'loaded')
      .where('reverted_by', 'is', null)
      .where((eb) => (layoutKey === null ? eb('layout_key', 'is', null) : eb('layout_key', '=', layoutKey)))
      .orderBy('load_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.load_id ?? null;
  }

  /** Inserts a `load_files` row for a file and returns its load id. */
  async #insertFile(
    start: FileStart,
    status: string,
    extra: Partial<Insertable<LoadFilesTable>> = {},
  ): Promise<number> {
    const row = await this.#db
      .insertInto('load_files')
      .values({
        run_id: start.runId,
        source: start.source,
        target_table: start.targetTable,
        path: start.path,
        origin: start.origin ?? start.path,
        file_name: start.fileName,
        sha256: start.sha256,
        size_bytes: start.sizeBytes,
        status,
        started_at: now(),
        layout_key: start.layoutKey ?? null,
        release: start.release ?? null,
        replace_scope: start.replaceScope == null ? null : start.replaceScope.join(','),
        ...(start.about === undefined ? {} : provenanceColumns(start.about)),
        ...extra,
      })
      .returning('load_id')
      .executeTakeFirstOrThrow();
    return row.load_id;
  }

  /** A file about to load: `running` until its data transaction completes it. */
  startFile(start: FileStart): Promise<number> {
    return this.#insertFile(start, 'running');
  }

  /** A file skipped because the same bytes are already loaded as `sameAs`. */
  recordSkip(start: FileStart, sameAs: number): Promise<number> {
    return this.#insertFile(start, 'skipped', {
      same_as_load_id: sameAs,
      finished_at: now(),
      duration_ms: 0,
    });
  }

  /** A file that failed before it could even be hashed (unreadable). */
  recordUnreadable(
    start: Omit<FileStart, 'sha256' | 'sizeBytes'>,
    code: string,
    message: string,
  ): Promise<number> {
    return this.#insertFile({ ...start, sha256: null, sizeBytes: null }, 'failed', {
      finished_at: now(),
      duration_ms: 0,
      error_code: code,
      error_message: message,
    });
  }

  /** Completes a file's journal row; `file` places its warnings. */
  async finishFile(
    loadId: number,
    outcome: FileOutcome,
    file?: { readonly runId: number; readonly source: string; readonly path: string },
  ): Promise<void> {
    if (outcome.facts !== undefined && outcome.facts.length > 0) {
      await this.#db
        .insertInto('load_facts')
        .values(
          outcome.facts.map((f) => ({
            load_id: loadId,
            sheet: f.sheet ?? '',
            fact: f.fact,
            value: f.value,
            origin: f.origin,
            place: f.place,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (file !== undefined && outcome.warnings.length > 0) {
      await this.#db
        .insertInto('load_warnings')
        .values(
          outcome.warnings.map((w) => ({
            run_id: file.runId,
            load_id: loadId,
            source: file.source,
            file: file.path,
            sheet: w.sheet,
            row_number: w.row,
            column_name: w.column,
            code: w.code,
            message: w.message,
          })),
        )
        .execute();
    }
    await this.#db
      .updateTable('load_files')
      .set({
        status: outcome.status,
        format: outcome.format,
        encoding: outcome.encoding,
        delimiter: outcome.delimiter,
        rows_read: outcome.rowsRead,
        rows_loaded: outcome.rowsLoaded,
        rows_rejected: outcome.rowsRejected,
        rows_aggregate: outcome.rowsAggregate,
        rejects_stored: outcome.rejectsStored,
        rows_inserted: outcome.rowsInserted,
        rows_changed: outcome.rowsChanged,
        rows_unchanged: outcome.rowsUnchanged,
        rows_retired: outcome.rowsRetired,
        // Kept for queries written against the first release: rows of earlier loads revised.
        rows_replaced: outcome.rowsChanged + outcome.rowsRetired,
        sheet_rows: outcome.sheetRows,
        slices: JSON.stringify(outcome.slices),
        slices_current: outcome.status === 'loaded' ? outcome.slices.length : 0,
        finished_at: now(),
        duration_ms: outcome.durationMs,
        error_code: outcome.errorCode,
        error_message: outcome.errorMessage,
        notes: outcome.notes.length === 0 ? null : JSON.stringify(outcome.notes),
      })
      .where('load_id', '=', loadId)
      .execute();
    // An earlier load of the same file (same name or URL, same source) is now an older version
    // of it: its rejects are no longer news (corridor unmapped).
    if (outcome.status === 'loaded' && file !== undefined) {
      await this.#db
        .updateTable('load_files')
        .set({ superseded_by: loadId })
        .where('source', '=', file.source)
        .where('origin', '=', file.path)
        .where('load_id', '<', loadId)
        .where('status', '=', 'loaded')
        .where('superseded_by', 'is', null)
        .execute();
    }
  }
}
