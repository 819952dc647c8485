/**
 * Argument parsing on node:util's parseArgs, with our one error pattern:
 * `Invalid value for option "--x": ...` or `Unknown option "--y". Did you mean "--z"?`, always
 * exit code 2.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '../errors.ts';
import { didYouMean } from './closest-name.ts';
import type { OptionSpec, OptionSpecs } from './command.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every command takes, read by main.ts before the command's own parser. */
export const GLOBAL_OPTIONS = {
  db: {
    type: 'string',
    value: '<file|url>',
    default: '$CORRIDOR_DB or warehouse/corridor.db',
    description: 'the warehouse: a SQLite file or a postgres:// URL',
  },
  json: { type: 'boolean', description: 'machine-readable output' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress lines' },
  help: {
    type: 'boolean',
    short: 'h',
    description: 'the commands; after a command, its usage, options and examples',
  },
} as const satisfies OptionSpecs;

/** `--format table|json` of a command that lists things: a table, or JSON (the default with --json). */
export const LISTING_FORMAT = {
  type: 'string',
  short: 'f',
  value: 'table|json',
  default: 'table (json with --json)',
  description: 'the listing format',
} as const satisfies OptionSpec;

export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (cause) {
    const error = cause as Error & { code?: string };
    const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
    const message =
      error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined
        ? `Unknown option "${unknown}".${unknown.startsWith('--') ? didYouMean(unknown.slice(2).split('=')[0]!, [...Object.keys(options), ...Object.keys(GLOBAL_OPTIONS)], '--') : ''}`
        : `${error.message.replace(/\. To specify a positional argument.*$/s, '')}.`;
    throw new ConfigError(`${message}\nUsage: ${usage}`, { code: 'bad_arguments', cause });
  }
}

/**
 * The options' table of `--help`, one line each: `  -f, --format <f>  what it does (default: csv)`.
 */
export function optionsHelp(specs: OptionSpecs): string[] {
  const heads = Object.entries(specs).map(([name, spec]) => {
    const value = spec.type === 'string' ? ` ${spec.value ?? '<value>'}` : '';
    return `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${value}`;
  });
  const width = Math.max(0, ...heads.map((h) => h.length));
  return Object.values(specs).map((spec, i) => {
    const repeat = spec.multiple ? ' (may be repeated)' : '';
    const fallback = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    return `  ${heads[i]!.padEnd(width)}  ${spec.description}${repeat}${fallback}`;
  });
}

type ParserOf<S extends OptionSpecs> = {
  [K in keyof S]: { type: S[K]['type']; short?: string } & (S[K] extends { multiple: true }
    ? { multiple: true }
    : { multiple?: false });
};

/**
 * The parser's view of declared options: `parseCommandArgs(ctx.args, parserOptions(this.options!), this.usage)`.
 * Defaults stay with the command (help shows them as text); an absent option parses as undefined.
 */
export function parserOptions<S extends OptionSpecs>(specs: S): ParserOf<S> {
  const parser: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    parser[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === undefined ? {} : { multiple: spec.multiple }),
    };
  }
  return parser as ParserOf<S>;
}

/** A number option within bounds, or a ConfigError naming the option. */
export function numberOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(
      `Invalid value for option "--${name}": "${value}" is not a number from ${min} to ${max}.`,
      { code: 'bad_arguments' },
    );
  }
  return n;
}
