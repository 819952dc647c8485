import { describe, expect, it } from 'vitest';
import { normalizePeriod } from '../../src/normalize/period.ts';

const problemOf = (result: ReturnType<typeof normalizePeriod>): string => {
  expect(result).toHaveProperty('problem');
  return (result as { problem: string }).problem;
};

describe('normalizePeriod', () => {
  describe('annual rows', () => {
    it('reads an annual Comtrade row whose refMonth is the dummy 52', () => {
      expect(normalizePeriod('2023', '2023', '52', 'A')).toEqual({
        freq: 'A',
        period: '2023',
        year: 2023,
        month: null,
      });
    });

    it('reads an annual row whose refMonth is the dummy 99 of other wrappers', () => {
      expect(normalizePeriod('2019', '2019', '99', 'A')).toEqual({
        freq: 'A',
        period: '2019',
        year: 2019,
        month: null,
      });
    });

    it('takes the dummy month 52 or 99 as annual even without a frequency', () => {
      expect(normalizePeriod(null, '2021', '52', null)).toEqual({
        freq: 'A',
        period: '2021',
        year: 2021,
        month: null,
      });
      expect(normalizePeriod(null, '2021', '99', null)).toMatchObject({ freq: 'A', period: '2021' });
    });

    it('infers annual from a four-digit period when there is no frequency', () => {
      expect(normalizePeriod('2020', null, null, null)).toEqual({
        freq: 'A',
        period: '2020',
        year: 2020,
        month: null,
      });
    });

    it('drops the float tail of "2023.0" and the spaces around a period', () => {
      expect(normalizePeriod('2023.0', null, null, 'A')).toMatchObject({ freq: 'A', period: '2023' });
      expect(normalizePeriod(' 2023 ', null, null, ' a ')).toMatchObject({ freq: 'A', period: '2023' });
    });
  });

  describe('monthly rows', () => {
    it('writes Comtrade\'s "202301" as "2023-01"', () => {
      expect(normalizePeriod('202301', '2023', '1', 'M')).toEqual({
        freq: 'M',
        period: '2023-01',
        year: 2023,
        month: 1,
      });
    });

    it('keeps "2023-01" as it is', () => {
      expect(normalizePeriod('2023-01', null, null, null)).toEqual({
        freq: 'M',
        period: '2023-01',
        year: 2023,
        month: 1,
      });
    });

    it('infers monthly from a six-digit period when there is no frequency', () => {
      expect(normalizePeriod('202312', null, null, null)).toMatchObject({ freq: 'M', period: '2023-12' });
    });

    it('builds a monthly period from refYear and refMonth when the period cell is empty', () => {
      expect(normalizePeriod(null, '2023', '7', 'M')).toEqual({
        freq: 'M',
        period: '2023-07',
        year: 2023,
        month: 7,
      });
      expect(normalizePeriod('', '2023.0', '7.0', 'M')).toMatchObject({ period: '2023-07', month: 7 });
    });

    it('ignores refMonth when the frequency says annual', () => {
      expect(normalizePeriod(null, '2023', '7', 'A')).toMatchObject({ freq: 'A', period: '2023' });
    });
  });

  describe('frequency and period that disagree', () => {
    it('refuses a monthly period when the frequency says annual', () => {
      expect(problemOf(normalizePeriod('202301', null, null, 'A'))).toMatch(
        /"202301" is monthly but the frequency says annual/,
      );
    });

    it('refuses a year when the frequency says monthly', () => {
      expect(problemOf(normalizePeriod('2023', null, null, 'M'))).toMatch(
        /"2023" is a year but the frequency says monthly/,
      );
    });

    it('refuses quarterly and unknown frequencies', () => {
      expect(problemOf(normalizePeriod('2023', null, null, 'Q'))).toMatch(/quarterly data are not supported/);
      expect(problemOf(normalizePeriod('2023', null, null, 'annual'))).toMatch(/is not A \(annual\) or M/);
    });
  });

  describe('months out of range', () => {
    it('refuses month 00', () => {
      expect(problemOf(normalizePeriod('202300', null, null, null))).toMatch(
        /"202300" has month 0; months run 01 to 12/,
      );
    });

    it('refuses month 13', () => {
      expect(problemOf(normalizePeriod('202313', null, null, 'M'))).toMatch(/has month 13/);
      expect(problemOf(normalizePeriod('2023-13', null, null, null))).toMatch(/has month 13/);
    });

    it('refuses refMonth 13 given with refYear on a monthly row', () => {
      expect(normalizePeriod(null, '2023', '13', 'M')).toHaveProperty('problem');
    });

    it('refuses refMonth 13 or 0 given with refYear when there is no frequency', () => {
      expect(normalizePeriod(null, '2023', '13', null)).toHaveProperty('problem');
      expect(normalizePeriod(null, '2023', '0', null)).toHaveProperty('problem');
    });
  });

  describe('years out of range', () => {
    it('accepts the bounds 1900 and 2100', () => {
      expect(normalizePeriod('1900', null, null, null)).toMatchObject({ year: 1900 });
      expect(normalizePeriod('2100', null, null, null)).toMatchObject({ year: 2100 });
    });

    it('refuses years before 1900 or after 2100, in a period or a refYear', () => {
      expect(problemOf(normalizePeriod('1899', null, null, null))).toMatch(
        /"1899" is not a year between 1900 and 2100/,
      );
      expect(problemOf(normalizePeriod('210101', null, null, null))).toMatch(/between 1900 and 2100/);
      expect(problemOf(normalizePeriod(null, '2101', null, null))).toMatch(/"2101" is not a year/);
      expect(problemOf(normalizePeriod(null, '0', '52', 'A'))).toMatch(/"0" is not a year/);
    });

    it('refuses a refYear that is not a whole number', () => {
      expect(normalizePeriod(null, '2023.5', null, null)).toHaveProperty('problem');
      expect(normalizePeriod(null, 'twenty', null, null)).toHaveProperty('problem');
    });
  });

  describe('malformed and missing periods', () => {
    it('refuses periods that are neither YYYY nor YYYYMM', () => {
      for (const bad of ['23', '2023Q1', '2023-1', '20231', '01/2023', 'FY2023']) {
        expect(problemOf(normalizePeriod(bad, null, null, null)), bad).toMatch(/is not YYYY or YYYYMM/);
      }
    });

    it('takes the year from refYear when the period cell is empty', () => {
      expect(normalizePeriod('  ', '2022', null, null)).toMatchObject({ freq: 'A', period: '2022' });
    });

    it('refuses a row with no period, no year and no month', () => {
      expect(problemOf(normalizePeriod(null, null, null, null))).toMatch(/has no period/);
      expect(problemOf(normalizePeriod('', ' ', '52', 'A'))).toMatch(/has no period/);
    });
  });
});
