import { ConfigError } from '../../errors.ts';
import { loadPipeline, pipelineNames } from '../../pipeline/pipeline-loader.ts';
import type { Command } from '../command.ts';
import { executeRun } from '../execute-run.ts';
import { parseCommandArgs } from '../parse-options.ts';

export const runCommand: Command = {
  name: 'run',
  usage: 'corridor run <pipeline> [--dry-run] [--force] [--no-derive]',
  summary: 'run a pipeline from pipelines/<name>.pipeline.ts',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.args,
      { force: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'no-derive': { type: 'boolean' } },
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
    const pipeline = await loadPipeline(name, ctx.cwd);
    return executeRun(ctx, pipeline, {
      force: values.force ?? false,
      dryRun: values['dry-run'] ?? false,
      derive: !(values['no-derive'] ?? false),
    });
  },
};
