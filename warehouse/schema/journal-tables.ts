/** The journal: load runs and files, rejects, warnings, and the refreshes of the derived tables. Part of the warehouse schema (../schema.ts). */
import type { Generated } from 'kysely';

export interface LoadRunsTable {
  run_id: Generated<number>;
  /** Pipeline name, or `load` for a one-off `corridor load`. */
  pipeline: string;
  /** `running`, `succeeded`, `failed`, `rejects_over_threshold`, `interrupted`. */
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  files_total: Generated<number>;
  files_loaded: Generated<number>;
  files_skipped: Generated<number>;
  files_failed: Generated<number>;
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  /** Figures on total and subtotal rows, checked and not loaded (migration 0004). */
  rows_aggregate: Generated<number>;
  /** Largest share of rejected rows a file may have before the run exits with code 3. */
  reject_threshold: number;
  exit_code: number | null;
  host: string;
  pid: number;
  /** Options the run was started with, as JSON. */
  options: string;
  message: string | null;
  /** Who started the run: `manual` (a command), `schedule` (a cron tick) or `catch_up` (a tick missed while the scheduler was down). Migration 0007. */
  trigger: Generated<string>;
}

export interface LoadFilesTable {
  load_id: Generated<number>;
  run_id: number;
  source: string;
  target_table: string;
  /** Absolute path of the file as loaded (for a downloaded file, its landing copy). */
  path: string;
  /** What the pipeline named: the URL a downloaded file came from, or the local path. Null before migration 0007. */
  origin: string | null;
  file_name: string;
  sha256: string | null;
  size_bytes: number | null;
  /** `running`, `loaded`, `skipped` (same sha256 already loaded), `failed`, `interrupted` (the process died). */
  status: string;
  format: string | null;
  encoding: string | null;
  delimiter: string | null;
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  /**
   * Figures on total and subtotal rows of a table made for people ("Всего", "Total dry bulk"):
   * checked against the sum of their parts, not loaded. rows_read = rows_loaded +
   * rows_rejected + rows_aggregate.
   */
  rows_aggregate: Generated<number>;
  /** Rejects kept in `rejects`; fewer than rows_rejected when the per-file cap was reached. */
  rejects_stored: Generated<number>;
  /** Rows of earlier loads this file revised: rows_changed + rows_retired (before migration 0008, the rows its slices replaced). */
  rows_replaced: Generated<number>;
  /** The slices this file covers, as a JSON array of `{reporter, period}`. */
  slices: string | null;
  /** For a skipped file, the load that already holds its rows. */
  same_as_load_id: number | null;
  /** The first later load of the same file (same source and name or URL): this load is an older version of it. NULL while none has. */
  superseded_by: number | null;
  /** The number of slices this load covered (before migration 0008: how many still held its rows). */
  slices_current: Generated<number>;
  /** Keys new to the warehouse (issue 17). */
  rows_inserted: Generated<number>;
  /** Keys an earlier load held, given new values by this load (the old ones stay in the history). */
  rows_changed: Generated<number>;
  /** Keys an earlier load held with the same values: left untouched, no new version written. */
  rows_unchanged: Generated<number>;
  /** Rows of earlier loads inside this load's coverage (`replace_scope`) that its file no longer holds: closed as `retired`. */
  rows_retired: Generated<number>;
  /** For a revert: the versions it reopened (the ones the reverted load had superseded). */
  rows_reopened: Generated<number>;
  /** Sheet rows the figures came from, where a table has several figures a row; NULL when it is one figure a row. */
  sheet_rows: number | null;
  /** The source's own release label or publication date (BACI `V202401b`), or the user's `--release`; `corridor sql --as-of` accepts it. */
  release: string | null;
  /** The coverage this load retired within, as dimension names (`edition,period`; declared by the source or by `--replace-scope`); NULL: it merged only. */
  replace_scope: string | null;
  /** A digest of the layout the file was read with (a pipeline's table layout); the unchanged-file skip is per file and layout. NULL for a source's own layout. */
  layout_key: string | null;
  /** For a revert: the load it undid. */
  reverts_load_id: number | null;
  /** The revert that undid this load, if any. */
  reverted_by: number | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  /** Notes worth reading: encoding guessed, columns ignored, rejects capped. JSON array of text. */
  notes: string | null;
  /** The data set the file belongs to, as its source or pipeline declared it when it loaded (migration 0012); NULL for loads before it. */
  dataset: string | null;
  /** The organisation that publishes the file; NULL when nobody declared it, or before migration 0012. */
  publisher: string | null;
  /** The publisher's page for the data set. */
  source_url: string | null;
  /** The licence's SPDX or Open Definition identifier, or `LicenseRef-…`; NULL when nobody declared one. */
  licence_id: string | null;
  /** The terms the file comes under, in one sentence. */
  licence: string | null;
  /** Where the terms are written. */
  licence_url: string | null;
  /** May the data be passed on: `allowed`, `not allowed` or `unknown`. */
  redistribution: string | null;
  /** The credit the terms ask for, word for word; NULL when none is asked. */
  attribution: string | null;
  /** 1 for Corridor's illustrative samples (invented figures in a publisher's layout), 0 for the publisher's data. */
  illustrative: number | null;
  /** Who declared the provenance: `source` (its `about`), `pipeline` (the entry's `about:`) or `nobody`; NULL before migration 0012. */
  provenance_by: string | null;
}

/** The flow, unit and period a table's figures were read with, and where each came from (migration 0011). */
export interface LoadFactsTable {
  load_id: number;
  /** The sheet, for a workbook; '' for a file without sheets. */
  sheet: string;
  fact: 'flow' | 'unit' | 'period';
  value: string;
  origin: 'file' | 'declaration' | 'override';
  place: string;
}

/** What a load found suspicious without refusing a row (migration 0004). */
export interface LoadWarningsTable {
  warning_id: Generated<number>;
  run_id: number;
  load_id: number;
  source: string;
  file: string;
  sheet: string | null;
  /** Row number as the user sees it; NULL for a warning about the whole file. */
  row_number: number | null;
  column_name: string | null;
  /** Stable code: `aggregate_mismatch`. */
  code: string;
  message: string;
}

export interface RejectsTable {
  reject_id: Generated<number>;
  run_id: number;
  load_id: number;
  source: string;
  file: string;
  /** Sheet name for spreadsheets; NULL for CSV and JSON. */
  sheet: string | null;
  /** Row number as the user sees it: spreadsheet row (header = 1) or JSON record number. */
  row_number: number;
  /** The column as the file names it; NULL when the problem is the whole row. */
  column_name: string | null;
  /** Stable code: `missing_value`, `bad_number`, `bad_hs_code`, `unknown_country`, `duplicate_key`… */
  code: string;
  message: string;
  value: string | null;
  /** The whole row as a JSON object of column → cell. */
  raw: string;
}

/** One refresh of the derived indicator tables (migration 0006). */
export interface DeriveRunsTable {
  derive_id: Generated<number>;
  /** The load run after which it ran; NULL for `corridor derive`. */
  run_id: number | null;
  /** `full` recomputes every row; `incremental` only the years that loads since the last refresh touched. */
  mode: 'full' | 'incremental';
  /** The trade years loads changed, by source, as JSON (`{"comtrade":[2023]}`); NULL for a full refresh. */
  trade_years: string | null;
  /** The port years loads changed, as JSON (`{"*":[2023]}`); NULL for a full refresh. */
  port_years: string | null;
  /** The last load (load_files.load_id) whose rows this refresh took into account. */
  through_load_id: number;
  /** sha256 over the reference files and settings the indicators read; when it changes, the next refresh is full. */
  reference_stamp: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  status: 'running' | 'succeeded' | 'failed';
  message: string | null;
}

/** Per refresh and indicator table: rows written and time taken. */
export interface DeriveTablesTable {
  derive_id: number;
  table_name: string;
  rows_written: number;
  duration_ms: number;
}

/** One lease per pipeline while a run holds it (migration 0007). */
export interface PipelineLocksTable {
  pipeline: string;
  /** Random token of the holding run; only its holder renews or releases the lease. */
  holder: string;
  host: string;
  pid: number;
  /**
   * The holder's boot id and start time (Linux), so that a pid reused after a crash or a reboot
   * is not taken for the holder; null where the system does not say.
   */
  process_stamp: string | null;
  /** What holds it: `corridor run`, `corridor schedule`. */
  purpose: string;
  acquired_at: string;
  /** Last renewal, ISO 8601 UTC. */
  heartbeat_at: string;
  /** When the lease lapses unless renewed; a crashed holder's lease expires here. */
  expires_at: string;
}

/** The last download of each URL a pipeline names (migration 0007). */
export interface RemoteFilesTable {
  url: string;
  /** Validators the server sent, asked back as If-None-Match and If-Modified-Since. */
  etag: string | null;
  last_modified: string | null;
  sha256: string;
  /** The landing copy, `<landing>/<sha256><ext>`. */
  landing_path: string;
  size_bytes: number;
  /** When the bytes were last downloaded. */
  fetched_at: string;
  /** When the server was last asked. */
  checked_at: string;
  /** `fetched` or `not_modified` (HTTP 304) at the last check. */
  last_status: string;
}

/** Alerts sent after runs (migration 0007). */
export interface RunAlertsTable {
  run_id: number;
  /** `failure`, `rejects` or `success`. */
  event: string;
  /** `command` or `webhook`. */
  channel: string;
  /** The command or URL, credentials masked. */
  target: string;
  /** 1 when the command exited 0 or the webhook answered 2xx. */
  delivered: number;
  detail: string;
  sent_at: string;
  duration_ms: number;
}
