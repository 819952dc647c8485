/**
 * Which rows a refresh recomputes and which input rows it reads, as SQL predicates on a
 * table's year column (and its source column, for tables computed within one source).
 *
 * A load of Comtrade's 2023 changes the 2023 rows of Comtrade's balance; growth rates of
 * 2023 to 2028 (they look back up to five years); and, for a table that compares sources (the
 * mirror), every source's 2023. Rows of other sources and years are neither read nor written,
 * so a nightly Comtrade load does not recompute a warehouse's BACI years.
 */
import type { IndicatorDefinition, YearScope } from '../../warehouse/indicators/indicator.ts';

/** Calendar years by source; the key null stands for every source. */
export type YearsBySource = ReadonlyMap<string | null, ReadonlySet<number>>;

/**
 * A table's scope, with the input years it reads and the years of its rows it writes (null:
 * every year of every source).
 */
export type TableScope = YearScope & {
  readonly reads: YearsBySource | null;
  readonly writes: YearsBySource | null;
};

const sorted = (years: Iterable<number>): number[] => [...years].sort((a, b) => a - b);

/** `'comtrade'`, quotes doubled: source names come from pipeline files. */
const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The predicate admitting `years` on `yearColumn` (`s.year`; its source column is `s.source`
 * unless `sourceColumn` names it, as it must for an expression such as `s.year + 1`).
 */
function admitting(years: YearsBySource, yearColumn: string, sourceColumn?: string): string {
  const source = sourceColumn ?? yearColumn.replace(/year$/, 'source');
  const parts = [...years]
    .filter(([, set]) => set.size > 0)
    .map(([name, set]) => {
      const inYears = `${yearColumn} in (${sorted(set).join(', ')})`;
      return name === null ? inYears : `(${source} = ${quoted(name)} and ${inYears})`;
    });
  return parts.length === 0 ? '0 = 1' : `(${parts.join(' or ')})`;
}

/** Each year moved by `by`. */
function shifted(years: YearsBySource, by: number): Map<string | null, Set<number>> {
  return new Map([...years].map(([source, set]) => [source, new Set([...set].map((y) => y + by))]));
}

/** The scope admitting `read` and `write`, and the same for earlier rows. */
function scopeAdmitting(read: YearsBySource, written: YearsBySource): TableScope {
  return {
    reads: read,
    writes: written,
    read: (year, source) => admitting(read, year, source),
    write: (year, source) => admitting(written, year, source),
    before: (years) => scopeAdmitting(shifted(read, -years), shifted(written, -years)),
  };
}

/** Each set widened: every year y becomes y − before … y + after. */
function widened(years: YearsBySource, before: number, after: number): Map<string | null, Set<number>> {
  const result = new Map<string | null, Set<number>>();
  for (const [source, set] of years) {
    const wide = new Set<number>();
    for (const year of set) for (let y = year - before; y <= year + after; y++) wide.add(y);
    result.set(source, wide);
  }
  return result;
}

/** Each year y becomes y + each of `offsets`. */
function atOffsets(years: YearsBySource, offsets: readonly number[]): Map<string | null, Set<number>> {
  return new Map(
    [...years].map(([source, set]) => [source, new Set([...set].flatMap((y) => offsets.map((o) => y + o)))]),
  );
}

export const EVERY_YEAR: TableScope = {
  reads: null,
  writes: null,
  read: () => '1 = 1',
  write: () => '1 = 1',
  before: () => EVERY_YEAR,
};

/**
 * The scope of `definition` when the input years `changed` moved: a row of year w reads years
 * w − lookback … w + lookahead, so a changed year y is read by rows of y − lookahead … y + lookback.
 * A definition that looks back on stored rows (looksBackOnStoredRows) reads only the changed
 * years from the inputs; the rest of what its rows look back on is in the tables it reads.
 */
export function scopeOf(definition: IndicatorDefinition, changed: YearsBySource): TableScope | null {
  if ([...changed.values()].every((set) => set.size === 0)) return null;
  const written =
    definition.lags === undefined
      ? widened(changed, definition.lookahead, definition.lookback)
      : atOffsets(changed, [0, ...definition.lags]);
  const reads = definition.looksBackOnStoredRows
    ? changed
    : widened(written, definition.lookback, definition.lookahead);
  return scopeAdmitting(reads, written);
}

/** A scope reading (and admitting) every input year any of `scopes` reads; null when none reads any. */
export function widest(scopes: readonly TableScope[]): YearScope | null {
  if (scopes.length === 0) return null;
  if (scopes.some((s) => s.reads === null)) return EVERY_YEAR;
  const merged = new Map<string | null, Set<number>>();
  for (const scope of scopes) {
    for (const [source, set] of scope.reads ?? []) {
      const into = merged.get(source) ?? new Set<number>();
      for (const year of set) into.add(year);
      merged.set(source, into);
    }
  }
  return scopeAdmitting(merged, merged);
}

/**
 * The calendar years any of `scopes` writes, whatever the source, in order: the years the
 * data-quality checks by year look at after the refresh. Null when one writes every year.
 */
export function yearsWritten(scopes: readonly TableScope[]): number[] | null {
  if (scopes.some((s) => s.writes === null)) return null;
  return sorted(
    new Set(scopes.flatMap((s) => [...(s.writes ?? new Map()).values()].flatMap((set) => [...set]))),
  );
}

/** Every source's years as one set, under the key for every source. */
export function acrossSources(...groups: YearsBySource[]): YearsBySource {
  const all = new Set<number>();
  for (const group of groups) for (const set of group.values()) for (const year of set) all.add(year);
  return new Map([[null, all]]);
}

/** The years of `years` as a plain object for the journal: `{"comtrade": [2022, 2023]}`. */
export function yearsForJournal(years: YearsBySource): Record<string, number[]> {
  return Object.fromEntries([...years].map(([source, set]) => [source ?? '*', sorted(set)]));
}
