/**
 * The few SQL spellings that differ between SQLite and PostgreSQL, written once. Statements
 * that must run on both backends build those parts here and keep the rest standard SQL
 * (CTEs, window functions, `ON CONFLICT`, `RETURNING` and `coalesce` are the same on both).
 */
import type { Backend } from './sql-session.ts';

export interface SqlFlavor {
  readonly backend: Backend;
  /** The larger of two or more values (SQLite's multi-argument `max`); NULL when any is NULL on SQLite, ignored on PostgreSQL: pass non-NULL values. */
  greatest(...values: string[]): string;
  least(...values: string[]): string;
  /** NULL-safe inequality: true when one side is NULL and the other not. */
  isDistinct(a: string, b: string): string;
  /** NULL-safe equality. */
  isNotDistinct(a: string, b: string): string;
  /** Values of a group joined by `separator` (a literal without quotes). */
  groupConcat(expression: string, separator: string): string;
  /** A floating-point value (SQLite REAL, PostgreSQL double precision). */
  real(expression: string): string;
  /** A value as text. */
  text(expression: string): string;
  /** The column type of a floating-point measure in DDL. */
  readonly realType: string;
  /** The column type of an integer in DDL (64-bit on both). */
  readonly integerType: string;
  /** Whether any value of a group is true (SQLite `max` of 0/1, PostgreSQL `bool_or`). */
  anyTrue(condition: string): string;
  /** `group_concat` in the given order: `orderedConcat('code', ' ', 'code')`. */
  orderedConcat(expression: string, separator: string, orderBy: string): string;
  /** The distinct values of a group joined by commas (SQLite's one-argument `group_concat(distinct …)`). */
  distinctConcat(expression: string): string;
  /** `expression` matches a GLOB pattern (`*`, `?`, `[0-9]`; case-sensitive on both). */
  glob(expression: string, pattern: string): string;
  /** A temporary table's name, qualified so that it never means a permanent one. */
  tempTable(name: string): string;
  /** CREATE INDEX on a temporary table. */
  tempIndex(index: string, table: string, columns: readonly string[]): string;
  /**
   * The planner's statistics of a temporary table just filled, for the statements that read it
   * next: PostgreSQL's autovacuum never sees temporary tables, and without statistics its
   * planner guesses a handful of rows. '' on SQLite, which gathers them once at the end.
   */
  analyzeTempTable(table: string): string;
  /** The statistics of every temporary table at the end of a series of them ('' on PostgreSQL). */
  readonly analyzeTemp: string;
  /**
   * Session settings for a refresh of the indicator tables, which sorts and indexes millions of
   * rows, and those that restore the defaults after it ('' where there is nothing to set).
   */
  readonly bulkWork: { readonly begin: string; readonly end: string };
  /** What follows a clustered table's column list (SQLite `without rowid`; nothing on PostgreSQL). */
  readonly clusteredTable: string;
  /**
   * The rows of `select` with its integer columns (at `integerColumns`, 0-based) made integers:
   * a comparison is 0 or 1 on SQLite but a boolean on PostgreSQL, which an integer column does
   * not take. `columns` is how many the SELECT gives. SQLite gets the SELECT as it is.
   */
  integerFlags(select: string, columns: number, integerColumns: readonly number[]): string;
  /**
   * A note kept with a table: SQLite keeps a comment of the CREATE statement verbatim ('' here:
   * put the note there); PostgreSQL keeps only `COMMENT ON TABLE`.
   */
  tableNote(table: string, note: string): string;
  /** A query of the text a table's note is in (SQLite: its CREATE statement); one parameter, the table. */
  readonly tableNoteSql: string;
  /**
   * A query of the views that read a table (`name`, `definition`: the SELECT), one parameter,
   * the table: PostgreSQL binds a view to its tables, so a table dropped and created again
   * takes its views along (`dropTable`), to be created again from these. None on SQLite, whose
   * views find their tables by name when they run.
   */
  readonly dependentViewsSql: string;
  /** DROP TABLE IF EXISTS, with the views that read it on PostgreSQL. */
  dropTable(table: string): string;
  /**
   * Waits for, then holds, a lock of the connection named `name` across transactions (a
   * PostgreSQL advisory lock; '' on SQLite, whose write transactions exclude each other).
   */
  sessionLock(name: string): string;
  sessionUnlock(name: string): string;
  /**
   * Waits for, then holds until the transaction ends, a lock named `name`: two loads merging
   * into one table on PostgreSQL would otherwise deadlock on each other's rows ('' on SQLite,
   * whose BEGIN IMMEDIATE already excludes a second writer).
   */
  transactionLock(name: string): string;
  /**
   * The first statement of a transaction whose statements must all read one snapshot of the
   * data (PostgreSQL REPEATABLE READ; '' on SQLite, where a write transaction sees no other).
   */
  readonly oneSnapshot: string;
  /**
   * Makes the server give up the transaction's statement within a second of the client going
   * away (a derive stopped by a signal), rather than run it to its end holding its locks:
   * PostgreSQL `client_connection_check_interval`, for the transaction; '' on SQLite, which
   * dies with the process.
   */
  readonly stopWithClient: string;
  /** A query of one row per table and view of the warehouse, in column `name`. */
  readonly tablesSql: string;
  /** A query of a table's columns (`name`, `type`, `pk`: place in the primary key from 1, else 0); one parameter, the table. */
  readonly tableColumnsSql: string;
}

const quoted = (separator: string) => `'${separator.replace(/'/g, "''")}'`;

/** A GLOB pattern as an anchored POSIX regular expression: `H[0-9]*` → `^H[0-9].*$`. */
function globToRegex(pattern: string): string {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') regex += '.*';
    else if (c === '?') regex += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) regex += '\\[';
      else {
        // A class reads the same in both (`[^…]` negates in each).
        regex += `[${pattern.slice(i + 1, close)}]`;
        i = close;
      }
    } else regex += /[.\\+(){}|^$]/.test(c) ? `\\${c}` : c;
  }
  return `^${regex}$`;
}

const SQLITE: SqlFlavor = {
  backend: 'sqlite',
  greatest: (...values) => `max(${values.join(', ')})`,
  least: (...values) => `min(${values.join(', ')})`,
  isDistinct: (a, b) => `(${a}) is not (${b})`,
  isNotDistinct: (a, b) => `(${a}) is (${b})`,
  groupConcat: (expression, separator) => `group_concat(${expression}, ${quoted(separator)})`,
  real: (expression) => `cast(${expression} as real)`,
  text: (expression) => `cast(${expression} as text)`,
  realType: 'real',
  integerType: 'integer',
  anyTrue: (condition) => `max(${condition})`,
  orderedConcat: (expression, separator, orderBy) =>
    `group_concat(${expression}, ${quoted(separator)} order by ${orderBy})`,
  distinctConcat: (expression) => `group_concat(distinct ${expression})`,
  glob: (expression, pattern) => `${expression} glob ${quoted(pattern)}`,
  tempTable: (name) => `temp.${name}`,
  tempIndex: (index, table, columns) => `create index temp.${index} on ${table} (${columns.join(', ')})`,
  analyzeTempTable: () => '',
  // Statistics from a sample of each index (a thousand rows' worth) rather than every row: the
  // planner needs the shape of the temporary tables, and reading them whole took seconds.
  analyzeTemp: 'pragma analysis_limit = 1000; analyze temp',
  // Sorts (CREATE INDEX, GROUP BY, windows) with a helper thread on the second core, and a 32
  // MiB page cache instead of 16 MiB while tables of a million rows are built. Each sorter may
  // hold up to the cache size per thread in memory: 2 threads and 128 MiB took a five-year
  // refresh past 700 MB of RSS for no gain (one 1M-row year: 81 s and 319 MB, against 92 s and
  // 454 MB). A load afterwards keeps the defaults, as its peak memory is bounded lower.
  bulkWork: {
    begin: 'pragma threads = 1; pragma cache_size = -32768',
    end: 'pragma threads = 0; pragma cache_size = -16000',
  },
  clusteredTable: ' without rowid',
  integerFlags: (select) => select,
  tableNote: () => '',
  dependentViewsSql: 'select name, sql as definition from sqlite_master where 0 and name = ?',
  dropTable: (table) => `drop table if exists ${table}`,
  tableNoteSql: "select sql from sqlite_master where type = 'table' and name = ?",
  sessionLock: () => '',
  sessionUnlock: () => '',
  transactionLock: () => '',
  oneSnapshot: '',
  stopWithClient: '',
  tablesSql: "select name from sqlite_master where type in ('table', 'view')",
  tableColumnsSql: 'select name, type, pk from pragma_table_info(?)',
};

const POSTGRES: SqlFlavor = {
  backend: 'postgres',
  greatest: (...values) => `greatest(${values.join(', ')})`,
  least: (...values) => `least(${values.join(', ')})`,
  isDistinct: (a, b) => `(${a}) is distinct from (${b})`,
  isNotDistinct: (a, b) => `(${a}) is not distinct from (${b})`,
  groupConcat: (expression, separator) => `string_agg(cast(${expression} as text), ${quoted(separator)})`,
  real: (expression) => `cast(${expression} as double precision)`,
  text: (expression) => `cast(${expression} as text)`,
  realType: 'double precision',
  integerType: 'bigint',
  anyTrue: (condition) => `bool_or(${condition})`,
  orderedConcat: (expression, separator, orderBy) =>
    `string_agg(cast(${expression} as text), ${quoted(separator)} order by ${orderBy})`,
  distinctConcat: (expression) => `string_agg(distinct cast(${expression} as text), ',')`,
  glob: (expression, pattern) => `${expression} ~ ${quoted(globToRegex(pattern))}`,
  tempTable: (name) => `pg_temp.${name}`,
  tempIndex: (index, table, columns) => `create index ${index} on ${table} (${columns.join(', ')})`,
  analyzeTempTable: (table) => `analyze ${table}`,
  analyzeTemp: '',
  // The server's own settings (work_mem, maintenance_work_mem) are the operator's to choose.
  bulkWork: { begin: '', end: '' },
  clusteredTable: '',
  integerFlags: (select, columns, integerColumns) => {
    const names = Array.from({ length: columns }, (_, i) => `c${i + 1}`);
    // A boolean casts to integer (not to bigint); the column widens it on insert. The
    // integer columns of the derived tables are flags, counts, years and levels.
    const typed = names.map((n, i) => (integerColumns.includes(i) ? `cast(${n} as integer)` : n));
    return `select ${typed.join(', ')} from (${select}) as typed_rows (${names.join(', ')})`;
  },
  dependentViewsSql: `
    select distinct v.relname as name, pg_get_viewdef(v.oid) as definition
    from pg_depend d
    join pg_rewrite r on r.oid = d.objid
    join pg_class v on v.oid = r.ev_class
    where d.refobjid = to_regclass(?) and v.oid <> d.refobjid and v.relkind = 'v'`,
  dropTable: (table) => `drop table if exists ${table} cascade`,
  tableNote: (table, note) => `comment on table ${table} is ${quoted(note)}`,
  tableNoteSql: "select obj_description(to_regclass(?), 'pg_class')",
  sessionLock: (name) => `select pg_advisory_lock(hashtext(${quoted(name)}))`,
  sessionUnlock: (name) => `select pg_advisory_unlock(hashtext(${quoted(name)}))`,
  transactionLock: (name) => `select pg_advisory_xact_lock(hashtext(${quoted(name)}))`,
  oneSnapshot: 'set transaction isolation level repeatable read',
  stopWithClient: "set local client_connection_check_interval = '1s'",
  tablesSql: 'select table_name as name from information_schema.tables where table_schema = current_schema()',
  tableColumnsSql: `
    select c.column_name as name, c.data_type as type, coalesce(k.ordinal_position, 0) as pk
    from information_schema.columns c
    left join information_schema.table_constraints t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.constraint_type = 'PRIMARY KEY'
    left join information_schema.key_column_usage k
      on k.constraint_schema = t.constraint_schema and k.constraint_name = t.constraint_name
     and k.column_name = c.column_name
    where c.table_schema = current_schema() and c.table_name = ?
    order by c.ordinal_position`,
};

export function sqlFlavor(backend: Backend): SqlFlavor {
  return backend === 'sqlite' ? SQLITE : POSTGRES;
}
