/**
 * File names and URLs with period placeholders: `https://example.org/trade_{year}.csv`,
 * `downloads/ports_{year}-{month}.xlsx`. A template is filled in once for every period of a
 * range (the pipeline's `periods`, or `--from`/`--to`), so one line in a pipeline names a
 * whole series and a backfill is a range on the command line.
 */
import { ConfigError } from '../errors.ts';

/** `2019` or `2019-03`. */
export type PeriodText = string;

export interface PeriodRange {
  readonly from: PeriodText;
  /** A period, or `current`: this year, or this month for monthly templates. */
  readonly to: PeriodText | 'current';
}

export interface FilledTemplate {
  /** The name with its placeholders filled in. */
  readonly name: string;
  /** The period it was filled in for: `2019` or `2019-03`; null for a name without placeholders. */
  readonly period: string | null;
}

const PLACEHOLDER = /\{(year|month)\}/g;
const PERIOD = /^(\d{4})(?:-(0[1-9]|1[0-2]))?$/;

export function hasPlaceholders(name: string): boolean {
  return /\{(year|month)\}/.test(name);
}

/** Checks a period written in a pipeline or on the command line; `what` names it in the error. */
export function parsePeriodText(text: string, what: string): { year: number; month: number | null } {
  const match = PERIOD.exec(text.trim());
  if (match === null) {
    throw new ConfigError(
      `Invalid value for ${what}: "${text}" is not a period. Write a year (2019) or a month (2019-03).`,
      { code: 'bad_period' },
    );
  }
  return { year: Number(match[1]), month: match[2] === undefined ? null : Number(match[2]) };
}

const monthIndex = (year: number, month: number) => year * 12 + (month - 1);
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Every period a template is filled in for, oldest first: years for a `{year}` template,
 * months for one with `{month}`. The range never runs past the current period.
 *
 * @example
 * expandTemplate('https://x.org/t_{year}.csv', { from: '2021', to: '2023' })
 * // [{ name: 'https://x.org/t_2021.csv', period: '2021' }, … 2022, 2023]
 */
export function expandTemplate(
  template: string,
  range: PeriodRange | null,
  now: Date = new Date(),
): FilledTemplate[] {
  if (!hasPlaceholders(template)) return [{ name: template, period: null }];
  if (range === null) {
    throw new ConfigError(
      `"${template}" has period placeholders but no range to fill them in: give the pipeline \`periods: { from: '2019' }\`, or run it with --from and --to.`,
      { code: 'bad_period' },
    );
  }
  const monthly = template.includes('{month}');
  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  const from = parsePeriodText(range.from, '--from (or periods.from)');
  const to =
    range.to === 'current'
      ? { year: thisYear, month: thisMonth }
      : parsePeriodText(range.to, '--to (or periods.to)');
  const fill = (year: number, month: number | null) =>
    template.replace(PLACEHOLDER, (_, key: string) => (key === 'year' ? String(year) : pad2(month ?? 1)));

  // Bounds compared as months whatever the template, so 2020-05 to 2020-03 is backwards too.
  const first = monthIndex(from.year, from.month ?? 1);
  const last = monthIndex(to.year, to.month ?? 12);
  if (first > last) throw rangeBackwards(range);
  const current = monthIndex(thisYear, thisMonth);
  if (first > current) {
    throw new ConfigError(
      `The period range ${range.from} to ${range.to} lies wholly in the future: nothing is published for it yet. Give --from a past period.`,
      { code: 'bad_period' },
    );
  }
  const filled: FilledTemplate[] = [];
  if (!monthly) {
    for (let year = from.year; year <= Math.min(to.year, thisYear); year++)
      filled.push({ name: fill(year, null), period: String(year) });
    return filled;
  }
  for (let m = first; m <= Math.min(last, current); m++) {
    const year = Math.floor(m / 12);
    const month = (m % 12) + 1;
    filled.push({ name: fill(year, month), period: `${year}-${pad2(month)}` });
  }
  return filled;
}

function rangeBackwards(range: PeriodRange): ConfigError {
  return new ConfigError(
    `The period range ${range.from} to ${range.to} runs backwards: --from must come before --to.`,
    {
      code: 'bad_period',
    },
  );
}
