import { ConfigError } from '../../errors.ts';
import { EDITION_CODE_HINT, isEditionCode } from '../../normalize/hs-edition-inference.ts';
import { pipelineSchema } from '../../pipeline/define-pipeline.ts';
import { getSource, sourceNames } from '../../pipeline/source-registry.ts';
import { archiveLimits } from '../../read/archive-limits.ts';
import { encodingNamed } from '../../read/byte-sniffer.ts';
import type { Command } from '../command.ts';
import { executeRun } from '../execute-run.ts';
import { numberOption, parseCommandArgs } from '../parse-options.ts';

export const loadCommand: Command = {
  name: 'load',
  usage:
    'corridor load <file...> --source <name> [--flow X|M] [--unit "thousand US dollars"] [--period 2023] [--override] [--replace-scope reporter,period,flow] [--release LABEL] [--edition H5] [--force] [--dry-run] [--no-derive] [--encoding latin1] [--reject-threshold 0.05] [--reject-cap 10000]',
  synopsis: 'corridor load <file...> --source <name> [options]',
  summary: 'one-off load of files in a known format',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.args,
      {
        source: { type: 'string', short: 's' },
        force: { type: 'boolean' },
        'no-derive': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        encoding: { type: 'string' },
        'reject-threshold': { type: 'string' },
        'reject-cap': { type: 'string' },
        'replace-scope': { type: 'string' },
        release: { type: 'string' },
        edition: { type: 'string' },
        flow: { type: 'string' },
        unit: { type: 'string' },
        period: { type: 'string' },
        override: { type: 'boolean' },
      },
      this.usage,
    );
    if (values.source === undefined) {
      throw new ConfigError(
        `Missing --source: say which format the files are in (${sourceNames().join(', ')}).\nUsage: ${this.usage}`,
        { code: 'bad_arguments' },
      );
    }
    if (positionals.length === 0)
      throw new ConfigError(`Name at least one file to load.\nUsage: ${this.usage}`, {
        code: 'bad_arguments',
      });
    getSource(values.source);
    // A workbook limit set in the environment that is not a number stops the run before any file.
    archiveLimits();
    if (values.encoding !== undefined && encodingNamed(values.encoding) === null) {
      throw new ConfigError(
        `Invalid value for option "--encoding": "${values.encoding}". Use utf-8, latin1 (Windows-1252), utf-16le or utf-16be.`,
        { code: 'bad_arguments' },
      );
    }
    if (values.edition !== undefined && !isEditionCode(values.edition))
      throw new ConfigError(
        `Invalid value for option "--edition": "${values.edition}"; ${EDITION_CODE_HINT}.`,
        { code: 'bad_arguments' },
      );
    const threshold = numberOption('reject-threshold', values['reject-threshold'], 0, 1);
    const cap = numberOption('reject-cap', values['reject-cap'], 1, 100_000_000);
    const pipeline = pipelineSchema.parse({
      name: 'load',
      sources: [
        {
          source: values.source,
          files: positionals,
          ...(values.encoding === undefined ? {} : { encoding: values.encoding }),
          ...(values['replace-scope'] === undefined
            ? {}
            : {
                replaceScope: values['replace-scope']
                  .split(',')
                  .map((d) => d.trim())
                  .filter(Boolean),
              }),
          ...(values.release === undefined ? {} : { release: values.release }),
          ...(values.edition === undefined ? {} : { edition: values.edition }),
          ...declarationsOf(values),
        },
      ],
      ...(threshold === undefined ? {} : { rejectThreshold: threshold }),
      ...(cap === undefined ? {} : { rejectCap: Math.floor(cap) }),
    });
    return executeRun(ctx, pipeline, {
      lock: false,
      force: values.force ?? false,
      dryRun: values['dry-run'] ?? false,
      derive: !(values['no-derive'] ?? false),
    });
  },
};

/** `--flow`, `--unit`, `--period` and `--override` as a pipeline entry's `declare`. */
function declarationsOf(values: {
  flow?: string | undefined;
  unit?: string | undefined;
  period?: string | undefined;
  override?: boolean | undefined;
}): { declare?: Record<string, string | boolean> } {
  const declare: Record<string, string | boolean> = {};
  if (values.flow !== undefined) declare.flow = values.flow;
  if (values.unit !== undefined) declare.unit = values.unit;
  if (values.period !== undefined) declare.period = values.period;
  if (values.override === true) {
    if (Object.keys(declare).length === 0)
      throw new ConfigError('--override needs a declaration to apply: --flow, --unit or --period.', {
        code: 'bad_arguments',
      });
    declare.override = true;
  }
  return Object.keys(declare).length === 0 ? {} : { declare };
}
