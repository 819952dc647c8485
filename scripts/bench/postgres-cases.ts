/**
 * `npm run bench -- --db postgres://user@host:port/db`: the load cases on a PostgreSQL server
 * (issue 21, point 2). Each case gets a database of its own, created beside the one the URL
 * names and dropped afterwards; the warehouse is initialised first (untimed: schema and
 * reference data), so the timed load is a first load into an empty warehouse. The floor is
 * `psql \copy` of the same file into a bare table of the file's columns, in another new
 * database: what the server itself can take in.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { newPgClient, type PgClient } from '../../src/db/postgres/pg-driver.ts';
import { bundleIsFresh, TSX_NOTE } from './bundle-state.ts';
import type { CaseResult } from './case-figures.ts';
import type { BenchContext } from './cases.ts';
import { type DeriveJournal, deriveFigures } from './derive-cases.ts';
import { COMTRADE_COLUMNS } from './generate-comtrade.ts';
import { figuresOf, measureProcess } from './measure-process.ts';

/** The URL of database `name` on the server `url` names. */
function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onServer<T>(url: string, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await newPgClient(url, { applicationName: 'corridor bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database on the server of `adminUrl`; `drop` removes it. */
async function scratchDatabase(adminUrl: string, purpose: string) {
  const name = `corridor_bench_${purpose}_${randomBytes(3).toString('hex')}`;
  await onServer(adminUrl, (c) => c.query(`create database ${name}`));
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => onServer(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)),
  };
}

const lastLine = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1)
    ?.trim() ?? '';

/** The CLI on `db`; its notes say when it ran through tsx rather than the bundle. */
async function corridor(ctx: BenchContext, db: string, args: readonly string[]) {
  const bundled = bundleIsFresh(ctx.root);
  const m = await measureProcess(
    process.execPath,
    [join(ctx.root, 'bin', 'corridor.js'), '--db', db, '--quiet', ...args],
    ctx.root,
  );
  return { ...m, notes: bundled ? [] : [TSX_NOTE] };
}

export interface PostgresLoadResult extends CaseResult {
  /** The database the load went into (dropped unless kept), for a derive case after it. */
  readonly url: string;
  readonly drop: () => Promise<unknown>;
}

/** `corridor load` of `file` into a fresh, initialised PostgreSQL warehouse. */
export async function postgresLoad(
  ctx: BenchContext,
  adminUrl: string,
  group: string,
  label: string,
  file: string,
  source: 'baci' | 'comtrade',
): Promise<PostgresLoadResult> {
  const rows = ctx.inputs.rowsOf(file);
  const db = await scratchDatabase(adminUrl, source);
  const base = { group, label, rows, url: db.url, drop: db.drop };
  const init = await corridor(ctx, db.url, ['init']);
  if (init.exitCode !== 0)
    return { ...base, wallS: null, rssMB: null, error: `init failed: ${lastLine(init.stderr)}`, notes: [] };
  const m = await corridor(ctx, db.url, ['load', file, '--source', source, '--no-derive']);
  let error = m.exitCode === 0 ? null : lastLine(m.stderr) || `exit code ${m.exitCode}`;
  const notes = [`init (untimed) ${init.wallS.toFixed(1)} s`, ...m.notes];
  if (error === null) {
    const load = await onServer(db.url, (c) =>
      c.query(
        'select status, rows_read::int as rows_read, rows_rejected::int as rows_rejected from load_files order by load_id desc limit 1',
      ),
    );
    const row = load.rows[0] as { status: string; rows_read: number; rows_rejected: number } | undefined;
    if (row?.status !== 'loaded') error = `journal says ${row?.status ?? 'nothing'}, expected loaded`;
    else if (row.rows_read !== rows) notes.push(`read ${row.rows_read} of ${rows} rows`);
  }
  return { ...base, ...figuresOf(m), error, notes };
}

/** The journal's record of the latest refresh in the warehouse at `url`. */
async function lastDerive(url: string): Promise<DeriveJournal | null> {
  return onServer(url, async (c) => {
    const run = (
      await c.query(
        'select derive_id, mode, status, duration_ms::bigint as duration_ms from derive_runs order by derive_id desc limit 1',
      )
    ).rows[0] as { derive_id: number; mode: string; status: string; duration_ms: string | null } | undefined;
    if (run === undefined) return null;
    const sum = await c.query(
      'select coalesce(sum(rows_written), 0)::bigint as n from derive_tables where derive_id = $1',
      [run.derive_id],
    );
    return {
      mode: run.mode,
      status: run.status,
      durationMs: run.duration_ms === null ? null : Number(run.duration_ms),
      indicatorRows: Number((sum.rows[0] as { n: string }).n),
    };
  });
}

/** `corridor derive` of a warehouse a load case left, split by its journal. */
export async function postgresDerive(
  ctx: BenchContext,
  load: PostgresLoadResult,
  label: string,
): Promise<CaseResult> {
  const base = { group: 'derive1y', label, rows: load.rows, notes: [] };
  if (load.error !== null)
    return { ...base, wallS: null, rssMB: null, error: `the load before it failed: ${load.error}` };
  const m = await corridor(ctx, load.url, ['derive']);
  // A data-quality finding of severity error exits 3 after a complete refresh: that is a figure.
  let error = m.exitCode === 0 || m.exitCode === 3 ? null : lastLine(m.stderr) || `exit code ${m.exitCode}`;
  const journal = error === null ? await lastDerive(load.url) : null;
  if (error === null && journal?.status !== 'succeeded')
    error = `journal says ${journal?.mode ?? 'no'} refresh ${journal?.status ?? ''}, expected succeeded`;
  return { ...base, ...figuresOf(m), error, notes: m.notes, derive: deriveFigures(m.wallS, journal) };
}

const COMTRADE_TYPES = { text: 'text', int: 'bigint', milli: 'double precision', bool: 'text' } as const;

/** The floor: `psql \copy` of the same CSV into a bare table with the file's columns. */
export async function psqlCopy(
  ctx: BenchContext,
  adminUrl: string,
  group: string,
  label: string,
  file: string,
  table: 'baci' | 'comtrade',
): Promise<CaseResult> {
  const rows = ctx.inputs.rowsOf(file);
  const db = await scratchDatabase(adminUrl, `copy_${table}`);
  try {
    const create =
      table === 'baci'
        ? // q is text: CEPII writes NA for an unknown quantity, which the floor keeps as it is.
          'create table baci(t integer, i integer, j integer, k text, v double precision, q text)'
        : `create table comtrade(${COMTRADE_COLUMNS.map(([name, kind]) => `"${name}" ${COMTRADE_TYPES[kind]}`).join(', ')})`;
    await onServer(db.url, (c) => c.query(create));
    const m = await measureProcess(
      'psql',
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        db.url,
        '-c',
        `\\copy ${table} from '${file}' with (format csv, header true)`,
      ],
      ctx.root,
    );
    let error = m.exitCode === 0 ? null : lastLine(m.stderr) || `exit code ${m.exitCode}`;
    if (error === null) {
      const n = await onServer(db.url, (c) => c.query(`select count(*)::int as n from ${table}`));
      if (n.rows[0]?.n !== rows) error = `copied ${n.rows[0]?.n} of ${rows} rows`;
    }
    return { group, label, rows, ...figuresOf(m), error, notes: [] };
  } finally {
    await db.drop();
  }
}
