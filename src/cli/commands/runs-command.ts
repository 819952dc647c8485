import { ExitCode } from '../../errors.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatDuration } from '../output.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

const OPTIONS = {
  limit: { type: 'string', value: '<n>', default: '20', description: 'how many runs to list, latest first' },
  files: { type: 'string', value: '<run id>', description: 'list the files of this run instead of the runs' },
} as const satisfies OptionSpecs;

export const runsCommand: Command = {
  name: 'runs',
  usage: 'corridor runs [--limit 20] [--files <run id>]',
  summary: 'show the run journal (with --files, the files of one run)',
  options: OPTIONS,
  examples: ['corridor runs', 'corridor runs --limit 5 --json', 'corridor runs --files 12'],
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const limit = numberOption('limit', values.limit, 1, 1_000_000) ?? 20;
    const runId = numberOption('files', values.files, 1, Number.MAX_SAFE_INTEGER);
    const query = await WarehouseReader.open(warehousePathOf(ctx));
    try {
      const { columns, rows } =
        runId === undefined
          ? await query.rows(
              `select run_id, pipeline, status, started_at, duration_ms, files_total, files_loaded, files_skipped, files_failed,
                      rows_read, rows_loaded, rows_rejected, rows_aggregate, exit_code, message
               from load_runs order by run_id desc limit ${Math.floor(limit)}`,
            )
          : await query.rows(
              `select load_id, run_id, source, file_name, status, rows_read, rows_loaded, rows_rejected, rows_aggregate,
                      rejects_stored, rows_inserted, rows_changed, rows_unchanged, rows_retired, release, duration_ms, sha256, same_as_load_id, superseded_by, error_code,
                      error_message, notes,
                      (select count(*) from load_warnings w where w.load_id = load_files.load_id) as warnings, path
               from load_files where run_id = ${Math.floor(runId)} order by load_id`,
            );
      const list = [...rows];
      if (ctx.out.json) {
        ctx.out.document(list.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))));
        return ExitCode.Success;
      }
      if (list.length === 0) {
        ctx.out.line(
          runId === undefined
            ? 'No runs yet. Load something with "corridor load" or "npm start".'
            : `Run ${runId} has no files (or does not exist).`,
        );
        return ExitCode.Success;
      }
      const durationAt = columns.indexOf('duration_ms');
      const shown = list.map((r) =>
        r.map((v, i) => (i === durationAt && typeof v === 'number' ? formatDuration(v) : v)),
      );
      const keep =
        runId === undefined
          ? [
              'run_id',
              'pipeline',
              'status',
              'started_at',
              'duration_ms',
              'files_loaded',
              'files_skipped',
              'files_failed',
              'rows_read',
              'rows_loaded',
              'rows_rejected',
              'rows_aggregate',
            ]
          : [
              'load_id',
              'file_name',
              'status',
              'rows_read',
              'rows_loaded',
              'rows_rejected',
              'rows_aggregate',
              'rows_inserted',
              'rows_changed',
              'rows_unchanged',
              'rows_retired',
              'warnings',
              'duration_ms',
              'error_message',
            ];
      const at = keep.map((k) => columns.indexOf(k));
      ctx.out.table(
        keep.map((k) => (k === 'duration_ms' ? 'took' : k)),
        shown.map((r) => at.map((i) => r[i])),
        runId === undefined ? 60 : 90,
      );
      // A file's notes say what the load did beyond counting: the header and unit it found,
      // totals checked, revisions, rejects capped.
      if (runId !== undefined) {
        const notesAt = columns.indexOf('notes');
        const idAt = columns.indexOf('load_id');
        const nameAt = columns.indexOf('file_name');
        for (const r of list) {
          const notes = typeof r[notesAt] === 'string' ? (JSON.parse(r[notesAt] as string) as string[]) : [];
          if (notes.length === 0) continue;
          ctx.out.line(`load ${r[idAt]} (${r[nameAt]}):`);
          for (const note of notes) ctx.out.line(`  - ${note}`);
        }
        if (list.some((r) => Number(r[columns.indexOf('warnings')]) > 0))
          ctx.out.line(
            `Warnings: corridor sql "select * from load_warnings where run_id = ${Math.floor(runId)}"`,
          );
      }
      return ExitCode.Success;
    } finally {
      await query.close();
    }
  },
};
