/**
 * A worksheet's cells read straight from its XML with string searches: `<row r="5">` then
 * `<c r="B5" t="s"><v>12</v></c>` and so on. This is the part of reading a big workbook that
 * runs once per cell, so it makes no object per tag; exceljs's SAX parser builds several, and
 * parsing was most of the time of a 1,000,000-row XLSX load (issue 3).
 *
 * Cell values come out as exceljs gives them to `cellValue` with styles ignored: numbers as
 * numbers, shared and inline strings as text, booleans, error codes as their text (`#N/A`), and
 * a formula's cached result (null when it has none). Dates are numbers, as in any sheet read
 * without its styles. A test compares the two readers on real and generated workbooks.
 */
import type { Readable } from 'node:stream';
import type { SheetRow } from './xlsx-reader.ts';
import { decodeOfficeEscapes, decodeXmlText, wholeElements } from './xml-text.ts';

const SPACE = 32;
const SLASH = 47;
const GREATER = 62;
const TAB = 9;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const EQUALS = 61;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

const isSpace = (code: number): boolean =>
  code === SPACE || code === TAB || code === LINE_FEED || code === CARRIAGE_RETURN;

/** True when a tag's name ends at this character (`<c ` or `<c>`, not `<col`). */
function endsName(code: number): boolean {
  return code === GREATER || code === SLASH || isSpace(code);
}

/**
 * The value of attribute `name` in the tag text[from, to), or null. Scans only the tag (an
 * unbounded search for ` t=` would run on into later cells when this one has none) and steps
 * over quoted values.
 */
function attributeValue(text: string, from: number, to: number, name: string): string | null {
  const first = name.charCodeAt(0);
  for (let i = from + 1; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      i = text.indexOf(text[i]!, i + 1);
      if (i < 0) return null;
      continue;
    }
    if (code !== first || !isSpace(text.charCodeAt(i - 1))) continue;
    const equals = i + name.length;
    if (text.charCodeAt(equals) !== EQUALS || (name.length > 1 && !text.startsWith(name, i))) continue;
    const quote = text[equals + 1]!;
    const close = text.indexOf(quote, equals + 2);
    return close < 0 ? null : text.slice(equals + 2, close);
  }
  return null;
}

/** The 1-based column of a cell reference (`AB12` is 28). */
function columnOfReference(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}

/** Tag names with the document's namespace prefix (`x:` in files written by the Open XML SDK). */
class Tags {
  readonly rowOpen: string;
  readonly rowClose: string;
  readonly cellOpen: string;
  readonly cellClose: string;
  readonly valueOpen: string;
  readonly valueClose: string;
  readonly textOpen: string;
  readonly textClose: string;
  readonly inlineOpen: string;
  readonly phoneticOpen: string;
  readonly phoneticClose: string;

  constructor(prefix: string) {
    this.rowOpen = `<${prefix}row`;
    this.rowClose = `</${prefix}row>`;
    this.cellOpen = `<${prefix}c`;
    this.cellClose = `</${prefix}c>`;
    this.valueOpen = `<${prefix}v`;
    this.valueClose = `</${prefix}v>`;
    this.textOpen = `<${prefix}t`;
    this.textClose = `</${prefix}t>`;
    this.inlineOpen = `<${prefix}is`;
    this.phoneticOpen = `<${prefix}rPh`;
    this.phoneticClose = `</${prefix}rPh>`;
  }
}

/**
 * The text of every `<t>` in text[from, to), joined: a plain string item, or the runs of a
 * rich one. Phonetic guides (`<rPh>`, Japanese readings) are not part of the text and are skipped.
 */
function joinedText(text: string, from: number, to: number, tags: Tags, phonetics: boolean): string {
  let joined = '';
  let at = from;
  for (;;) {
    const start = text.indexOf(tags.textOpen, at);
    if (start < 0 || start >= to) break;
    // Looked for only when the piece holds one: an unbounded search per item would be quadratic.
    const phonetic = phonetics ? text.indexOf(tags.phoneticOpen, at) : -1;
    if (phonetic >= 0 && phonetic < start) {
      at = text.indexOf(tags.phoneticClose, phonetic) + tags.phoneticClose.length;
      continue;
    }
    const tagEnd = text.indexOf('>', start);
    if (!endsName(text.charCodeAt(start + tags.textOpen.length))) {
      at = tagEnd + 1;
      continue;
    }
    if (text.charCodeAt(tagEnd - 1) === SLASH) {
      at = tagEnd + 1;
      continue;
    }
    const end = text.indexOf(tags.textClose, tagEnd);
    joined += text.slice(tagEnd + 1, end);
    at = end + tags.textClose.length;
  }
  return decodeOfficeEscapes(decodeXmlText(joined));
}

/** A date cell (`t="d"`, ISO 8601) as `cellValue` gives a date: the day alone when it has no time. */
function dateText(iso: string): string {
  const midnight = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?Z?)?$/.exec(iso);
  return midnight === null ? iso : midnight[1]!;
}

/** Reads the rows of whole `<row>` elements, remembering the last row number across pieces. */
class SheetRowScanner {
  private readonly tags: Tags;
  private lastRow = 0;
  /** Whether the piece being read holds phonetic guides (see joinedText). */
  private phonetics = false;

  constructor(
    prefix: string,
    private readonly shared: readonly string[],
  ) {
    this.tags = new Tags(prefix);
  }

  /** The rows in a piece of sheet XML that holds only whole `<row>` elements. */
  rows(text: string): SheetRow[] {
    const { tags } = this;
    const rows: SheetRow[] = [];
    this.phonetics = text.indexOf(tags.phoneticOpen) >= 0;
    let at = 0;
    for (;;) {
      const start = text.indexOf(tags.rowOpen, at);
      if (start < 0) break;
      const tagEnd = text.indexOf('>', start);
      if (tagEnd < 0) break;
      if (!endsName(text.charCodeAt(start + tags.rowOpen.length))) {
        at = tagEnd + 1;
        continue;
      }
      const reference = attributeValue(text, start, tagEnd, 'r');
      const number = reference === null ? this.lastRow + 1 : Number(reference);
      this.lastRow = number;
      if (text.charCodeAt(tagEnd - 1) === SLASH) {
        at = tagEnd + 1;
        continue;
      }
      const end = text.indexOf(tags.rowClose, tagEnd);
      if (end < 0) throw new Error(`row ${number} of the sheet's XML has no end tag`);
      const cells = this.cells(text, tagEnd + 1, end);
      if (cells.length > 0) rows.push({ number, cells });
      at = end + tags.rowClose.length;
    }
    return rows;
  }

  /** The values of the cells in text[from, to), placed by their column; gaps are null. */
  private cells(text: string, from: number, to: number): unknown[] {
    const { tags } = this;
    const cells: unknown[] = [];
    let column = 0;
    let at = from;
    for (;;) {
      const start = text.indexOf(tags.cellOpen, at);
      if (start < 0 || start >= to) break;
      const tagEnd = text.indexOf('>', start);
      if (!endsName(text.charCodeAt(start + tags.cellOpen.length))) {
        at = tagEnd + 1;
        continue;
      }
      const reference = attributeValue(text, start, tagEnd, 'r');
      column = reference === null ? column + 1 : columnOfReference(reference);
      if (text.charCodeAt(tagEnd - 1) === SLASH) {
        at = tagEnd + 1;
        continue;
      }
      const end = text.indexOf(tags.cellClose, tagEnd);
      if (end < 0) throw new Error(`a cell of the sheet's XML has no end tag`);
      const value = this.value(text, tagEnd + 1, end, attributeValue(text, start, tagEnd, 't'));
      if (value !== null) {
        while (cells.length < column - 1) cells.push(null);
        cells[column - 1] = value;
      }
      at = end + tags.cellClose.length;
    }
    return cells;
  }

  /** The value of the cell whose content is text[from, to), by its type attribute. */
  private value(text: string, from: number, to: number, type: string | null): unknown {
    const { tags } = this;
    if (type === 'inlineStr') {
      const inline = text.indexOf(tags.inlineOpen, from);
      return inline < 0 || inline >= to ? null : joinedText(text, inline, to, tags, this.phonetics);
    }
    let start = text.indexOf(tags.valueOpen, from);
    while (start >= 0 && start < to && !endsName(text.charCodeAt(start + tags.valueOpen.length))) {
      start = text.indexOf(tags.valueOpen, start + 1);
    }
    // No cached value: an empty cell, or a formula never calculated.
    if (start < 0 || start >= to) return null;
    const tagEnd = text.indexOf('>', start);
    if (text.charCodeAt(tagEnd - 1) === SLASH) return null;
    const value = text.slice(tagEnd + 1, text.indexOf(tags.valueClose, tagEnd));
    switch (type) {
      case null:
      case 'n': {
        if (value === '') return null;
        const number = Number(value);
        return Number.isNaN(number) ? decodeXmlText(value) : number;
      }
      case 's':
        return this.shared[Number(value)] ?? null;
      case 'b':
        return Number(value) !== 0;
      case 'd':
        return dateText(value);
      default:
        // `str` (a formula's text result) and `e` (an error such as #N/A) are text.
        return decodeXmlText(value);
    }
  }
}

/** The rows of a worksheet part, in batches as its XML inflates. */
export async function* sheetXmlRows(
  bytes: Readable,
  prefix: string,
  shared: readonly string[],
): AsyncGenerator<SheetRow[]> {
  const scanner = new SheetRowScanner(prefix, shared);
  let last = '';
  for await (const piece of wholeElements(bytes, `</${prefix}row>`)) {
    last = piece;
    const rows = scanner.rows(piece);
    if (rows.length > 0) yield rows;
  }
  // A sheet cut between two rows before it was zipped has a right CRC: only its end tag is missing.
  if (!last.includes(`</${prefix}worksheet>`)) {
    throw new Error(`the sheet's XML stops before its end tag </${prefix}worksheet>: it was cut short`);
  }
}

/** The shared string table: every `<si>` item's text, in order. */
export async function sharedStringItems(bytes: Readable, prefix: string): Promise<string[]> {
  const tags = new Tags(prefix);
  const itemOpen = `<${prefix}si`;
  const itemClose = `</${prefix}si>`;
  const items: string[] = [];
  for await (const piece of wholeElements(bytes, itemClose)) {
    const phonetics = piece.indexOf(tags.phoneticOpen) >= 0;
    let at = 0;
    for (;;) {
      const start = piece.indexOf(itemOpen, at);
      if (start < 0) break;
      const tagEnd = piece.indexOf('>', start);
      if (tagEnd < 0) break;
      if (!endsName(piece.charCodeAt(start + itemOpen.length))) {
        at = tagEnd + 1;
        continue;
      }
      if (piece.charCodeAt(tagEnd - 1) === SLASH) {
        items.push('');
        at = tagEnd + 1;
        continue;
      }
      const end = piece.indexOf(itemClose, tagEnd);
      if (end < 0) break;
      items.push(joinedText(piece, tagEnd + 1, end, tags, phonetics));
      at = end + itemClose.length;
    }
  }
  return items;
}
