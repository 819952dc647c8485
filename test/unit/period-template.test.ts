import { describe, expect, it } from 'vitest';
import { expandTemplate, hasPlaceholders } from '../../src/extract/period-template.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const names = (template: string, from: string, to: string) =>
  expandTemplate(template, { from, to }, NOW).map((f) => f.name);

describe('period templates in file names and URLs', () => {
  it('leaves a name without placeholders alone, range or not', () => {
    expect(expandTemplate('downloads/*.csv', null, NOW)).toEqual([{ name: 'downloads/*.csv', period: null }]);
    expect(hasPlaceholders('x_{year}.csv')).toBe(true);
    expect(hasPlaceholders('x_{yr}.csv')).toBe(false);
  });

  it('fills {year} for every year of the range, oldest first', () => {
    expect(expandTemplate('https://x.org/t_{year}.csv', { from: '2021', to: '2023' }, NOW)).toEqual([
      { name: 'https://x.org/t_2021.csv', period: '2021' },
      { name: 'https://x.org/t_2022.csv', period: '2022' },
      { name: 'https://x.org/t_2023.csv', period: '2023' },
    ]);
  });

  it('fills {year}-{month} for every month, across a year end, with two-digit months', () => {
    expect(names('p/{year}-{month}.xlsx', '2023-11', '2024-02')).toEqual([
      'p/2023-11.xlsx',
      'p/2023-12.xlsx',
      'p/2024-01.xlsx',
      'p/2024-02.xlsx',
    ]);
  });

  it('reads a year bound of a monthly template as its first or last month', () => {
    expect(names('{year}{month}', '2024', '2024')).toHaveLength(12);
    expect(names('{year}{month}', '2024', '2024')[11]).toBe('202412');
  });

  it('stops at the current period: `current`, or a range running into the future', () => {
    expect(names('t_{year}', '2024', 'current')).toEqual(['t_2024', 't_2025', 't_2026']);
    expect(names('t_{year}', '2025', '2030')).toEqual(['t_2025', 't_2026']);
    expect(() => names('t_{year}', '2030', '2031')).toThrow(/lies wholly in the future/);
    expect(names('{year}-{month}', '2026-10', 'current')).toEqual(['2026-10', '2026-11']);
  });

  it('refuses a backwards range, a bad period, and placeholders without a range', () => {
    expect(() => names('t_{year}', '2023', '2021')).toThrow(/runs backwards: --from must come before --to/);
    expect(() => names('t_{year}', '2020-05', '2020-03')).toThrow(/runs backwards/);
    expect(() => names('t_{year}', '2023-13', '2024')).toThrow(
      /"2023-13" is not a period\. Write a year \(2019\) or a month/,
    );
    expect(() => expandTemplate('t_{year}', null, NOW)).toThrow(
      /has period placeholders but no range to fill them in: give the pipeline `periods: \{ from: '2019' \}`, or run it with --from and --to/,
    );
  });
});
