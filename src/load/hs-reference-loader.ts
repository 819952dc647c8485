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
import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';
import { assignCategories, parseCategoryRules } from '../reference/hs-categories.ts';
import { buildCodes, buildConversion, type CorrelationRow } from '../reference/hs-model.ts';
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

  // The cache holds copies of the warehouse's tables: their definitions are part of its key,
  // so a migration that changes them never copies from an old cache.
  const definitions = TABLES.map((t) => tableDefinitions(warehouse, t).join(';')).join('|');
  const key = createHash('sha256')
    .update(
      `${MODEL_VERSION}|${target}|${definitions}|${files.map((f) => `${f.file}:${f.sha256}`).join('|')}`,
    )
    .digest('hex')
    .slice(0, 20);
  const cache = ensureCache(warehouse, key, files, target);

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
      const record = sqlite.prepare(
        'insert into reference_files (file, sha256, rows, loaded_at) values (?, ?, ?, ?) on conflict (file) do update set sha256 = excluded.sha256, rows = excluded.rows, loaded_at = excluded.loaded_at',
      );
      sqlite.prepare("delete from reference_files where file like 'hs/%'").run();
      for (const f of files) record.run(f.file, f.sha256, f.rowCount, now);
      const setting = sqlite.prepare(
        'insert into settings (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
      );
      setting.run(CONVERTED_FOR, target);
      setting.run(BUILT_BY, String(MODEL_VERSION));
      setting.run('target_hs_edition', target);
      sqlite.exec('commit');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('rollback');
      throw error;
    }
  } finally {
    sqlite.prepare('detach database hs_cache').run();
  }
  return { loaded: files.map((f) => ({ file: f.file, rows: f.rowCount })) };
}

/** The cache database for this version of the files, built if missing; returns its path. */
function ensureCache(warehouse: Warehouse, key: string, files: readonly ReadFile[], target: string): string {
  // A folder of this user's own in the temp folder (nobody else can plant a file there), or
  // beside the warehouse where that is not writable.
  for (const dir of [join(tmpdir(), `corridor-cache-${userInfo().uid}`), dirname(warehouse.path)]) {
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
  const byName = new Map(files.map((f) => [f.file, f.rows()]));
  const correlations: CorrelationRow[] = files
    .filter((f) => f.file.startsWith('hs/hs-correlations'))
    .flatMap((f) =>
      f.rows().map((r) => ({
        newer_edition: r.newer_edition!.trim(),
        newer_code: r.newer_code!.trim(),
        older_edition: r.older_edition!.trim(),
        older_code: r.older_code!.trim(),
        relationship: r.relationship!.trim(),
        origin: f.file,
      })),
    );
  const codes = buildCodes(
    [
      { edition: 'H6', rows: byName.get('hs/hs2022.csv')! },
      { edition: 'H5', rows: byName.get('hs/hs2017.csv')! },
    ],
    correlations,
  );
  if (!codes.has(target)) {
    throw new WarehouseError(
      `The target HS edition ${target} is not in the reference (editions: ${[...codes.keys()].join(', ')}). Set another with corridor derive --target-edition.`,
      { code: 'unknown_edition' },
    );
  }
  const weights = files
    .filter((f) => f.file.startsWith('hs/conversion-weights'))
    .flatMap((f) =>
      f.rows().map((r, i) => {
        const weight = Number(r.weight);
        if (!Number.isFinite(weight) || weight < 0)
          throw new WarehouseError(
            `${f.file} row ${i + 2}: weight ${JSON.stringify(r.weight)} is not a number of 0 or more.`,
            { code: 'reference_malformed' },
          );
        return {
          from_edition: (r.from_edition ?? '').trim(),
          from_code: (r.from_code ?? '').trim(),
          to_edition: (r.to_edition ?? '').trim(),
          to_code: (r.to_code ?? '').trim(),
          weight,
        };
      }),
    );
  const conversion = buildConversion(codes, correlations, target, weights);
  const rules = parseCategoryRules(byName.get('categories.csv')!);
  const memberships = assignCategories(codes, rules);

  const db = openSqlite(path);
  try {
    db.pragma('journal_mode = OFF'); // a scratch file: renamed into place only when complete
    db.pragma('synchronous = OFF');
    // The same tables and indexes as the warehouse's: SQLite then copies an empty table from
    // the cache page by page (its transfer optimisation) instead of row by row.
    for (const table of TABLES) {
      const ddl = warehouse.sqlite
        .prepare('select sql from sqlite_master where tbl_name = ? and sql is not null order by type desc')
        .pluck()
        .all(table) as string[];
      for (const statement of ddl) db.exec(statement);
    }
    db.exec('begin');
    insertAll(
      db,
      'hs_sections',
      ['section', 'name', 'position'],
      byName.get('hs/hs-sections.csv')!.map((r, i) => [r.section!.trim(), r.name!.trim(), i + 1]),
    );
    insertAll(
      db,
      'hs_codes',
      ['edition', 'code', 'level', 'section', 'parent', 'description', 'special'],
      [...codes.values()].flatMap((m) =>
        [...m.values()].map((c) => [
          c.edition,
          c.code,
          c.level,
          c.section,
          c.parent,
          c.description,
          c.special,
        ]),
      ),
    );
    insertAll(
      db,
      'hs_concordance',
      ['newer_edition', 'newer_code', 'older_edition', 'older_code', 'relationship', 'origin'],
      dedupe(
        correlations,
        (c) => `${c.older_edition}|${c.older_code}|${c.newer_edition}|${c.newer_code}`,
      ).map((c) => [c.newer_edition, c.newer_code, c.older_edition, c.older_code, c.relationship, c.origin]),
    );
    insertAll(
      db,
      'hs_conversion',
      ['from_edition', 'from_code', 'to_edition', 'to_code', 'weight', 'approximate'],
      conversion.map((c) => [c.from_edition, c.from_code, c.to_edition, c.to_code, c.weight, c.approximate]),
    );
    insertAll(
      db,
      'hs_categories',
      ['scheme', 'category', 'name', 'parent', 'note'],
      dedupe(rules, (r) => `${r.scheme}|${r.category}`).map((r) => [
        r.scheme,
        r.category,
        r.name,
        r.parent,
        r.note,
      ]),
    );
    insertAll(
      db,
      'hs_category_rules',
      ['scheme', 'category', 'editions', 'include', 'exclude'],
      rules.map((r) => [
        r.scheme,
        r.category,
        r.editions?.join(' ') ?? null,
        r.include.join(' '),
        r.exclude.join(' ') || null,
      ]),
    );
    insertAll(
      db,
      'hs_code_categories',
      ['edition', 'code', 'scheme', 'category'],
      memberships.map((m) => [m.edition, m.code, m.scheme, m.category]),
    );
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

function dedupe<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
