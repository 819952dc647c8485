/**
 * Loads the HS reference (warehouse/reference/hs/ and categories.csv) into the warehouse:
 * hs_sections, hs_codes, hs_concordance, hs_conversion (into the warehouse's target edition),
 * hs_categories, hs_category_rules and hs_code_categories. Nothing happens while the files and
 * the target edition are those already loaded.
 *
 * The tables come to about 250,000 rows. They are computed once per version of the files into
 * a cache database in the system's temporary folder and copied from there with one INSERT …
 * SELECT per table, so a new warehouse gets them in a few tens of milliseconds instead of the
 * second that computing and inserting them takes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { openSqlite, type SqliteDatabase } from '../db/driver.ts';
import { insertRows, type ReferenceValue } from '../db/reference-writes.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';
import { hsTableRows } from './hs-reference-rows.ts';
import {
  type CsvRow,
  parseReferenceCsv,
  type ReferenceSummary,
  readReferenceText,
  referenceDir,
} from './reference-files.ts';

/** Bumped when hs-model.ts computes something else from the same files, so stale caches are not used. */
const MODEL_VERSION = 8;
/** Settings key: the MODEL_VERSION the HS tables were built by. */
const BUILT_BY = 'hs_model_version';

const FIXED_FILES = ['hs/hs-sections.csv', 'hs/hs2022.csv', 'hs/hs2017.csv', 'categories.csv'] as const;
/** Errors that mean a folder cannot hold the cache. */
const UNWRITABLE = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_FULL',
]);

/** The settings key recording which target edition hs_conversion was built for. */
const CONVERTED_FOR = 'hs_conversion_built_for';

/** Tables the loader owns, in the order they are filled. */
const TABLES = [
  'hs_sections',
  'hs_codes',
  'hs_concordance',
  'hs_conversion',
  'hs_categories',
  'hs_category_rules',
  'hs_code_categories',
] as const;

/** The correlation tables: the shipped one and any added with `corridor add-correlation`. */
export function correlationFiles(): string[] {
  return filesIn(/^hs-correlations.*\.csv$/);
}

/** Trade-based conversion weights a user supplied: hs/conversion-weights*.csv (none are shipped). */
function weightFiles(): string[] {
  return filesIn(/^conversion-weights.*\.csv$/);
}

function filesIn(pattern: RegExp): string[] {
  return readdirSync(join(referenceDir(), 'hs'))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => `hs/${f}`);
}

interface ReadFile {
  readonly file: string;
  readonly sha256: string;
  /** Data rows, counted from the text (these files hold no line breaks inside values). */
  readonly rowCount: number;
  /** Parsed only when the cache has to be built. */
  rows(): CsvRow[];
}

/** Non-empty lines, counted without splitting the text into strings. */
function countLines(text: string): number {
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (text.slice(start, stop).trim() !== '') lines++;
    start = stop + 1;
  }
  return lines;
}

function readFile(file: string): ReadFile {
  const { text, sha256, path } = readReferenceText(file);
  let rows: CsvRow[] | null = null;
  return {
    file,
    sha256,
    rowCount: countLines(text) - 1,
    rows: () => {
      rows ??= parseReferenceCsv(path, text);
      return rows;
    },
  };
}

export async function targetEdition(warehouse: Warehouse): Promise<string> {
  const row = await warehouse.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'target_hs_edition')
    .executeTakeFirst();
  return row?.value ?? 'H6';
}

export async function loadHsReference(
  warehouse: Warehouse,
  options: { readonly force?: boolean; readonly target?: string } = {},
): Promise<ReferenceSummary> {
  const files = [...FIXED_FILES, ...correlationFiles(), ...weightFiles()].map(readFile);
  // A new target is written in the same transaction as the tables built for it.
  const target = options.target ?? (await targetEdition(warehouse));
  const known = await warehouse.db.selectFrom('reference_files').select(['file', 'sha256']).execute();
  const current = new Map(known.map((k) => [k.file, k.sha256]));
  const builtFor = await warehouse.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', CONVERTED_FOR)
    .executeTakeFirst();
  const builtBy = await warehouse.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', BUILT_BY)
    .executeTakeFirst();
  const upToDate =
    files.every((f) => current.get(f.file) === f.sha256) &&
    builtFor?.value === target &&
    // A Corridor that computes the tables differently rebuilds them from the same files.
    builtBy?.value === String(MODEL_VERSION) &&
    [...current.keys()].filter((f) => f.startsWith('hs/')).length ===
      files.filter((f) => f.file.startsWith('hs/')).length;
  if (upToDate && !options.force) return { loaded: [] };
  const loaded = { loaded: files.map((f) => ({ file: f.file, rows: f.rowCount })) };

  // The cache holds copies of the warehouse's tables: their definitions are part of its key,
  // so a migration that changes them never copies from an old cache. PostgreSQL's cache holds
  // the same rows in untyped tables, under a key of its own.
  const definitions =
    warehouse.backend === 'sqlite'
      ? TABLES.map((t) => tableDefinitions(warehouse, t).join(';')).join('|')
      : `postgres|${await postgresColumns(warehouse)}`;
  const key = createHash('sha256')
    .update(
      `${MODEL_VERSION}|${target}|${definitions}|${files.map((f) => `${f.file}:${f.sha256}`).join('|')}`,
    )
    .digest('hex')
    .slice(0, 20);
  const cache = ensureCache(warehouse, key, files, target);
  if (warehouse.backend === 'postgres') {
    await loadByCopy(warehouse, cache, files, target);
    return loaded;
  }

  const sqlite = warehouse.sqlite;
  sqlite.prepare('attach database ? as hs_cache').run(cache);
  // Pages are read once: a small cache for the attached file keeps the copy's memory down.
  sqlite.pragma('hs_cache.cache_size = -256');
  try {
    // Not `begin immediate`: that takes the write lock of every attached database, the cache
    // too, which every Corridor process of this user shares; warehouses created at once (a
    // scheduler and a run, parallel tests) then queued on it, and past the 5 s busy timeout
    // failed as "the warehouse is busy". The first statement below writes to main, so main's
    // write lock is still taken first; the cache is only read.
    sqlite.exec('begin');
    try {
      for (const table of TABLES) {
        sqlite.exec(`delete from main.${table}`);
        sqlite.exec(`insert into main.${table} select * from hs_cache.${table}`);
      }
      const now = new Date().toISOString();
      const record = sqlite.prepare(RECORD_FILE);
      sqlite.prepare(FORGET_HS_FILES).run();
      for (const f of files) record.run(f.file, f.sha256, f.rowCount, now);
      const setting = sqlite.prepare(SET_SETTING);
      for (const [key, value] of settingsFor(target)) setting.run(key, value);
      sqlite.exec('commit');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('rollback');
      throw error;
    }
  } finally {
    sqlite.prepare('detach database hs_cache').run();
  }
  return loaded;
}

const RECORD_FILE =
  'insert into reference_files (file, sha256, rows, loaded_at) values (?, ?, ?, ?) on conflict (file) do update set sha256 = excluded.sha256, rows = excluded.rows, loaded_at = excluded.loaded_at';
const FORGET_HS_FILES = "delete from reference_files where file like 'hs/%'";
const SET_SETTING =
  'insert into settings (key, value) values (?, ?) on conflict (key) do update set value = excluded.value';

/** The settings that say for which target edition and by which model the tables were built. */
const settingsFor = (target: string): [string, string][] => [
  [CONVERTED_FOR, target],
  [BUILT_BY, String(MODEL_VERSION)],
  ['target_hs_edition', target],
];

/**
 * PostgreSQL: the cache's rows written by COPY in one transaction, stamped as on SQLite.
 */
async function loadByCopy(
  warehouse: Warehouse,
  cachePath: string,
  files: readonly ReadFile[],
  target: string,
): Promise<void> {
  const cache = openSqlite(cachePath, { readonly: true });
  try {
    await warehouse.sql.transaction(
      async () => {
        for (const table of TABLES) {
          await warehouse.sql.run(`delete from ${table}`);
          const select = cache.prepare(`select * from ${table}`);
          const columns = select.columns().map((c) => c.name);
          await insertRows(warehouse, table, columns, select.raw().all() as ReferenceValue[][]);
        }
        const now = new Date().toISOString();
        await warehouse.sql.run(FORGET_HS_FILES);
        for (const f of files) await warehouse.sql.run(RECORD_FILE, [f.file, f.sha256, f.rowCount, now]);
        for (const [key, value] of settingsFor(target)) await warehouse.sql.run(SET_SETTING, [key, value]);
      },
      { writeLock: true },
    );
  } finally {
    cache.close();
  }
}

/** The HS tables' columns and types on PostgreSQL, for the cache key. */
async function postgresColumns(warehouse: Warehouse): Promise<string> {
  const rows = await warehouse.sql.all<{ columns: string }>(
    `select table_name || '(' || string_agg(column_name || ' ' || data_type, ',' order by ordinal_position) || ')' as columns
     from information_schema.columns
     where table_schema = current_schema() and table_name in (${TABLES.map(() => '?').join(', ')})
     group by table_name order by table_name`,
    TABLES,
  );
  return rows.map((r) => r.columns).join('|');
}

/** The cache database for this version of the files, built if missing; returns its path. */
function ensureCache(warehouse: Warehouse, key: string, files: readonly ReadFile[], target: string): string {
  // A folder of this user's own in the temp folder (nobody else can plant a file there), or
  // beside the warehouse where that is not writable.
  // (A PostgreSQL warehouse has no folder: the temp folder only.)
  const beside = warehouse.backend === 'sqlite' ? [dirname(warehouse.path)] : [];
  for (const dir of [join(tmpdir(), `corridor-cache-${userInfo().uid}`), ...beside]) {
    const path = join(dir, `corridor-hs-reference-${key}.db`);
    if (existsSync(path)) return path;
    const building = `${path}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      buildCache(warehouse, building, files, target);
      // Atomic: a concurrent process sees the whole file or none.
      renameSync(building, path);
      return path;
    } catch (error) {
      rmSync(building, { force: true });
      // Only a folder that cannot be written sends us to the next one; anything else is real.
      if (!UNWRITABLE.has((error as { code?: string }).code ?? '')) throw error;
    }
  }
  throw new WarehouseError(
    `Cannot write the HS reference cache in ${tmpdir()} or beside ${warehouse.path}; check that one of them is writable.`,
    { code: 'reference_cache' },
  );
}

function buildCache(warehouse: Warehouse, path: string, files: readonly ReadFile[], target: string): void {
  const tables = hsTableRows(files, target);
  const db = openSqlite(path);
  try {
    db.pragma('journal_mode = OFF'); // a scratch file: renamed into place only when complete
    db.pragma('synchronous = OFF');
    // The same tables and indexes as the warehouse's: SQLite then copies an empty table from
    // the cache page by page (its transfer optimisation) instead of row by row. A PostgreSQL
    // warehouse reads the rows out, so its cache's tables are plain lists of columns.
    for (const { table, columns } of tables) {
      const ddl =
        warehouse.backend === 'sqlite'
          ? (warehouse.sqlite
              .prepare(
                'select sql from sqlite_master where tbl_name = ? and sql is not null order by type desc',
              )
              .pluck()
              .all(table) as string[])
          : [`create table ${table} (${columns.join(', ')})`];
      for (const statement of ddl) db.exec(statement);
    }
    db.exec('begin');
    for (const { table, columns, rows } of tables) insertAll(db, table, columns, rows);
    db.exec('commit');
  } finally {
    db.close();
  }
}

/** The CREATE statements of a table and its indexes, as the warehouse holds them. */
function tableDefinitions(warehouse: Warehouse, table: string): string[] {
  return warehouse.sqlite
    .prepare('select sql from sqlite_master where tbl_name = ? and sql is not null order by type desc, name')
    .pluck()
    .all(table) as string[];
}

/** Bulk insert through prepared 100-row statements (the bulk path; kysely is for small writes). */
function insertAll(db: SqliteDatabase, table: string, columns: readonly string[], rows: unknown[][]): void {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const sql = (n: number) =>
    `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: n }, () => tuple).join(',')}`;
  const full = db.prepare(sql(100));
  let i = 0;
  for (; i + 100 <= rows.length; i += 100) full.run(rows.slice(i, i + 100).flat());
  if (i < rows.length) db.prepare(sql(rows.length - i)).run(rows.slice(i).flat());
}
