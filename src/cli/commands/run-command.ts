import { ConfigError } from '../../errors.ts';
import { hasPlaceholders, parsePeriodText } from '../../extract/period-template.ts';
import { loadPipeline, pipelineNames } from '../../pipeline/pipeline-loader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { executeRun } from '../execute-run.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

const OPTIONS = {
  'dry-run': { type: 'boolean', description: 'read and check the files, write nothing' },
  force: { type: 'boolean', description: 'load files already loaded with the same content again' },
  'no-derive': { type: 'boolean', description: 'skip refreshing the derived tables afterwards' },
  from: {
    type: 'string',
    value: '<period>',
    default: "the pipeline's periods.from",
    description: 'first period to fetch: fills {year} and {month} in file names',
  },
  to: {
    type: 'string',
    value: '<period>',
    default: "the pipeline's periods.to, or the current period",
    description: 'last period to fetch',
  },
  'only-failed': { type: 'boolean', description: 'only the files that failed in the last run' },
  offline: { type: 'boolean', description: 'download nothing: load what earlier runs fetched' },
} as const satisfies OptionSpecs;

export const runCommand: Command = {
  name: 'run',
  usage:
    'corridor run <pipeline | path/to/x.pipeline.ts> [--dry-run] [--force] [--no-derive] [--from <period> --to <period>] [--only-failed] [--offline]',
  synopsis: 'corridor run <pipeline> [--dry-run] [--force] [--from P --to P] [--only-failed]',
  summary: 'run a pipeline: pipelines/<name>.pipeline.ts, or a pipeline file named by its path',
  options: OPTIONS,
  examples: [
    'corridor run nightly',
    'corridor run pipelines/nightly.pipeline.ts --dry-run',
    'corridor run nightly --only-failed',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const name = positionals[0];
    if (name === undefined || positionals.length > 1) {
      const known = pipelineNames(ctx.cwd);
      throw new ConfigError(
        `Name one pipeline to run, or the path of its file${known.length > 0 ? ` (${known.join(', ')})` : ''}.\nUsage: ${this.usage}`,
        { code: 'bad_arguments' },
      );
    }
    // Checked before the pipeline loads, so a typo in a period is reported as such.
    if (values.from !== undefined) parsePeriodText(values.from, 'option "--from"');
    if (values.to !== undefined) parsePeriodText(values.to, 'option "--to"');
    const pipeline = await loadPipeline(name, ctx.cwd);
    const named = pipeline.name;
    const from = values.from ?? pipeline.periods?.from;
    if (values.to !== undefined && from === undefined) {
      throw new ConfigError(`Option "--to" needs "--from" too (pipeline "${named}" has no periods.from).`, {
        code: 'bad_arguments',
      });
    }
    if (
      (values.from ?? values.to) !== undefined &&
      !pipeline.sources.some((e) => e.files.some(hasPlaceholders))
    ) {
      ctx.out.message(
        `corridor: --from and --to fill {year} and {month} in file names, and pipeline "${named}" names none: its files load as usual.`,
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
