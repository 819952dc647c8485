/**
 * Ctrl-C and `kill` (SIGINT, SIGTERM) while a run is going: the first asks it to stop after the
 * file in flight, whose transaction then completes, and cancels downloads; the lock is released
 * and the journal says `stopped`. A second signal stops at once: the file in flight rolls back,
 * as after a crash, and its lease lapses.
 */
import type { Output } from './output.ts';

export interface StopSignals {
  /** The signal's name once one arrived, else null. */
  readonly reason: () => string | null;
  /** Aborted at the first signal: downloads in flight stop. */
  readonly signal: AbortSignal;
  /** Removes the handlers (the process's default behaviour returns). */
  dispose(): void;
}

/** @param what what finishes before stopping, for the message: "the file in flight" */
export function listenForStop(out: Output, what = 'the file in flight'): StopSignals {
  const controller = new AbortController();
  let reason: string | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (reason !== null) {
      out.message(`corridor: ${name} again: stopping now; the file in flight loads nothing.`);
      process.exit(130);
    }
    reason = name;
    controller.abort(new Error(`${name} received`));
    out.message(`corridor: ${name} received: stopping after ${what}. Send it again to stop at once.`);
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
