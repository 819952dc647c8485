/**
 * One backend's pass of the scale model: a fresh warehouse (a SQLite file under
 * `.bench/scale/run/`, or a new database on the PostgreSQL server), `corridor init` untimed, then
 * each year loaded by the real CLI as its own process (`load FILE --source baci --no-derive`),
 * then one `corridor derive`, each timed with its peak RSS. Afterwards the journal gives the rows
 * loaded and the indicator rows written, and the database its size on disk. The warehouse is
 * removed afterwards unless `keep`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { newPgClient, type PgClient } from '../../src/db/postgres/pg-driver.ts';
import { openWarehouse } from '../../src/db/warehouse.ts';
import { measureProcess } from '../bench/measure-process.ts';
import type { ScaleYearFile } from './scale-inputs.ts';

export type Backend = 'sqlite' | 'postgres';

export interface StepFigures {
  readonly label: string;
  /** Rows of input behind the step: the year's rows for a load, every row for the derive. */
  readonly rows: number;
  readonly wallS: number;
  readonly peakRssMB: number | null;
  readonly exitCode: number | null;
}

export interface BackendFigures {
  readonly backend: Backend;
  /** The SQLite file or the PostgreSQL URL (kept only with --keep). */
  readonly warehouse: string;
  readonly loads: StepFigures[];
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  readonly loadWallS: number;
  readonly bytesAfterLoad: number;
  readonly derive: StepFigures | null;
  /** Rows the derive wrote over all indicator tables (derive_tables.rows_written). */
  readonly indicatorRows: number | null;
  readonly bytesAfterDerive: number | null;
  /** The first failure, in words; the figures before it stand. */
  readonly error: string | null;
}

export interface BackendOptions {
  readonly root: string;
  readonly backend: Backend;
  /** For PostgreSQL: any database on the server; the run creates its own beside it. */
  readonly adminUrl: string;
  readonly derive: boolean;
  readonly keep: boolean;
  readonly log: (line: string) => void;
}

/** The last non-blank line of a process's stderr: the CLI's error message. */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1]?.trim() ?? '';
}

/** One statement on its own connection: creating and dropping databases, reading their size. */
async function serverQuery(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client: PgClient = await newPgClient(url, { applicationName: 'corridor scale-model' });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

interface Target {
  readonly location: string;
  bytes(): Promise<number>;
  remove(): Promise<void>;
}

async function createTarget(options: BackendOptions, stamp: string): Promise<Target> {
  if (options.backend === 'sqlite') {
    const dir = join(options.root, '.bench', 'scale', 'run');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `scale-${stamp}.db`);
    // The WAL and shared-memory files are part of the database until a checkpoint folds them in.
    const files = [path, `${path}-wal`, `${path}-shm`];
    return {
      location: path,
      bytes: async () => files.filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0),
      remove: async () => {
        for (const f of files) rmSync(f, { force: true });
      },
    };
  }
  const name = `corridor_scale_${stamp.replace(/\W/g, '_').toLowerCase()}`;
  await serverQuery(options.adminUrl, `create database ${name}`);
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    bytes: async () => {
      const [row] = await serverQuery(
        url.toString(),
        'select pg_database_size(current_database())::bigint as n',
      );
      return Number(row?.n);
    },
    remove: async () => {
      await serverQuery(options.adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

export async function runBackend(
  options: BackendOptions,
  files: readonly ScaleYearFile[],
): Promise<BackendFigures> {
  const { root, backend, log } = options;
  const stamp = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}_${randomBytes(2).toString('hex')}`;
  const target = await createTarget(options, stamp);
  const corridor = (args: readonly string[]) =>
    measureProcess(
      process.execPath,
      [join(root, 'bin', 'corridor.js'), '--db', target.location, '--quiet', ...args],
      root,
    );
  const totalRows = files.reduce((sum, f) => sum + f.rows, 0);
  const loads: StepFigures[] = [];
  let error: string | null = null;
  let derive: StepFigures | null = null;
  let bytesAfterLoad = 0;
  let bytesAfterDerive: number | null = null;
  let journal = { rowsLoaded: 0, rowsRejected: 0, indicatorRows: null as number | null };
  try {
    const init = await corridor(['init']);
    if (init.exitCode !== 0) throw new Error(`corridor init failed: ${errorLine(init.stderr)}`);
    for (const file of files) {
      const m = await corridor(['load', file.path, '--source', 'baci', '--no-derive']);
      const step = {
        label: `load ${file.year}`,
        rows: file.rows,
        wallS: m.wallS,
        peakRssMB: m.rssMB,
        exitCode: m.exitCode,
      };
      loads.push(step);
      log(
        `  ${backend} ${step.label}: ${file.rows.toLocaleString('en-US')} rows in ${m.wallS.toFixed(1)} s (${Math.round(file.rows / m.wallS).toLocaleString('en-US')} rows/s), peak RSS ${m.rssMB?.toFixed(0) ?? '?'} MB`,
      );
      if (m.exitCode !== 0)
        throw new Error(`load of ${file.path} exited ${m.exitCode}: ${errorLine(m.stderr)}`);
    }
    bytesAfterLoad = await target.bytes();
    if (options.derive) {
      const m = await corridor(['derive']);
      derive = { label: 'derive', rows: totalRows, wallS: m.wallS, peakRssMB: m.rssMB, exitCode: m.exitCode };
      log(
        `  ${backend} derive: ${m.wallS.toFixed(1)} s, peak RSS ${m.rssMB?.toFixed(0) ?? '?'} MB (exit ${m.exitCode})`,
      );
      // Exit 3 is a data-quality finding of severity error after a complete refresh: a result.
      if (m.exitCode !== 0 && m.exitCode !== 3)
        throw new Error(`derive exited ${m.exitCode}: ${errorLine(m.stderr)}`);
      bytesAfterDerive = await target.bytes();
    }
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
    log(`  ${backend} FAILED: ${error}`);
  } finally {
    journal = await readJournal(target.location).catch(() => journal);
    if (options.keep) log(`  kept: ${target.location}`);
    else await target.remove();
  }
  return {
    backend,
    warehouse: target.location,
    loads,
    ...journal,
    loadWallS: loads.reduce((sum, s) => sum + s.wallS, 0),
    bytesAfterLoad,
    derive,
    bytesAfterDerive,
    error,
  };
}

/** Rows loaded and rejected over every load, and rows written by the last derive. */
async function readJournal(location: string) {
  const warehouse = await openWarehouse(location, { readonly: true });
  try {
    const loads = await warehouse.sql.get<{ loaded: number | null; rejected: number | null }>(
      'select sum(rows_loaded) as loaded, sum(rows_rejected) as rejected from load_files',
    );
    const written = await warehouse.sql.get<{ derive_id: number | null; rows: number | null }>(
      `select r.derive_id, sum(t.rows_written) as rows
         from derive_runs r join derive_tables t on t.derive_id = r.derive_id
        where r.derive_id = (select max(derive_id) from derive_runs where status = 'succeeded')
        group by r.derive_id`,
    );
    return {
      rowsLoaded: Number(loads?.loaded ?? 0),
      rowsRejected: Number(loads?.rejected ?? 0),
      indicatorRows: written?.rows == null ? null : Number(written.rows),
    };
  } finally {
    await warehouse.close();
  }
}
