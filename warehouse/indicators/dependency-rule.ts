/**
 * An indicator table's dependency rule in words, from what its definition declares (family,
 * acrossSources, lookback and lookahead, the tables it reads): which changed slices make which
 * of its rows be computed again. src/derive/refresh-scope.ts applies the same declarations;
 * `corridor docs` prints this sentence with each table, so the rule and the code cannot drift.
 */
import type { IndicatorDefinition } from './indicator.ts';

const years = (before: number, after: number) => {
  const from = before === 0 ? 'y' : `y − ${before}`;
  const to = after === 0 ? 'y' : `y + ${after}`;
  return from === to ? 'y' : `${from} … ${to}`;
};

/** The sentence: what a load of year y (of a source, or of the ports) recomputes. */
export function dependencyRule(definition: IndicatorDefinition): string {
  const what =
    definition.family === 'port'
      ? 'A port load that changes year y'
      : definition.family === 'both'
        ? 'A trade or port load that changes year y'
        : 'A trade load that changes year y of a source';
  const whose =
    definition.family === 'trade' && !definition.acrossSources
      ? "that source's rows"
      : 'the rows of every source';
  const written =
    definition.lags === undefined
      ? years(definition.lookahead, definition.lookback)
      : ['y', ...definition.lags.map((l) => `y + ${l}`)].join(', ');
  const parts = [
    `${what} recomputes ${whose} of ${written === 'y' ? 'year y' : `years ${written}`}; rows of other years and sources are left as they are.`,
  ];
  if (definition.lookback > 0 || definition.lookahead > 0)
    parts.push(
      `A row of year w reads ${
        definition.lags === undefined
          ? `years ${years(definition.lookback, definition.lookahead).replace(/y/g, 'w')}`
          : `year w and ${definition.lags.map((l) => `w − ${l}`).join(', ')}`
      }${
        definition.looksBackOnStoredRows
          ? `; the years among them that did not change are read from ${definition.readsTables?.join(' and ')} as stored, not computed again`
          : ''
      }.`,
    );
  if (definition.acrossSources)
    parts.push(
      'It compares sources (or takes the world of every reporter of the year), so one source’s change moves the others’ rows.',
    );
  const read = definition.readsTables ?? [];
  // A table that looks back on stored rows named what it reads in the sentence above.
  if (read.length > 0)
    parts.push(
      definition.looksBackOnStoredRows
        ? `When ${read.join(' or ')} is rebuilt whole, so is this.`
        : `It reads ${read.join(', ')}: when that is rebuilt whole, so is this.`,
    );
  parts.push('`corridor derive --full`, new reference data or a changed definition recompute every row.');
  return parts.join(' ');
}
