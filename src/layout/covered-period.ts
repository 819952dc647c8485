/**
 * The period a whole table covers, as its title or sheet name says it: "за январь-декабрь 2021
 * года", "за 2022 год", "2023 жыл", "January–December 2023", "I квартал 2023 г.", "за январь
 * 2024 года", or a sheet named "12_2021" (the bureau's months-covered and year). Tables that
 * hold one period state it once, above the figures; the reading says how much of the year it is
 * so that a half-year table is never loaded as a year.
 */
import { monthFromInflectedName } from './period-label.ts';

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
  '(IV|[IІ]{1,3}|[1-4])\\s*(?:-?\\s*(?:й|е|ый)\\s*)?(?:кв(?:артал\\p{L}*)?\\.?|тоқсан\\p{L}*|quarter|chorak)';
const HALF =
  '(II|[IІ]|1|2|перв\\p{L}*|втор\\p{L}*|first|second)\\s*(?:-?\\s*(?:е|ое)\\s*)?(?:полугоди\\p{L}*|half(?:\\s+of)?(?:\\s+the\\s+year)?)';
const MONTHS_COUNT = '(\\d{1,2})\\s*(?:мес(?:яц\\p{L}*|\\.)?|months?|айы\\p{L}*|айда\\p{L}*|oy\\p{L}*)';

const MONTH_RANGE_YEAR = new RegExp(`(${LETTERS})${DASH}(${LETTERS})\\s*,?\\s*${YEAR}${YEAR_WORD}`, 'iu');
const YEAR_MONTH_RANGE = new RegExp(`${YEAR}${YEAR_WORD}\\s*,?\\s*(${LETTERS})${DASH}(${LETTERS})`, 'iu');
const QUARTER_YEAR = new RegExp(`${QUARTER}\\s*,?\\s*${YEAR}${YEAR_WORD}`, 'iu');
const YEAR_QUARTER = new RegExp(`${YEAR}${YEAR_WORD}\\s*,?\\s*${QUARTER}`, 'iu');
const HALF_YEAR = new RegExp(`${HALF}\\s*,?\\s*(?:of\\s+)?${YEAR}`, 'iu');
const YEAR_HALF = new RegExp(`${YEAR}${YEAR_WORD}\\s*,?\\s*${HALF}`, 'iu');
const COUNT_YEAR = new RegExp(`${MONTHS_COUNT}\\s*(?:of\\s+)?${YEAR}`, 'iu');
const YEAR_COUNT = new RegExp(`${YEAR}${YEAR_WORD}\\s*,?\\s*${MONTHS_COUNT}`, 'iu');
const MONTH_YEAR = new RegExp(`(?:за|for|in)\\s+(${LETTERS})\\s+${YEAR}${YEAR_WORD}`, 'iu');
/**
 * A year that is the table's period: "за 2022 год", "for 2022", "in 2022", "в 2022 году",
 * "2023 жыл", "2022 yil", or a line that is the year alone. Not "в % к 2020 году" (a
 * comparison), "на 1 января 2024 года" or "по состоянию на 15.02.2024" (a date of the data).
 */
const YEAR_ALONE = new RegExp(
  [
    `(?:^|[\\s(])(?:за|for(?: the year)?|in|year|в)\\s+${YEAR}(?!\\s*[-–—/.]\\s*\\d)`,
    `${YEAR}\\s*(?:ж(?:ыл\\p{L}*|\\.)|yil\\p{L}*|йил\\p{L}*)(?![\\p{L}])`,
    `^\\s*${YEAR}\\s*(?:г(?:од)?\\.?)?\\s*$`,
  ].join('|'),
  'iu',
);
/**
 * Words that say a line covers less than a year or names a date: a year read beside them is not
 * the whole year, so the line is unclear rather than read as one.
 */
const PART_OF_YEAR =
  /месяц|(?<![\p{L}])мес\.|полугод|квартал|(?<![\p{L}])кв\.|тоқсан|жарты|(?<![\p{L}])ай(?:ы|да|лар)|(?<![\p{L}])months?(?![\p{L}])|(?<![\p{L}])half(?![\p{L}])|quarter|chorak|(?<![\p{L}])oy(?:i|lik)|состоянию|\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}/iu;
/** The Kazakh bureau's sheet names: months covered, then the year ("12_2021"). */
const MONTHS_SHEET = /^\s*(1[0-2]|0?[1-9])[_\s-]((?:19|20)\d{2})\s*$/u;
/** A sheet named by its year alone ("2022", "2022 г."). */
const YEAR_SHEET = new RegExp(`^\\s*${YEAR}${YEAR_WORD}\\s*$`, 'iu');

const ROMAN: Readonly<Record<string, number>> = { I: 1, II: 2, III: 3, IV: 4 };
const quarterNumber = (written: string) =>
  ROMAN[written.toUpperCase().replace(/І/gu, 'I')] ?? Number(written);
const halfNumber = (written: string) => (/^(II|2|втор|second)/iu.test(written) ? 2 : 1);

/** A line that names a year but says it covers less, in words Corridor does not read exactly. */
export interface UnclearPeriod {
  readonly unclear: string;
}

/**
 * The period a title line names, or null; `{ unclear }` when it names a year beside words of a
 * part of one that it cannot read ("за 9 мес. 2023", "на 1 января 2024"), which is never taken
 * for the whole year. A range of months must run forward within the year; "январь-декабрь 2021"
 * is the year 2021.
 *
 * @example
 * coveredPeriodOfTitle('за январь-декабрь 2021 года'); // { year: 2021, firstMonth: 1, lastMonth: 12, … }
 * coveredPeriodOfTitle('за 2022 год');                 // { year: 2022, firstMonth: 1, lastMonth: 12, … }
 * coveredPeriodOfTitle('за 9 месяцев 2023 года');      // { year: 2023, firstMonth: 1, lastMonth: 9, … }
 * coveredPeriodOfTitle('в % к 2020 году');             // null
 */
export function coveredPeriodOfTitle(text: string): CoveredPeriod | UnclearPeriod | null {
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
  m = HALF_YEAR.exec(line) ?? null;
  if (m !== null) return half(Number(m[2]), halfNumber(m[1]!), m[0]);
  m = YEAR_HALF.exec(line);
  if (m !== null) return half(Number(m[1]), halfNumber(m[2]!), m[0]);
  m = COUNT_YEAR.exec(line);
  if (m !== null) return monthsCount(Number(m[2]), Number(m[1]), m[0]);
  m = YEAR_COUNT.exec(line);
  if (m !== null) return monthsCount(Number(m[1]), Number(m[2]), m[0]);
  m = MONTH_YEAR.exec(line);
  if (m !== null) {
    const month = monthFromInflectedName(m[1]!.replace(/\.$/, ''));
    if (month !== null) return { year: Number(m[2]), firstMonth: month, lastMonth: month, phrase: m[0] };
  }
  m = YEAR_ALONE.exec(line);
  if (m !== null) {
    const words = line.split(/[\s\-–—,;:()]+/u).filter((w) => w !== '');
    if (PART_OF_YEAR.test(line) || words.some((w) => monthFromInflectedName(w) !== null))
      return { unclear: line.trim() };
    const year = Number(m[1] ?? m[2] ?? m[3]);
    return { year, firstMonth: 1, lastMonth: 12, phrase: m[0].trim() };
  }
  // A year beside words of a part of one, in a form not read above: unclear, never ignored.
  if (/(?:19|20)\d{2}/u.test(line) && PART_OF_YEAR.test(line)) return { unclear: line.trim() };
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
  const first = monthFromInflectedName(from.replace(/\.$/, ''));
  const last = monthFromInflectedName(to.replace(/\.$/, ''));
  if (first === null || last === null || last < first) return null;
  return { year, firstMonth: first, lastMonth: last, phrase };
}

function quarter(year: number, number: number, phrase: string): CoveredPeriod {
  return { year, firstMonth: number * 3 - 2, lastMonth: number * 3, phrase };
}

function half(year: number, number: number, phrase: string): CoveredPeriod {
  return { year, firstMonth: number === 1 ? 1 : 7, lastMonth: number === 1 ? 6 : 12, phrase };
}

/** "за 9 месяцев 2023 года": January to the ninth month; 12 months is the year. */
function monthsCount(year: number, months: number, phrase: string): CoveredPeriod | UnclearPeriod {
  if (months < 1 || months > 12) return { unclear: phrase };
  return { year, firstMonth: 1, lastMonth: months, phrase };
}
