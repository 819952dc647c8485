/**
 * `npm run bench`: issue 3's benchmark. Generates deterministic inputs (cached under
 * .bench/), runs Corridor's CLI on each in a fresh warehouse as a separate process, times the
 * sqlite3 CLI's `.import` and exceljs's streaming parse of the same files as floors, and
 * prints rows/s, wall time and peak RSS per case with the issue's targets. It measures; it is
 * not a test: it exits 0 whether targets are met or not, and CI does not run it.
 *
 *   npm run bench                          every case, full sizes (5M BACI, 1M Comtrade, 1M XLSX)
 *   npm run bench -- --quick               1/10 sizes, a smoke run
 *   npm run bench -- --only baci5m,xlsx    a subset (groups below)
 *   npm run bench -- --keep                keep the warehouses in .bench/run/ for inspection
 *   npm run bench -- --baseline 15b5199    baci5m also times that release's CLI: 3 runs each,
 *                                          alternating before/after, medians and their ratio
 *   npm run bench -- --db postgres://postgres@127.0.0.1:5432/test
 *                                          the load and derive cases on that PostgreSQL server,
 *                                          each in a new database, beside psql \copy
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BaselineTree, headShort, materialiseBaseline } from './baseline.ts';
import {
  type BenchContext,
  type CaseResult,
  corridorLoad,
  deriveRefreshes,
  exceljsParse,
  holdsOnly,
  prepareLoad,
  revisionLoad,
  sliceReplacement,
  sqliteImport,
} from './cases.ts';
import { BenchInputs } from './generate-inputs.ts';
import { postgresBench } from './postgres-bench.ts';
import { type KeyCases, machineLines, medianRun, printReport, ratioOf } from './report.ts';
import { writeResults } from './results-file.ts';

const GROUPS = [
  'baci1m',
  'baci5m',
  'reload5m',
  'revision5m',
  'comtrade1m',
  'xlsx',
  'slice',
  'derive',
] as const;
type Group = (typeof GROUPS)[number];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (line: string) => console.log(line);

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    `usage: npm run bench -- [--quick] [--only ${GROUPS.join(',')}] [--keep] [--baseline <git ref>] [--db postgres://...] [--json <file>]`,
  );
  process.exit(0);
}
const selected = new Set<Group>();
for (const name of values.only?.split(',').map((s) => s.trim()) ?? GROUPS) {
  if (!(GROUPS as readonly string[]).includes(name)) {
    console.error(`Unknown case "${name}" in --only; choose among ${GROUPS.join(', ')}.`);
    process.exit(2);
  }
  selected.add(name as Group);
}

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
const runDir = join(ROOT, '.bench', 'run');
rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
let dbCount = 0;
const inputs = new BenchInputs(ROOT, values.quick, log);
const ctx: BenchContext = { root: ROOT, runDir, inputs, log, nextDb: () => join(runDir, `w${++dbCount}.db`) };

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
    r.error === null ? `${r.wallS?.toFixed(2)} s, ${r.rssMB?.toFixed(0)} MB` : `FAILED: ${r.error}`;
  log(`  ${r.label}: ${figure}`);
  return r;
}

/** A warehouse and its journal files, unless --keep asked to leave them for inspection. */
function dropWarehouse(db: string): void {
  if (values.keep) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${db}${suffix}`, { force: true });
}

/** Rounds of the baseline comparison: before, after, before, after… */
const BASELINE_ROUNDS = 3;

let baci5mDb: string | null = null;
/** One group's cases; a failed set-up is reported as a failed case, never ends the run. */
async function runGroup(group: Group): Promise<void> {
  switch (group) {
    case 'baci1m':
      keys.baci1m = await run(
        corridorLoad(ctx, group, `corridor load BACI CSV ${size(baciYear)}`, await inputs.baci(2019), 'baci'),
      );
      break;
    case 'baci5m': {
      const file = await inputs.baci(2020);
      const label = `corridor load BACI CSV ${size(baciBig)}`;
      if (baseline === null) {
        const r = await run(corridorLoad(ctx, group, label, file, 'baci'));
        keys.baci5m = r;
        if (r.error === null) baci5mDb = r.db;
      } else {
        // Alternating, so drift in the machine's load falls on both sides alike; each run in a
        // fresh warehouse. One warehouse of this checkout is kept for reload5m and revision5m.
        const before: CaseResult[] = [];
        const after: CaseResult[] = [];
        for (let i = 1; i <= BASELINE_ROUNDS; i++) {
          const round = `${i} of ${BASELINE_ROUNDS}`;
          const old = await run(
            corridorLoad(ctx, group, `${label}: before (${baseline.short}), ${round}`, file, 'baci', {
              cli: baseline.root,
            }),
          );
          before.push(old);
          dropWarehouse(old.db);
          const now = await run(
            corridorLoad(ctx, group, `${label}: after (this checkout), ${round}`, file, 'baci'),
          );
          after.push(now);
          if (now.error === null && baci5mDb === null) baci5mDb = now.db;
          else dropWarehouse(now.db);
        }
        keys.baseline = {
          ref: baseline.ref,
          short: baseline.short,
          head: headShort(ROOT),
          what: `BACI CSV ${size(baciBig)}`,
          before,
          after,
        };
        const median = medianRun(after);
        if (median !== undefined) keys.baci5m = median;
      }
      if (hasSqlite3)
        keys.sqliteBaci = await run(
          sqliteImport(ctx, group, `sqlite3 .import BACI CSV ${size(baciBig)}`, file, 'baci'),
        );
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
      keys.comtrade = await run(
        corridorLoad(ctx, group, `corridor load Comtrade CSV ${size(comtrade)}`, file, 'comtrade'),
      );
      if (hasSqlite3)
        keys.sqliteComtrade = await run(
          sqliteImport(ctx, group, `sqlite3 .import Comtrade CSV ${size(comtrade)}`, file, 'comtrade'),
        );
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
    case 'derive': {
      const [first, again] = await deriveRefreshes(ctx, size(baciYear));
      results.push(first!);
      await run(Promise.resolve(again!));
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
