/**
 * HS commodity codes as text. Codes are 2, 4 or 6 digits (chapter, heading, subheading) or
 * `TOTAL`; they are never numbers, because numbers lose leading zeros (`030613` → 30613).
 * See DOMAIN.md §2 ("Leading zeros").
 */

export interface HsCode {
  /** `TOTAL`, or 2, 4 or 6 digits with their leading zeros. */
  readonly code: string;
  /** 0 for TOTAL, else the number of digits. */
  readonly level: 0 | 2 | 4 | 6;
}

const HS_EDITIONS = new Set(['H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);

/**
 * Reads a commodity code. A code that lost one leading zero to a number format (5 digits, or 3,
 * or 1) is restored: HS codes have an even number of digits, so the missing zero is the only
 * reading. `0306.13` (heading.subheading notation) reads as `030613`. Anything else is refused
 * with a reason.
 *
 * @example
 * normalizeHsCode('30613') // { code: '030613', level: 6 }
 * normalizeHsCode('8703.2') // { problem: '...' }
 */
export function normalizeHsCode(raw: string): HsCode | { problem: string } {
  const text = raw.trim();
  if (text.toUpperCase() === 'TOTAL') return { code: 'TOTAL', level: 0 };
  let digits = text;
  if (/^\d{4}\.\d{2}$/.test(text)) digits = text.replace('.', '');
  else if (/^\d+\.0+$/.test(text)) digits = text.replace(/\.0+$/, '');
  if (!/^\d+$/.test(digits)) {
    return {
      problem: `${JSON.stringify(text)} is not an HS code. Codes are 2, 4 or 6 digits or TOTAL; if the file went through Excel, format the column as Text before saving.`,
    };
  }
  if (digits.length % 2 === 1 && digits.length < 7) digits = `0${digits}`;
  if (digits.length === 2 || digits.length === 4 || digits.length === 6) {
    return { code: digits, level: digits.length as 2 | 4 | 6 };
  }
  return {
    problem: `${JSON.stringify(text)} has ${digits.length} digits; Corridor keeps internationally comparable HS codes of 2, 4 or 6 digits. Aggregate national tariff lines to 6 digits first.`,
  };
}

/**
 * The HS edition of a Comtrade classification code. `HS` (as reported, edition not stated)
 * is kept as `HS`; SITC (`S1`–`S4`) and BEC (`B4`, `B5`) are not HS and are refused.
 */
export function normalizeHsEdition(raw: string | null): { edition: string } | { problem: string } {
  if (raw === null) return { edition: 'HS' };
  const code = raw.trim().toUpperCase();
  if (HS_EDITIONS.has(code) || code === 'HS') return { edition: code };
  if (/^S[1-4]$/.test(code) || /^B[45]$/.test(code) || code === 'EB' || code === 'EB02' || code === 'EB10') {
    return {
      problem: `classification ${JSON.stringify(raw)} is not HS; trade_flows holds HS codes. Download the data with classification HS (or H0–H6).`,
    };
  }
  return { problem: `classification ${JSON.stringify(raw)} is not an HS edition; use H0 to H6 (or HS).` };
}
