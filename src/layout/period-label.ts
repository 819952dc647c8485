/**
 * The period a header cell names, in a table made for people: "2019 г.", "Jan-21",
 * "январь 2021", "I кв. 2021", "2022-23", or a month header that Excel typed as a date. Wide
 * tables put periods across the top, so the layout toolkit asks this of every header cell to
 * find the period columns; anything it is not sure of ("Total", "январь-март 2021", "2022-24")
 * is null, because a label read as a period would load a total as a month.
 */

export type PeriodLabel =
  | { readonly kind: 'year'; readonly year: number }
  /** `year` null: "Jul" alone, as in a fiscal-year column under a year header. */
  | { readonly kind: 'month'; readonly year: number | null; readonly month: number }
  | { readonly kind: 'quarter'; readonly year: number | null; readonly quarter: number }
  /** "2022-23", "FY 2022/23", "2022–2023": label is always written "2022-23". */
  | {
      readonly kind: 'fiscal_year';
      readonly startYear: number;
      readonly endYear: number;
      readonly label: string;
    };

export interface PeriodLabelOptions {
  /** Read numbers 20000..80000 as Excel date serials (a month header typed as a date). @default false */
  readonly serialDates?: boolean;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
/** 1954-10-03 to 2119-01-10: the serials a month header can hold; smaller numbers are years or counts. */
const MIN_SERIAL = 20_000;
const MAX_SERIAL = 80_000;

const DAY_MS = 86_400_000;
/** Serials from 61 count days from 1899-12-30, which absorbs Excel's fictitious 1900-02-29. */
const EPOCH_FROM_61 = Date.UTC(1899, 11, 30);
/** Serials 1 to 59 count from 1899-12-31 (serial 1 = 1900-01-01). */
const EPOCH_BEFORE_60 = Date.UTC(1899, 11, 31);

/**
 * Month names, lower case, as headers write them: English, Russian (nominative, genitive and
 * prepositional: "январь", "января", "январе"; abbreviations "янв", "сент", "нояб"), Kazakh,
 * and Uzbek in Latin and Cyrillic script.
 */
const MONTH_NAMES: readonly (readonly string[])[] = [
  ['jan', 'january', 'январь', 'января', 'январе', 'янв', 'қаңтар', 'yanvar', 'январ'],
  ['feb', 'february', 'февраль', 'февраля', 'феврале', 'фев', 'февр', 'ақпан', 'fevral', 'феврал'],
  ['mar', 'march', 'март', 'марта', 'марте', 'мар', 'наурыз', 'mart'],
  ['apr', 'april', 'апрель', 'апреля', 'апреле', 'апр', 'сәуір', 'aprel', 'апрел'],
  ['may', 'май', 'мая', 'мае', 'мамыр'],
  ['jun', 'june', 'июнь', 'июня', 'июне', 'июн', 'маусым', 'iyun'],
  ['jul', 'july', 'июль', 'июля', 'июле', 'июл', 'шілде', 'iyul'],
  ['aug', 'august', 'август', 'августа', 'августе', 'авг', 'тамыз', 'avgust'],
  [
    'sep',
    'sept',
    'september',
    'сентябрь',
    'сентября',
    'сентябре',
    'сен',
    'сент',
    'қыркүйек',
    'sentabr',
    'сентябр',
  ],
  ['oct', 'october', 'октябрь', 'октября', 'октябре', 'окт', 'қазан', 'oktabr', 'октябр'],
  ['nov', 'november', 'ноябрь', 'ноября', 'ноябре', 'ноя', 'нояб', 'қараша', 'noyabr', 'ноябр'],
  ['dec', 'december', 'декабрь', 'декабря', 'декабре', 'дек', 'желтоқсан', 'dekabr', 'декабр'],
];

const MONTH_OF: ReadonlyMap<string, number> = new Map(
  MONTH_NAMES.flatMap((names, i) => names.map((name) => [name, i + 1] as const)),
);

/** "г.", "года" (Russian), "ж.", "жылы" (Kazakh), "year" after a year; "гг." (years) is a range, not matched. */
const YEAR_WORD = '(?:\\s*(?:г(?:ода?|\\.)?|year|ж(?:ылы?|\\.)?))?';
/** A footnote mark after a period: "2023*", "2023¹", "2023 1)", "2023 (p)" (provisional). */
const FOOTNOTE = /\s*(?:\*+|[†‡]+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d\)|\(\s*\p{L}{1,3}\.?\s*\))$/u;

const YEAR = new RegExp(`^(\\d{4})${YEAR_WORD}$`, 'iu');
/** As our readers give date cells: "2021-07-01", "2021-07-01T00:00:00.000Z". */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** "2022-23", "FY 2022/23", "2022–2023", and "2021-01" or "2021/01", which are months. */
const YEAR_PAIR = /^(FY\s*)?(\d{4})\s*([-/–—])\s*(\d{4}|\d{1,2})$/iu;
const YEAR_M_MONTH = /^(\d{4})\s*-?\s*M(\d{1,2})$/iu;
/** "2023 1", "2023 12": the Kyrgyz committee's monthly headers, a year and a month number. */
const YEAR_SPACE_MONTH = /^(\d{4})\s+(\d{1,2})$/u;
/**
 * A machine-made column name that ends in its year: `Port_cargo_throughput_2014`,
 * `exports_2023`. Only underscores join the words, so prose ("Total 2023") is not a period.
 */
const PREFIXED_YEAR = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_(\d{4})$/u;
const MONTH_DOT_YEAR = /^(\d{1,2})\s*[./-]\s*(\d{4})$/u;
const QUARTER_Q_FIRST = /^Q([1-4])(?:\s*[-/ ]?\s*(\d{4}|\d{2}))?$/iu;
const QUARTER_YEAR_FIRST = /^(\d{4})\s*[-/ ]?\s*Q([1-4])$/iu;
const QUARTER_DIGIT_Q = /^([1-4])Q\s*[-/ ]?\s*(\d{4})$/iu;
// "I кв. 2021", "1-й квартал 2021 г.", Kazakh "І тоқсан 2021" (with a Cyrillic І).
const QUARTER_NUMBER = '(IV|[IІ]{1,3}|[1-4])(?:\\s*-?\\s*й)?';
const QUARTER_WORD = '(?:кв(?:артал)?\\.?|тоқсан)';
const QUARTER_WORD_FIRST = new RegExp(
  `^${QUARTER_NUMBER}\\s*${QUARTER_WORD}(?:\\s*(\\d{4})${YEAR_WORD})?$`,
  'iu',
);
const QUARTER_WORD_YEAR_FIRST = new RegExp(
  `^(\\d{4})${YEAR_WORD}\\s*,?\\s*${QUARTER_NUMBER}\\s*${QUARTER_WORD}$`,
  'iu',
);
/** "Jan 2021", "January-2021", "Jan-21", "январь 2021 г.", "Sept." alone. */
const NAME_YEAR = new RegExp(`^(\\p{L}+)\\.?(?:\\s*[-/'’.,]?\\s*(\\d{4}|\\d{2})${YEAR_WORD})?$`, 'iu');
const YEAR_NAME = new RegExp(`^(\\d{4})${YEAR_WORD}\\s*[-/,]?\\s*(\\p{L}+)\\.?$`, 'iu');

/**
 * The period a header cell names, or null when it names none.
 *
 * "2011-12" is read as the fiscal year 2011-12, not December 2011: whenever the part after the
 * dash is the next year, a fiscal year is the likelier header (Pakistan and India label whole
 * tables so), and months come as "Dec 2011", "2011M12" or a date cell far more often.
 *
 * @example
 * readPeriodLabel('2019 г.');                        // { kind: 'year', year: 2019 }
 * readPeriodLabel('Jan-21');                         // { kind: 'month', year: 2021, month: 1 }
 * readPeriodLabel('I кв. 2021');                     // { kind: 'quarter', year: 2021, quarter: 1 }
 * readPeriodLabel('2023 1');                         // { kind: 'month', year: 2023, month: 1 }
 * readPeriodLabel('Port_cargo_throughput_2014');     // { kind: 'year', year: 2014 }
 * readPeriodLabel('FY 2022/23');                     // { kind: 'fiscal_year', startYear: 2022, endYear: 2023, label: '2022-23' }
 * readPeriodLabel(44378, { serialDates: true });     // { kind: 'month', year: 2021, month: 7 }
 * readPeriodLabel('Всего');                          // null
 */
export function readPeriodLabel(cell: unknown, options: PeriodLabelOptions = {}): PeriodLabel | null {
  if (typeof cell === 'number') return readNumber(cell, options);
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    return month(cell.getUTCFullYear(), cell.getUTCMonth() + 1);
  }
  if (typeof cell !== 'string') return null;
  const text = cell.normalize('NFC').replace(/\s+/gu, ' ').trim().replace(FOOTNOTE, '');
  return readText(text);
}

function readNumber(value: number, options: PeriodLabelOptions): PeriodLabel | null {
  if (Number.isInteger(value) && value >= MIN_YEAR && value <= MAX_YEAR) return { kind: 'year', year: value };
  if (options.serialDates === true && value >= MIN_SERIAL && value <= MAX_SERIAL) {
    const date = excelSerialToDate(value);
    return month(date.year, date.month);
  }
  return null;
}

function readText(text: string): PeriodLabel | null {
  let m = YEAR.exec(text);
  if (m !== null) return isYear(Number(m[1])) ? { kind: 'year', year: Number(m[1]) } : null;

  m = ISO_DATE.exec(text);
  if (m !== null) return Number(m[3]) >= 1 && Number(m[3]) <= 31 ? month(Number(m[1]), Number(m[2])) : null;

  m = YEAR_PAIR.exec(text);
  if (m !== null) return readYearPair(m[1] !== undefined, Number(m[2]), m[3]!, m[4]!);

  m = YEAR_M_MONTH.exec(text);
  if (m !== null) return month(Number(m[1]), Number(m[2]));
  m = YEAR_SPACE_MONTH.exec(text);
  if (m !== null) return month(Number(m[1]), Number(m[2]));
  m = PREFIXED_YEAR.exec(text);
  if (m !== null) return isYear(Number(m[1])) ? { kind: 'year', year: Number(m[1]) } : null;

  m = MONTH_DOT_YEAR.exec(text);
  if (m !== null) return month(Number(m[2]), Number(m[1]));

  m = QUARTER_Q_FIRST.exec(text);
  if (m !== null) return quarter(m[2] === undefined ? null : fullYear(m[2]), Number(m[1]));
  m = QUARTER_YEAR_FIRST.exec(text);
  if (m !== null) return quarter(Number(m[1]), Number(m[2]));
  m = QUARTER_DIGIT_Q.exec(text);
  if (m !== null) return quarter(Number(m[2]), Number(m[1]));
  m = QUARTER_WORD_FIRST.exec(text);
  if (m !== null) return quarter(m[2] === undefined ? null : Number(m[2]), quarterNumber(m[1]!));
  m = QUARTER_WORD_YEAR_FIRST.exec(text);
  if (m !== null) return quarter(Number(m[1]), quarterNumber(m[2]!));

  m = NAME_YEAR.exec(text);
  if (m !== null) {
    const number = monthFromName(m[1]!);
    if (number === null) return null;
    return m[2] === undefined ? { kind: 'month', year: null, month: number } : month(fullYear(m[2]), number);
  }
  m = YEAR_NAME.exec(text);
  if (m !== null) {
    const number = monthFromName(m[2]!);
    return number === null ? null : month(Number(m[1]), number);
  }
  return null;
}

function readYearPair(fy: boolean, start: number, dash: string, second: string): PeriodLabel | null {
  if (!isYear(start)) return null;
  const end = start + 1;
  const next =
    second.length === 4 ? Number(second) === end : second.length === 2 && Number(second) === end % 100;
  if (next && isYear(end)) {
    return {
      kind: 'fiscal_year',
      startYear: start,
      endYear: end,
      label: `${start}-${String(end % 100).padStart(2, '0')}`,
    };
  }
  // "2021-01" and "2021/01" are months; a dash wider than a hyphen, or "FY", never is.
  if (!fy && (dash === '-' || dash === '/') && second.length <= 2) return month(start, Number(second));
  return null;
}

function month(year: number, number: number): PeriodLabel | null {
  if (!isYear(year) || !Number.isInteger(number) || number < 1 || number > 12) return null;
  return { kind: 'month', year, month: number };
}

function quarter(year: number | null, number: number): PeriodLabel | null {
  if (year !== null && !isYear(year)) return null;
  return { kind: 'quarter', year, quarter: number };
}

const ROMAN_QUARTER: Readonly<Record<string, number>> = { I: 1, II: 2, III: 3, IV: 4 };

/** "I".."IV" in Latin or Cyrillic letters, or "1".."4". */
function quarterNumber(written: string): number {
  const roman = written.toUpperCase().replace(/І/gu, 'I');
  return ROMAN_QUARTER[roman] ?? Number(written);
}

/** Two-digit years are this century: "Jan-21" is January 2021. */
const fullYear = (written: string): number =>
  written.length === 2 ? 2000 + Number(written) : Number(written);

const isYear = (year: number): boolean => Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;

/**
 * Excel's day number as a calendar date, in the 1900 date system. Excel counts 1900-02-29, a day
 * that never was (kept from Lotus 1-2-3 for compatibility), so serial 60 is that non-day and
 * returned as Excel shows it; serials from 61 are one day ahead of a plain count from 1900-01-01.
 * A time of day (the fraction) is dropped.
 * See https://learn.microsoft.com/en-us/office/troubleshoot/excel/wrongly-assumes-1900-is-leap-year
 *
 * @throws RangeError for a serial below 1 or not finite: no date has that number.
 * @example
 * excelSerialToDate(44378); // { year: 2021, month: 7, day: 1 }
 * excelSerialToDate(60);    // { year: 1900, month: 2, day: 29 }
 */
export function excelSerialToDate(serial: number): { year: number; month: number; day: number } {
  if (!Number.isFinite(serial) || serial < 1) {
    throw new RangeError(`${serial} is not an Excel date serial; day 1 is 1900-01-01.`);
  }
  const day = Math.floor(serial);
  if (day === 60) return { year: 1900, month: 2, day: 29 };
  const date = new Date((day < 60 ? EPOCH_BEFORE_60 : EPOCH_FROM_61) + day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/**
 * The month (1 to 12) a name means, or null: English, Russian, Kazakh or Uzbek, full or
 * abbreviated, any case, with or without a trailing dot.
 *
 * @example
 * monthFromName('Sept.');  // 9
 * monthFromName('января'); // 1
 * monthFromName('шілде');  // 7
 * monthFromName('Total');  // null
 */
export function monthFromName(text: string): number | null {
  const name = text.normalize('NFC').trim().toLowerCase().replace(/\.$/, '');
  return MONTH_OF.get(name) ?? null;
}

/** Month names of four letters or more, longest first: the stems an inflected name starts with. */
const MONTH_STEMS: readonly (readonly [string, number])[] = [...MONTH_OF]
  .filter(([name]) => name.length >= 4)
  .sort((a, b) => b[0].length - a[0].length);

/**
 * The month a name means, inflected as prose inflects it: monthFromName, else a name the word
 * starts with (Kazakh "маусымдағы", "қаңтардан"; Russian "сентябрём"). For titles, not headers:
 * a header's cell is a name or not one.
 *
 * @example
 * monthFromInflectedName('маусымдағы'); // 6
 */
export function monthFromInflectedName(text: string): number | null {
  const exact = monthFromName(text);
  if (exact !== null) return exact;
  const word = text.normalize('NFC').trim().toLowerCase();
  return MONTH_STEMS.find(([stem]) => word.startsWith(stem))?.[1] ?? null;
}
