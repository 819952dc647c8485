/**
 * The benchmark's report: one table of figures (case-table.ts), the issue-3, issue-17 and
 * issue-22 targets each marked met or not met, the runs against a `--baseline` release when
 * there was one, and the machine they were measured on, so figures are never quoted without it.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { openSqlite } from '../../src/db/driver.ts';
import { type CaseRatio, type CaseResult, succeeded as ok, rateRatio } from './case-figures.ts';
import { caseTable, fmtInt, noteLines, type RatioOf, targetLines } from './case-table.ts';
import { memoryProbe } from './measure-process.ts';

/** Labels of the rows the targets compare; bench.ts builds the cases with these. */
export interface KeyCases {
  readonly baci1m?: CaseResult;
  /** The median run of this checkout, its ratio to sqlite3 .import set (issue 22). */
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
  /** The median derive after one BACI year: the reference of the refresh's ratio (issue 22). */
  readonly derive1y?: CaseResult;
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
  const xlsxRatio = ratio(k.xlsx, k.exceljs);
  const rss = (c: CaseResult | undefined) => (ok(c) ? c.rssMB : null);
  const b1 = rss(k.baci1m);
  const b5 = rss(k.baci5m);
  // BACI 5M against sqlite3 .import (issue 3: ≥ 0.75) is now issue 22's target (≥ 0.9).
  return [
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

/**
 * The ratio of a row: the one its case carries (issue 22's cases, set where they ran), or the
 * XLSX and revision ratios of issues 3 and 17, from the key cases.
 */
export function ratioOf(c: CaseResult, k: KeyCases): CaseRatio | null {
  if (c.ratio !== undefined) return c.ratio;
  if (c === k.xlsx) return rateRatio(k.xlsx, k.exceljs, 'exceljs', 0.8) ?? null;
  if (c === k.revision5m) return rateRatio(k.revision5m, k.firstLoad5m, 'first load', 0.5) ?? null;
  return null;
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
  const ratios: RatioOf = (c) => ratioOf(c, k);
  print(caseTable(results, ratios));
  const notes = noteLines(results);
  if (notes.length > 0) {
    print('');
    for (const line of notes) print(line);
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
  print('Targets (issue 22; ratios of medians of alternating runs):');
  const issue22 = targetLines(
    results.filter((c) => c.ratio !== undefined || c.rssBelowMB !== undefined),
    ratios,
  );
  for (const line of issue22.length === 0 ? ['  n/a     none of its cases ran'] : issue22) print(line);
  print('');
  for (const line of machineLines()) print(line);
}
