/**
 * A run stopped by a signal (SIGINT, SIGTERM): the file in flight is abandoned where it stands,
 * wherever its reader is (inside a long inflate, a huge cell, a wait on the reader thread), and
 * rolled back. The loader races each step it awaits against the run's AbortSignal, so the stop
 * never waits for the reader to reach a checkpoint of its own.
 */
import { CorridorError, ExitCode } from '../errors.ts';

/** The exit code a shell reports for a process ended by the signal: 128 + its number. */
export function exitCodeOfSignal(name: string): ExitCode {
  return name === 'SIGINT' ? ExitCode.Sigint : ExitCode.Sigterm;
}

/** The abort reason a stop signal gives the run's AbortController. */
export class Interrupted extends CorridorError {
  override readonly name = 'Interrupted';
  readonly signalName: string;
  constructor(signalName: string) {
    super('interrupted', `${signalName} received`, { exitCode: exitCodeOfSignal(signalName) });
    this.signalName = signalName;
  }
}

/** The signal's Interrupted reason, or null when it was not aborted by a stop signal. */
export function interruptionOf(signal: AbortSignal | undefined): Interrupted | null {
  return signal?.aborted && signal.reason instanceof Interrupted ? signal.reason : null;
}

/**
 * `step`, unless the signal is aborted first: then rejects with its reason at once. The step
 * itself goes on in the background; the process exits soon after, so nothing waits for it.
 */
export function unlessAborted<T>(step: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return step;
  if (signal.aborted) {
    step.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      step.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    step.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** `batches`, each one raced against the signal as unlessAborted does. */
export async function* abortableBatches<T>(
  batches: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  const iterator = batches[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await unlessAborted(iterator.next(), signal);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Ended early by an error, the reader is closed as a for-await would; stopped, it is left
    // behind, since its closing may wait for the very step the stop does not wait for.
    if (!signal?.aborted) await iterator.return?.();
  }
}
