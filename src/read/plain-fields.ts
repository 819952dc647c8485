/**
 * Field scanners for fast line readers (a source's `fastLines`): they read fields of a line in
 * place, by character codes, without making a string per field. Each accepts only the plainest
 * spelling and answers "not plain" otherwise, so that the line goes through the general path,
 * which accepts and describes everything else.
 */

const COMMA = 44;
const SPACE = 32;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const QUOTE = 34;

/**
 * Splits `text[start, end)` at commas into `bounds` (start and end of each field, in pairs) and
 * returns the number of fields, or -1 when the line holds a quote (quoted fields are for the
 * general path) or more fields than `bounds` can take.
 */
export function splitPlainFields(text: string, start: number, end: number, bounds: Int32Array): number {
  const most = bounds.length >> 1;
  let fields = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      if (fields === most) return -1;
      bounds[fields * 2] = from;
      bounds[fields * 2 + 1] = i;
      fields++;
      from = i + 1;
    } else if (c === QUOTE) return -1;
  }
  if (fields === most) return -1;
  bounds[fields * 2] = from;
  bounds[fields * 2 + 1] = end;
  return fields + 1;
}

/**
 * A code of digits as cells.integerCode accepts it unchanged: "0" or digits without a leading
 * zero, at most 15. Returns -1 for anything else (padding, a sign, ".0", a leading zero).
 */
export function plainInteger(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > 15) return -1;
  if (length > 1 && text.charCodeAt(start) === ZERO) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

/** Exactly `digits` digits (an HS code with its leading zeros) as a number; -1 otherwise. */
export function fixedDigits(text: string, start: number, end: number, digits: number): number {
  if (end - start !== digits) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

/**
 * A non-negative decimal written plainly ("1234", "0.5", "12.", with spaces around as BACI pads
 * them), parsed exactly as Number() parses it; NaN when the text is anything else (a sign, an
 * exponent, letters) or empty.
 */
export function plainDecimal(text: string, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && text.charCodeAt(s) === SPACE) s++;
  while (e > s && text.charCodeAt(e - 1) === SPACE) e--;
  if (s === e) return Number.NaN;
  let dots = 0;
  let digits = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) dots++;
    else if (c >= ZERO && c <= NINE) digits++;
    else return Number.NaN;
  }
  if (dots > 1 || digits === 0) return Number.NaN;
  // The same conversion as the general path's, so both store the same double.
  return Number(text.slice(s, e));
}

/** True when the field is empty or spaces, or R's NA: a missing value the general path reads as null. */
export function isMissingField(text: string, start: number, end: number): boolean {
  let s = start;
  let e = end;
  while (s < e && text.charCodeAt(s) === SPACE) s++;
  while (e > s && text.charCodeAt(e - 1) === SPACE) e--;
  return s === e || (e - s === 2 && text.charCodeAt(s) === 78 && text.charCodeAt(s + 1) === 65);
}
