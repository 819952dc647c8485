import { refreshIndicators } from '../../derive/refresh-indicators.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { Journal } from '../../load/journal.ts';
import { revertLoad } from '../../load/revert-load.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { openPreparedWarehouse } from '../open-warehouse.ts';
import { formatCount } from '../output.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';
import { deriveLine } from '../run-report.ts';

const OPTIONS = {
  'no-derive': { type: 'boolean', description: 'skip refreshing the derived tables afterwards' },
} as const satisfies OptionSpecs;

export const revertCommand: Command = {
  name: 'revert',
  usage: 'corridor revert <load id> [--no-derive]',
  summary: 'undo one load: its figures closed, the ones it superseded reopened (itself a load)',
  options: OPTIONS,
  examples: ['corridor revert 42', 'corridor revert 42 --no-derive'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    if (positionals.length !== 1)
      throw new ConfigError(`Name one load to revert.\nUsage: ${this.usage}`, { code: 'bad_arguments' });
    const loadId = numberOption('load id', positionals[0], 1, Number.MAX_SAFE_INTEGER)!;
    const warehouse = await openPreparedWarehouse(ctx);
    try {
      const journal = new Journal(warehouse.db);
      const started = Date.now();
      const runId = await journal.startRun({
        pipeline: 'revert',
        rejectThreshold: 1,
        options: { revert: loadId },
      });
      let result: Awaited<ReturnType<typeof revertLoad>>;
      try {
        result = await revertLoad(warehouse, journal, runId, Math.floor(loadId));
      } catch (cause) {
        await journal.finishRun(runId, {
          status: 'failed',
          exitCode: ExitCode.RunFailed,
          durationMs: Date.now() - started,
          message: (cause as Error).message,
          filesTotal: 1,
          filesLoaded: 0,
          filesSkipped: 0,
          filesFailed: 1,
          rowsRead: 0,
          rowsLoaded: 0,
          rowsRejected: 0,
          rowsAggregate: 0,
        });
        throw cause;
      }
      await journal.finishRun(runId, {
        status: 'succeeded',
        exitCode: ExitCode.Success,
        durationMs: Date.now() - started,
        message: `revert of load ${loadId}`,
        filesTotal: 1,
        filesLoaded: 1,
        filesSkipped: 0,
        filesFailed: 0,
        rowsRead: 0,
        rowsLoaded: 0,
        rowsRejected: 0,
        rowsAggregate: 0,
      });
      const derived = values['no-derive'] ? null : await refreshIndicators(warehouse);
      if (ctx.out.json) {
        ctx.out.document({ runId, ...result, indicators: derived });
        return ExitCode.Success;
      }
      ctx.out.line(
        `Reverted load ${result.revertedLoad} (${result.fileName}) as load ${result.revertLoad} (run ${runId}): ${formatCount(result.closed)} figures closed, ${formatCount(result.reopened)} earlier figures reopened.`,
      );
      if (result.keptByLaterLoads > 0)
        ctx.out.line(
          `Kept ${formatCount(result.keptByLaterLoads)} of its figures: later loads carried them again.`,
        );
      if (result.keptClosed > 0)
        ctx.out.line(
          `Left ${formatCount(result.keptClosed)} superseded figures closed: later loads changed those keys again.`,
        );
      if (derived !== null) ctx.out.line(deriveLine(derived));
      return ExitCode.Success;
    } finally {
      await warehouse.close();
    }
  },
};
