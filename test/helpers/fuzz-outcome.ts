/**
 * What a fuzzed load did, judged from outside: its exit code and output, the journal and the
 * fact tables before and after. Shared by the in-suite corpus (test/fuzz-corpus.test.ts) and
 * the long campaign (scripts/fuzz.ts), so both call the same thing a failure.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/** The tables a load writes figures or rejects into. */
const FACT_TABLES = [
  'trade_flow_rows',
  'trade_flow_rows_closed',
  'baci_flows',
  'baci_flows_closed',
  'port_throughput_rows',
  'port_throughput_rows_closed',
  'world_trade_totals',
  'rejects',
] as const;

export interface WarehouseState {
  readonly counts: Readonly<Record<string, number>>;
  /** sha256 of every row of trade_flows and port_throughput_rows, in key order. */
  readonly checksum: string;
  /** Journal rows still `running`: "run 3", "file 7". */
  readonly running: readonly string[];
  /** error_code of every failed file, in load order. */
  readonly errorCodes: readonly string[];
}

export function warehouseState(dbPath: string): WarehouseState | null {
  if (!existsSync(dbPath)) return null;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const counts: Record<string, number> = {};
    for (const table of FACT_TABLES)
      counts[table] = db.prepare(`select count(*) from ${table}`).pluck().get() as number;
    const hash = createHash('sha256');
    for (const sql of [
      'select * from trade_flows order by 1, 2, 4, 7, 9, 12, 13',
      'select * from port_throughput_rows',
    ])
      for (const row of db.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row));
    const running = db
      .prepare(
        `select 'run ' || run_id from load_runs where status = 'running'
         union all select 'file ' || load_id from load_files where status = 'running'`,
      )
      .pluck()
      .all() as string[];
    const errorCodes = db
      .prepare(`select error_code from load_files where status = 'failed' order by load_id`)
      .pluck()
      .all() as string[];
    return { counts, checksum: hash.digest('hex'), running, errorCodes };
  } finally {
    db.close();
  }
}

export type Outcome =
  | 'loaded'
  | 'rejected-rows'
  | 'file-error'
  | 'usage'
  | 'crash: stack trace'
  | 'crash: internal error'
  | 'crash: silent exit'
  | 'crash: reported (exit 70)'
  | 'crash: undocumented exit'
  | 'journal left running'
  | 'warehouse changed by a failed file'
  | 'hang';

export interface LoadObservation {
  /** null when the process was killed at the timeout. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly before: WarehouseState | null;
  readonly after: WarehouseState | null;
}

export interface Judgement {
  readonly outcome: Outcome;
  /** For a file error: the journal's error code ("damaged_file"); else null. */
  readonly errorCode: string | null;
  /** What is wrong, for a failure; empty for an accepted outcome. */
  readonly problems: readonly string[];
}

/** Exit codes a load documents (README, "Exit codes"); 4 is a held lock, which fuzzing never causes. */
export const DOCUMENTED_EXITS: readonly number[] = [0, 1, 2, 3];

/** The exit of a crash Corridor caught and reported (docs/hostile-input.md): a bug, not a file error. */
const CRASH_EXIT = 70;

/** A stack frame as V8 prints it, or an error's name and message at a line start. */
const STACK_FRAME = /^\s+at (?:.+ \()?(?:file:|node:|\/|[A-Z]:\\).*:\d+(?::\d+)?\)?$/m;
const RAW_ERROR = /^(?:Uncaught )?(?:[A-Z]\w*)?Error(?: \[\w+\])?: /m;

export function judge(o: LoadObservation): Judgement {
  const problems: string[] = [];
  const output = `${o.stdout}\n${o.stderr}`;
  const newCodes = (o.after?.errorCodes ?? []).slice(o.before?.errorCodes.length ?? 0);
  const errorCode = newCodes[0] ?? null;
  if (o.code === null) problems.push('hang: still running at the timeout');
  else if (o.code === CRASH_EXIT) problems.push(`crashed: exit ${CRASH_EXIT}, the code of a bug`);
  else if (!DOCUMENTED_EXITS.includes(o.code)) problems.push(`undocumented exit ${o.code}`);
  if (o.code !== null && o.code !== 0 && output.trim() === '')
    problems.push(`exit ${o.code} without a message`);
  if (STACK_FRAME.test(output) || RAW_ERROR.test(output))
    problems.push('a stack trace or raw error in the output');
  if (/internal[ _]error/.test(output) || newCodes.includes('internal_error'))
    problems.push('internal_error');
  if ((o.after?.running.length ?? 0) > 0)
    problems.push(`journal left running: ${o.after!.running.join(', ')}`);
  const failed = o.code !== null && o.code !== 0 && o.code !== 3;
  if (failed && o.before !== null && o.after !== null && changed(o.before, o.after))
    problems.push('a failed load changed the fact tables');
  return { outcome: outcomeOf(o, problems, failed), errorCode, problems };
}

function changed(before: WarehouseState, after: WarehouseState): boolean {
  return (
    before.checksum !== after.checksum ||
    Object.keys(before.counts).some((table) => before.counts[table] !== after.counts[table])
  );
}

function outcomeOf(o: LoadObservation, problems: readonly string[], failed: boolean): Outcome {
  const has = (text: string) => problems.some((p) => p.includes(text));
  if (has('hang')) return 'hang';
  if (has('without a message')) return 'crash: silent exit';
  if (has('stack trace')) return 'crash: stack trace';
  if (has('crashed: exit')) return 'crash: reported (exit 70)';
  if (has('internal_error')) return 'crash: internal error';
  if (has('undocumented exit')) return 'crash: undocumented exit';
  if (has('journal left running')) return 'journal left running';
  if (has('a failed load changed')) return 'warehouse changed by a failed file';
  if (o.code === 2) return 'usage';
  if (failed) return 'file-error';
  const rejectsAdded = (o.after?.counts.rejects ?? 0) - (o.before?.counts.rejects ?? 0);
  return o.code === 3 || rejectsAdded > 0 ? 'rejected-rows' : 'loaded';
}
