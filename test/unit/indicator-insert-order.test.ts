/**
 * The ORDER BY the derive stage puts on a definition's rows before inserting them
 * (src/derive/indicator-table.ts, insertOrder): the clustering key, by the positions of its
 * columns in the definition's SELECT.
 */
import { describe, expect, it } from 'vitest';
import { clusteringKey, insertOrder } from '../../src/derive/indicator-table.ts';
import { INDICATORS } from '../../warehouse/indicators/index.ts';

describe('insertOrder', () => {
  const sorted = INDICATORS.filter((d) => d.sortBeforeInsert === true);

  it('is asked for by the unit values, whose rows come out in the order of their codes', () => {
    expect(sorted.map((d) => d.table)).toEqual(['ind_unit_values']);
  });

  it.each(sorted.map((d) => [d.table, d] as const))(
    'names the clustering key of %s, column by column',
    (_, d) => {
      const positions = insertOrder(d).replace(' order by ', '').split(', ').map(Number);
      expect(positions.map((p) => d.columns[p - 1]?.name)).toEqual(clusteringKey(d));
    },
  );

  it('is empty for a table whose rows come nearly in key order', () => {
    const growth = INDICATORS.find((d) => d.table === 'ind_trade_growth')!;
    expect(insertOrder(growth)).toBe('');
  });
});
