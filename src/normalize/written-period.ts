/**
 * A period cell as people write it in tables made for them: `2023`, `2023-07`, `202307`,
 * `Jul 2023`, `июль 2023`, a date (`2023-07-01`), an Excel date serial (45108), or a fiscal
 * year (`2022-23`). `2011-12` reads either as December 2011 or as fiscal year 2011-12: the
 * caller says which it expects (trade tables are calendar periods; port tables fiscal years).
 */
import { readPeriodLabel } from '../layout/period-label.ts';
import { normalizePeriod, type Period } from './period.ts';

export type WrittenPeriod =
  | Period
  | { readonly fiscalYear: string; readonly endYear: number }
  | { readonly problem: string };

const two = (n: number) => String(n).padStart(2, '0');

export function readWrittenPeriod(text: string, options: { readonly fiscalFirst: boolean }): WrittenPeriod {
  const trimmed = text.trim();
  if (!options.fiscalFirst) {
    const direct = normalizePeriod(trimmed, null, null, null);
    if (!('problem' in direct)) return direct;
  }
  const label = readPeriodLabel(/^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed, {
    serialDates: true,
  });
  switch (label?.kind) {
    case 'year':
      return normalizePeriod(String(label.year), null, null, null);
    case 'month':
      return label.year === null
        ? { problem: `period ${JSON.stringify(text)} is a month without its year.` }
        : normalizePeriod(`${label.year}-${two(label.month)}`, null, null, null);
    case 'fiscal_year':
      return { fiscalYear: label.label, endYear: label.endYear };
    case 'quarter':
      return { problem: `period ${JSON.stringify(text)} is a quarter; Corridor keeps years and months.` };
    default:
      return normalizePeriod(trimmed, null, null, null);
  }
}
