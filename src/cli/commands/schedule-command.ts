import { ConfigError, ExitCode } from '../../errors.ts';
import type { Pipeline } from '../../pipeline/define-pipeline.ts';
import { loadPipeline, pipelineNames } from '../../pipeline/pipeline-loader.ts';
import { nightlyConnectOptions, openNightlyWarehouse } from '../../schedule/nightly-warehouse.ts';
import { lastRunStartedIn, Scheduler } from '../../schedule/scheduler.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';
import { summaryLine } from '../run-report.ts';
import { listenForStop } from '../stop-signals.ts';

const OPTIONS = {} as const satisfies OptionSpecs;

export const scheduleCommand: Command = {
  name: 'schedule',
  usage: 'corridor schedule [<pipeline>...]',
  summary: 'run pipelines on their cron schedules until stopped (SIGINT, SIGTERM)',
  options: OPTIONS,
  examples: ['corridor schedule', 'corridor schedule nightly'],
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const names = positionals.length > 0 ? positionals : pipelineNames(ctx.cwd);
    const pipelines: Pipeline[] = [];
    for (const name of names) pipelines.push(await loadPipeline(name, ctx.cwd));
    const unscheduled = pipelines.filter((p) => p.schedule === undefined);
    if (positionals.length > 0 && unscheduled.length > 0) {
      throw new ConfigError(
        `Pipeline${unscheduled.length === 1 ? '' : 's'} ${unscheduled.map((p) => `"${p.name}"`).join(', ')} ha${unscheduled.length === 1 ? 's' : 've'} no schedule. Give ${unscheduled.length === 1 ? 'it' : 'each'} a cron expression: schedule: '30 2 * * *', with timezone: 'Asia/Karachi'.`,
        { code: 'no_schedule' },
      );
    }
    const scheduled = pipelines.filter((p) => p.schedule !== undefined);
    if (scheduled.length === 0) {
      throw new ConfigError(
        `No pipeline here has a schedule${names.length === 0 ? ' (there is no pipelines/ folder in this one)' : ''}. Add schedule: '30 2 * * *' (and a timezone) to a pipeline file, or run from the project folder.`,
        { code: 'no_schedule' },
      );
    }
    const warehousePath = warehousePathOf(ctx);
    // Migrated once up front, so a warehouse that cannot be opened fails now, not at 2:30.
    const journal = await openNightlyWarehouse(warehousePath, {
      connect: nightlyConnectOptions((message) => ctx.out.message(`corridor: ${message}`)),
    });
    // Scheduler lines are its output, to stdout, flushed per line: what a service log keeps.
    const log = (line: string) => ctx.out.line(line);
    const scheduler = new Scheduler({
      warehousePath,
      base: ctx.cwd,
      pipelines: scheduled,
      log,
      describeRun: (result) => result.note ?? summaryLine(result),
      describeAlerts: (deliveries) =>
        deliveries.map(
          (d) => `alert ${d.channel} ${d.target}: ${d.ok ? 'sent' : 'NOT delivered'} (${d.detail})`,
        ),
      lastRunStarted: (pipeline) => lastRunStartedIn(journal, pipeline),
    });
    const stop = listenForStop(ctx.out, 'the scheduler', ExitCode.Success);
    try {
      await scheduler.start();
      log(
        `${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} scheduler started: ${scheduled.length} pipeline${scheduled.length === 1 ? '' : 's'}, pid ${process.pid}; stop with Ctrl-C or SIGTERM`,
      );
      await new Promise<void>((resolve) => {
        const wait = setInterval(() => {
          if (stop.reason() !== null) {
            clearInterval(wait);
            resolve();
          }
        }, 100);
      });
      await scheduler.stop(stop.reason() ?? 'stopped', stop.signal.reason);
      log(
        `${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} scheduler stopped (${stop.reason()}) after ${scheduler.runsFinished} run${scheduler.runsFinished === 1 ? '' : 's'}`,
      );
      return ExitCode.Success;
    } finally {
      stop.dispose();
      await journal.close();
    }
  },
};
