/**
 * The formula guard of CSV and XLSX exports: a text cell that a spreadsheet program would take
 * for a formula (`=HYPERLINK(...)`, `+cmd|...`, `-2+3`, `@SUM(A1)`) gets one leading apostrophe,
 * so the program shows it as text and never evaluates it. This is OWASP's advice on CSV
 * injection (https://owasp.org/www-community/attacks/CSV_Injection): the characters are `=`,
 * `+`, `-`, `@`, tab and carriage return.
 *
 * Nothing is lost and the rule can be undone exactly: the original text follows the apostrophe
 * whole, and a text that already began with apostrophes followed by one of those characters gets
 * one more, so "a value that starts with `'` and then one of the characters" always means
 * "guarded". `recoverGuardedText` is the reverse, and the README gives the same rule for other
 * languages. Numbers are never touched: they are not text, so a negative balance stays a number.
 * A text that is a plain number (`-1`, Comtrade's quantity unit code for "not applicable") is left
 * as it is too: a spreadsheet reads it as that number at worst, which calls nothing.
 */

/** `'` */
const APOSTROPHE = 0x27;

/**
 * The rule as one pattern: not a plain decimal number (`-1`, `+12.5`, `-.5`, `-1e5`), and
 * apostrophes (none or more) followed by `=`, `+`, `-`, `@`, tab or carriage return. The CSV
 * writer hands it to papaparse's `escapeFormulae`, which then adds the apostrophe and quotes.
 */
export const GUARDED_START = /^(?![+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$)'*[=+\-@\t\r]/;

/** Whether a character code starts a formula in Excel, LibreOffice or Google Sheets. */
function isTrigger(code: number): boolean {
  // = + - @ tab CR
  return code === 0x3d || code === 0x2b || code === 0x2d || code === 0x40 || code === 0x09 || code === 0x0d;
}

/** The index of the first character after a run of leading apostrophes. */
function afterApostrophes(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === APOSTROPHE) i++;
  return i;
}

/**
 * Whether `text` must be written with a leading apostrophe: it starts, possibly after
 * apostrophes, with `=`, `+`, `-`, `@`, tab or carriage return, and is not a plain number.
 *
 * @example
 * needsGuard('=1+1'); // true
 * needsGuard("'=1+1"); // true: it gets a second apostrophe, so the guard stays reversible
 * needsGuard('-12.5'); // false: a plain number calls nothing
 * needsGuard('010121'); // false
 */
export function needsGuard(text: string): boolean {
  return GUARDED_START.test(text);
}

/**
 * A cell as a spreadsheet may safely receive it: text guarded, everything else as it is.
 *
 * @example
 * guardCell('=1+1'); // "'=1+1"
 * guardCell('+33 1 23 45 67 89'); // "'+33 1 23 45 67 89"
 * guardCell(-12.5); // -12.5 (a number stays a number)
 * guardCell('PAK'); // 'PAK'
 */
export function guardCell<T>(value: T): T | string {
  return typeof value === 'string' && needsGuard(value) ? `'${value}` : value;
}

/**
 * Whether a written text is a guarded one: apostrophes, then one of the trigger characters. Every
 * such text was written by the guard (an original of that shape got one more apostrophe).
 *
 * @example
 * isGuardedText("'=1+1"); // true
 * isGuardedText("'abc"); // false
 */
export function isGuardedText(text: string): boolean {
  const i = afterApostrophes(text);
  return i > 0 && i < text.length && isTrigger(text.charCodeAt(i));
}

/**
 * The exact original of a text written by the guard: one leading apostrophe removed when the
 * text is guarded, any other text as it is.
 *
 * @example
 * recoverGuardedText("'=1+1"); // '=1+1'
 * recoverGuardedText("''-x"); // "'-x"
 * recoverGuardedText("'abc"); // "'abc" (never guarded)
 */
export function recoverGuardedText(text: string): string {
  return isGuardedText(text) ? text.slice(1) : text;
}
