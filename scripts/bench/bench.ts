/**
 * `npm run bench`: the benchmark of issues 3, 17 and 22. Generates deterministic inputs (cached under
 * .bench/), runs Corridor's CLI on each in a fresh warehouse as a separate process, times the
 * sqlite3 CLI's `.import` and exceljs's streaming parse of the same files as floors, and
 * prints rows/s, wall time and peak RSS per case with the targets. It measures; it is
 * not a test: it exits 0 whether targets are met or not, and CI does not run it.
 *
 *   npm run bench                          every case, full sizes (5M BACI, 1M Comtrade, 1M XLSX)
 *   npm run bench -- --quick               1/10 sizes, a smoke run
 *   npm run bench -- --only baci5m,xlsx    a subset (groups below)
 *   npm run bench -- --keep                keep the warehouses in .bench/run/<pid>/ for inspection
 *   npm run bench -- --baseline 15b5199    baci5m also times that release's CLI: 3 runs each,
 *                                          alternating before/after, medians and their ratio
 *   npm run bench -- --db postgres://postgres@127.0.0.1:5432/test
 *                                          the load and derive cases on that PostgreSQL server,
 *                                          each in a new database, beside psql \copy
 *   npm run bench -- --rounds 5            runs of each case measured against a floor (issue
 *                                          22: 3 by default, 1 with --quick), alternating
 *
 * docs/benchmark.md describes every case, its target and the JSON written.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BaselineTree, headShort, materialiseBaseline } from './baseline.ts';
import { benchOptions, GROUPS, type Group } from './bench-options.ts';
import {
  alternate,
  type CaseRatio,
  type CaseResult,
  medianAgainstFloor,
  medianOfRuns,
  rateRatio,
  timeRatio,
  withTargets,
} from './case-figures.ts';
import {
  type BenchContext,
  copyWarehouse,
  corridorLoad,
  exceljsParse,
  holdsOnly,
  preparedWarehouse,
  prepareLoad,
  removeDatabase,
  revisionLoad,
  sliceReplacement,
  sqliteImport,
} from './cases.ts';
import { deriveOneYear, deriveRefreshes } from './derive-cases.ts';
import { BenchInputs } from './generate-inputs.ts';
import { postgresBench } from './postgres-bench.ts';
import { type KeyCases, machineLines, printReport, ratioOf } from './report.ts';
import { writeResults } from './results-file.ts';
import { makeRunFolder } from './run-folder.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (line: string) => console.log(line);
const { values, selected, rounds } = benchOptions();

// The CLI runs from the bundle only when it is up to date (bin/launch.js): build it first, so
// the figures are those of the bundled CLI that users run.
if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { stdio: 'inherit' }).status !== 0) {
  console.error('npm run build failed; fix the build before benchmarking.');
  process.exit(1);
}
// --baseline: the earlier release's tree, extracted and built before anything is timed.
let baseline: BaselineTree | null = null;
if (values.baseline !== undefined) {
  if (!selected.has('baci5m')) {
    console.log('--baseline compares the baci5m group, which --only left out: no baseline run.');
  } else {
    try {
      baseline = materialiseBaseline(ROOT, values.baseline, (line) => console.log(line));
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    }
  }
}
const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;
const runDir = makeRunFolder(ROOT);
let dbCount = 0;
const inputs = new BenchInputs(ROOT, values.quick, log);
const ctx: BenchContext = {
  root: ROOT,
  runDir,
  inputs,
  log,
  nextDb: () => join(runDir, `w${++dbCount}.db`),
  rounds,
};

/** 5000000 → "5M", 500000 → "500k": case labels follow the sizes actually run. */
const size = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const { baciBig, baciYear, comtrade, xlsx } = inputs.sizes;

log(`Corridor benchmark${values.quick ? ' (--quick: 1/10 sizes; targets are set for full sizes)' : ''}`);
for (const line of machineLines()) log(line);
log(`HS codes: ${inputs.pools.hsSource}; countries: ${inputs.pools.countries.length}`);
if (!hasSqlite3)
  log('sqlite3 CLI not found: the .import floors are skipped. Install it with `apt-get install sqlite3`.');
log('');

if (values.db !== undefined) {
  if (!/^postgres(ql)?:\/\//i.test(values.db)) {
    console.error('--db takes a postgres:// URL: the SQLite cases run without it.');
    process.exit(2);
  }
  const figures = await postgresBench(ctx, values.db, selected, values.keep);
  log('');
  log(
    `Figures as JSON: ${writeResults(ROOT, { backend: 'postgres', quick: values.quick, ...figures }, values.json)}`,
  );
  for (const line of machineLines()) log(line);
  if (!values.keep) rmSync(runDir, { recursive: true, force: true });
  process.exit(0);
}

const results: CaseResult[] = [];
const keys: { -readonly [K in keyof KeyCases]: KeyCases[K] } = {};
async function run<T extends CaseResult>(result: Promise<T>): Promise<T> {
  const r = await result;
  results.push(r);
  const figure =
    r.error === null ? `${r.wallS?.toFixed(2)} s, ${r.rssMB?.toFixed(0)} MiB` : `FAILED: ${r.error}`;
  log(`  ${r.label}: ${figure}`);
  return r;
}

/** The sqlite3 `.import` of `file` as a case's floor; null without the sqlite3 CLI. */
const importFloor = (group: string, what: string, file: string, table: 'baci' | 'comtrade') =>
  hasSqlite3 ? () => sqliteImport(ctx, group, `sqlite3 .import ${what}`, file, table) : null;

/** A warehouse and its journal files, unless --keep asked to leave them for inspection. */
function dropWarehouse(db: string): void {
  if (!values.keep) removeDatabase(db);
}

/** Issue 22's measure (case-figures.ts): the case's median against its floor's, both in the table. */
async function againstFloor(
  floorRun: (() => Promise<CaseResult>) | null,
  caseRun: () => Promise<CaseResult>,
  ratio: (mine: CaseResult, floor: CaseResult | undefined) => CaseRatio | undefined,
  rssBelowMB?: number,
): Promise<CaseResult> {
  const { mine, floor } = await medianAgainstFloor(rounds, floorRun, caseRun, ratio, rssBelowMB, log);
  results.push(mine, ...(floor === undefined ? [] : [floor]));
  return mine;
}

/** A load run whose warehouse is dropped after it (kept with --keep). */
const loadAndDrop = (load: () => Promise<CaseResult & { db: string }>) => async () => {
  const r = await load();
  dropWarehouse(r.db);
  return r;
};

/** Load targets of issue 22: rows/s against the floor, peak RSS below 256 MiB at any size. */
const LOAD_RSS_MB = 256;
const DERIVE_RSS_MB = 512;

/** Rounds of the baseline comparison: before, after, before, after… */
const BASELINE_ROUNDS = 3;

let baci5mDb: string | null = null;
/** One group's cases; a failed set-up is reported as a failed case, never ends the run. */
async function runGroup(group: Group): Promise<void> {
  switch (group) {
    case 'baci1m':
      keys.baci1m = await run(
        corridorLoad(
          ctx,
          group,
          `corridor load BACI CSV ${size(baciYear)}`,
          await inputs.baci(2019),
          'baci',
        ).then((r) => ({ ...r, rssBelowMB: LOAD_RSS_MB })),
      );
      break;
    case 'baci5m': {
      const file = await inputs.baci(2020);
      const label = `corridor load BACI CSV ${size(baciBig)}`;
      const floorRun = importFloor(group, `BACI CSV ${size(baciBig)}`, file, 'baci');
      const toFloor = (mine: CaseResult, floor: CaseResult | undefined) =>
        rateRatio(mine, floor, 'sqlite3 .import', 0.9);
      // One warehouse of this checkout is kept for reload5m and revision5m; the others dropped.
      const keepFirstGood = (r: CaseResult & { db: string }) => {
        if (r.error === null && baci5mDb === null) baci5mDb = r.db;
        else dropWarehouse(r.db);
        return r;
      };
      const now = (what: string) => () => corridorLoad(ctx, group, what, file, 'baci').then(keepFirstGood);
      if (baseline === null) {
        keys.baci5m = await againstFloor(floorRun, now(label), toFloor, LOAD_RSS_MB);
      } else {
        // Alternating floor, before, after, so drift in the machine's load falls on all alike;
        // each run in a fresh warehouse.
        const old = loadAndDrop(() =>
          corridorLoad(ctx, group, `${label}: before (${baseline!.short})`, file, 'baci', {
            cli: baseline!.root,
          }),
        );
        const steps = [old, now(`${label}: after (this checkout)`)];
        const runs = await alternate(BASELINE_ROUNDS, floorRun === null ? steps : [floorRun, ...steps], log);
        const [before, after] = runs.slice(-2) as [CaseResult[], CaseResult[]];
        const floor = floorRun === null ? undefined : medianOfRuns(runs[0]!);
        keys.baseline = {
          ref: baseline.ref,
          short: baseline.short,
          head: headShort(ROOT),
          what: `BACI CSV ${size(baciBig)}`,
          before,
          after,
        };
        const median = medianOfRuns(after);
        keys.baci5m = withTargets(median, toFloor(median, floor), LOAD_RSS_MB);
        results.push(medianOfRuns(before), keys.baci5m, ...(floor === undefined ? [] : [floor]));
      }
      break;
    }
    case 'reload5m': {
      const file = await inputs.baci(2020);
      let db = baci5mDb;
      if (db === null) {
        db = ctx.nextDb();
        log(`  set-up: loading the ${size(baciBig)} file once (untimed)…`);
        await prepareLoad(ctx, db, [file], 'baci');
      }
      await run(
        corridorLoad(ctx, group, `corridor reload unchanged BACI ${size(baciBig)} (skip)`, file, 'baci', {
          db,
          expect: 'skipped',
        }),
      );
      break;
    }
    case 'revision5m': {
      const file = await inputs.baci(2020);
      await inputs.baciRevision2020();
      // It starts from exactly one load of the original file: baci5m's warehouse (reload5m only
      // adds a skipped load to it), or else a first load made here, which is then the first-load
      // figure the revision is compared with.
      let db = baci5mDb !== null && holdsOnly(baci5mDb, file) ? baci5mDb : null;
      let first = keys.baci5m?.error === null ? keys.baci5m : undefined;
      if (db === null) {
        const setUp = await run(
          corridorLoad(ctx, group, `corridor load BACI CSV ${size(baciBig)} (revision set-up)`, file, 'baci'),
        );
        if (setUp.error !== null) throw new Error(`set-up load failed: ${setUp.error}`);
        db = setUp.db;
        first = setUp;
      } else {
        log('  set-up: the baci5m warehouse, holding one load of the original file');
      }
      if (first !== undefined) keys.firstLoad5m = first;
      keys.revision5m = await run(
        revisionLoad(
          ctx,
          `corridor load BACI ${size(baciBig)} revised in 1 % of rows`,
          db,
          baseline?.short ?? values.baseline ?? null,
        ),
      );
      break;
    }
    case 'comtrade1m': {
      const file = await inputs.comtradeCsv();
      keys.comtrade = await againstFloor(
        importFloor(group, `Comtrade CSV ${size(comtrade)}`, file, 'comtrade'),
        loadAndDrop(() =>
          corridorLoad(ctx, group, `corridor load Comtrade CSV ${size(comtrade)}`, file, 'comtrade'),
        ),
        (mine, floor) => rateRatio(mine, floor, 'sqlite3 .import', 0.75),
        LOAD_RSS_MB,
      );
      break;
    }
    case 'preloaded': {
      const others = [2015, 2016, 2017, 2018];
      const files: string[] = [];
      for (const year of others) files.push(await inputs.baci(year));
      const file = await inputs.baci(2019);
      const prepared = await preparedWarehouse(ctx, files);
      await againstFloor(
        importFloor(group, `BACI CSV ${size(baciYear)}`, file, 'baci'),
        loadAndDrop(() =>
          corridorLoad(ctx, group, `corridor load BACI CSV ${size(baciYear)} beside 4 years`, file, 'baci', {
            db: copyWarehouse(prepared, ctx.nextDb()),
          }),
        ),
        (mine, floor) => rateRatio(mine, floor, 'sqlite3 .import', 0.6),
        LOAD_RSS_MB,
      );
      dropWarehouse(prepared);
      break;
    }
    case 'xlsx': {
      const file = await inputs.comtradeXlsx();
      keys.xlsx = await run(
        corridorLoad(ctx, group, `corridor load Comtrade XLSX ${size(xlsx)}`, file, 'comtrade'),
      );
      keys.exceljs = await run(exceljsParse(ctx, `exceljs stream parse-only XLSX ${size(xlsx)}`, file));
      break;
    }
    case 'slice':
      await run(sliceReplacement(ctx, `corridor replace 2019 slice (${size(baciYear)}) of 5 years`));
      break;
    case 'derive1y': {
      const file = await inputs.baci(2019);
      const prepared = await preparedWarehouse(ctx, [file]);
      keys.derive1y = await againstFloor(
        importFloor(group, `BACI CSV ${size(baciYear)}`, file, 'baci'),
        () =>
          deriveOneYear(
            ctx,
            `corridor derive after a BACI ${size(baciYear)} year, checks included`,
            prepared,
            inputs.rowsOf(file),
            values.keep,
          ),
        (mine, floor) => timeRatio(mine, floor, 'sqlite3 .import', 5),
        DERIVE_RSS_MB,
      );
      dropWarehouse(prepared);
      break;
    }
    case 'derive': {
      const [first, again] = await deriveRefreshes(ctx, size(baciYear));
      results.push(first);
      // Issue 22: the refresh after one year of five changed, against deriving one year.
      await run(
        Promise.resolve(withTargets(again, timeRatio(again, keys.derive1y, 'the one-year derive', 1.2))),
      );
      break;
    }
  }
}

for (const group of GROUPS.filter((g) => selected.has(g))) {
  log(`[${group}]`);
  try {
    await runGroup(group);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.stack !== undefined) log(error.stack);
    await run(
      Promise.resolve({
        group,
        label: `${group} (set-up)`,
        rows: 0,
        wallS: null,
        rssMB: null,
        error: message,
        notes: [],
      }),
    );
  }
}

log('');
printReport(results, keys, log);
const ratios = new Map(
  results.flatMap((c) => {
    const r = ratioOf(c, keys);
    return r === null ? [] : [[c.label, r] as const];
  }),
);
log(
  `Figures as JSON: ${writeResults(ROOT, { backend: 'sqlite', quick: values.quick, cases: results, ratios }, values.json)}`,
);
if (!values.keep) rmSync(runDir, { recursive: true, force: true });
