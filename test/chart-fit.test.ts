/** chartOfRows (src/chart/fit-chart.ts): which query results make a chart, and which do not. */
import { describe, expect, it } from 'vitest';
import { chartOfRows } from '../src/chart/fit-chart.ts';

describe('chartOfRows', () => {
  it('draws years and numeric columns as lines, one series a column (numeric text and bigint read as numbers)', () => {
    const spec = chartOfRows(
      ['year', 'exports_usd', 'imports_usd'],
      [
        [2021n, '1200000.50', 5],
        [2022n, null, 6n],
      ],
      'Balance',
    );
    expect(spec).toMatchObject({
      kind: 'line',
      title: 'Balance',
      categories: ['2021', '2022'],
      series: [
        { name: 'exports_usd', values: [1_200_000.5, null] },
        { name: 'imports_usd', values: [5, 6] },
      ],
      unit: 'USD',
    });
  });

  it('draws text labels as bars, a long label as a horizontal bar', () => {
    expect(
      chartOfRows(
        ['country', 'value'],
        [
          ['PAK', 1],
          ['KAZ', 2],
        ],
        't',
      )?.kind,
    ).toBe('grouped-bar');
    expect(
      chartOfRows(
        ['product', 'value_usd'],
        [
          ['520100 Cotton, not carded', 3],
          ['100199 Wheat', 1],
        ],
        't',
      )?.kind,
    ).toBe('horizontal-bar');
    expect(
      chartOfRows(
        ['period', 'quantity'],
        [
          ['2023-07', 1],
          ['2023-08', 2],
        ],
        't',
      )?.kind,
    ).toBe('line');
  });

  it('pivots the long form (label, series, number) into one series per name', () => {
    const spec = chartOfRows(
      ['period', 'port_locode', 'tonnes'],
      [
        ['2023-07', 'PKKHI', 10],
        ['2023-07', 'PKBQM', 4],
        ['2023-08', 'PKKHI', 12],
      ],
      'Ports',
    );
    expect(spec).toMatchObject({
      kind: 'line',
      categories: ['2023-07', '2023-08'],
      series: [
        { name: 'PKKHI', values: [10, 12] },
        { name: 'PKBQM', values: [4, null] },
      ],
      unit: 't',
    });
  });

  it('refuses shapes that do not fit', () => {
    const fits = (columns: string[], rows: unknown[][]) => chartOfRows(columns, rows, 't') !== null;
    expect(fits(['year', 'v'], [])).toBe(false); // no rows
    expect(fits(['v'], [[1]])).toBe(false); // one column
    expect(fits(['ratio', 'v'], [[0.5, 1]])).toBe(false); // a fraction is no label
    expect(fits(['name', 'note'], [['a', 'text']])).toBe(false); // nothing numeric
    expect(
      fits(
        ['name', 'v'],
        [
          ['a', 1],
          ['a', 2],
        ],
      ),
    ).toBe(false); // a label twice in the wide form
    const many = Array.from({ length: 61 }, (_, i) => [`c${i}`, i]);
    expect(fits(['c', 'v'], many)).toBe(false); // more than 60 labels
    const wide = ['c', ...Array.from({ length: 13 }, (_, i) => `v${i}`)];
    expect(fits(wide, [['a', ...Array(13).fill(1)]])).toBe(false); // more than 12 series
    const series = Array.from({ length: 13 }, (_, i) => ['2021', `s${i}`, i]);
    expect(fits(['year', 's', 'v'], series)).toBe(false); // more than 12 series in the long form
    expect(
      fits(
        ['year', 's', 'v'],
        [
          ['2021', 's', 1],
          ['2021', 's', 2],
        ],
      ),
    ).toBe(false); // a cell twice
  });
});
