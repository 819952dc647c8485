/**
 * Parsers for single cells, shared by every source. A cell comes as text (CSV) or as a JSON
 * value; each parser returns the typed value, `null` for an empty cell, or an Invalid with the
 * reason. They are plain functions because they sit on the hot path of every row.
 */

export interface Invalid {
  readonly invalid: string;
}
export const isInvalid = (v: unknown): v is Invalid =>
  typeof v === 'object' && v !== null && 'invalid' in (v as Record<string, unknown>);

/** Empty, whitespace-only and the usual "no value" spellings count as missing. */
export function isBlank(cell: unknown): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell !== 'string') return false;
  const t = cell.trim();
  return t === '' || t === 'NA' || t === 'N/A' || t === 'null' || t === 'NULL' || t === 'NaN';
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_DECIMAL = /^[+-]?\d+,\d+$/;

/**
 * A number from a cell. Accepts JSON numbers and plain decimal text (`1234.5`, `1e6`, with
 * surrounding spaces as BACI pads them). With `decimalComma` (files delimited by `;`),
 * `1234,5` reads as 1234.5.
 */
export function parseNumberCell(cell: unknown, decimalComma = false): number | null | Invalid {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : { invalid: 'is not a finite number' };
  // The common case first: plain digits with nothing to trim.
  if (typeof cell === 'string' && PLAIN_NUMBER.test(cell)) return Number(cell);
  if (isBlank(cell)) return null;
  if (typeof cell !== 'string') return { invalid: 'is not a number' };
  let text = cell.trim();
  if (decimalComma && COMMA_DECIMAL.test(text)) text = text.replace(',', '.');
  if (!PLAIN_NUMBER.test(text)) {
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
      return {
        invalid:
          'has thousands separators; export the column without them (plain digits, "." as decimal mark)',
      };
    }
    return { invalid: 'is not a number; write plain digits with "." as the decimal mark, e.g. 1234.5' };
  }
  return Number(text);
}

/** A flag: JSON booleans, `True`/`False` (comtradr), `true`/`false`, `1`/`0`. */
export function parseBooleanCell(cell: unknown): boolean | null | Invalid {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number')
    return cell === 1 ? true : cell === 0 ? false : { invalid: 'is not true or false' };
  if (isBlank(cell)) return null;
  switch (String(cell).trim().toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      return { invalid: 'is not true or false' };
  }
}

/** A code kept as text, trimmed (Comtrade pads some ISO codes with a trailing space: `"_X "`). */
export function parseCodeCell(cell: unknown): string | null {
  if (isBlank(cell) && !(typeof cell === 'string' && cell.trim() === 'NA')) return null;
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : String(cell);
  const text = String(cell).trim();
  return text === '' ? null : text;
}

const CANONICAL_INTEGER = /^(?:0|[1-9]\d{0,14})$/;

/**
 * A numeric area or unit code kept as text without the float tail that R and pandas add:
 * `586`, `586.0` and 586 all give `"586"`.
 */
export function parseIntegerCodeCell(cell: unknown): string | null | Invalid {
  // The common case first: already canonical (no sign, padding, leading zero or float tail).
  if (typeof cell === 'string' && CANONICAL_INTEGER.test(cell)) return cell;
  // A numeric code is never Namibia's "NA": here NA is R's missing value.
  if (isBlank(cell)) return null;
  const code = parseCodeCell(cell);
  if (code === null) return null;
  const match = /^(-?\d+)(\.0+)?$/.exec(code);
  if (match === null) return { invalid: 'is not a numeric code' };
  return String(Number.parseInt(match[1]!, 10));
}
