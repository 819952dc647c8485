/**
 * Argument parsing on node:util's parseArgs, with our one error pattern:
 * `Invalid value for option "--x": ...` or `Unknown option "--y"`, always exit code 2.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (cause) {
    const message = (cause as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new ConfigError(`${message}.\nUsage: ${usage}`, { code: 'bad_arguments', cause });
  }
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
