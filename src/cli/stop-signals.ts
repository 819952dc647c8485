/**
 * Ctrl-C and `kill` (SIGINT, SIGTERM) while a run is going stop it now, not after the file in
 * flight: the run's AbortSignal abandons the file wherever its reader stands (the loader races
 * every step against it, src/load/interruption.ts), its transaction rolls back, the journal
 * says `interrupted`, the lock is released, and the exit code is 130 (SIGINT) or 143 (SIGTERM),
 * as a shell reports a process the signal ended.
 *
 * The orderly stop has STOP_DEADLINE_MS. Past it (a native step that cannot be abandoned, such
 * as one long SQLite statement, finished late), or at a second signal, the process closes its
 * open runs synchronously and exits at once. One signal is always enough.
 */
import { exitCodeOfSignal, Interrupted } from '../load/interruption.ts';
import { closeOpenRunsNow } from '../load/open-runs.ts';
import type { Output } from './output.ts';

/** Leaves the orderly stop room within the 2 s a stop is promised to take. */
const STOP_DEADLINE_MS = 1200;

export interface StopSignals {
  /** The signal's name once one arrived, else null. */
  readonly reason: () => string | null;
  /** Aborted at the first signal, with an Interrupted reason: the run stops where it stands. */
  readonly signal: AbortSignal;
  /** Removes the handlers (the process's default behaviour returns). */
  dispose(): void;
}

/** The stop signal this process received, if any: the CLI exits at once after it. */
let received: string | null = null;
export const stopSignalReceived = (): string | null => received;

/** Closes the journal's open runs as interrupted and exits. */
function stopAtOnce(name: string, exitCode: number): never {
  closeOpenRunsNow({
    status: 'interrupted',
    exitCode: exitCodeOfSignal(name),
    message: `stopped by ${name}; the file in flight loaded nothing`,
  });
  process.exit(exitCode);
}

/**
 * @param what what stops, for the message: "the run", "the scheduler"
 * @param exitCode the process's exit code when the stop is forced; the signal's own by default
 * (`corridor schedule` ends with 0: a signal is how a scheduler is meant to end)
 */
export function listenForStop(out: Output, what = 'the run', exitCode?: number): StopSignals {
  const controller = new AbortController();
  let reason: string | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (reason !== null) stopAtOnce(name, exitCode ?? exitCodeOfSignal(name));
    reason = received = name;
    out.message(
      `corridor: ${name} received: stopping ${what} now; the file in flight is rolled back and loads nothing.`,
    );
    // Unref'd: once the run has stopped and the CLI exits, nothing waits for the deadline.
    setTimeout(() => stopAtOnce(name, exitCode ?? exitCodeOfSignal(name)), STOP_DEADLINE_MS).unref();
    controller.abort(new Interrupted(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    reason: () => (reason === null ? null : `${reason} received`),
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
