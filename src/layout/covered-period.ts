/**
 * The period a whole table covers, as its title or sheet name says it: "за январь-декабрь 2021
 * года", "за 2022 год", "2023 жыл", "January–December 2023", "I квартал 2023 г.", "за январь
 * 2024 года", or a sheet named "12_2021" (the bureau's months-covered and year). Tables that
 * hold one period state it once, above the figures; the reading says how much of the year it is
 * so that a half-year table is never loaded as a year.
 */
import { monthFromName } from './period-label.ts';

export interface CoveredPeriod {
  readonly year: number;
  /** First and last month covered, 1..12. */
  readonly firstMonth: number;
  readonly lastMonth: number;
  /** The words that said it. */
  readonly phrase: string;
}

/** "2021", "2021-03", "2021-Q1", or "2021-01/2021-06" for a run of months that is none of those. */
export function periodText(p: CoveredPeriod): string {
  const two = (n: number) => String(n).padStart(2, '0');
  if (p.firstMonth === 1 && p.lastMonth === 12) return String(p.year);
  if (p.firstMonth === p.lastMonth) return `${p.year}-${two(p.firstMonth)}`;
  if (p.lastMonth - p.firstMonth === 2 && (p.firstMonth - 1) % 3 === 0)
    return `${p.year}-Q${(p.firstMonth + 2) / 3}`;
  return `${p.year}-${two(p.firstMonth)}/${p.year}-${two(p.lastMonth)}`;
}

/** True when the period is a whole calendar year. */
export const isWholeYear = (p: CoveredPeriod): boolean => p.firstMonth === 1 && p.lastMonth === 12;

const LETTERS = '\\p{L}+\\.?';
const DASH = '\\s*[-–—]\\s*';
/** "года", "г.", "год" (Russian); "жыл", "жылы", "жылғы" (Kazakh, Kyrgyz "жыл"); "yil" (Uzbek); "year". */
const YEAR_WORD = '(?:\\s*(?:г(?:од(?:а|у)?)?\\.?|ж(?:ыл\\p{L}*|\\.)|yil\\p{L}*|йил\\p{L}*|year))?';
const YEAR = '((?:19|20)\\d{2})';
const QUARTER =
  '(IV|[IІ]{1,3}|[1-4])\\s*(?:-?\\s*й\\s*)?(?:кв(?:артал\\p{L}*)?\\.?|тоқсан\\p{L}*|quarter|chorak)';

const MONTH_RANGE_YEAR = new RegExp(`(${LETTERS})${DASH}(${LETTERS})\\s*,?\\s*${YEAR}${YEAR_WORD}`, 'iu');
const YEAR_MONTH_RANGE = new RegExp(`${YEAR}${YEAR_WORD}\\s*,?\\s*(${LETTERS})${DASH}(${LETTERS})`, 'iu');
const QUARTER_YEAR = new RegExp(`${QUARTER}\\s*,?\\s*${YEAR}${YEAR_WORD}`, 'iu');
const YEAR_QUARTER = new RegExp(`${YEAR}${YEAR_WORD}\\s*,?\\s*${QUARTER}`, 'iu');
const MONTH_YEAR = new RegExp(`(?:за|for|in)\\s+(${LETTERS})\\s+${YEAR}${YEAR_WORD}`, 'iu');
/** "за 2022 год", "2023 жыл", "in 2022", "for the year 2022", "2022 yil": a year with a word that makes it the period. */
const YEAR_ALONE = new RegExp(
  `(?:(?:за|for(?: the year)?|in|year)\\s+${YEAR}(?!\\s*[-–—/]\\s*\\d)|${YEAR}\\s*(?:г(?:од(?:а|у)?)?\\.?|ж(?:ыл\\p{L}*|\\.)|yil\\p{L}*|йил\\p{L}*)(?![\\p{L}]))`,
  'iu',
);
/** The Kazakh bureau's sheet names: months covered, then the year ("12_2021"). */
const MONTHS_SHEET = /^\s*(1[0-2]|0?[1-9])[_\s-]((?:19|20)\d{2})\s*$/u;
/** A sheet named by its year alone ("2022", "2022 г."). */
const YEAR_SHEET = new RegExp(`^\\s*${YEAR}${YEAR_WORD}\\s*$`, 'iu');

const ROMAN: Readonly<Record<string, number>> = { I: 1, II: 2, III: 3, IV: 4 };
const quarterNumber = (written: string) =>
  ROMAN[written.toUpperCase().replace(/І/gu, 'I')] ?? Number(written);

/**
 * The period a title line names, or null. A range of months must run forward within the year;
 * "январь-декабрь 2021" is the year 2021.
 *
 * @example
 * coveredPeriodOfTitle('за январь-декабрь 2021 года'); // { year: 2021, firstMonth: 1, lastMonth: 12, … }
 * coveredPeriodOfTitle('за 2022 год');                 // { year: 2022, firstMonth: 1, lastMonth: 12, … }
 * coveredPeriodOfTitle('I квартал 2023 г.');           // { year: 2023, firstMonth: 1, lastMonth: 3, … }
 */
export function coveredPeriodOfTitle(text: string): CoveredPeriod | null {
  const line = text.normalize('NFC').replace(/\s+/gu, ' ');
  let m = MONTH_RANGE_YEAR.exec(line);
  if (m !== null) {
    const range = monthRange(m[1]!, m[2]!, Number(m[3]), m[0]);
    if (range !== null) return range;
  }
  m = YEAR_MONTH_RANGE.exec(line);
  if (m !== null) {
    const range = monthRange(m[2]!, m[3]!, Number(m[1]), m[0]);
    if (range !== null) return range;
  }
  m = QUARTER_YEAR.exec(line);
  if (m !== null) return quarter(Number(m[2]), quarterNumber(m[1]!), m[0]);
  m = YEAR_QUARTER.exec(line);
  if (m !== null) return quarter(Number(m[1]), quarterNumber(m[2]!), m[0]);
  m = MONTH_YEAR.exec(line);
  if (m !== null) {
    const month = monthFromName(m[1]!);
    if (month !== null) return { year: Number(m[2]), firstMonth: month, lastMonth: month, phrase: m[0] };
  }
  m = YEAR_ALONE.exec(line);
  if (m !== null) {
    const year = Number(m[1] ?? m[2]);
    return { year, firstMonth: 1, lastMonth: 12, phrase: m[0].trim() };
  }
  return null;
}

/**
 * The period a sheet's name gives: "12_2021" (January to December 2021, as the Kazakh bureau
 * names its sheets: months covered, then the year), "2022", "2022 г.".
 */
export function coveredPeriodOfSheet(name: string): CoveredPeriod | null {
  let m = MONTHS_SHEET.exec(name);
  if (m !== null) return { year: Number(m[2]), firstMonth: 1, lastMonth: Number(m[1]), phrase: name };
  m = YEAR_SHEET.exec(name);
  if (m !== null) return { year: Number(m[1]), firstMonth: 1, lastMonth: 12, phrase: name };
  return null;
}

function monthRange(from: string, to: string, year: number, phrase: string): CoveredPeriod | null {
  const first = monthFromName(from);
  const last = monthFromName(to);
  if (first === null || last === null || last < first) return null;
  return { year, firstMonth: first, lastMonth: last, phrase };
}

function quarter(year: number, number: number, phrase: string): CoveredPeriod {
  return { year, firstMonth: number * 3 - 2, lastMonth: number * 3, phrase };
}
