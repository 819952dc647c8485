/**
 * What a command gets and gives: parsed arguments in, an exit code out. Commands never call
 * process.exit and never print except through Output, so tests run them in-process.
 */
import type { ExitCode } from '../errors.ts';
import type { Output } from './output.ts';

export interface GlobalOptions {
  /** `--db` as given, or undefined for the default. */
  readonly db: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
}

export interface CommandContext {
  readonly globals: GlobalOptions;
  readonly out: Output;
  /** Arguments after the command name. */
  readonly args: readonly string[];
  readonly cwd: string;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  /** A short form of `usage` for the command list, when the full one is too long for a line. */
  readonly synopsis?: string;
  readonly summary: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}
