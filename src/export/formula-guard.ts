/**
 * The formula guard of CSV and XLSX exports: a text cell that a spreadsheet program would take
 * for a formula (`=HYPERLINK(...)`, `+cmd|...`, `-2+3`, `@SUM(A1)`) gets one leading apostrophe,
 * so the program shows it as text and never evaluates it. This is OWASP's advice on CSV
 * injection (https://owasp.org/www-community/attacks/CSV_Injection): the characters are `=`,
 * `+`, `-`, `@`, tab and carriage return.
 *
 * The guard looks at the text as a spreadsheet will see it, not only as it is stored: control
 * characters are dropped on the way (the XLSX writer must leave them out; some CSV readers do
 * too), zero-width characters are invisible, and full-width forms (`＝`, `＋`, `－`, `＠`) are
 * folded to ASCII by programs that apply Unicode compatibility mapping (NFKC). So `\x01=1+1`,
 * `\u200b=1+1` and `＝1+1` are guarded like `=1+1`. The text as stored is checked too, so a
 * trigger that NFKC would merge with a following mark (`=` + U+0338 is `≠`) is still guarded.
 *
 * Nothing is lost and the rule can be undone exactly: the apostrophe goes before the original
 * text, which follows whole; a text that already began with apostrophes followed by a trigger
 * gets one more. So a written text that starts with `'` and whose rest the guard would guard was
 * guarded: `recoverGuardedText` removes that one apostrophe, and docs/downstream.md gives the same rule
 * for other languages. Numbers are never touched: they are not text, so a negative balance stays
 * a number. A text that is a plain number (`-1`, Comtrade's quantity unit code for "not
 * applicable") is left as it is too: a spreadsheet reads it as that number at worst.
 */

/**
 * Characters a spreadsheet does not show at the start of a cell: C0 controls other than tab,
 * line feed and carriage return (tab and CR are triggers themselves), DEL and C1 controls, the
 * soft hyphen, and the zero-width and direction marks (U+034F, U+061C, U+180E, U+200B–U+200F,
 * U+202A–U+202E, U+2060–U+206F, U+FEFF).
 */
function isUnseen(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    code === 0x34f ||
    code === 0x61c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff
  );
}

/** `text` without its unseen characters (all of them in the BMP: code units suffice). */
function dropUnseen(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isUnseen(text.charCodeAt(i))) continue;
    out += text.slice(from, i);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Apostrophes (none or more), then `=`, `+`, `-`, `@`, tab or carriage return. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A plain decimal number: `-1`, `+12.5`, `-.5`, `-1e5`. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A text that starts with a formula character and is not a plain number. */
const startsFormula = (text: string): boolean => FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);

/**
 * The text as a spreadsheet shows it: unseen characters dropped, compatibility forms folded.
 *
 * @example
 * asSpreadsheetSees('\u200b＝1+1'); // '=1+1'
 */
export function asSpreadsheetSees(text: string): string {
  return dropUnseen(dropUnseen(text).normalize('NFKC'));
}

/**
 * Whether `text` must be written with a leading apostrophe: as stored or as a spreadsheet sees
 * it, it starts, possibly after apostrophes, with `=`, `+`, `-`, `@`, tab or carriage return,
 * and is not a plain number.
 *
 * @example
 * needsGuard('=1+1'); // true
 * needsGuard('\x01=1+1'); // true: the control character is dropped on the way
 * needsGuard('＝1+1'); // true: full-width `=` folds to `=`
 * needsGuard("'=1+1"); // true: it gets a second apostrophe, so the guard stays reversible
 * needsGuard('-12.5'); // false: a plain number calls nothing
 * needsGuard('010121'); // false
 */
export function needsGuard(text: string): boolean {
  const first = text.charCodeAt(0);
  // Most cells start with a printable ASCII character that is neither a trigger nor an
  // apostrophe: nothing can hide before it, and NFKC leaves it as it is.
  if (first >= 0x20 && first < 0x7f && !"=+-@'".includes(text[0]!)) return false;
  return startsFormula(text) || startsFormula(asSpreadsheetSees(text));
}

/**
 * A cell as a spreadsheet may safely receive it: text guarded, everything else as it is.
 *
 * @example
 * guardCell('=1+1'); // "'=1+1"
 * guardCell('\u200b=1+1'); // "'\u200b=1+1" (the original follows the apostrophe whole)
 * guardCell('+33 1 23 45 67 89'); // "'+33 1 23 45 67 89"
 * guardCell(-12.5); // -12.5 (a number stays a number)
 * guardCell('PAK'); // 'PAK'
 */
export function guardCell<T>(value: T): T | string {
  return typeof value === 'string' && needsGuard(value) ? `'${value}` : value;
}

/**
 * The rule as a RegExp for papaparse's `escapeFormulae`, which accepts only a RegExp and calls
 * its `test` on each text field (never a number), then adds the apostrophe and quotes the field.
 */
class GuardPattern extends RegExp {
  override test(text: string): boolean {
    return needsGuard(text);
  }
}

/** For the CSV writer: papaparse's `escapeFormulae` with Corridor's rule. */
export const FORMULA_ESCAPE: RegExp = new GuardPattern('^');

/**
 * Whether a written text is a guarded one: an apostrophe, then a text the guard would guard.
 * Every such text was written by the guard (an original of that shape got one more apostrophe).
 *
 * @example
 * isGuardedText("'=1+1"); // true
 * isGuardedText("'\x01=1+1"); // true
 * isGuardedText("'abc"); // false
 */
export function isGuardedText(text: string): boolean {
  return text.startsWith("'") && needsGuard(text.slice(1));
}

/**
 * The exact original of a text written by the guard: one leading apostrophe removed when the
 * text is guarded, any other text as it is.
 *
 * @example
 * recoverGuardedText("'=1+1"); // '=1+1'
 * recoverGuardedText("''-x"); // "'-x"
 * recoverGuardedText("'＝1+1"); // '＝1+1'
 * recoverGuardedText("'abc"); // "'abc" (never guarded)
 */
export function recoverGuardedText(text: string): string {
  return isGuardedText(text) ? text.slice(1) : text;
}
