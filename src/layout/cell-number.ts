/**
 * A number as people write it in a table: a statistics office's "1 234,5", a port authority's
 * "1,234.5", "(123)" for a negative, "..", "–" or "x" for "no value", "123.4 (p)" for a
 * provisional figure, "456*" with a footnote. The layout toolkit reads such tables without a
 * per-file recipe, so a reading keeps what it found next to the value (flags, footnote, decimals
 * as written) and says `text` rather than guess: a label must never become a figure.
 */

/** A status the publisher writes after a figure: `(p)` provisional, `(r)` revised, `(e)` estimated. */
export type StatusFlag = 'provisional' | 'revised' | 'estimated';

export type CellReading =
  | {
      readonly kind: 'number';
      readonly value: number;
      /** Digits written after the decimal mark (for a JS number: in its shortest form, at most 10). */
      readonly decimals: number;
      readonly flags: readonly StatusFlag[];
      /** The footnote marker as written (`*`, `†`, `¹`, `2)`, `[3]`), or null. */
      readonly footnote: string | null;
    }
  /** The cell says "no value"; `marker` is the cell as written, trimmed ('' for blank). */
  | { readonly kind: 'nil'; readonly marker: string }
  /** Not a number: a label, a note, a date. `text` is the cell trimmed. */
  | { readonly kind: 'text'; readonly text: string };

export interface NumberStyle {
  /**
   * Decimal separator; 'auto' decides per cell: the last of `.` and `,` when both appear, a
   * thousands separator when one appears twice, else a decimal mark, except "1,234" (see
   * readCellNumber).
   * @default 'auto'
   */
  readonly decimal?: '.' | ',' | 'auto';
  /** Extra markers that mean "no value" besides the built-in ones, compared trimmed and case-insensitively. */
  readonly nilMarkers?: readonly string[];
}

/** Beyond this many decimals a JS number is float noise (0.1 + 0.2), not what anyone typed. */
const MAX_DECIMALS = 10;

/**
 * "No value" as statistics offices write it (compared in lower case): dashes of every width,
 * ellipses, Eurostat's ':', 'x' for confidential, 'н/д' (нет данных) in CIS tables.
 */
const NIL_MARKERS: ReadonlySet<string> = new Set([
  '',
  '-',
  '--',
  '‒',
  '–',
  '—',
  '―',
  '−',
  '…',
  '...',
  '..',
  '.',
  ':',
  'x',
  '*',
  'n.a.',
  'n.a',
  'n/a',
  'na',
  'nil',
  'н/д',
  'н.д.',
]);

const FLAG_OF: Readonly<Record<string, StatusFlag>> = { p: 'provisional', r: 'revised', e: 'estimated' };

// `\s` covers NBSP (U+00A0), narrow NBSP (U+202F) and thin space (U+2009), which
// spreadsheets and PDFs put between a figure and its footnote.
const FOOTNOTE_SIGN = /^(.*?)\s*(\*+|[†‡]+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾?|\[\d{1,2}\])$/u;
/** "1 234 1)": a note number closed by a parenthesis, set off by a space. */
const FOOTNOTE_PAREN = /^(.*\S)\s+(\d{1,2}\))$/u;
const FLAG_PAREN = /^(.*\S)\s*\(([pre])\)$/iu;
/** Lower case only: an upper-case letter after a figure is more often a unit or a code than a flag. */
const FLAG_SPACED = /^(.*[\d)])\s+([pre])$/u;

/** Sign, currency, sign: "-$5", "$-5", "US$ 5". An en dash directly before a digit is a minus in Word-made tables. */
const SIGNED = /^([+\-−–])?((?:US ?)?\$ ?)?([+\-−–])?([.,]?\d.*)$/iu;
const EXPONENT = /^(\d+)(?:([.,])(\d+))?[eE]([+-]?\d+)$/;
const FIGURE_CHARS = /^[\d.,'’ \u00a0\u202f\u2009\u2007]+$/u;
const SPACE_SEPARATOR = /[ \u00a0\u202f\u2009\u2007]/u;
const APOSTROPHE_SEPARATOR = /['’]/u;
/** One comma before exactly three digits, and a first group that could be one: see readCellNumber. */
const AMBIGUOUS_COMMA = /^[1-9]\d{0,2},\d{3}$/;

/**
 * Reads one cell of a table made for people.
 *
 * With `decimal: 'auto'`, a single comma followed by exactly three digits ("1,234", "12,500")
 * reads as a thousands separator: English-language trade and port tables write thousands that
 * way, while comma-decimal tables (Russian, Central Asian) group thousands with spaces and
 * rarely show exactly three decimals. A single dot before three digits ("1.234") stays a decimal
 * mark, as every program writes it. Once spaces or apostrophes group the thousands, a lone comma
 * or dot is the decimal mark ("1 234,567" is 1234.567). Pass `decimal` when a file is known.
 *
 * @example
 * readCellNumber('1 234,5 (p)'); // { kind: 'number', value: 1234.5, decimals: 1, flags: ['provisional'], footnote: null }
 * readCellNumber('(1,234)*');    // { kind: 'number', value: -1234, decimals: 0, flags: [], footnote: '*' }
 * readCellNumber('..');          // { kind: 'nil', marker: '..' }
 * readCellNumber('12.5%');       // { kind: 'text', text: '12.5%' }
 */
export function readCellNumber(cell: unknown, style: NumberStyle = {}): CellReading {
  if (cell === null || cell === undefined) return { kind: 'nil', marker: '' };
  if (typeof cell === 'number') return readJsNumber(cell);
  if (typeof cell === 'string') return readText(cell, style);
  if (cell instanceof Date) {
    return { kind: 'text', text: Number.isNaN(cell.getTime()) ? 'Invalid Date' : cell.toISOString() };
  }
  // Booleans and anything else a reader may hand over: never a figure.
  return { kind: 'text', text: String(cell) };
}

function readJsNumber(value: number): CellReading {
  if (!Number.isFinite(value)) return { kind: 'text', text: String(value) };
  // -0 only arises from arithmetic; a table never means it, and it breaks equality checks.
  return {
    kind: 'number',
    value: value === 0 ? 0 : value,
    decimals: decimalsOf(value),
    flags: [],
    footnote: null,
  };
}

/** Digits after the point in the shortest round-trip form; 1.5e-7 has 8. */
function decimalsOf(value: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const point = mantissa.indexOf('.');
  const written = point < 0 ? 0 : mantissa.length - point - 1;
  return Math.min(MAX_DECIMALS, Math.max(0, written - Number(exponent)));
}

function readText(raw: string, style: NumberStyle): CellReading {
  const text = raw.trim();
  if (isNil(text, style)) return { kind: 'nil', marker: text };
  let rest = text;
  let footnote: string | null = null;
  const flags: StatusFlag[] = [];
  // Footnote and flags come in either order ("5 (p)*", "5* (p)"); a second footnote is not taken.
  for (;;) {
    const note: Footnoted | null = footnote === null ? splitFootnote(rest) : null;
    if (note !== null) {
      rest = note.rest;
      footnote = note.footnote;
      continue;
    }
    const flag = splitFlag(rest);
    if (flag === null) break;
    rest = flag.rest;
    if (!flags.includes(flag.flag)) flags.unshift(flag.flag);
  }
  // "..¹" and "–*": a "no value" marker that carries a note is still no value.
  if (isNil(rest, style)) return { kind: 'nil', marker: text };
  const figure = readFigure(rest, style.decimal ?? 'auto');
  if (figure === null) return { kind: 'text', text };
  return { kind: 'number', value: figure.value, decimals: figure.decimals, flags, footnote };
}

function isNil(text: string, style: NumberStyle): boolean {
  const lower = text.toLowerCase();
  return NIL_MARKERS.has(lower) || (style.nilMarkers ?? []).some((m) => m.trim().toLowerCase() === lower);
}

interface Footnoted {
  readonly rest: string;
  readonly footnote: string;
}

function splitFootnote(text: string): Footnoted | null {
  const sign = FOOTNOTE_SIGN.exec(text);
  if (sign !== null) return { rest: sign[1]!, footnote: sign[2]! };
  // "(1 234 5)" loses its "5)" here but then is no figure ("(1 234"), so it stays text.
  const paren = FOOTNOTE_PAREN.exec(text);
  return paren === null ? null : { rest: paren[1]!, footnote: paren[2]! };
}

function splitFlag(text: string): { rest: string; flag: StatusFlag } | null {
  const match = FLAG_PAREN.exec(text) ?? FLAG_SPACED.exec(text);
  if (match === null) return null;
  return { rest: match[1]!.trimEnd(), flag: FLAG_OF[match[2]!.toLowerCase()]! };
}

interface Figure {
  readonly value: number;
  readonly decimals: number;
}

/** The figure once notes and flags are gone: sign, parentheses, currency, digits. */
function readFigure(text: string, decimal: '.' | ',' | 'auto'): Figure | null {
  // Accountants' negative: "(123)", "($1,234)".
  const inParens = text.startsWith('(') && text.endsWith(')');
  const body = inParens ? text.slice(1, -1).trim() : text;
  const signed = SIGNED.exec(body);
  if (signed === null) return null;
  const [, before, , after, digits = ''] = signed;
  if ((before !== undefined && after !== undefined) || (inParens && (before ?? after) !== undefined))
    return null;
  const sign = before ?? after;
  const negative = inParens || (sign !== undefined && sign !== '+');
  const figure = readExponent(digits, decimal) ?? readGrouped(digits, decimal);
  if (figure === null) return null;
  const value = negative ? -figure.value : figure.value;
  return { value: value === 0 ? 0 : value, decimals: figure.decimals };
}

/** "1.2E+07", as a CSV export writes a large value; "1,5E3" with a comma mark. */
function readExponent(digits: string, decimal: '.' | ',' | 'auto'): Figure | null {
  const match = EXPONENT.exec(digits);
  if (match === null) return null;
  const [, whole, mark, fraction = '', exponent = '0'] = match;
  if (mark !== undefined && decimal !== 'auto' && mark !== decimal) return null;
  const value = Number(`${whole}.${fraction || '0'}e${exponent}`);
  if (!Number.isFinite(value)) return null;
  return { value, decimals: Math.min(MAX_DECIMALS, Math.max(0, fraction.length - Number(exponent))) };
}

function readGrouped(digits: string, decimal: '.' | ',' | 'auto'): Figure | null {
  if (!FIGURE_CHARS.test(digits)) return null;
  const mark = decimalMark(digits, decimal);
  let whole = digits;
  let fraction = '';
  if (mark !== null) {
    const at = digits.indexOf(mark);
    if (at !== digits.lastIndexOf(mark)) return null;
    whole = digits.slice(0, at);
    fraction = digits.slice(at + 1);
    // "5." and "5," are not how a table writes 5.
    if (!/^\d+$/.test(fraction)) return null;
  }
  const plainWhole = whole === '' ? '0' : ungroup(whole);
  if (plainWhole === null) return null;
  return {
    value: Number(fraction === '' ? plainWhole : `${plainWhole}.${fraction}`),
    decimals: fraction.length,
  };
}

/** Which of `.` and `,` is the decimal mark in this cell, or null when it has none. */
function decimalMark(digits: string, decimal: '.' | ',' | 'auto'): '.' | ',' | null {
  const dots = digits.split('.').length - 1;
  const commas = digits.split(',').length - 1;
  if (decimal !== 'auto') return digits.includes(decimal) ? decimal : null;
  if (dots > 0 && commas > 0) return digits.lastIndexOf('.') > digits.lastIndexOf(',') ? '.' : ',';
  if (dots + commas === 0) return null;
  const mark = dots > 0 ? '.' : ',';
  // Written twice, it can only group thousands: "1,234,567".
  if (dots + commas > 1) return null;
  // Only a bare "1,234" is ambiguous: with spaces grouping the thousands ("1 234,567") the
  // comma can only be the decimal mark, and the pattern does not match.
  return mark === ',' && AMBIGUOUS_COMMA.test(digits) ? null : mark;
}

/** Digits grouped by threes with one kind of separator ("1 234 567", "1'234", "1,234"), as plain digits. */
function ungroup(whole: string): string | null {
  if (/^\d+$/.test(whole)) return whole;
  const kinds = new Set(
    [...whole.replace(/\d/g, '')].map((c) =>
      SPACE_SEPARATOR.test(c) ? ' ' : APOSTROPHE_SEPARATOR.test(c) ? "'" : c,
    ),
  );
  if (kinds.size !== 1) return null;
  const groups = whole.split(/[^\d]/);
  const [first = '', ...others] = groups;
  if (!/^\d{1,3}$/.test(first) || others.some((g) => !/^\d{3}$/.test(g))) return null;
  return groups.join('');
}
