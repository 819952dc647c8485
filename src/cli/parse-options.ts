/**
 * Argument parsing on node:util's parseArgs, with our one error pattern:
 * `Invalid value for option "--x": ...` or `Unknown option "--y"`, always exit code 2.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '../errors.ts';
import type { OptionSpecs } from './command.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (cause) {
    const message = (cause as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new ConfigError(`${message}.\nUsage: ${usage}`, { code: 'bad_arguments', cause });
  }
}

type ParserOf<S extends OptionSpecs> = {
  [K in keyof S]: { type: S[K]['type']; short?: string; multiple?: boolean };
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
