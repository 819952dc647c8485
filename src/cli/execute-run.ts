/** What `corridor run` and `corridor load` share once they have a pipeline: run it and report. */
import type { ExitCode } from '../errors.ts';
import type { Pipeline } from '../pipeline/define-pipeline.ts';
import { runPipeline } from '../pipeline/run-pipeline.ts';
import type { CommandContext } from './command.ts';
import { openPreparedWarehouse } from './open-warehouse.ts';
import { printRunResult, progressHooks } from './run-report.ts';

export interface RunFlags {
  readonly force: boolean;
  readonly dryRun: boolean;
  /** Refresh the indicator tables after the loads; `--no-derive` leaves them to `corridor derive`. */
  readonly derive: boolean;
}

export async function executeRun(
  ctx: CommandContext,
  pipeline: Pipeline,
  flags: RunFlags,
): Promise<ExitCode> {
  const warehouse = await openPreparedWarehouse(ctx, { dryRun: flags.dryRun });
  try {
    const result = await runPipeline(
      warehouse,
      pipeline,
      { force: flags.force, dryRun: flags.dryRun, derive: flags.derive, base: ctx.cwd },
      progressHooks(ctx.out, pipeline.rejectThreshold, flags.dryRun),
    );
    printRunResult(ctx.out, result);
    return result.exitCode;
  } finally {
    await warehouse.close();
  }
}
