/**
 * The benchmark's report: one table of figures, the issue-3 and issue-17 targets each marked
 * met or not met, the runs against a `--baseline` release when there was one, and the machine
 * they were measured on, so figures are never quoted without it.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { openSqlite } from '../../src/db/driver.ts';
import type { CaseResult } from './cases.ts';
import { memoryProbe } from './measure-process.ts';

/** Labels of the rows the targets compare; bench.ts builds the cases with these. */
export interface KeyCases {
  readonly baci1m?: CaseResult;
  readonly baci5m?: CaseResult;
  readonly sqliteBaci?: CaseResult;
  readonly comtrade?: CaseResult;
  readonly sqliteComtrade?: CaseResult;
  readonly xlsx?: CaseResult;
  readonly exceljs?: CaseResult;
  /** The load of the 5M file with 1 % of its rows revised (issue 17). */
  readonly revision5m?: CaseResult;
  /**
   * The first load of the 5M file the revision is compared with: baci5m when it ran (with
   * `--baseline`, its median run of this checkout), otherwise the revision case's own set-up.
   */
  readonly firstLoad5m?: CaseResult;
  readonly baseline?: BaselineRuns;
}

/** `--baseline`: the same first load by the baseline's CLI and this checkout's, alternately. */
export interface BaselineRuns {
  /** The ref as given and its short sha. */
  readonly ref: string;
  readonly short: string;
  /** This checkout's HEAD (short sha; the runs include any uncommitted edits); null outside git. */
  readonly head: string | null;
  /** What the load was: `BACI CSV 5M`. */
  readonly what: string;
  readonly before: readonly CaseResult[];
  readonly after: readonly CaseResult[];
}

const ok = (c: CaseResult | undefined): c is CaseResult & { wallS: number } =>
  c !== undefined && c.error === null && c.wallS !== null;
const rate = (c: CaseResult & { wallS: number }) => c.rows / c.wallS;

/** The successful runs, slowest first. */
const byRate = (runs: readonly CaseResult[]) => runs.filter(ok).sort((a, b) => rate(a) - rate(b));

/** The median rows/s of the runs that succeeded (the mean of the middle two for an even count). */
export function medianRate(runs: readonly CaseResult[]): number | null {
  const sorted = byRate(runs);
  if (sorted.length === 0) return null;
  const mid = (sorted.length - 1) / 2;
  return (rate(sorted[Math.floor(mid)]!) + rate(sorted[Math.ceil(mid)]!)) / 2;
}

/** The run at the median (the lower of the middle two for an even count), for the other targets. */
export function medianRun(runs: readonly CaseResult[]): CaseResult | undefined {
  const sorted = byRate(runs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** After over before, each side's median rows/s. */
function baselineRatio(b: BaselineRuns | undefined): number | null {
  if (b === undefined) return null;
  const before = medianRate(b.before);
  const after = medianRate(b.after);
  return before === null || after === null ? null : after / before;
}

/** Corridor's rows/s over the reference's, when both ran and succeeded. */
function ratio(mine: CaseResult | undefined, floor: CaseResult | undefined): number | null {
  return ok(mine) && ok(floor) ? rate(mine) / rate(floor) : null;
}

interface Target {
  readonly label: string;
  readonly shown: string;
  readonly met: boolean | null;
}

const check = (
  label: string,
  value: number | null,
  shown: (v: number) => string,
  pass: (v: number) => boolean,
): Target =>
  value === null
    ? { label, shown: 'not measured', met: null }
    : { label, shown: shown(value), met: pass(value) };

export function evaluateTargets(k: KeyCases): Target[] {
  const baciRatio = ratio(k.baci5m, k.sqliteBaci);
  const xlsxRatio = ratio(k.xlsx, k.exceljs);
  const rss = (c: CaseResult | undefined) => (ok(c) ? c.rssMB : null);
  const b1 = rss(k.baci1m);
  const b5 = rss(k.baci5m);
  return [
    check(
      'BACI 5M rows/s ≥ 0.75 × sqlite3 .import',
      baciRatio,
      (v) => v.toFixed(2),
      (v) => v >= 0.75,
    ),
    check(
      'BACI 5M peak RSS < 256 MB',
      rss(k.baci5m),
      (v) => `${v.toFixed(0)} MB`,
      (v) => v < 256,
    ),
    check(
      'XLSX 1M rows/s ≥ 0.8 × exceljs parse-only',
      xlsxRatio,
      (v) => v.toFixed(2),
      (v) => v >= 0.8,
    ),
    check(
      'XLSX 1M peak RSS < 300 MB',
      rss(k.xlsx),
      (v) => `${v.toFixed(0)} MB`,
      (v) => v < 300,
    ),
    check(
      'flat memory: BACI 5M RSS ≤ BACI 1M RSS + 32 MB',
      b1 === null || b5 === null ? null : b5 - b1,
      (v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)} MB`,
      (v) => v <= 32,
    ),
  ];
}

/** Issue 17: merging by key must not slow a first load, and a small revision must be cheap. */
export function evaluateRevisionTargets(k: KeyCases): Target[] {
  const b = k.baseline;
  const runs = (side: readonly CaseResult[]) => side.filter(ok).length;
  const partial = b !== undefined && (runs(b.before) < b.before.length || runs(b.after) < b.after.length);
  return [
    check(
      `BACI 5M first load rows/s ≥ 0.9 × ${b === undefined ? 'the previous release (--baseline <ref>)' : b.short}, medians of alternating runs`,
      baselineRatio(b),
      (v) => `${v.toFixed(2)}${partial ? ' (some runs failed)' : ''}`,
      (v) => v >= 0.9,
    ),
    check(
      'BACI 5M revision of 1 % of rows: rows/s ≥ 0.5 × first load',
      ratio(k.revision5m, k.firstLoad5m),
      (v) => v.toFixed(2),
      (v) => v >= 0.5,
    ),
  ];
}

/** A case's figure against its floor or reference, and the target it has, when one applies. */
export interface CaseRatio {
  readonly value: number;
  readonly of: string;
  /** The least value the target accepts; null when the ratio is reported without a target. */
  readonly target: number | null;
}

/** The ratio of a row: only rows that a target or a floor applies to have one. */
export function ratioOf(c: CaseResult, k: KeyCases): CaseRatio | null {
  const pair = (
    mine: CaseResult | undefined,
    floor: CaseResult | undefined,
    of: string,
    target: number | null,
  ) => {
    const r = ratio(mine, floor);
    return r === null ? null : { value: r, of, target };
  };
  if (c === k.baci5m) return pair(k.baci5m, k.sqliteBaci, 'sqlite3', 0.75);
  if (c === k.comtrade) return pair(k.comtrade, k.sqliteComtrade, 'sqlite3', null);
  if (c === k.xlsx) return pair(k.xlsx, k.exceljs, 'exceljs', 0.8);
  if (c === k.revision5m) return pair(k.revision5m, k.firstLoad5m, 'first load', 0.5);
  return null;
}

function ratioCell(c: CaseResult, k: KeyCases): string {
  const r = ratioOf(c, k);
  return r === null
    ? ''
    : `${r.value.toFixed(2)} of ${r.of} / ${r.target === null ? '(none)' : `≥${r.target}`}`;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function machineLines(): string[] {
  const cpu = cpus();
  const memory = openSqlite(':memory:');
  const { v } = memory.prepare('select sqlite_version() as v').get() as { v: string };
  memory.close();
  const cli = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  const cliVersion = cli.status === 0 ? cli.stdout.split(' ')[0] : 'not installed';
  return [
    `machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM`,
    `node ${process.version}; SQLite ${v} (better-sqlite3), sqlite3 CLI ${cliVersion}; peak RSS by ${memoryProbe}`,
    // Other processes on the machine skew every figure: say how busy it was.
    `date: ${new Date().toISOString()}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1, 5, 15 min)`,
  ];
}

/** Each side's runs in the order they ran, its median and the ratio of the medians. */
function baselineLines(k: KeyCases): string[] {
  const b = k.baseline!;
  const side = (runs: readonly CaseResult[]) => {
    const each = runs.map((c) => (ok(c) ? fmtInt(rate(c)) : 'failed')).join(', ');
    const median = medianRate(runs);
    return `${each} rows/s; median ${median === null ? 'n/a' : fmtInt(median)}`;
  };
  const r = baselineRatio(b);
  const lines = [
    `First load against ${b.ref === b.short ? b.short : `${b.ref} (${b.short})`}: corridor load ${b.what}, ${b.before.length} runs each, alternating before/after, each into a fresh warehouse`,
    `  before (${b.short}): ${side(b.before)}`,
    `  after (this checkout${b.head === null ? '' : `: HEAD ${b.head} and any uncommitted edits`}): ${side(b.after)}`,
    `  after/before: ${r === null ? 'n/a' : r.toFixed(2)} (target ≥ 0.90)`,
  ];
  if (k.revision5m !== undefined)
    lines.push(
      `  revision5m: no baseline figure (a release before issue 17 replaced a file's slices, it did not merge by key)`,
    );
  return lines;
}

export function printReport(results: readonly CaseResult[], k: KeyCases, print: (line: string) => void) {
  const rows = results.map((c) => [
    c.label,
    fmtInt(c.rows),
    c.wallS === null ? '' : c.wallS.toFixed(2),
    ok(c) ? fmtInt(rate(c)) : 'failed',
    c.rssMB === null ? '' : c.rssMB.toFixed(0),
    ratioCell(c, k),
  ]);
  print(
    table(['case', 'rows', 'wall s', 'rows/s', 'peak RSS MB', 'ratio / target'], rows, [
      false,
      true,
      true,
      true,
      true,
      false,
    ]),
  );
  const failures = results.filter((c) => c.error !== null || c.notes.length > 0);
  if (failures.length > 0) {
    print('');
    for (const c of failures) {
      print(
        `${c.label}: ${[c.error === null ? null : `FAILED: ${c.error}`, ...c.notes].filter(Boolean).join('; ')}`,
      );
    }
  }
  if (k.baseline !== undefined) {
    print('');
    for (const line of baselineLines(k)) print(line);
  }
  const targets = (title: string, list: readonly Target[]) => {
    print('');
    print(title);
    for (const t of list) {
      const verdict = t.met === null ? 'n/a' : t.met ? 'met' : 'NOT met';
      print(`  ${verdict.padEnd(7)} ${t.label}: ${t.shown}`);
    }
  };
  targets('Targets (issue 3):', evaluateTargets(k));
  targets('Targets (issue 17):', evaluateRevisionTargets(k));
  print('');
  for (const line of machineLines()) print(line);
}
