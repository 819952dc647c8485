/**
 * What defines a derived indicator table: its columns with their meaning and unit, its key,
 * the formula in words, and the SELECT that computes its rows. The derive stage
 * (src/derive/refresh-indicators.ts) creates each table from this definition, refreshes the
 * years a load touched and records how long it took; `corridor docs` reads the same words. A
 * definition is the one place a column is named, so the table and its documentation cannot
 * drift apart.
 *
 * The SQL runs on SQLite and on PostgreSQL: where the two spell something differently (an
 * aggregate of booleans, a GLOB, the larger of two values), `select` writes it with the
 * warehouse's flavor (src/db/sql-flavor.ts). A comparison is 0 or 1 on SQLite and a boolean on
 * PostgreSQL; the derive stage makes the integer columns integers on insert.
 */

/**
 * The SQL spellings a definition needs that differ between SQLite and PostgreSQL. The
 * warehouse's flavor (src/db/sql-flavor.ts, a layer above the definitions) is one; it says what
 * each gives on each backend.
 */
export interface SqlDialect {
  /** The larger of two values, and the smaller (give non-NULL values: PostgreSQL skips a NULL, SQLite returns it). */
  greatest(...values: string[]): string;
  least(...values: string[]): string;
  /** Whether any condition of a group is true. */
  anyTrue(condition: string): string;
  /** Values of a group joined by `separator`, in the order given. */
  orderedConcat(expression: string, separator: string, orderBy: string): string;
  /** The distinct values of a group joined by commas. */
  distinctConcat(expression: string): string;
  /** `expression` matches a GLOB pattern. */
  glob(expression: string, pattern: string): string;
  /** A floating-point value. */
  real(expression: string): string;
}

export type IndicatorColumnType = 'text' | 'integer' | 'real';

export interface IndicatorColumn {
  readonly name: string;
  readonly type: IndicatorColumnType;
  /** The unit of a measure (`USD`, `percent`, `ratio`, `t`); absent for codes and flags. */
  readonly unit?: string;
  readonly description: string;
}

/**
 * Which rows a refresh reads and writes, as SQL predicates on a year column such as `s.year`
 * (and, for a table computed within one source, on the `s.source` beside it; give `source`
 * when the year is an expression such as `s.year - 1`). A full refresh admits every row; an
 * incremental one the years around those a load changed.
 */
export interface YearScope {
  /** Rows of input to read: the years written, widened by what each year's rows look back on. */
  read(year: string, source?: string): string;
  /** Rows of the table to compute (and to delete first). */
  write(year: string, source?: string): string;
  /** The same scope for rows `years` earlier: year y is admitted when y + years is. */
  before(years: number): YearScope;
}

export interface IndicatorDefinition {
  /** The table's name: `ind_` and what it holds. */
  readonly table: string;
  readonly description: string;
  /** The formulas, in the notation of DOMAIN.md section 6. */
  readonly formula: string;
  /** Which rows feed it: a trade load refreshes trade tables, a port load port tables, either both. */
  readonly family: 'trade' | 'port' | 'both';
  /**
   * A trade table that compares sources (the mirror sets one source's exports beside another's
   * imports): a changed year is recomputed for every source. Otherwise a trade table is
   * computed within each source, and a load refreshes only its own source's rows.
   */
  readonly acrossSources?: boolean;
  /** It reads the trade input tables (trade-inputs.ts), which the refresh computes first. */
  readonly readsTradeInputs?: boolean;
  /** Indicator tables it reads: when one is computed whole, so is this one. */
  readonly readsTables?: readonly string[];
  /**
   * The years it looks back on that did not change are read from the indicator tables it
   * reads (`readsTables`), which hold them already, instead of being computed again into the
   * input tables: the input tables hold only the years that changed (`scope.read`), so a
   * refresh after one year's load computes the inputs of that year alone.
   */
  readonly looksBackOnStoredRows?: boolean;
  readonly columns: readonly IndicatorColumn[];
  /** The columns that identify a row. */
  readonly key: readonly string[];
  /**
   * Years of input one year's rows depend on, before and after it: growth over five years
   * reads five years back; a fiscal year that starts in July reads the next calendar year.
   */
  readonly lookback: number;
  readonly lookahead: number;
  /**
   * The years before a row it reads, when not all of those `lookback` spans: growth compares
   * with 1, 3 and 5 years earlier, so a change in year y moves its rows of y, y + 1, y + 3 and
   * y + 5 only.
   */
  readonly lags?: readonly number[];
  /**
   * Its SELECT yields rows far from the order of the table's key (a window over each code's
   * flows), so the derive sorts them by the key before inserting them: in a one-year derive
   * on SQLite, a million unit values took 11.4 to 13.1 s as they came and 5.7 to 7.1 s sorted
   * first (on PostgreSQL, 23.6 s and 14.5 s in one run each). Tables whose rows come nearly in
   * key order are not sorted: there the sort cost as much as it saved (shares: 0.5 s less on
   * SQLite, 6 s more in one PostgreSQL run; sums, growth and RCA no faster). Growth sorted in
   * a refresh after one year of five was slower still (54 s against 46 and 51 s).
   */
  readonly sortBeforeInsert?: boolean;
  /** A SELECT giving the columns in order, for the years `scope.write` admits, in `flavor`'s SQL. */
  select(scope: YearScope, flavor: SqlDialect): string;
}

/** Columns every indicator table has: the reasons for NULLs and the small-base flag (DOMAIN.md section 6). */
export const NULL_REASON: IndicatorColumn = {
  name: 'null_reason',
  type: 'text',
  description:
    'Why the main measure is NULL: zero_base (its denominator is 0), negative_base, missing_input (a side or a period was not loaded), coarser_than_category (the file publishes only codes wider than the category: potash within chapter 31) or single_item; NULL when the measure has a value.',
};

export const SMALL_BASE: IndicatorColumn = {
  name: 'small_base',
  type: 'integer',
  description:
    '1 when the base is small and the measure swings on little: under 1,000,000 USD of trade, under 10,000 t or 1,000 TEU of port throughput, or fewer than 3 items in a concentration index.',
};

/** The column the derive stage adds to every indicator table, after the definition's own. */
export const DERIVE_ID: IndicatorColumn = {
  name: 'derive_id',
  type: 'integer',
  description:
    'The refresh that wrote the row (derive_runs.derive_id): when it was computed, and from which loads.',
};

/** Trade base under which a measure is flagged as small (DOMAIN.md section 6). */
export const SMALL_TRADE_USD = 1_000_000;
