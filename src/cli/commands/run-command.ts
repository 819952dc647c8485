import { ConfigError } from '../../errors.ts';
import { hasPlaceholders, parsePeriodText } from '../../extract/period-template.ts';
import { loadPipeline, pipelineNames } from '../../pipeline/pipeline-loader.ts';
import type { Command } from '../command.ts';
import { executeRun } from '../execute-run.ts';
import { parseCommandArgs } from '../parse-options.ts';

export const runCommand: Command = {
  name: 'run',
  usage:
    'corridor run <pipeline> [--dry-run] [--force] [--no-derive] [--from <period> --to <period>] [--only-failed] [--offline]',
  synopsis: 'corridor run <pipeline> [--dry-run] [--force] [--from P --to P] [--only-failed]',
  summary: 'run a pipeline from pipelines/<name>.pipeline.ts',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.args,
      {
        force: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'no-derive': { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        'only-failed': { type: 'boolean' },
        offline: { type: 'boolean' },
      },
      this.usage,
    );
    const name = positionals[0];
    if (name === undefined || positionals.length > 1) {
      const known = pipelineNames(ctx.cwd);
      throw new ConfigError(
        `Name one pipeline to run${known.length > 0 ? ` (${known.join(', ')})` : ''}.\nUsage: ${this.usage}`,
        { code: 'bad_arguments' },
      );
    }
    // Checked before the pipeline loads, so a typo in a period is reported as such.
    if (values.from !== undefined) parsePeriodText(values.from, 'option "--from"');
    if (values.to !== undefined) parsePeriodText(values.to, 'option "--to"');
    const pipeline = await loadPipeline(name, ctx.cwd);
    const from = values.from ?? pipeline.periods?.from;
    if (values.to !== undefined && from === undefined) {
      throw new ConfigError(`Option "--to" needs "--from" too (pipeline "${name}" has no periods.from).`, {
        code: 'bad_arguments',
      });
    }
    if (
      (values.from ?? values.to) !== undefined &&
      !pipeline.sources.some((e) => e.files.some(hasPlaceholders))
    ) {
      ctx.out.message(
        `corridor: --from and --to fill {year} and {month} in file names, and pipeline "${name}" names none: its files load as usual.`,
      );
    }
    return executeRun(ctx, pipeline, {
      force: values.force ?? false,
      dryRun: values['dry-run'] ?? false,
      derive: !(values['no-derive'] ?? false),
      // --from alone runs to the pipeline's end (by default the current period).
      ...(from === undefined || (values.from === undefined && values.to === undefined)
        ? {}
        : { periods: { from, to: values.to ?? pipeline.periods?.to ?? 'current' } }),
      onlyFailed: values['only-failed'] ?? false,
      offline: values.offline ?? false,
    });
  },
};
