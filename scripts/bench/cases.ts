/**
 * The measured cases. Each runs one process under measureProcess (so each peak RSS is that
 * case's alone) and checks what it did, from the warehouse journal or a row count, so a fast
 * figure that loaded nothing cannot pass unnoticed.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openSqlite } from '../../src/db/driver.ts';
import { bundleIsFresh, TSX_NOTE } from './bundle-state.ts';
import type { CaseResult } from './case-figures.ts';
import { COMTRADE_COLUMNS } from './generate-comtrade.ts';
import { type BenchInputs, REVISION_EVERY } from './generate-inputs.ts';
import { figuresOf, type Measured, measureProcess } from './measure-process.ts';

export interface BenchContext {
  readonly root: string;
  readonly runDir: string;
  readonly inputs: BenchInputs;
  readonly log: (line: string) => void;
  /** A fresh warehouse path under the run folder: w1.db, w2.db… */
  readonly nextDb: () => string;
  /** Runs of each case measured against a floor, alternating with it (issue 22). */
  readonly rounds: number;
}

export interface LoadRecord {
  status: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  /** Since migration 0008, rows_changed + rows_retired; before it, the rows a file's slices replaced. */
  rows_replaced: number;
  error_message: string | null;
}

/** What a load did to the keys it read (issue 17, migration 0008). */
export interface LoadCounts {
  rows_inserted: number;
  rows_changed: number;
  rows_unchanged: number;
  rows_retired: number;
}

/** The journal's row for the latest load of `file`, or null when none was written. */
export function lastLoad(db: string, file: string): LoadRecord | null {
  if (!existsSync(db)) return null;
  const sqlite = openSqlite(db, { readonly: true, fileMustExist: true });
  try {
    const row = sqlite
      .prepare(
        `select status, rows_read, rows_loaded, rows_rejected, rows_replaced, error_message
         from load_files where path = ? order by load_id desc limit 1`,
      )
      .get(file) as LoadRecord | undefined;
    return row ?? null;
  } catch {
    return null;
  } finally {
    sqlite.close();
  }
}

/**
 * The merge figures of the latest load of `file`; null when the warehouse predates them (a
 * release before issue 17, such as a `--baseline` tree) or holds no such load.
 */
export function loadCounts(db: string, file: string): LoadCounts | null {
  if (!existsSync(db)) return null;
  const sqlite = openSqlite(db, { readonly: true, fileMustExist: true });
  try {
    const row = sqlite
      .prepare(
        `select rows_inserted, rows_changed, rows_unchanged, rows_retired
         from load_files where path = ? order by load_id desc limit 1`,
      )
      .get(file) as LoadCounts | undefined;
    return row ?? null;
  } catch {
    return null;
  } finally {
    sqlite.close();
  }
}

/** The files a warehouse holds loads of (status `loaded`), oldest first. */
export function loadedPaths(db: string): string[] {
  if (!existsSync(db)) return [];
  const sqlite = openSqlite(db, { readonly: true, fileMustExist: true });
  try {
    const rows = sqlite
      .prepare(`select path from load_files where status = 'loaded' order by load_id`)
      .all() as { path: string }[];
    return rows.map((r) => r.path);
  } catch {
    return [];
  } finally {
    sqlite.close();
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

const SQLITE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/** A SQLite database and its journal files. */
export function removeDatabase(db: string): void {
  for (const suffix of SQLITE_SIDE_FILES) rmSync(`${db}${suffix}`, { force: true });
}

/**
 * A copy of a prepared warehouse at `to` (its WAL too, if one was left), so every run of a case
 * starts from the same state without repeating the untimed set-up.
 */
export function copyWarehouse(from: string, to: string): string {
  removeDatabase(to);
  for (const suffix of ['', '-wal'])
    if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
  return to;
}

/** The line a failed command left for its user: the last non-empty one on stderr or stdout. */
export function errorLine(m: Measured): string {
  const lines = `${m.stdout}\n${m.stderr}`.split('\n').filter((l) => l.trim() !== '');
  const said = m.stderr.split('\n').filter((l) => l.trim() !== '');
  return (said.at(-1) ?? lines.at(-1) ?? `exit code ${m.exitCode}`).trim();
}

/**
 * A load without the refresh of the indicator tables (`--no-derive`): the load cases measure
 * loading, as issue 3 set them; the derive cases measure the refresh on its own. `cli` is the
 * checkout whose bin/corridor.js runs: this one, or a `--baseline` tree given the same arguments.
 */
const corridorArgs = (cli: string, db: string, files: readonly string[], source: string) => [
  join(cli, 'bin', 'corridor.js'),
  '--db',
  db,
  '--quiet',
  'load',
  ...files,
  '--source',
  source,
  '--no-derive',
];

/** Runs the CLI without measuring: the set-up of a case, not the case. */
export async function prepareLoad(ctx: BenchContext, db: string, files: readonly string[], source: string) {
  const m = await measureProcess(process.execPath, corridorArgs(ctx.root, db, files, source), ctx.root);
  if (m.exitCode !== 0) throw new Error(`set-up load failed: ${errorLine(m)}`);
  return m.wallS;
}

/**
 * BACI files loaded with --no-derive into a new warehouse (untimed): the starting state that
 * every run of a case copies (copyWarehouse), so the set-up is paid once.
 */
export async function preparedWarehouse(ctx: BenchContext, files: readonly string[]): Promise<string> {
  const db = ctx.nextDb();
  const names = files.map((f) => basename(f)).join(', ');
  ctx.log(`  set-up: loading ${names} with --no-derive (untimed); each run starts from a copy…`);
  ctx.log(`  set-up took ${(await prepareLoad(ctx, db, files, 'baci')).toFixed(1)} s`);
  return db;
}

/**
 * What a load revised, for a case's notes: the rows it changed and retired (issue 17's
 * columns), or, in a warehouse of a release before them, the rows its slices replaced.
 */
function revisionNotes(load: LoadRecord, counts: LoadCounts | null): string[] {
  if (counts === null)
    return load.rows_replaced > 0 ? [`${fmt(load.rows_replaced)} rows replaced (slices)`] : [];
  const notes: string[] = [];
  if (counts.rows_changed > 0) notes.push(`${fmt(counts.rows_changed)} rows changed`);
  if (counts.rows_retired > 0) notes.push(`${fmt(counts.rows_retired)} rows retired`);
  return notes;
}

/**
 * `corridor load` of one file into `db`; `expect` is the status the journal should show. `cli`
 * is the checkout whose CLI runs (this one by default); `describe` replaces the notes on what
 * the load revised.
 */
export async function corridorLoad(
  ctx: BenchContext,
  group: string,
  label: string,
  file: string,
  source: 'baci' | 'comtrade',
  options: {
    db?: string;
    expect?: 'loaded' | 'skipped';
    cli?: string;
    describe?: (load: LoadRecord, counts: LoadCounts | null) => string[];
  } = {},
): Promise<CaseResult & { db: string }> {
  const db = options.db ?? ctx.nextDb();
  const cli = options.cli ?? ctx.root;
  const rows = ctx.inputs.rowsOf(file);
  const bundled = bundleIsFresh(cli);
  const m = await measureProcess(process.execPath, corridorArgs(cli, db, [file], source), cli);
  const load = lastLoad(db, file);
  const notes: string[] = [];
  if (!bundled) notes.push(TSX_NOTE);
  const expect = options.expect ?? 'loaded';
  let error: string | null = null;
  if (m.exitCode !== 0 || load === null || load.status !== expect) {
    error = m.exitCode !== 0 ? errorLine(m) : `journal says ${load?.status ?? 'nothing'}, expected ${expect}`;
  } else if (expect === 'loaded') {
    if (load.rows_read !== rows) notes.push(`read ${load.rows_read} of ${rows} rows`);
    if (load.rows_rejected > 0) notes.push(`${load.rows_rejected} rows rejected`);
    notes.push(...(options.describe ?? revisionNotes)(load, loadCounts(db, file)));
  }
  return { group, label, rows, ...figuresOf(m), error, notes, db };
}

/** Loads 2015–2019 (untimed), then times a revised 2019 file (every value changed) over its year. */
export async function sliceReplacement(ctx: BenchContext, label: string): Promise<CaseResult> {
  const years = [2015, 2016, 2017, 2018, 2019];
  const files: string[] = [];
  for (const year of years) files.push(await ctx.inputs.baci(year));
  const revised = await ctx.inputs.baciRevised2019();
  const db = ctx.nextDb();
  ctx.log(`  set-up: loading ${years.join(', ')} into ${db.slice(ctx.root.length + 1)} (untimed)…`);
  const setupS = await prepareLoad(ctx, db, files, 'baci');
  const result = await corridorLoad(ctx, 'slice', label, revised, 'baci', {
    db,
    describe: (load, counts) =>
      counts === null
        ? [`replaced ${fmt(load.rows_replaced)} rows`]
        : [
            `changed ${fmt(counts.rows_changed)}, retired ${fmt(counts.rows_retired)}, unchanged ${fmt(counts.rows_unchanged)} rows`,
          ],
  });
  return { ...result, notes: [...result.notes, `set-up load of 5 years took ${setupS.toFixed(1)} s`] };
}

/**
 * The floor: the sqlite3 CLI importing the same CSV into a typed table, no validation, into its
 * own database file (creating the table is part of the process, as creating the warehouse is
 * part of Corridor's).
 */
export async function sqliteImport(
  ctx: BenchContext,
  group: string,
  label: string,
  file: string,
  table: 'baci' | 'comtrade',
): Promise<CaseResult> {
  const db = join(ctx.runDir, `sqlite3-${table}.db`);
  // Each run imports into a new file: a table left by the previous run would make it fail.
  removeDatabase(db);
  const create =
    table === 'baci'
      ? 'create table baci(t integer, i integer, j integer, k text, v real, q real)'
      : `create table comtrade(${COMTRADE_COLUMNS.map(([name, kind]) => `"${name}" ${SQL_TYPES[kind]}`).join(', ')})`;
  const rows = ctx.inputs.rowsOf(file);
  const m = await measureProcess(
    'sqlite3',
    [db, create, `.import --csv --skip 1 "${file}" ${table}`],
    ctx.root,
  );
  let error = m.exitCode === 0 ? null : errorLine(m);
  if (error === null) {
    const sqlite = openSqlite(db, { readonly: true });
    const { n } = sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number };
    sqlite.close();
    if (n !== rows) error = `imported ${n} of ${rows} rows`;
  }
  removeDatabase(db);
  return { group, label, rows, ...figuresOf(m), error, notes: [] };
}

const SQL_TYPES = { text: 'text', int: 'integer', milli: 'real', bool: 'text' } as const;

/** The XLSX floor: exceljs's streaming reader counting rows, nothing else. */
export async function exceljsParse(ctx: BenchContext, label: string, file: string): Promise<CaseResult> {
  const script = join(ctx.root, 'scripts', 'bench', 'exceljs-parse.ts');
  const rows = ctx.inputs.rowsOf(file);
  const m = await measureProcess(process.execPath, ['--import', 'tsx', script, file], ctx.root);
  const counted = Number(m.stdout.trim());
  const error =
    m.exitCode !== 0 ? errorLine(m) : counted !== rows ? `counted ${m.stdout.trim()} of ${rows} rows` : null;
  return { group: 'xlsx', label, rows, ...figuresOf(m), error, notes: [] };
}

/**
 * Issue 17's revision: the timed load of the 5M BACI file with 1 % of its values revised, into
 * `db`, which must hold exactly one load of the original file (see holdsOnly). The journal's
 * merge figures go in the notes, checked against what the file changed.
 */
export async function revisionLoad(
  ctx: BenchContext,
  label: string,
  db: string,
  baseline: string | null,
): Promise<CaseResult> {
  const revised = await ctx.inputs.baciRevision2020();
  const rows = ctx.inputs.rowsOf(revised);
  const expectChanged = Math.floor(rows / REVISION_EVERY);
  const pct = (n: number) => `${((100 * n) / rows).toFixed(2)} %`;
  const result = await corridorLoad(ctx, 'revision5m', label, revised, 'baci', {
    db,
    describe: (_load, c) => {
      if (c === null) return ['the journal has no rows_changed: this warehouse predates issue 17'];
      const notes = [
        `journal: inserted ${fmt(c.rows_inserted)}, changed ${fmt(c.rows_changed)} (${pct(c.rows_changed)}), unchanged ${fmt(c.rows_unchanged)} (${pct(c.rows_unchanged)}), retired ${fmt(c.rows_retired)}`,
      ];
      if (
        c.rows_inserted !== 0 ||
        c.rows_changed !== expectChanged ||
        c.rows_unchanged !== rows - expectChanged ||
        c.rows_retired !== 0
      )
        notes.push(
          `the file revised ${fmt(expectChanged)} rows: expected inserted 0, changed ${fmt(expectChanged)}, unchanged ${fmt(rows - expectChanged)}, retired 0`,
        );
      return notes;
    },
  });
  const notes = [...result.notes];
  if (baseline !== null)
    notes.push(
      `no baseline figure (--baseline ${baseline}): a release before issue 17 replaced a file's slices, it did not merge by key`,
    );
  const changed = loadCounts(db, revised)?.rows_changed ?? 0;
  const error = result.error ?? (changed === 0 ? 'the journal shows no row changed' : null);
  return { ...result, error, notes };
}

/** Whether `db` holds loads of `file` and of nothing else, exactly once (skipped reloads aside). */
export function holdsOnly(db: string, file: string): boolean {
  const held = loadedPaths(db);
  return held.length === 1 && held[0] === file;
}
