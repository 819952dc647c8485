import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { describeHolder, type LockRow, lockStanding, readLocks } from '../../db/pipeline-lock.ts';
import { isPostgresUrl, openWarehouse } from '../../db/warehouse.ts';
import { ExitCode } from '../../errors.ts';
import type { Pipeline } from '../../pipeline/define-pipeline.ts';
import { loadPipeline, pipelineNames } from '../../pipeline/pipeline-loader.ts';
import { firesOnSeconds, formatInZone, nextRunTime } from '../../schedule/cron-times.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount, formatDuration } from '../output.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

interface LastRun {
  run_id: number;
  status: string;
  trigger: string;
  started_at: string;
  duration_ms: number | null;
  files_failed: number;
  rows_loaded: number;
  rows_rejected: number;
  message: string | null;
}

/** A SQLite warehouse not created yet; a PostgreSQL URL is not a file, its server says. */
const notCreated = (location: string) => !isPostgresUrl(location) && !existsSync(location);

/** The last run of each pipeline, read without writing (status must work during a load). */
async function lastRuns(location: string): Promise<{ runs: Map<string, LastRun>; locks: LockRow[] }> {
  if (notCreated(location)) return { runs: new Map(), locks: [] };
  const warehouse = await openWarehouse(location, { readonly: true });
  try {
    // Kysely's introspection reads either backend's catalogue (sqlite_master, information_schema).
    const tables = await warehouse.db.introspection.getTables();
    const runs = tables.find((t) => t.name === 'load_runs');
    if (runs === undefined) return { runs: new Map(), locks: [] };
    const trigger = runs.columns.some((c) => c.name === 'trigger') ? sql`"trigger"` : sql`'manual'`;
    const rows = await sql<LastRun & { pipeline: string }>`
      select pipeline, run_id, status, ${trigger} as trigger, started_at, duration_ms, files_failed, rows_loaded,
             rows_rejected, message
      from load_runs r
      where run_id = (select max(run_id) from load_runs l where l.pipeline = r.pipeline)`.execute(
      warehouse.db,
    );
    return { runs: new Map(rows.rows.map((r) => [r.pipeline, r])), locks: await readLocks(warehouse.db) };
  } finally {
    await warehouse.close();
  }
}

const utc = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

function describeRun(run: LastRun | undefined): string {
  if (run === undefined) return 'never run';
  const took = run.duration_ms === null ? '' : ` in ${formatDuration(run.duration_ms)}`;
  const via = run.trigger === 'manual' ? '' : ` (${run.trigger.replace('_', '-')})`;
  const counts =
    run.status === 'running'
      ? ''
      : `: ${formatCount(run.rows_loaded)} rows loaded, ${formatCount(run.rows_rejected)} rejected${run.files_failed > 0 ? `, ${run.files_failed} file${run.files_failed === 1 ? '' : 's'} failed` : ''}`;
  return `run ${run.run_id}${via} ${run.status.replaceAll('_', ' ')} ${utc(run.started_at)}${took}${counts}`;
}

const OPTIONS = {} as const satisfies OptionSpecs;

export const statusCommand: Command = {
  name: 'status',
  usage: 'corridor status [<pipeline>...]',
  summary: "each pipeline's last run, next scheduled time and lock holder",
  options: OPTIONS,
  examples: ['corridor status', 'corridor status nightly --json'],
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const names = positionals.length > 0 ? positionals : pipelineNames(ctx.cwd);
    const pipelines: Pipeline[] = [];
    for (const name of names) pipelines.push(await loadPipeline(name, ctx.cwd));
    const { runs, locks } = await lastRuns(warehousePathOf(ctx));
    const now = new Date();
    const report = pipelines.map((p) => {
      const lock = locks.find((l) => l.pipeline === p.name) ?? null;
      const held = lock !== null && lockStanding(lock, now).held;
      const next = p.schedule === undefined ? null : nextRunTime(p.schedule, p.timezone);
      return {
        pipeline: p.name,
        schedule: p.schedule ?? null,
        timezone: p.timezone,
        nextRun: next?.toISOString() ?? null,
        nextRunLocal: next === null ? null : formatInZone(next, p.timezone, firesOnSeconds(p.schedule!)),
        lastRun: runs.get(p.name) ?? null,
        lock: lock === null ? null : { ...lock, held, description: describeHolder(lock, now) },
      };
    });
    if (ctx.out.json) {
      ctx.out.document(report);
      return ExitCode.Success;
    }
    const path = warehousePathOf(ctx);
    if (notCreated(path))
      ctx.out.line(
        `No warehouse at ${path} yet: nothing has run against it (a run or "corridor init" creates it).\n`,
      );
    if (report.length === 0) {
      ctx.out.line('No pipelines here: there is no pipelines/ folder. Run from the project folder.');
      return ExitCode.Success;
    }
    report.forEach((r, i) => {
      if (i > 0) ctx.out.line();
      const description = pipelines[i]!.description;
      ctx.out.line(`${r.pipeline}${description === '' ? '' : `: ${description}`}`);
      ctx.out.line(
        `  schedule  ${r.schedule === null ? 'none (runs only when started)' : `${r.schedule} (${r.timezone}); next ${r.nextRunLocal}`}`,
      );
      ctx.out.line(`  last run  ${describeRun(r.lastRun ?? undefined)}`);
      if (r.lastRun?.message && r.lastRun.status !== 'succeeded')
        ctx.out.line(`            ${r.lastRun.message}`);
      ctx.out.line(
        `  lock      ${r.lock === null ? 'free' : `${r.lock.held ? 'held by' : 'lapsed:'} ${r.lock.description}`}`,
      );
    });
    return ExitCode.Success;
  },
};
