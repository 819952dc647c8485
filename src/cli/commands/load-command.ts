import { ConfigError } from '../../errors.ts';
import { EDITION_CODE_HINT, isEditionCode } from '../../normalize/hs-edition-inference.ts';
import { pipelineSchema } from '../../pipeline/define-pipeline.ts';
import { getSource, sourceNames } from '../../pipeline/source-registry.ts';
import { archiveLimits } from '../../read/archive-limits.ts';
import { encodingNamed } from '../../read/byte-sniffer.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { executeRun } from '../execute-run.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

const OPTIONS = {
  source: {
    type: 'string',
    short: 's',
    value: '<name>',
    description: 'the format the files are in (corridor sources lists them); required',
  },
  flow: {
    type: 'string',
    value: 'X|M',
    description: 'declare the flow of files that do not say it (X export, M import)',
    default: 'what the file or its source states; refused when neither does',
  },
  unit: {
    type: 'string',
    value: '<unit>',
    description: 'declare the unit of files that do not say it ("thousand US dollars")',
    default: 'what the file or its source states; refused when neither does',
  },
  period: {
    type: 'string',
    value: '<period>',
    description: 'declare the period of files that do not say it (2023, 2023-07)',
    default: 'what the file or its source states; refused when neither does',
  },
  override: { type: 'boolean', description: 'let --flow, --unit, --period override what a file says' },
  'replace-scope': {
    type: 'string',
    value: '<dims>',
    default: "the source's",
    description: 'the dimensions a file replaces as a whole, comma-separated (reporter,period,flow)',
  },
  release: {
    type: 'string',
    value: '<label>',
    description: 'a release label for these figures ("2024 revision")',
    default: 'none',
  },
  edition: {
    type: 'string',
    value: '<edition>',
    default: 'inferred from the codes',
    description: 'the HS edition of the codes (H0 … H6)',
  },
  force: { type: 'boolean', description: 'load files already loaded with the same content again' },
  'dry-run': { type: 'boolean', description: 'read and check the files, write nothing' },
  'no-derive': {
    type: 'boolean',
    description: 'skip refreshing the derived tables afterwards (corridor derive does it later)',
  },
  encoding: {
    type: 'string',
    value: '<encoding>',
    default: 'detected',
    description: 'the text encoding of CSV files: utf-8, latin1, utf-16le or utf-16be',
  },
  'reject-threshold': {
    type: 'string',
    value: '<fraction>',
    default: '0.05',
    description: 'exit 3 when more than this share of rows is rejected',
  },
  'reject-cap': {
    type: 'string',
    value: '<n>',
    default: '10000',
    description: 'rejected rows stored per file at most',
  },
} as const satisfies OptionSpecs;

export const loadCommand: Command = {
  name: 'load',
  usage:
    'corridor load <file...> --source <name> [--flow X|M] [--unit "thousand US dollars"] [--period 2023] [--override] [--replace-scope reporter,period,flow] [--release LABEL] [--edition H5] [--force] [--dry-run] [--no-derive] [--encoding latin1] [--reject-threshold 0.05] [--reject-cap 10000]',
  synopsis: 'corridor load <file...> --source <name> [options]',
  summary: 'one-off load of files in a known format',
  options: OPTIONS,
  examples: [
    'corridor load comtrade-2023.csv --source comtrade',
    'corridor load kz-exports-2023.xlsx --source kz-bns --flow X --period 2023 --dry-run',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
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
