/**
 * Periods: annual rows are stored as `YYYY`, monthly rows as `YYYY-MM` (DESIGN.md, trade_flows).
 * Comtrade writes months as `202301`; annual rows carry a dummy month (52, or 99 in some wrappers),
 * so the frequency comes from `freqCode`, or from the period's shape when there is none.
 */

import { BoundedCache } from './bounded-cache.ts';

export interface Period {
  readonly freq: 'A' | 'M';
  readonly period: string;
  readonly year: number;
  readonly month: number | null;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

function checkYear(year: number, shown: string): { problem: string } | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    return { problem: `${shown} is not a year between ${MIN_YEAR} and ${MAX_YEAR}.` };
  }
  return null;
}

/** Periods already read, by their cells: a file repeats a few periods over millions of rows. */
const readPeriods = new BoundedCache<string, Period | { problem: string }>(4096);

/** A cell in a cache key: null stands apart from every text. */
const keyPart = (cell: string | null) => (cell === null ? '\u0001' : cell);

/**
 * @param period the period cell (`2023`, `202301`, `2023-01`), or null
 * @param year a separate year cell (`refYear`), or null
 * @param month a separate month cell (`refMonth`; 52 and 99 mean annual), or null
 * @param freq the frequency cell (`A`, `M`), or null to infer it
 */
export function normalizePeriod(
  period: string | null,
  year: string | null,
  month: string | null,
  freq: string | null,
): Period | { problem: string } {
  const key = `${keyPart(period)}\u0000${keyPart(year)}\u0000${keyPart(month)}\u0000${keyPart(freq)}`;
  return readPeriods.get(key, () => readPeriod(period, year, month, freq));
}

function readPeriod(
  period: string | null,
  year: string | null,
  month: string | null,
  freq: string | null,
): Period | { problem: string } {
  const f = freq?.trim().toUpperCase() ?? null;
  if (f !== null && f !== 'A' && f !== 'M') {
    return {
      problem: `frequency ${JSON.stringify(freq)} is not A (annual) or M (monthly); quarterly data are not supported.`,
    };
  }
  let y: number | null = null;
  let m: number | null = null;
  const p = period?.trim() ?? '';
  if (p !== '') {
    const annual = /^(\d{4})(\.0+)?$/.exec(p);
    const monthly = annual === null ? /^(\d{4})-?(\d{2})$/.exec(p) : null;
    if (annual !== null) y = Number(annual[1]);
    else if (monthly !== null) {
      y = Number(monthly[1]);
      m = Number(monthly[2]);
    } else return { problem: `period ${JSON.stringify(period)} is not YYYY or YYYYMM.` };
  } else if (year !== null && year.trim() !== '') {
    y = Number(year.trim().replace(/\.0+$/, ''));
    const mm = month === null || month.trim() === '' ? null : Number(month.trim().replace(/\.0+$/, ''));
    // Comtrade marks annual rows with month 52 (or 99 in some wrappers); anything else must be a month.
    const annualMarker = mm === 52 || mm === 99;
    if (mm !== null && !annualMarker && !(Number.isInteger(mm) && mm >= 1 && mm <= 12)) {
      return {
        problem: `month ${JSON.stringify(month)} is not 1 to 12 (nor 52 or 99, which Comtrade uses for annual rows).`,
      };
    }
    if (mm !== null && !annualMarker && f !== 'A') m = mm;
  } else {
    return { problem: 'has no period: fill the period (YYYY or YYYYMM) or the year.' };
  }
  const bad = checkYear(y, JSON.stringify(p === '' ? year : period));
  if (bad) return bad;
  if (m !== null && (m < 1 || m > 12))
    return { problem: `period ${JSON.stringify(period)} has month ${m}; months run 01 to 12.` };
  if (f === 'A' && m !== null)
    return { problem: `period ${JSON.stringify(period)} is monthly but the frequency says annual (A).` };
  if (f === 'M' && m === null)
    return {
      problem: `period ${JSON.stringify(period ?? year)} is a year but the frequency says monthly (M).`,
    };
  return m === null
    ? { freq: 'A', period: String(y), year: y!, month: null }
    : { freq: 'M', period: `${y}-${String(m).padStart(2, '0')}`, year: y!, month: m };
}
