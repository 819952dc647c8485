/**
 * The data dictionary's operations tables, in its journal area after the load journal
 * (journal-tables.ts): the refreshes of the indicator tables (derive_runs, derive_tables) and
 * what nightly operations remember: pipeline locks, downloads and the alerts sent after runs.
 * Column words repeat the JSDoc of warehouse/schema/journal-tables.ts (the data dictionary test
 * checks that each starts with it) and add what an analyst needs beyond it.
 */
import type {
  DeriveRunsTable,
  DeriveTablesTable,
  PipelineLocksTable,
  RemoteFilesTable,
  RunAlertsTable,
} from '../schema/journal-tables.ts';
import { DURATION_MS, FINISHED_AT, RUN_ID, STARTED_AT } from './journal-tables.ts';
import { schemaColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';

export const OPERATIONS_TABLES: readonly TableDoc[] = [
  {
    name: 'derive_runs',
    kind: 'table',
    area: 'journal',
    description:
      'One refresh of the derived indicator tables (migration 0006): after which run, full or incremental, the years it recomputed, the last load it took into account, and how it ended. The `ind_*` tables are behind when `through_load_id` is below `max(load_files.load_id)`.',
    key: ['derive_id'],
    columns: schemaColumns<DeriveRunsTable>({
      derive_id: {
        type: 'integer',
        description: "The refresh's number; every indicator row it wrote carries it (`derive_id`).",
      },
      run_id: {
        type: 'integer',
        description: 'The load run after which it ran; NULL for `corridor derive`.',
      },
      mode: {
        type: 'text',
        description:
          '`full` recomputes every row; `incremental` only the years that loads since the last refresh touched.',
      },
      trade_years: {
        type: 'text',
        description:
          'The trade years loads changed, by source, as JSON (`{"comtrade":[2023]}`); NULL for a full refresh.',
      },
      port_years: {
        type: 'text',
        description: 'The port years loads changed, as JSON (`{"*":[2023]}`); NULL for a full refresh.',
      },
      through_load_id: {
        type: 'integer',
        description: 'The last load (load_files.load_id) whose rows this refresh took into account.',
      },
      reference_stamp: {
        type: 'text',
        description:
          'sha256 over the reference files and settings the indicators read; when it changes, the next refresh is full.',
      },
      started_at: STARTED_AT,
      finished_at: FINISHED_AT,
      duration_ms: DURATION_MS,
      status: {
        type: 'text',
        description: '`running`, `succeeded` or `failed`. A failed refresh left every table as it was.',
      },
      message: { type: 'text', description: 'Why the refresh failed; NULL otherwise.' },
    }),
  },
  {
    name: 'derive_tables',
    kind: 'table',
    area: 'journal',
    description: 'Per refresh and indicator or input table: rows written and time taken.',
    key: ['derive_id', 'table_name'],
    columns: schemaColumns<DeriveTablesTable>({
      derive_id: { type: 'integer', description: 'The refresh (`derive_runs.derive_id`).' },
      table_name: {
        type: 'text',
        description:
          'The indicator table (`ind_trade_balance`), or an input table they share (`input_flows`: a temporary table computed once per refresh; its rows_written is 0), or `input_statistics` for the planner statistics of those (SQLite).',
      },
      rows_written: { type: 'integer', description: 'Rows the refresh wrote to the table.' },
      duration_ms: { type: 'integer', unit: 'ms', description: 'Time taken, in milliseconds.' },
    }),
  },
  {
    name: 'pipeline_locks',
    kind: 'table',
    area: 'journal',
    description:
      'One lease per pipeline while a run holds it (migration 0007), so that two runs of one pipeline never overlap, on one machine or several sharing a warehouse. `corridor status` shows who holds it.',
    key: ['pipeline'],
    columns: schemaColumns<PipelineLocksTable>({
      pipeline: { type: 'text', description: 'The pipeline the lease is for.' },
      holder: {
        type: 'text',
        description: 'Random token of the holding run; only its holder renews or releases the lease.',
      },
      host: { type: 'text', description: 'The machine the holder runs on.' },
      pid: { type: 'integer', description: "The holder's process id." },
      process_stamp: {
        type: 'text',
        description:
          "The holder's boot id and start time (Linux), so that a pid reused after a crash or a reboot is not taken for the holder; null where the system does not say.",
      },
      purpose: { type: 'text', description: 'What holds it: `corridor run`, `corridor schedule`.' },
      acquired_at: { type: 'text', description: 'When the lease was taken, ISO 8601 UTC.' },
      heartbeat_at: { type: 'text', description: 'Last renewal, ISO 8601 UTC.' },
      expires_at: {
        type: 'text',
        description: "When the lease lapses unless renewed; a crashed holder's lease expires here.",
      },
    }),
  },
  {
    name: 'remote_files',
    kind: 'table',
    area: 'journal',
    description:
      'The last download of each URL a pipeline names (migration 0007): its validators, so an unchanged file costs a 304 and no bytes, and its landing copy, so a load can be replayed with `--offline`.',
    key: ['url'],
    columns: schemaColumns<RemoteFilesTable>({
      url: { type: 'text', description: 'The URL, as the pipeline fills it in (`{year}` replaced).' },
      etag: {
        type: 'text',
        description:
          'Validators the server sent, asked back as If-None-Match and If-Modified-Since. This is the ETag; NULL when the server sent none.',
      },
      last_modified: {
        type: 'text',
        description: 'The Last-Modified header the server sent; NULL when it sent none.',
      },
      sha256: { type: 'text', description: "sha256 of the bytes downloaded: the landing copy's name." },
      landing_path: { type: 'text', description: 'The landing copy, `<landing>/<sha256><ext>`.' },
      size_bytes: { type: 'integer', unit: 'bytes', description: 'Size of the download in bytes.' },
      fetched_at: { type: 'text', description: 'When the bytes were last downloaded.' },
      checked_at: { type: 'text', description: 'When the server was last asked.' },
      last_status: { type: 'text', description: '`fetched` or `not_modified` (HTTP 304) at the last check.' },
    }),
  },
  {
    name: 'run_alerts',
    kind: 'table',
    area: 'journal',
    description:
      "Alerts sent after runs (migration 0007): one row per command or webhook called, and whether it was delivered. A failed delivery never changes the run's exit code. SQLite enforces no key here.",
    key: ['run_id', 'event', 'channel', 'target'],
    columns: schemaColumns<RunAlertsTable>({
      run_id: RUN_ID,
      event: { type: 'text', description: '`failure`, `rejects` or `success`.' },
      channel: { type: 'text', description: '`command` or `webhook`.' },
      target: { type: 'text', description: 'The command or URL, credentials masked.' },
      delivered: {
        type: 'integer',
        description: '1 when the command exited 0 or the webhook answered 2xx. 0 otherwise.',
      },
      detail: {
        type: 'text',
        description:
          "What came back (`HTTP 200 OK`, an exit status, a failed command's stderr, the error), credentials masked.",
      },
      sent_at: { type: 'text', description: 'When it was sent, ISO 8601 UTC.' },
      duration_ms: {
        type: 'integer',
        unit: 'ms',
        description: 'How long the delivery took, in milliseconds.',
      },
    }),
  },
];
