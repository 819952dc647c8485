import { describe, expect, it } from 'vitest';
import { readWrittenPeriod } from '../../src/normalize/written-period.ts';

describe('readWrittenPeriod', () => {
  it.each([
    ['2023', { freq: 'A', period: '2023' }],
    ['202307', { freq: 'M', period: '2023-07' }],
    ['Jul 2023', { freq: 'M', period: '2023-07' }],
    ['июль 2023', { freq: 'M', period: '2023-07' }],
    ['2023-07-01', { freq: 'M', period: '2023-07' }],
    ['45108', { freq: 'M', period: '2023-07' }],
    ['2022-23', { fiscalYear: '2022-23', endYear: 2023 }],
  ])('reads %s', (text, expected) => {
    expect(readWrittenPeriod(text, { fiscalFirst: true })).toMatchObject(expected);
  });

  it('reads "2011-12" as December 2011 in a calendar table and as fiscal year 2011-12 in a fiscal one', () => {
    expect(readWrittenPeriod('2011-12', { fiscalFirst: false })).toMatchObject({
      period: '2011-12',
      freq: 'M',
    });
    expect(readWrittenPeriod('2011-12', { fiscalFirst: true })).toEqual({
      fiscalYear: '2011-12',
      endYear: 2012,
    });
  });

  it('refuses a quarter and a month without its year, saying which', () => {
    expect(readWrittenPeriod('Q1 2023', { fiscalFirst: false })).toEqual({
      problem: 'period "Q1 2023" is a quarter; Corridor keeps years and months.',
    });
    expect(readWrittenPeriod('Jul', { fiscalFirst: false })).toEqual({
      problem: 'period "Jul" is a month without its year.',
    });
  });
});
