import { describe, expect, it } from 'vitest';
import { flattenHeader } from '../../src/layout/header-block.ts';
import { type PeriodColumn, periodColumns } from '../../src/layout/period-columns.ts';

/** The period columns without their group (tested on its own below). */
const periods = (paths: readonly string[], serialDates = false): Omit<PeriodColumn, 'group'>[] =>
  periodColumns(paths, { serialDates }).map(({ group: _group, ...column }) => column);

/** The period of each period column, by the column's index. */
const periodByIndex = (paths: readonly string[], serialDates = false): Record<number, string> =>
  Object.fromEntries(periods(paths, serialDates).map((c) => [c.index, c.period]));

const FISCAL_MONTHS = ['Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'];

describe('periodColumns', () => {
  it('takes the year columns and leaves the columns around them', () => {
    expect(periods(['Code', 'Country', '2019', '2020 г.', '2021*', 'Total', 'Share, %'])).toEqual([
      { index: 2, path: '2019', period: '2019' },
      { index: 3, path: '2020 г.', period: '2020' },
      { index: 4, path: '2021*', period: '2021' },
    ]);
  });

  it('places the months of a fiscal year by their order: Jul–Dec in its first year, Jan–Jun in its second', () => {
    const paths = ['Commodity', ...FISCAL_MONTHS.map((m) => `2022-23 › ${m}`), '2022-23 › Total'];

    expect(periods(paths).map((c) => c.period)).toEqual([
      '2022-07',
      '2022-08',
      '2022-09',
      '2022-10',
      '2022-11',
      '2022-12',
      '2023-01',
      '2023-02',
      '2023-03',
      '2023-04',
      '2023-05',
      '2023-06',
    ]);
    expect(periods(paths)[0]).toEqual({ index: 1, path: '2022-23 › Jul', period: '2022-07' });
  });

  it('places the months of two fiscal years side by side each in its own year', () => {
    const paths = [
      'Commodity',
      ...FISCAL_MONTHS.map((m) => `2021-22 › ${m}`),
      ...FISCAL_MONTHS.map((m) => `2022-23 › ${m}`),
    ];
    const byIndex = periodByIndex(paths);

    expect([byIndex[1], byIndex[6], byIndex[7], byIndex[12]]).toEqual([
      '2021-07',
      '2021-12',
      '2022-01',
      '2022-06',
    ]);
    expect([byIndex[13], byIndex[18], byIndex[19], byIndex[24]]).toEqual([
      '2022-07',
      '2022-12',
      '2023-01',
      '2023-06',
    ]);
  });

  it('places the months of the same fiscal year under two flows each by their own order', () => {
    expect(
      periodByIndex(['Exports › 2022-23 › Jul', 'Exports › 2022-23 › Jan', 'Imports › 2022-23 › Jul']),
    ).toEqual({
      0: '2022-07',
      1: '2023-01',
      2: '2022-07',
    });
  });

  // "2022-23" above "Exports" above the months: the imports' July is the fiscal year's first
  // month again, but the month order is kept per fiscal year, not per group of months.
  it('places the months of two flows under one fiscal year each by their own order', () => {
    // Today: { 0: '2022-07', 1: '2023-01', 2: '2023-07', 3: '2023-01' }.
    expect(
      periodByIndex([
        '2022-23 › Exports › Jul',
        '2022-23 › Exports › Jan',
        '2022-23 › Imports › Jul',
        '2022-23 › Imports › Jan',
      ]),
    ).toEqual({ 0: '2022-07', 1: '2023-01', 2: '2022-07', 3: '2023-01' });
  });

  it.each([
    { case: 'English months under a year', paths: ['Country', '2021 › Jan', '2021 › Feb', '2021 › Total'] },
    {
      case: 'Russian months under a year',
      paths: ['Страна', '2021 г. › январь', '2021 г. › февраль', '2021 г. › Всего'],
    },
    {
      case: 'months under a year under a flow',
      paths: ['Страна', 'Экспорт › 2021 › янв', 'Экспорт › 2021 › фев'],
    },
  ])('dates $case by that year', ({ paths }) => {
    expect(periodByIndex(paths)).toEqual({ 1: '2021-01', 2: '2021-02' });
  });

  it('keeps the year a month header writes over the year above it', () => {
    expect(periodByIndex(['2022-23 › Jul-22', '2022-23 › Jan-23'])).toEqual({ 0: '2022-07', 1: '2023-01' });
  });

  it('reads a fiscal-year column alone as that fiscal year', () => {
    expect(periods(['Commodity', '2021-22', 'FY 2022/23'])).toEqual([
      { index: 1, path: '2021-22', period: '2021-22' },
      { index: 2, path: 'FY 2022/23', period: '2022-23' },
    ]);
  });

  it('takes quarters under a calendar year', () => {
    expect(periodByIndex(['Country', '2021 › Q1', '2021 › II кв.'])).toEqual({ 1: '2021-Q1', 2: '2021-Q2' });
  });

  it('leaves quarters under a fiscal year: they are fiscal quarters, not calendar ones', () => {
    expect(periods(['Commodity', '2022-23 › Q1', '2022-23 › Q2', '2022-23 › Q3', '2022-23 › Q4'])).toEqual(
      [],
    );
  });

  it('leaves a month or quarter with no year above it', () => {
    expect(periods(['Country', 'Jan', 'Exports › Feb', 'Q1'])).toEqual([]);
  });

  it('reads month headers typed as dates, as the readers give them', () => {
    expect(periodByIndex(['Country', '2021-07-01', '2021-08-01T00:00:00.000Z'])).toEqual({
      1: '2021-07',
      2: '2021-08',
    });
  });

  // A month header typed as a number (an Excel date serial shown as a date) reaches periodColumns
  // as text: flattenHeader turns every header cell into a string, and readPeriodLabel reads
  // serials only from numbers, so `serialDates` has no effect.
  it('reads Excel date serials in the header as months when asked', () => {
    const paths = flattenHeader([['Country', 44378, 44409]]);

    // Today: [].
    expect(periodByIndex(paths, true)).toEqual({ 1: '2021-07', 2: '2021-08' });
  });

  it('reads Excel date serials as no period unless asked', () => {
    expect(periods(flattenHeader([['Country', 44378, 44409]]), false)).toEqual([]);
  });

  it('gives each period column the heading it stands under, where a year-to-date series starts again', () => {
    const paths = ['Commodity', '2021-22 › Jul', '2021-22 › Aug', '2022-23 › Jul', '2023'];
    expect(periodColumns(paths, { serialDates: false }).map((c) => [c.period, c.group])).toEqual([
      ['2021-07', '2021-22'],
      ['2021-08', '2021-22'],
      ['2022-07', '2022-23'],
      ['2023', ''],
    ]);
  });
});
