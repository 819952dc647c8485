/**
 * The data dictionary's journal area, the load journal: load runs and files, rejects and
 * warnings. The rest of the area, the refreshes of the indicator tables and what nightly
 * operations remember (locks, downloads, alerts), is in operations-tables.ts, listed after
 * these. Column words repeat the JSDoc of warehouse/schema/journal-tables.ts (the data
 * dictionary test checks that each starts with it) and add what an analyst needs beyond it.
 */
import type {
  LoadFactsTable,
  LoadFilesTable,
  LoadRunsTable,
  LoadWarningsTable,
  RejectsTable,
} from '../schema/journal-tables.ts';
import { PROVENANCE_COLUMNS } from './provenance-tables.ts';
import { schemaColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';

export const RUN_ID = { type: 'integer', description: 'The run (`load_runs.run_id`).' } as const;
const LOAD_ID = { type: 'integer', description: 'The file load (`load_files.load_id`).' } as const;
export const STARTED_AT = { type: 'text', description: 'When it started, ISO 8601 UTC.' } as const;
export const FINISHED_AT = {
  type: 'text',
  description: 'When it ended, ISO 8601 UTC; NULL while it runs.',
} as const;
export const DURATION_MS = {
  type: 'integer',
  unit: 'ms',
  description: 'How long it took, in milliseconds; NULL while it runs.',
} as const;

export const JOURNAL_TABLES: readonly TableDoc[] = [
  {
    name: 'load_runs',
    kind: 'table',
    area: 'journal',
    description:
      'One row per run: a pipeline run (`corridor run`, or a scheduled tick) or a one-off `corridor load`, with its outcome and counts. `corridor runs` shows it. For every loaded file, rows read = rows loaded + rejected + aggregate.',
    key: ['run_id'],
    columns: schemaColumns<LoadRunsTable>({
      run_id: {
        type: 'integer',
        description: "The run's number, as `corridor runs` and `corridor rejects --run` use it.",
      },
      pipeline: { type: 'text', description: 'Pipeline name, or `load` for a one-off `corridor load`.' },
      status: {
        type: 'text',
        description:
          '`running`, `succeeded`, `failed`, `rejects_over_threshold`, `interrupted`. Also `stopped`: a lock taken over ended it before every file loaded. `interrupted`: a stop signal (SIGINT, SIGTERM) ended it, the file in flight rolled back, or its process died and the next run found it so.',
      },
      started_at: STARTED_AT,
      finished_at: FINISHED_AT,
      duration_ms: DURATION_MS,
      files_total: { type: 'integer', description: 'Files the run was to load.' },
      files_loaded: { type: 'integer', description: 'Files whose rows were loaded.' },
      files_skipped: {
        type: 'integer',
        description: 'Files skipped because the same bytes (sha256) were already loaded.',
      },
      files_failed: { type: 'integer', description: 'Files that loaded nothing because of an error.' },
      rows_read: { type: 'integer', description: 'Data rows read, over every file.' },
      rows_loaded: { type: 'integer', description: 'Rows written to the warehouse, over every file.' },
      rows_rejected: {
        type: 'integer',
        description: 'Rows refused, over every file; the reasons are in `rejects`.',
      },
      reject_threshold: {
        type: 'real',
        unit: 'ratio',
        description:
          'Largest share of rejected rows a file may have before the run exits with code 3. 0.05 is 5 %.',
      },
      exit_code: {
        type: 'integer',
        description:
          'The exit code the run ended with: 0 success, 1 failed, 3 rejects over the threshold (docs/statistician.md, Exit codes); NULL while it runs.',
      },
      host: { type: 'text', description: 'The machine the run ran on.' },
      pid: { type: 'integer', description: 'The process id of the run.' },
      options: { type: 'text', description: 'Options the run was started with, as JSON.' },
      message: {
        type: 'text',
        description: 'Why the run failed or stopped; NULL when there is nothing to say.',
      },
      // Added by migrations 0004 and 0007: ALTER TABLE puts them last.
      rows_aggregate: {
        type: 'integer',
        description: 'Figures on total and subtotal rows, checked and not loaded (migration 0004).',
      },
      trigger: {
        type: 'text',
        description:
          'Who started the run: `manual` (a command), `schedule` (a cron tick) or `catch_up` (a tick missed while the scheduler was down). Migration 0007.',
      },
    }),
  },
  {
    name: 'load_files',
    kind: 'table',
    area: 'journal',
    description:
      'One row per file a run read: where it came from, how it was read, what it held (rows read, loaded, rejected, totals checked), which slices it replaced and whether later files replaced it, how long it took and why it failed. A CHECK constraint enforces rows_read = rows_loaded + rows_rejected + rows_aggregate for every loaded file.',
    key: ['load_id'],
    columns: schemaColumns<LoadFilesTable>({
      load_id: {
        type: 'integer',
        description: "The file load's number; every row it wrote carries it (`trade_flows.load_id`).",
      },
      run_id: RUN_ID,
      source: {
        type: 'text',
        description: "The source that read it: `comtrade`, `baci`, `kz-bns`, or a layout's name.",
      },
      target_table: { type: 'text', description: 'Where its rows went: `trade_flows` or `port_throughput`.' },
      path: {
        type: 'text',
        description: 'Absolute path of the file as loaded (for a downloaded file, its landing copy).',
      },
      file_name: { type: 'text', description: "The file's name, without its folder." },
      sha256: {
        type: 'text',
        description:
          "sha256 of the file's bytes: a file already loaded is recognised by it; NULL if it could not be read.",
      },
      size_bytes: { type: 'integer', unit: 'bytes', description: "The file's size in bytes." },
      status: {
        type: 'text',
        description:
          '`running`, `loaded`, `skipped` (same sha256 already loaded), `failed`, `interrupted` (the process died). Also `interrupted` when a stop signal (SIGINT, SIGTERM) came during this file: nothing from it was loaded.',
      },
      format: { type: 'text', description: 'What the file was read as: `csv`, `json`, `xlsx`, `xls`.' },
      encoding: {
        type: 'text',
        description: 'The text encoding it was read in (`utf-8`, `utf-16le`, `windows-1252`).',
      },
      delimiter: {
        type: 'text',
        description:
          'The field delimiter of a delimited text file (`,` `;` tab `|`); NULL for JSON and workbooks.',
      },
      rows_read: { type: 'integer', description: 'Data rows read (for a wide table, one per figure).' },
      rows_loaded: { type: 'integer', description: 'Rows written to the warehouse.' },
      rows_rejected: { type: 'integer', description: 'Rows refused; the reasons are in `rejects`.' },
      rows_aggregate: {
        type: 'integer',
        description:
          'Figures on total and subtotal rows of a table made for people ("Всего", "Total dry bulk"): checked against the sum of their parts, not loaded. rows_read = rows_loaded + rows_rejected + rows_aggregate.',
      },
      rejects_stored: {
        type: 'integer',
        description: 'Rejects kept in `rejects`; fewer than rows_rejected when the per-file cap was reached.',
      },
      rows_replaced: {
        type: 'integer',
        description:
          'Rows of earlier loads this file revised: rows_changed + rows_retired (before migration 0008, the rows its slices replaced).',
      },
      slices: {
        type: 'text',
        description:
          'The slices this file covers, as a JSON array of `{reporter, period}`. BACI slices add `hs_edition`; port slices name the port as `reporter` and add `direction` and `unit`.',
      },
      same_as_load_id: {
        type: 'integer',
        description: 'For a skipped file, the load that already holds its rows.',
      },
      superseded_by: {
        type: 'integer',
        description:
          'The first later load of the same file (same source and name or URL): this load is an older version of it. NULL while none has.',
      },
      slices_current: {
        type: 'integer',
        description:
          'The number of slices this load covered (before migration 0008: how many still held its rows).',
      },
      started_at: STARTED_AT,
      finished_at: FINISHED_AT,
      duration_ms: DURATION_MS,
      error_code: {
        type: 'text',
        description:
          'A stable code for why the file failed (`missing_column`, `unknown_unit`…); NULL unless it failed.',
      },
      error_message: {
        type: 'text',
        description: 'Why the file failed, naming the place and the fix; NULL unless it failed.',
      },
      notes: {
        type: 'text',
        description:
          'Notes worth reading: encoding guessed, columns ignored, rejects capped. JSON array of text.',
      },
      // Added by migration 0007: ALTER TABLE puts it last.
      origin: {
        type: 'text',
        description:
          'What the pipeline named: the URL a downloaded file came from, or the local path. Null before migration 0007.',
      },
      rows_inserted: { type: 'integer', description: 'Keys new to the warehouse (issue 17).' },
      rows_changed: {
        type: 'integer',
        description:
          'Keys an earlier load held, given new values by this load (the old ones stay in the history). rows_loaded = rows_inserted + rows_changed + rows_unchanged, checked by the database.',
      },
      rows_unchanged: {
        type: 'integer',
        description:
          'Keys an earlier load held with the same values: left untouched, no new version written.',
      },
      rows_retired: {
        type: 'integer',
        description:
          "Rows of earlier loads inside this load's coverage (`replace_scope`) that its file no longer holds: closed as `retired`.",
      },
      rows_reopened: {
        type: 'integer',
        description: 'For a revert: the versions it reopened (the ones the reverted load had superseded).',
      },
      sheet_rows: {
        type: 'integer',
        description:
          'Sheet rows the figures came from, where a table has several figures a row; NULL when it is one figure a row.',
      },
      release: {
        type: 'text',
        description:
          "The source's own release label or publication date (BACI `V202401b`), or the user's `--release`; `corridor sql --as-of` accepts it.",
      },
      replace_scope: {
        type: 'text',
        description:
          'The coverage this load retired within, as dimension names (`edition,period`; declared by the source or by `--replace-scope`); NULL: it merged only.',
      },
      layout_key: {
        type: 'text',
        description:
          "A digest of the layout the file was read with (a pipeline's table layout); the unchanged-file skip is per file and layout. NULL for a source's own layout.",
      },
      reverts_load_id: {
        type: 'integer',
        description: 'For a revert: the load it undid. Made by `corridor revert`.',
      },
      reverted_by: { type: 'integer', description: 'The revert that undid this load, if any.' },
      ...PROVENANCE_COLUMNS,
    }),
  },
  {
    name: 'rejects',
    kind: 'table',
    area: 'journal',
    description:
      'The quarantine: each problem found in a row that was not loaded, with the place in the file, a stable code, the value, the whole raw row and a message saying how to fix it. A row with two bad cells has two rejects. At most `--reject-cap` (10,000) per file. `corridor rejects` shows them.',
    key: ['reject_id'],
    columns: schemaColumns<RejectsTable>({
      reject_id: { type: 'integer', description: 'Numbers the rejects in the order they were found.' },
      run_id: RUN_ID,
      load_id: LOAD_ID,
      source: { type: 'text', description: 'The source that read the file.' },
      file: { type: 'text', description: 'The file the row is in, as loaded (its path).' },
      sheet: { type: 'text', description: 'Sheet name for spreadsheets; NULL for CSV and JSON.' },
      row_number: {
        type: 'integer',
        description: 'Row number as the user sees it: spreadsheet row (header = 1) or JSON record number.',
      },
      column_name: {
        type: 'text',
        description: 'The column as the file names it; NULL when the problem is the whole row.',
      },
      code: {
        type: 'text',
        description:
          'Stable code: `missing_value`, `bad_number`, `bad_hs_code`, `unknown_country`, `duplicate_key`… docs/error-codes.md lists them all.',
      },
      message: { type: 'text', description: 'What is wrong and how to fix it.' },
      value: {
        type: 'text',
        description: 'The offending value as the file wrote it; NULL when there was none.',
      },
      raw: { type: 'text', description: 'The whole row as a JSON object of column → cell.' },
    }),
  },
  {
    name: 'load_warnings',
    kind: 'table',
    area: 'journal',
    description:
      'What a load found suspicious without refusing a row (migration 0004): a total or subtotal that does not match its parts beyond rounding, a year-to-date figure that went down.',
    key: ['warning_id'],
    columns: schemaColumns<LoadWarningsTable>({
      warning_id: { type: 'integer', description: 'Numbers the warnings in the order they were found.' },
      run_id: RUN_ID,
      load_id: LOAD_ID,
      source: { type: 'text', description: 'The source that read the file.' },
      file: { type: 'text', description: 'The file, as loaded (its path).' },
      sheet: { type: 'text', description: 'The sheet, for a workbook; NULL otherwise.' },
      row_number: {
        type: 'integer',
        description: 'Row number as the user sees it; NULL for a warning about the whole file.',
      },
      column_name: { type: 'text', description: 'The column as the file names it; NULL for a whole row.' },
      code: {
        type: 'text',
        description:
          'Stable code: `aggregate_mismatch`. Also `ytd_decrease`: a year-to-date figure below the month before it.',
      },
      message: { type: 'text', description: 'What was found, with the figures.' },
    }),
  },
  {
    name: 'load_facts',
    kind: 'table',
    area: 'journal',
    description:
      "The flow, unit and period a table's figures were read with, and where each came from (migration 0011): the file itself (a title, the sheet name, a header, or its name for a publisher's dataset code), the user's declaration (`--flow M`, `--unit`, `--period`, a pipeline's `declare:`), or an override of what the file says (`--override`). Tables that state these once for all their figures only: a Comtrade or BACI file gives them on every row.",
    key: ['load_id', 'sheet', 'fact', 'value'],
    columns: schemaColumns<LoadFactsTable>({
      load_id: LOAD_ID,
      sheet: { type: 'text', description: "The sheet, for a workbook; '' for a file without sheets." },
      fact: { type: 'text', description: '`flow`, `unit` or `period`.' },
      value: {
        type: 'text',
        description:
          'As read: `X`/`M`; the unit phrase with its canonical unit and factor; `2021`, `2021-03`.',
      },
      origin: { type: 'text', description: '`file`, `declaration` or `override`.' },
      place: {
        type: 'text',
        description:
          'Where the file says it (\'the title "…"\', \'the sheet name "12_2021"\'), or which option declared it.',
      },
    }),
  },
];
