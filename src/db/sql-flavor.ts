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
}

const quoted = (separator: string) => `'${separator.replace(/'/g, "''")}'`;

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
};

export function sqlFlavor(backend: Backend): SqlFlavor {
  return backend === 'sqlite' ? SQLITE : POSTGRES;
}
