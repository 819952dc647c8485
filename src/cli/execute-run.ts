/** What `corridor run` and `corridor load` share once they have a pipeline: run it and report. */

import { describeHolder } from '../db/pipeline-lock.ts';
import { ExitCode } from '../errors.ts';
import type { PeriodRange } from '../extract/period-template.ts';
import type { Pipeline } from '../pipeline/define-pipeline.ts';
import { supervisedRun } from '../schedule/supervised-run.ts';
import type { CommandContext } from './command.ts';
import { warehousePathOf } from './open-warehouse.ts';
import { printAlerts, printExports, printRunResult, progressHooks } from './run-report.ts';
import { listenForStop } from './stop-signals.ts';

export interface RunFlags {
  /** Reload unchanged files, and take the pipeline's lock over from another holder. */
  readonly force: boolean;
  readonly dryRun: boolean;
  /** Refresh the indicator tables after the loads; `--no-derive` leaves them to `corridor derive`. */
  readonly derive: boolean;
  /** `--from`/`--to`: fills `{year}` and `{month}` in file names. */
  readonly periods?: PeriodRange;
  readonly onlyFailed?: boolean;
  readonly offline?: boolean;
  /** Hold the pipeline's lock (not for `corridor load`). @default true */
  readonly lock?: boolean;
}

export async function executeRun(
  ctx: CommandContext,
  pipeline: Pipeline,
  flags: RunFlags,
): Promise<ExitCode> {
  const stop = listenForStop(ctx.out);
  try {
    const { result, exports } = await supervisedRun(
      pipeline,
      {
        warehousePath: warehousePathOf(ctx),
        purpose: 'corridor run',
        lock: flags.lock ?? true,
        force: flags.force,
        dryRun: flags.dryRun,
        derive: flags.derive,
        base: ctx.cwd,
        ...(flags.periods ? { periods: flags.periods } : {}),
        onlyFailed: flags.onlyFailed ?? false,
        offline: flags.offline ?? false,
        stopRequested: stop.reason,
        signal: stop.signal,
        onLease: (tookOver) => {
          if (tookOver !== null)
            ctx.out.message(
              `corridor: took the lock of "${pipeline.name}" over from ${describeHolder(tookOver)}.`,
            );
        },
        onAlerts: (deliveries) => printAlerts(ctx.out, deliveries),
        onWarning: (message) => ctx.out.message(`corridor: ${message}`),
        onExports: (written) => printExports(ctx.out, written),
      },
      progressHooks(ctx.out, pipeline.rejectThreshold, flags.dryRun),
    );
    printRunResult(ctx.out, result);
    // A failed export fails the run (the loads stand): downstream tools would read stale files.
    return exports !== null && exports.failed.length > 0 && result.exitCode === ExitCode.Success
      ? ExitCode.RunFailed
      : result.exitCode;
  } finally {
    stop.dispose();
  }
}
