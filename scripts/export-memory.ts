/**
 * How `corridor export` scales: wall time and peak RSS of the export of a 1,000,000-row and a
 * 5,000,000-row `trade_flows`, each its own process, so memory that is flat in the table's size
 * shows as two equal peaks. Not a test: it measures and exits 0.
 *
 *   npx tsx scripts/export-memory.ts            csv and ndjson of 1M and 5M rows, xlsx of 1M
 *   npx tsx scripts/export-memory.ts --quick    1/10 of the sizes
 *   npx tsx scripts/export-memory.ts --no-xlsx  skip the XLSX case (the slowest)
 *   npx tsx scripts/export-memory.ts --only csv,json   some formats (csv xlsx json ndjson parquet)
 *
 * The warehouses are real ones: the benchmark's generated BACI files (scripts/bench/, cached in
 * .bench/inputs/) loaded by `corridor load --source baci --no-derive`, kept in .bench/export/
 * and reused while their rows are all there. `trade_flows` over BACI is the hardest table to
 * export in order: a view joining baci_flows to its country codes, which SQLite sorts by the
 * key (source, reporter, period, flow, partner…) through its external sorter. Runs
 * `npm run build` first, as the benchmark does, and runs the bundle, so the figures are those of
 * the bundled CLI users run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openSqlite } from '../src/db/driver.ts';
import { BenchInputs } from './bench/generate-inputs.ts';
import { type Measured, measureProcess } from './bench/measure-process.ts';
import { machineLines } from './bench/report.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'corridor.js');
/**
 * The bundle itself, not bin/corridor.js: that one falls back to tsx (slower, 50 MB more) as
 * soon as any source file is newer than the bundle, which an edit elsewhere in the tree makes
 * true in mid-measurement.
 */
const BUNDLED = [
  '--input-type=module',
  '-e',
  `const { runCli } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'corridor.mjs')).href)}); process.exitCode = await runCli(process.argv.slice(1));`,
  '--',
];
const log = (line: string) => console.log(line);

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-xlsx': { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { stdio: 'inherit' }).status !== 0) {
  console.error('npm run build failed; fix the build before measuring.');
  process.exit(1);
}

const inputs = new BenchInputs(ROOT, values.quick, log);
const work = join(ROOT, '.bench', values.quick ? 'export-quick' : 'export');
mkdirSync(work, { recursive: true });

const count = (db: string) => {
  const d = openSqlite(db, { readonly: true });
  try {
    return (d.prepare('select count(*) as n from baci_flows').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

/** A warehouse holding one BACI year of `rows` rows, loaded once and kept. */
async function warehouse(year: number, rows: number): Promise<string> {
  const db = join(work, `baci-${year}.db`);
  if (existsSync(db) && count(db) === rows) return db;
  rmSync(db, { force: true });
  const file = await inputs.baci(year);
  log(`  set-up: loading ${file} into ${db} (untimed)…`);
  const load = spawnSync(
    process.execPath,
    [BIN, '--db', db, '--quiet', 'load', file, '--source', 'baci', '--no-derive'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (load.status !== 0) throw new Error(`set-up load failed: ${load.stderr}`);
  if (count(db) !== rows) throw new Error(`${db} holds ${count(db)} rows, not ${rows}`);
  return db;
}

interface Result {
  readonly label: string;
  readonly rows: number;
  readonly m: Measured;
  readonly bytes: number;
}

async function exportCase(db: string, rows: number, format: string): Promise<Result> {
  const out = join(work, 'out', `${format}-${rows}`);
  rmSync(out, { recursive: true, force: true });
  const m = await measureProcess(
    process.execPath,
    [...BUNDLED, '--db', db, 'export', 'trade_flows', '--format', format, '--out', `${out}/`],
    ROOT,
  );
  const files = existsSync(out) ? readdirSync(out).filter((f) => f.startsWith('trade_flows')) : [];
  const bytes = files.reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
  if (m.exitCode !== 0) log(`  FAILED: ${m.stderr.trim().split('\n').at(-1)}`);
  else log(`  ${m.stdout.trim()}`);
  if (!values.keep) rmSync(out, { recursive: true, force: true });
  return { label: `export trade_flows ${format}`, rows, m, bytes };
}

const sizes = inputs.sizes;
log(`corridor export: memory and time${values.quick ? ' (--quick: 1/10 sizes)' : ''}`);
for (const line of machineLines()) log(line);
log('');

const small = await warehouse(2019, sizes.baciYear);
const big = await warehouse(2020, sizes.baciBig);
const results: Result[] = [];
const formats = values.only?.split(',') ?? ['csv', 'ndjson', 'xlsx'];
for (const format of formats.filter((f) => f !== 'xlsx')) {
  results.push(await exportCase(small, sizes.baciYear, format));
  results.push(await exportCase(big, sizes.baciBig, format));
}
if (formats.includes('xlsx') && !values['no-xlsx'])
  results.push(await exportCase(small, sizes.baciYear, 'xlsx'));

log('');
log('| case | rows | wall s | rows/s | peak RSS MB | output MB |');
log('| --- | --: | --: | --: | --: | --: |');
for (const r of results) {
  const ok = r.m.exitCode === 0;
  log(
    `| ${r.label} | ${r.rows.toLocaleString('en-US')} | ${ok ? r.m.wallS.toFixed(2) : 'failed'} | ${
      ok ? Math.round(r.rows / r.m.wallS).toLocaleString('en-US') : ''
    } | ${r.m.rssMB?.toFixed(0) ?? '?'} | ${(r.bytes / 2 ** 20).toFixed(0)} |`,
  );
}
