/**
 * No exit without a message. The `corridor` process's handlers for what escapes runCli: an
 * uncaught exception, an unhandled rejection, and the event loop emptying while a step is still
 * awaited (Node then ends with exit 13, "unsettled top-level await", and nothing a user can
 * act on). Each prints one line saying what happened and how to report it, closes the runs still
 * open in the journal as `failed` (so none stays `running`), and exits with 70 (ExitCode.Crashed).
 * A crash that no handler sees (SIGKILL, out of memory) leaves the run `running` under a dead
 * pid; the next run's Journal.startRun marks it `interrupted`.
 */
import { describeError, ExitCode } from '../errors.ts';
import { closeOpenRunsNow } from '../load/open-runs.ts';

/** Node's exit code when the event loop empties while the top-level await is pending. */
const UNSETTLED_AWAIT = 13;

const REPORT =
  'This is a bug: rerun with CORRIDOR_DEBUG=1 and report it with the command and the file it was loading.';

/** Writes synchronously: in these moments an asynchronous write may never land. */
type Say = (line: string) => void;
const toStderr: Say = (line) => process.stderr.write(`${line}\n`);

/** Prints the line, closes the open runs as failed, and returns the code to exit with. */
export function lastWords(what: string, say: Say = toStderr): number {
  const closed = closeOpenRunsNow({
    status: 'failed',
    exitCode: ExitCode.Crashed,
    message: `Corridor crashed: ${what}`,
  });
  const journal =
    closed === 0 ? '' : ' The run was closed as failed in the journal; files not loaded loaded nothing.';
  say(`corridor: crashed: ${what}.${journal} ${REPORT}`);
  return ExitCode.Crashed;
}

export interface ProcessGuard {
  /** runCli returned: an exit from here on is the expected one. */
  settled(): void;
}

/** Installs the handlers; for the `corridor` process only (runCli alone installs none, for tests). */
export function guardProcess(say: Say = toStderr): ProcessGuard {
  let settled = false;
  const crash = (what: string, error: unknown) => {
    if (process.env.CORRIDOR_DEBUG) say(String((error as Error)?.stack ?? error));
    settled = true;
    process.exit(lastWords(`${what}: ${describeError(error)}`, say));
  };
  process.on('uncaughtException', (error) => crash('an uncaught exception', error));
  process.on('unhandledRejection', (reason) => crash('an unhandled promise rejection', reason));
  process.on('exit', (code) => {
    // 13 is Node's own: the loop emptied with the top-level await unsettled (Node 20 passes 0
    // to the listener and leaves 13 in process.exitCode). Other exits are someone's process.exit.
    if (settled || (code !== UNSETTLED_AWAIT && process.exitCode !== UNSETTLED_AWAIT)) return;
    // Only synchronous work runs here; process.exitCode set here is the one the process ends with.
    process.exitCode = lastWords(
      `the command ended while a step was still waiting for something that never came (Node exit code ${code})`,
      say,
    );
  });
  return {
    settled: () => {
      settled = true;
    },
  };
}
