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

/**
 * One option a command accepts, declared once: the parser reads it (parse-options.ts) and
 * `corridor <command> --help` prints it, so the two cannot disagree.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The option may be given more than once (`--source a --source b`). */
  readonly multiple?: boolean;
  /** What its value is, as help shows it: `<file>`, `<seconds>`. Boolean options have none. */
  readonly value?: string;
  /** The value used when the option is not given, as help shows it ("60", "csv", "off"). */
  readonly default?: string;
  /** One line: what the option does. */
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface Command {
  readonly name: string;
  readonly usage: string;
  /** A short form of `usage` for the command list, when the full one is too long for a line. */
  readonly synopsis?: string;
  readonly summary: string;
  /** Every option the command accepts (global options --db, --json, --quiet, --help aside). */
  readonly options: OptionSpecs;
  /** Whole command lines a user can copy, shown by --help: `corridor sql "select 1"`. */
  readonly examples: readonly string[];
  run(ctx: CommandContext): Promise<ExitCode>;
}
