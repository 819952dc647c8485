/**
 * What keeping every revision costs (issue 17): loads one BACI year, then nine more releases of
 * the same file, each changing a different 1 % of the values, into one warehouse, and prints the
 * warehouse's size and each load's time and counts. Ten monthly releases should cost little
 * more than one: only changed rows are stored again.
 *
 *   npx tsx scripts/vintage-cost.ts [--rows 500000]
 *
 * It uses the benchmark's generated BACI inputs (npm run bench -- --quick makes 500k-row files
 * under .bench/inputs-quick/, the full bench 5M-row ones under .bench/inputs/) and writes its
 * releases and warehouse under .bench/vintage-cost/, removed at the end.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../src/db/driver.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RELEASES = 10;
const CHANGED_EVERY = 100;

const inputs = ['inputs', 'inputs-quick']
  .map((d) => join(ROOT, '.bench', d, 'baci'))
  .find((d) => existsSync(join(d, 'BACI_HS17_Y2020_V202401b.csv')));
if (inputs === undefined) {
  console.error('No generated BACI input: run "npm run bench -- --quick --only baci5m" first.');
  process.exit(2);
}
const original = join(inputs, 'BACI_HS17_Y2020_V202401b.csv');
const work = join(ROOT, '.bench', 'vintage-cost');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const db = join(work, 'w.db');

/**
 * Release r (0 = the first) holds the changes of the releases before it and changes the data
 * rows whose number is r mod 100: each release revises a new 1 % of the values.
 */
async function writeRelease(r: number): Promise<string> {
  const dir = join(work, `release-${r}`);
  mkdirSync(dir);
  for (const f of readdirSync(inputs!).filter((f) => !f.startsWith('BACI_')))
    copyFileSync(join(inputs!, f), join(dir, f));
  const path = join(dir, 'BACI_HS17_Y2020_V202401b.csv');
  const out = createWriteStream(path);
  let n = -1;
  for await (const line of createInterface({ input: createReadStream(original) })) {
    n++;
    const revisedIn = n % CHANGED_EVERY;
    if (n > 0 && revisedIn >= 1 && revisedIn <= r) {
      const cells = line.split(',');
      cells[4] = (Number(cells[4]) * (1 + revisedIn / 1000)).toFixed(3);
      out.write(`${cells.join(',')}\n`);
    } else out.write(`${line}\n`);
  }
  await new Promise<void>((done) => out.end(done));
  return path;
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const sizeOf = () => {
  const sqlite = openSqlite(db, { readonly: true });
  try {
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A read-only connection cannot checkpoint; the WAL file is counted below instead.
  }
  sqlite.close();
  return statSync(db).size + (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);
};

console.log(
  `Keeping every revision: ${RELEASES} releases of ${original.replace(`${ROOT}/`, '')}, each changing 1 % of the values`,
);
let first = 0;
for (let r = 0; r < RELEASES; r++) {
  const file = await writeRelease(r);
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin', 'corridor.js'),
      'load',
      file,
      '--source',
      'baci',
      '--db',
      db,
      '--no-derive',
      '--quiet',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  const sqlite = openSqlite(db, { readonly: true });
  const load = sqlite
    .prepare(
      'select rows_read, rows_inserted, rows_changed, rows_unchanged, rows_retired from load_files order by load_id desc limit 1',
    )
    .get() as Record<string, number>;
  const closed = sqlite.prepare('select count(*) from baci_flows_closed').pluck().get() as number;
  sqlite.close();
  const size = sizeOf();
  if (r === 0) first = size;
  console.log(
    `release ${r + 1}: ${seconds.toFixed(1)} s; inserted ${load.rows_inserted}, changed ${load.rows_changed}, unchanged ${load.rows_unchanged}, retired ${load.rows_retired}; closed versions ${closed}; warehouse ${megabytes(size)} MB (${(size / first).toFixed(3)} × one release)`,
  );
  rmSync(dirname(file), { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
