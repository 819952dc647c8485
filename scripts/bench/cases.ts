/**
 * The measured cases. Each runs one process under measureProcess (so each peak RSS is that
 * case's alone) and checks what it did, from the warehouse journal or a row count, so a fast
 * figure that loaded nothing cannot pass unnoticed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '../../src/db/driver.ts';
import { COMTRADE_COLUMNS } from './generate-comtrade.ts';
import type { BenchInputs } from './generate-inputs.ts';
import { type Measured, measureProcess } from './measure-process.ts';

export interface CaseResult {
  /** The `--only` group the case belongs to. */
  readonly group: string;
  readonly label: string;
  readonly rows: number;
  readonly wallS: number | null;
  readonly rssMB: number | null;
  /** Why the case produced no figure (the command's own error line when it has one). */
  readonly error: string | null;
  readonly notes: readonly string[];
}

export interface BenchContext {
  readonly root: string;
  readonly runDir: string;
  readonly inputs: BenchInputs;
  readonly log: (line: string) => void;
  /** A fresh warehouse path under the run folder: w1.db, w2.db… */
  readonly nextDb: () => string;
}

interface LoadRecord {
  status: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_replaced: number;
  error_message: string | null;
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

/** The line a failed command left for its user: the last non-empty one on stderr or stdout. */
function errorLine(m: Measured): string {
  const lines = `${m.stdout}\n${m.stderr}`.split('\n').filter((l) => l.trim() !== '');
  const said = m.stderr.split('\n').filter((l) => l.trim() !== '');
  return (said.at(-1) ?? lines.at(-1) ?? `exit code ${m.exitCode}`).trim();
}

/**
 * A load without the refresh of the indicator tables (`--no-derive`): the load cases measure
 * loading, as issue 3 set them; the derive cases measure the refresh on its own.
 */
const corridorArgs = (ctx: BenchContext, db: string, files: readonly string[], source: string) => [
  join(ctx.root, 'bin', 'corridor.js'),
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
  const m = await measureProcess(process.execPath, corridorArgs(ctx, db, files, source), ctx.root);
  if (m.exitCode !== 0) throw new Error(`set-up load failed: ${errorLine(m)}`);
  return m.wallS;
}

/** `corridor load` of one file into `db`; `expect` is the status the journal should show. */
export async function corridorLoad(
  ctx: BenchContext,
  group: string,
  label: string,
  file: string,
  source: 'baci' | 'comtrade',
  options: { db?: string; expect?: 'loaded' | 'skipped' } = {},
): Promise<CaseResult & { db: string }> {
  const db = options.db ?? ctx.nextDb();
  const rows = ctx.inputs.rowsOf(file);
  const m = await measureProcess(process.execPath, corridorArgs(ctx, db, [file], source), ctx.root);
  const load = lastLoad(db, file);
  const notes: string[] = [];
  const expect = options.expect ?? 'loaded';
  let error: string | null = null;
  if (m.exitCode !== 0 || load === null || load.status !== expect) {
    error = m.exitCode !== 0 ? errorLine(m) : `journal says ${load?.status ?? 'nothing'}, expected ${expect}`;
  } else if (expect === 'loaded') {
    if (load.rows_read !== rows) notes.push(`read ${load.rows_read} of ${rows} rows`);
    if (load.rows_rejected > 0) notes.push(`${load.rows_rejected} rows rejected`);
    if (load.rows_replaced > 0) notes.push(`${load.rows_replaced.toLocaleString('en-US')} rows replaced`);
  }
  return { group, label, rows, wallS: m.wallS, rssMB: m.rssMB, error, notes, db };
}

/** Loads 2015–2019 (untimed), then times a revised 2019 file replacing its year's slice. */
export async function sliceReplacement(ctx: BenchContext, label: string): Promise<CaseResult> {
  const years = [2015, 2016, 2017, 2018, 2019];
  const files: string[] = [];
  for (const year of years) files.push(await ctx.inputs.baci(year));
  const revised = await ctx.inputs.baciRevised2019();
  const db = ctx.nextDb();
  ctx.log(`  set-up: loading ${years.join(', ')} into ${db.slice(ctx.root.length + 1)} (untimed)…`);
  const setupS = await prepareLoad(ctx, db, files, 'baci');
  const result = await corridorLoad(ctx, 'slice', label, revised, 'baci', { db });
  const load = lastLoad(db, revised);
  const notes = result.notes.filter((n) => !n.endsWith('rows replaced'));
  notes.push(`replaced ${(load?.rows_replaced ?? 0).toLocaleString('en-US')} rows`);
  notes.push(`set-up load of 5 years took ${setupS.toFixed(1)} s`);
  return { ...result, notes };
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
  return { group, label, rows, wallS: m.wallS, rssMB: m.rssMB, error, notes: [] };
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
  return { group: 'xlsx', label, rows, wallS: m.wallS, rssMB: m.rssMB, error, notes: [] };
}

/** The journal's row for the latest refresh of the indicator tables. */
function lastDerive(db: string): { mode: string; status: string } | null {
  const sqlite = openSqlite(db, { readonly: true, fileMustExist: true });
  try {
    return (
      (sqlite.prepare('select mode, status from derive_runs order by derive_id desc limit 1').get() as
        | { mode: string; status: string }
        | undefined) ?? null
    );
  } finally {
    sqlite.close();
  }
}

/** `corridor derive` on `db`, checked against the mode the journal should show. */
async function corridorDerive(
  ctx: BenchContext,
  label: string,
  db: string,
  rows: number,
  expectMode: 'full' | 'incremental',
): Promise<CaseResult> {
  const args = [join(ctx.root, 'bin', 'corridor.js'), '--db', db, '--quiet', 'derive'];
  const m = await measureProcess(process.execPath, args, ctx.root);
  const derive = m.exitCode === 0 ? lastDerive(db) : null;
  const error =
    m.exitCode !== 0
      ? errorLine(m)
      : derive?.status !== 'succeeded' || derive.mode !== expectMode
        ? `journal says ${derive?.mode ?? 'no'} refresh ${derive?.status ?? ''}, expected ${expectMode}`
        : null;
  return { group: 'derive', label, rows, wallS: m.wallS, rssMB: m.rssMB, error, notes: [] };
}

/**
 * The indicator refresh: five BACI years loaded without it (untimed), then the first refresh
 * of every table (full), then a revised 2019 loaded and the refresh of what it changed.
 */
export async function deriveRefreshes(ctx: BenchContext, size: string): Promise<CaseResult[]> {
  const years = [2015, 2016, 2017, 2018, 2019];
  const files: string[] = [];
  for (const year of years) files.push(await ctx.inputs.baci(year));
  const rows = files.reduce((n, f) => n + ctx.inputs.rowsOf(f), 0);
  const db = ctx.nextDb();
  ctx.log(`  set-up: loading ${years.join(', ')} without refreshing the indicators (untimed)…`);
  await prepareLoad(ctx, db, files, 'baci');
  const first = await corridorDerive(
    ctx,
    `corridor derive: first refresh, 5 BACI years of ${size}`,
    db,
    rows,
    'full',
  );
  ctx.log(
    `  ${first.label}: ${first.error ?? `${first.wallS?.toFixed(2)} s, ${first.rssMB?.toFixed(0)} MB`}`,
  );
  const revised = await ctx.inputs.baciRevised2019();
  await prepareLoad(ctx, db, [revised], 'baci');
  const again = await corridorDerive(
    ctx,
    'corridor derive: refresh after the 2019 slice was replaced',
    db,
    ctx.inputs.rowsOf(revised),
    'incremental',
  );
  return [first, again];
}
