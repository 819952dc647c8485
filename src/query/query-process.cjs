// The process that runs one analyst's query (corridor sql, export --query), started by
// bounded-query.ts. SQLite cannot be interrupted through better-sqlite3, and a worker thread
// stuck in a native statement ignores worker.terminate() (and keeps its process from exiting),
// so a query runs here, in its own process, which the parent kills with SIGKILL at the time
// limit. Plain CommonJS with no import but the driver, so it starts as fast as Node can (no ESM
// loader, no TypeScript), the same from the bundle or the sources.
//
// Protocol (IPC, structured clone): the parent sends one job; this process answers `columns`,
// then `rows` batches, at most `maxInFlight` ahead of the parent's `ack`s, then `done`. On
// `count`, it stops sending rows and counts the rest instead (`done` carries the count). An
// `error` names its phase: `prepare` (the SQL does not compile), `writes` (the statement would
// write), `rows` (it failed while running).
const Database = require('better-sqlite3');

let credits = 0;
let counting = false;
let wake = null;
const wakeUp = () => {
  const w = wake;
  wake = null;
  w?.();
};

process.on('message', (message) => {
  if (message === 'ack') credits++;
  else if (message === 'count') counting = true;
  else if (message?.type === 'job') void run(message);
  wakeUp();
});
// The parent went away (it ended, or was killed): nobody reads the rows.
process.on('disconnect', () => process.exit(0));

const send = (message) => {
  if (process.connected) process.send(message);
};

/** Waits for an `ack` or a `count`. */
const nextWord = () =>
  new Promise((resolve) => {
    wake = resolve;
  });

async function run(job) {
  credits = job.maxInFlight;
  // Read-only at the file (the connection can take no write lock, so a loader is never
  // blocked by it) and at the connection (query_only: no temporary table either).
  const db = new Database(job.path, { readonly: true, fileMustExist: true });
  if (job.setup.length > 0) {
    // `--as-of`: temporary views over the history, on this connection only.
    for (const statement of job.setup) db.exec(statement);
  }
  db.pragma('query_only = ON');
  let statement;
  try {
    statement = db.prepare(job.sql);
  } catch (error) {
    send({ type: 'error', phase: 'prepare', message: error.message });
    return;
  }
  if (!statement.readonly && !job.readOnlyPragma) {
    send({ type: 'error', phase: 'writes', message: 'the statement would write' });
    return;
  }
  const reader = statement.reader;
  send({ type: 'columns', reader, columns: reader ? statement.columns() : [] });
  if (!reader) {
    if (!job.requireReader) statement.run();
    send({ type: 'done', rest: 0 });
    return;
  }
  try {
    statement.raw(true).safeIntegers(job.safeIntegers);
    let batch = [];
    let rest = 0;
    for (const row of statement.iterate()) {
      if (counting) {
        rest++;
        continue;
      }
      batch.push(row);
      if (batch.length < job.batchRows) continue;
      send({ type: 'rows', rows: batch });
      batch = [];
      credits--;
      while (credits <= 0 && !counting) await nextWord();
    }
    // A count starts only while this process waits for an ack, just after a batch went.
    if (batch.length > 0) send({ type: 'rows', rows: batch });
    send({ type: 'done', rest });
  } catch (error) {
    send({ type: 'error', phase: 'rows', message: error.message });
  }
}
