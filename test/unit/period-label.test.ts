import { describe, expect, it } from 'vitest';
import {
  excelSerialToDate,
  monthFromName,
  type PeriodLabel,
  readPeriodLabel,
} from '../../src/layout/period-label.ts';

const year = (y: number): PeriodLabel => ({ kind: 'year', year: y });
const month = (y: number | null, m: number): PeriodLabel => ({ kind: 'month', year: y, month: m });
const quarter = (y: number | null, q: number): PeriodLabel => ({ kind: 'quarter', year: y, quarter: q });
const fiscal = (start: number, end: number, label: string): PeriodLabel => ({
  kind: 'fiscal_year',
  startYear: start,
  endYear: end,
  label,
});

describe('readPeriodLabel', () => {
  describe('years', () => {
    it.each([
      { cell: 2019, expected: year(2019) },
      { cell: '2019', expected: year(2019) },
      { cell: ' 2019 ', expected: year(2019) },
      { cell: '\u00a02019\u202f', expected: year(2019) },
      { cell: '2019 г.', expected: year(2019) },
      { cell: '2019г', expected: year(2019) },
      { cell: '2019 год', expected: year(2019) },
      { cell: '2019 ж.', expected: year(2019) },
      { cell: '2019*', expected: year(2019) },
      { cell: '2019 **', expected: year(2019) },
      { cell: '2019¹', expected: year(2019) },
      { cell: '2019 year', expected: year(2019) },
      { cell: 1900, expected: year(1900) },
      { cell: '2100', expected: year(2100) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readPeriodLabel(cell)).toEqual(expected);
    });
  });

  describe('months', () => {
    it.each([
      { cell: 'Jul', expected: month(null, 7) },
      { cell: 'July', expected: month(null, 7) },
      { cell: 'Sept', expected: month(null, 9) },
      { cell: 'Sep.', expected: month(null, 9) },
      { cell: 'май', expected: month(null, 5) },
      { cell: 'Jan 2021', expected: month(2021, 1) },
      { cell: 'January-2021', expected: month(2021, 1) },
      { cell: 'Jan-21', expected: month(2021, 1) },
      { cell: "Dec'19", expected: month(2019, 12) },
      { cell: 'Sept. 2021', expected: month(2021, 9) },
      { cell: '2021 January', expected: month(2021, 1) },
      { cell: 'январь 2021', expected: month(2021, 1) },
      { cell: 'Январь 2021 г.', expected: month(2021, 1) },
      { cell: 'января 2021 года', expected: month(2021, 1) },
      { cell: 'мая 2020', expected: month(2020, 5) },
      { cell: 'шілде 2021', expected: month(2021, 7) },
      { cell: '2021-01', expected: month(2021, 1) },
      { cell: '2021/01', expected: month(2021, 1) },
      { cell: '2021-1', expected: month(2021, 1) },
      { cell: '2021M01', expected: month(2021, 1) },
      { cell: '2021 M1', expected: month(2021, 1) },
      { cell: '2021m12', expected: month(2021, 12) },
      { cell: '01.2021', expected: month(2021, 1) },
      { cell: '7/2021', expected: month(2021, 7) },
      { cell: '2021-07-01', expected: month(2021, 7) },
      { cell: '2021-07-01T00:00:00.000Z', expected: month(2021, 7) },
      { cell: new Date(Date.UTC(2021, 6, 1)), expected: month(2021, 7) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readPeriodLabel(cell)).toEqual(expected);
    });
  });

  describe('Excel date serials', () => {
    it.each([
      { cell: 44378, expected: month(2021, 7) },
      { cell: 44378.75, expected: month(2021, 7) },
      { cell: 43831, expected: month(2020, 1) },
      // Years stay years: the serial range starts above them.
      { cell: 2021, expected: year(2021) },
    ])('reads $cell as a date when asked', ({ cell, expected }) => {
      expect(readPeriodLabel(cell, { serialDates: true })).toEqual(expected);
    });

    it('reads a serial as no period unless asked to', () => {
      expect(readPeriodLabel(44378)).toBeNull();
      expect(readPeriodLabel(44378, { serialDates: false })).toBeNull();
    });

    it.each([19999, 80001])('reads %d as no period: outside the serials a month header holds', (cell) => {
      expect(readPeriodLabel(cell, { serialDates: true })).toBeNull();
    });
  });

  describe('quarters', () => {
    it.each([
      { cell: 'Q1 2021', expected: quarter(2021, 1) },
      { cell: 'Q3-21', expected: quarter(2021, 3) },
      { cell: 'q4/2020', expected: quarter(2020, 4) },
      { cell: 'Q2', expected: quarter(null, 2) },
      { cell: '2021Q1', expected: quarter(2021, 1) },
      { cell: '2021-Q1', expected: quarter(2021, 1) },
      { cell: '2021 Q4', expected: quarter(2021, 4) },
      { cell: '1Q2021', expected: quarter(2021, 1) },
      { cell: 'I кв. 2021', expected: quarter(2021, 1) },
      { cell: 'III кв. 2021 г.', expected: quarter(2021, 3) },
      { cell: 'IV кв.', expected: quarter(null, 4) },
      { cell: '1-й квартал 2021 г.', expected: quarter(2021, 1) },
      { cell: '2 квартал 2021', expected: quarter(2021, 2) },
      { cell: '2021 г. II кв.', expected: quarter(2021, 2) },
      // Kazakh, with a Cyrillic І.
      { cell: 'І тоқсан 2021', expected: quarter(2021, 1) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readPeriodLabel(cell)).toEqual(expected);
    });
  });

  describe('fiscal years', () => {
    it.each([
      { cell: '2022-23', expected: fiscal(2022, 2023, '2022-23') },
      { cell: '2022/23', expected: fiscal(2022, 2023, '2022-23') },
      { cell: '2022–23', expected: fiscal(2022, 2023, '2022-23') },
      { cell: 'FY2022-23', expected: fiscal(2022, 2023, '2022-23') },
      { cell: 'FY 2022-23', expected: fiscal(2022, 2023, '2022-23') },
      { cell: 'FY 2022/23', expected: fiscal(2022, 2023, '2022-23') },
      { cell: '2022-2023', expected: fiscal(2022, 2023, '2022-23') },
      { cell: '1999-00', expected: fiscal(1999, 2000, '1999-00') },
      { cell: '2022-23*', expected: fiscal(2022, 2023, '2022-23') },
      // The next year after the dash makes it a fiscal year, though "2011-12" could be a month.
      { cell: '2011-12', expected: fiscal(2011, 2012, '2011-12') },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readPeriodLabel(cell)).toEqual(expected);
    });
  });

  describe('cells that name no period', () => {
    it.each<unknown>([
      'Total',
      'Всего',
      'Итого',
      'удельный вес, %',
      '',
      null,
      undefined,
      true,
      // Cumulative columns are not months.
      'январь-март 2021',
      'Jan-Mar 2021',
      // Not the next year: a range, not a fiscal year.
      '2022-24',
      '2022-2024',
      '2022–01',
      'FY 2021-01',
      // "FY23" could end in 2023 or 2024, depending on the country.
      'FY23',
      'FY2022',
      // "гг." is a span of years.
      '2019 гг.',
      '2019-',
      '2021-13',
      '2021-00',
      '2021M13',
      '13.2021',
      '2021-02-32',
      'Q5 2021',
      'V кв. 2021',
      '1899',
      '2101',
      1899,
      2019.5,
      44378,
      'Jan-1899',
    ])('reads %j as no period', (cell) => {
      expect(readPeriodLabel(cell)).toBeNull();
    });
  });
});

describe('excelSerialToDate', () => {
  it.each([
    { serial: 1, expected: { year: 1900, month: 1, day: 1 } },
    { serial: 59, expected: { year: 1900, month: 2, day: 28 } },
    // Excel's 1900-02-29, a day that never was (https://learn.microsoft.com/en-us/office/troubleshoot/excel/wrongly-assumes-1900-is-leap-year).
    { serial: 60, expected: { year: 1900, month: 2, day: 29 } },
    { serial: 61, expected: { year: 1900, month: 3, day: 1 } },
    { serial: 43831, expected: { year: 2020, month: 1, day: 1 } },
    { serial: 44378, expected: { year: 2021, month: 7, day: 1 } },
    { serial: 44378.999, expected: { year: 2021, month: 7, day: 1 } },
    { serial: 45657, expected: { year: 2024, month: 12, day: 31 } },
  ])('gives $serial as $expected.year-$expected.month-$expected.day', ({ serial, expected }) => {
    expect(excelSerialToDate(serial)).toEqual(expected);
  });

  it.each([0, 0.5, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d, which no date has', (serial) => {
    expect(() => excelSerialToDate(serial)).toThrow(RangeError);
  });
});

describe('monthFromName', () => {
  it.each([
    ['Jan', 1],
    ['january', 1],
    ['FEB', 2],
    ['Sept', 9],
    ['Sep.', 9],
    ['December', 12],
    ['январь', 1],
    ['января', 1],
    ['январе', 1],
    ['янв.', 1],
    ['февр.', 2],
    ['Март', 3],
    ['май', 5],
    ['мая', 5],
    ['сент.', 9],
    ['нояб', 11],
    ['қаңтар', 1],
    ['ақпан', 2],
    ['наурыз', 3],
    ['сәуір', 4],
    ['мамыр', 5],
    ['маусым', 6],
    ['шілде', 7],
    ['тамыз', 8],
    ['қыркүйек', 9],
    ['қазан', 10],
    ['қараша', 11],
    ['желтоқсан', 12],
    ['iyul', 7],
    // A decomposed й (и and a combining breve), as some exports write it, still matches.
    ['май'.normalize('NFD'), 5],
  ])('reads %j as month %d', (name, expected) => {
    expect(monthFromName(name)).toBe(expected);
  });

  it.each(['Total', 'Ju', 'Janu', 'январь-март', 'Q1', '', '1'])('reads %j as no month', (name) => {
    expect(monthFromName(name)).toBeNull();
  });
});
