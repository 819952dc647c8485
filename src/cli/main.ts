/**
 * The `corridor` command line: the only place that prints and exits. Errors of the
 * CorridorError family become a message and their exit code; anything else is a bug, shown as
 * one line (the stack only with CORRIDOR_DEBUG=1).
 */

import { ConfigError, CorridorError, ExitCode } from '../errors.ts';
import { sourceNames } from '../pipeline/source-registry.ts';
import { didYouMean } from './closest-name.ts';
import type { Command, GlobalOptions } from './command.ts';
import { addCorrelationCommand } from './commands/add-correlation-command.ts';
import { chartCommand } from './commands/chart-command.ts';
import { checkCommand } from './commands/check-command.ts';
import { configCommand } from './commands/config-command.ts';
import { copyCommand } from './commands/copy-command.ts';
import { deriveCommand } from './commands/derive-command.ts';
import { docsCommand } from './commands/docs-command.ts';
import { exportCommand } from './commands/export-command.ts';
import { initCommand } from './commands/init-command.ts';
import { loadCommand } from './commands/load-command.ts';
import { portsCommand } from './commands/ports-command.ts';
import { rejectsCommand } from './commands/rejects-command.ts';
import { revertCommand } from './commands/revert-command.ts';
import { revisionsCommand } from './commands/revisions-command.ts';
import { runCommand } from './commands/run-command.ts';
import { runsCommand } from './commands/runs-command.ts';
import { scheduleCommand } from './commands/schedule-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { sourcesCommand } from './commands/sources-command.ts';
import { sqlCommand } from './commands/sql-command.ts';
import { statusCommand } from './commands/status-command.ts';
import { unmappedCommand } from './commands/unmapped-command.ts';
import { guardProcess } from './last-words.ts';
import { Output } from './output.ts';
import { GLOBAL_OPTIONS, optionsHelp } from './parse-options.ts';
import { stopSignalReceived } from './stop-signals.ts';

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  runCommand,
  scheduleCommand,
  loadCommand,
  sqlCommand,
  exportCommand,
  docsCommand,
  sourcesCommand,
  runsCommand,
  statusCommand,
  rejectsCommand,
  checkCommand,
  revisionsCommand,
  revertCommand,
  unmappedCommand,
  deriveCommand,
  addCorrelationCommand,
  portsCommand,
  copyCommand,
  chartCommand,
  serveCommand,
  configCommand,
];

function helpText(): string {
  const shown = (c: Command) => c.synopsis ?? c.usage;
  const width = Math.max(...COMMANDS.map((c) => shown(c).length));
  return [
    'corridor: trade statistics and port throughput into a SQL warehouse',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${shown(c).padEnd(width)}  ${c.summary}`),
    '',
    "corridor <command> --help shows a command's options.",
    '',
    `Sources (--source, or a pipeline's sources): ${sourceNames().join(', ')}; corridor sources describes them.`,
    '  \'table\' reads a layout a pipeline file declares: docs/adding-a-source.md, "Loading a new table layout".',
    '',
    'Global options:',
    ...optionsHelp(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 success; 1 run failed (a failed file loaded nothing); 2 usage or configuration error;',
    '            3 loaded, but rejects passed the threshold (or a data-quality error is open: corridor check);',
    '            4 the pipeline is already running (its lock is held); 70 Corridor crashed (a bug to report);',
    '            130 / 143 stopped by SIGINT / SIGTERM (the file in flight loaded nothing).',
  ].join('\n');
}

/** `corridor <command> --help`: usage, every option with its value, default and meaning, examples. */
export function commandHelp(command: Command): string {
  const own = Object.keys(command.options).length > 0;
  return [
    `Usage: ${command.usage}`,
    command.summary,
    '',
    ...(own ? ['Options:', ...optionsHelp(command.options), ''] : ['Options: only the global ones.', '']),
    'Global options:',
    ...optionsHelp(GLOBAL_OPTIONS),
    ...(command.examples.length > 0 ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

/** Pulls the global options out wherever they stand, leaving the command's own arguments. */
function splitGlobals(argv: readonly string[]): { globals: GlobalOptions; rest: string[]; help: boolean } {
  let db: string | undefined;
  let json = false;
  let quiet = false;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--quiet' || arg === '-q') quiet = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--db') {
      db = argv[++i];
      if (db === undefined)
        throw new CorridorError('bad_arguments', 'Option "--db" needs a value: a SQLite file path.', {
          exitCode: ExitCode.Usage,
        });
    } else if (arg.startsWith('--db=')) db = arg.slice('--db='.length);
    else rest.push(arg);
  }
  return { globals: { db, json, quiet }, rest, help };
}

export interface CliIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly cwd?: string;
}

/** Runs the CLI and returns its exit code; never calls process.exit, so tests can call it. */
/**
 * A reader that stops early (`corridor sql ... | head`) closes the pipe: the rest of the output
 * has nowhere to go, which is not an error. Without a listener Node throws EPIPE as a stack trace.
 */
let pipesWatched = false;
function endQuietlyOnClosedPipe(): void {
  // Once per process, whoever else listens (tsx adds its own listener in development).
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/**
 * The `corridor` process (bin/corridor.js): runCli with the process's last-words handlers, and
 * an immediate exit after a stop signal, whose abandoned reader must not keep the process alive.
 */
export async function runProcess(argv: readonly string[]): Promise<void> {
  const guard = guardProcess();
  const code = await runCli(argv);
  guard.settled();
  if (stopSignalReceived() !== null) process.exit(code);
  process.exitCode = code;
}

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  if (io.stdout === undefined) endQuietlyOnClosedPipe();
  let out = new Output({
    json: false,
    quiet: false,
    ...(io.stdout ? { stdout: io.stdout } : {}),
    ...(io.stderr ? { stderr: io.stderr } : {}),
  });
  try {
    const { globals, rest, help } = splitGlobals(argv);
    out = new Output({
      json: globals.json,
      quiet: globals.quiet,
      ...(io.stdout ? { stdout: io.stdout } : {}),
      ...(io.stderr ? { stderr: io.stderr } : {}),
    });
    const [name, ...args] = rest;
    if (name === undefined || name === 'help') {
      // Asked for, help is the result (stdout); given instead of a command, it is a usage error.
      if (name === undefined && !help) {
        out.message(helpText());
        return ExitCode.Usage;
      }
      out.line(helpText());
      return ExitCode.Success;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      const names = COMMANDS.map((c) => c.name);
      const hint = didYouMean(name, names);
      throw new ConfigError(
        `Unknown command "${name}".${hint === '' ? ` Commands: ${names.join(', ')}.` : hint} corridor --help describes them.`,
        { code: 'bad_arguments' },
      );
    }
    if (help) {
      out.line(commandHelp(command));
      return ExitCode.Success;
    }
    return await command.run({ globals, out, args, cwd: io.cwd ?? process.cwd() });
  } catch (error) {
    if (error instanceof CorridorError) {
      if (out.json)
        out.document({ error: { code: error.code, message: error.message, exitCode: error.exitCode } });
      else out.message(`corridor: ${error.message}`);
      return error.exitCode;
    }
    if ((error as { code?: string })?.code === 'SQLITE_BUSY') {
      out.message(
        'corridor: the warehouse is busy: another corridor process has been writing to it for more than 5 s. Nothing was changed; run again when it has finished.',
      );
      return ExitCode.RunFailed;
    }
    out.message(
      `corridor: internal error: ${(error as Error)?.message ?? String(error)}. This is a bug; rerun with CORRIDOR_DEBUG=1 for details and report it.`,
    );
    if (process.env.CORRIDOR_DEBUG) out.message(String((error as Error)?.stack));
    return ExitCode.RunFailed;
  }
}
