/**
 * `npm run scale-model`: the scale model of issue 22 (point 3). Generates five BACI-sized years
 * with real codes and realistic sparsity (scripts/scale/generate-scale-baci.ts; cached under
 * `.bench/scale/inputs/`), loads them with the real CLI on SQLite and on PostgreSQL, derives,
 * and prints per backend the rows loaded, load rows/s, derive time, database size on disk and
 * the peak RSS of every process; then the modelled time of every BACI year since 1995 at those
 * rates. The figures are also written as JSON (`.bench/scale/results/<date>-<backend>.json`).
 * See docs/scale-model.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { memoryProbe } from './bench/measure-process.ts';
import { historyTable, type MeasuredRates, ROWS_ASSUMPTION } from './scale/history-model.ts';
import { ratesFromResults } from './scale/model-from-results.ts';
import { type Backend, type BackendFigures, runBackend } from './scale/run-backend.ts';
import { ensureScaleInputs } from './scale/scale-inputs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

const USAGE = `npm run scale-model -- [options]
  --rows-per-year N   rows of each generated year (default 10000000, a BACI-sized year)
  --years Y,Y,...     the years to generate and load (default 2015,2016,2017,2018,2019)
  --db URL            the PostgreSQL server, as the URL of any database on it (default ${DEFAULT_SERVER});
                      the run creates a database of its own there and drops it afterwards
  --sqlite-only       skip PostgreSQL
  --postgres-only     skip SQLite
  --no-derive         loads only (on SQLite a derive took 570 s for five 1M-row years: docs/benchmark.md)
  --keep              keep the warehouses (the SQLite file, the PostgreSQL database)
  --model-from F,F    run nothing: print the history model from earlier runs' JSON, the load rate
                      from the largest load and the derive rate from the largest derive`;

const { values } = parseArgs({
  options: {
    'rows-per-year': { type: 'string', default: '10000000' },
    years: { type: 'string', default: '2015,2016,2017,2018,2019' },
    db: { type: 'string' },
    'sqlite-only': { type: 'boolean', default: false },
    'postgres-only': { type: 'boolean', default: false },
    'no-derive': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'model-from': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const fail = (message: string): never => {
  console.error(`scale-model: ${message}\n\n${USAGE}`);
  process.exit(2);
};
const modelHeading = `Modelled time for every BACI HS92 year (${ROWS_ASSUMPTION}; linear in rows):\n`;
if (values['model-from'] !== undefined) {
  try {
    const { rates, sources } = ratesFromResults(values['model-from'].split(','));
    for (const line of sources) console.log(line);
    console.log(`\n${modelHeading}`);
    for (const line of historyTable(rates)) console.log(line);
    process.exit(0);
  } catch (cause) {
    fail((cause as Error).message);
  }
}
const rowsPerYear = Number(values['rows-per-year']);
if (!Number.isInteger(rowsPerYear) || rowsPerYear < 1000)
  fail(`--rows-per-year must be a whole number of at least 1000, got "${values['rows-per-year']}"`);
const years = values.years.split(',').map((y) => Number(y.trim()));
if (years.some((y) => !Number.isInteger(y) || y < 1995 || y > 2100))
  fail(`--years must be years from 1995 on, separated by commas, got "${values.years}"`);
if (values['sqlite-only'] && values['postgres-only'])
  fail('--sqlite-only and --postgres-only exclude each other');
if (values.db !== undefined && !/^postgres(ql)?:\/\//.test(values.db))
  fail(`--db must be a postgres:// URL, got "${values.db}"`);
const backends: Backend[] = values['sqlite-only']
  ? ['sqlite']
  : values['postgres-only']
    ? ['postgres']
    : ['sqlite', 'postgres'];

const log = (line: string) => console.log(line);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${fmt(bytes / 2 ** 20)} MiB`);

// The CLI runs from the bundle only when it is up to date (bin/launch.js): build it first, so
// the figures are the bundled CLI's, as the bench's are.
if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { stdio: 'inherit' }).status !== 0)
  fail('npm run build failed; fix the build before measuring.');

const files = ensureScaleInputs(ROOT, rowsPerYear, years, log);
const totalRows = files.reduce((sum, f) => sum + f.rows, 0);
log(
  `\nslice: ${files.length} BACI-layout years (${years.join(', ')}), ${fmt(totalRows)} rows, ${(files.reduce((s, f) => s + f.bytes, 0) / 1e9).toFixed(2)} GB of CSV; peak RSS by ${memoryProbe}`,
);

const results: BackendFigures[] = [];
for (const backend of backends) {
  log(`\n[${backend}]`);
  results.push(
    await runBackend(
      {
        root: ROOT,
        backend,
        adminUrl: values.db ?? DEFAULT_SERVER,
        derive: !values['no-derive'],
        keep: values.keep,
        log,
      },
      files,
    ),
  );
}

log(
  '\n| backend | rows loaded | load s | load rows/s | load peak RSS | size after load | derive s | derive peak RSS | indicator rows written | size after derive |',
);
log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const loadRss = Math.max(...r.loads.map((l) => l.peakRssMB ?? 0));
  log(
    `| ${r.backend} | ${fmt(r.rowsLoaded)} | ${r.loadWallS.toFixed(1)} | ${r.loadWallS ? fmt(r.rowsLoaded / r.loadWallS) : 'n/a'} | ${fmt(loadRss)} MB | ${mb(r.bytesAfterLoad)} | ${r.derive?.wallS.toFixed(1) ?? 'n/a'} | ${r.derive?.peakRssMB === undefined || r.derive.peakRssMB === null ? 'n/a' : `${fmt(r.derive.peakRssMB)} MB`} | ${r.indicatorRows === null ? 'n/a' : fmt(r.indicatorRows)} | ${mb(r.bytesAfterDerive)} |`,
  );
  if (r.rowsRejected > 0) log(`  ${r.backend}: ${fmt(r.rowsRejected)} rows rejected (expected none)`);
  if (r.error !== null) log(`  ${r.backend}: FAILED: ${r.error}`);
}

const rates: MeasuredRates[] = results
  .filter((r) => r.error === null && r.rowsLoaded > 0)
  .map((r) => ({
    backend: r.backend,
    loadRowsPerS: r.rowsLoaded / r.loadWallS,
    deriveSPerRow: r.derive === null ? null : r.derive.wallS / r.rowsLoaded,
    bytesPerRow: (r.bytesAfterDerive ?? r.bytesAfterLoad) / r.rowsLoaded,
  }));
if (rates.length > 0) {
  log(`\n${modelHeading}`);
  for (const line of historyTable(rates)) log(line);
}

const when = new Date();
const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
// Read only: other engineers' edits in the working tree are part of what was measured.
const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
  cwd: ROOT,
  encoding: 'utf8',
});
for (const r of results) {
  const path = join(
    ROOT,
    '.bench',
    'scale',
    'results',
    `${when.toISOString().replace(/[:.]/g, '-')}-${r.backend}.json`,
  );
  mkdirSync(dirname(path), { recursive: true });
  const document = {
    date: when.toISOString(),
    commit: head.status === 0 ? head.stdout.trim() : null,
    uncommittedChanges: dirty.status === 0 ? dirty.stdout.trim() !== '' : null,
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    // At the end of the run: other work on a shared machine slows every figure.
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    rowsPerYear,
    years: files.map((f) => ({ year: f.year, rows: f.rows, bytes: f.bytes })),
    ...r,
    loadRowsPerS: r.loadWallS ? Math.round(r.rowsLoaded / r.loadWallS) : null,
    rates: rates.find((x) => x.backend === r.backend) ?? null,
  };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  log(`figures: ${path}`);
}
if (values['no-derive'])
  log(
    'derive was skipped: combine these loads with a smaller run that derived by --model-from <this JSON>,<that JSON>',
  );
if (results.some((r) => r.error !== null)) process.exitCode = 1;
