/**
 * A long synchronous native step (one SQLite transaction that better-sqlite3 cannot interrupt)
 * blocks the event loop, so a JavaScript signal handler would run only after it: a Ctrl-C
 * during a two-minute derive would wait two minutes. During such a step the handlers of SIGINT
 * and SIGTERM are set aside, so a signal ends the process at once, as the system does by default
 * (exit 130 or 143). SQLite then rolls the unfinished transaction back, and the next run closes
 * the journal of this one as interrupted (src/load/open-runs.ts).
 *
 * A step may be asynchronous (the derive's transaction through the SQL session): the handlers
 * come back when its promise settles. On SQLite its statements still block the loop one after
 * the other; on PostgreSQL the process ends with its connection, and the server rolls back.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function runStoppable<T>(step: () => T): T {
  const kept = SIGNALS.map((signal) => [signal, process.rawListeners(signal)] as const);
  for (const [signal, listeners] of kept) for (const l of listeners) process.off(signal, l as () => void);
  const restore = () => {
    for (const [signal, listeners] of kept) for (const l of listeners) process.on(signal, l as () => void);
  };
  let result: T;
  try {
    result = step();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
