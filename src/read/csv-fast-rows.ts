/**
 * The CSV reader's row splitter for well-formed text: the rows papaparse would give, at a
 * fraction of its cost and garbage. On a 1,000,000-row Comtrade file papaparse and the
 * collector cleaning up after it took about half of the reader thread's time (issue 22), and
 * that thread bounds the load. A line without quotes is one `split`; a line with quoted fields
 * is walked field by field.
 *
 * Anything papaparse has its own rules for (a closing quote followed by something other than a
 * delimiter or a line end, old Mac line ends, a file ending inside quotes) hands the rest of
 * the text, from the start of that row, to papaparse (`parseCsvRows`): its rows, errors and
 * what it tells of a cut file are then exactly what they always were.
 */
import { type CsvEnding, noteLastChar, parseCsvRows } from './csv-rows.ts';

const QUOTE = '"';

/**
 * The line end papaparse chooses for a text, from its first chunk: the same rule, so that a
 * row ends where it would have ended. Quoted text is left out, as papaparse leaves it out.
 */
export function guessLineEnd(firstChunk: string): '\n' | '\r\n' | '\r' {
  const input = firstChunk.substring(0, 1024 * 1024).replace(/"([\s\S]*?)"/gm, '');
  const r = input.split('\r');
  const n = input.split('\n');
  if (r.length === 1 || (n.length > 1 && n[0]!.length < r[0]!.length)) return '\n';
  let withN = 0;
  for (const part of r) if (part[0] === '\n') withN++;
  return withN >= r.length / 2 ? '\r\n' : '\r';
}

/** What the splitter yields for a row whose cells were not wanted (RowTexts.cellsWanted). */
export const NOT_SPLIT: string[] = [];

/** Why a row could not be split here: its text is not all there yet, or papaparse must judge it. */
const MORE = -1;
const ODD = -2;

/**
 * The quote that closes the quoted field opened at `openAt`, "" standing for one quote; MORE
 * when the text ends before that can be told.
 */
function closingQuote(text: string, openAt: number): number {
  let close = openAt;
  for (;;) {
    close = text.indexOf(QUOTE, close + 1);
    if (close < 0 || close === text.length - 1) return MORE;
    if (text.charCodeAt(close + 1) !== 34) return close;
    close++;
  }
}

/** Past a closing quote that no delimiter follows: the next row's start after a line end, else MORE or ODD. */
function rowEndAfterQuote(text: string, after: number, lineEnd: string): number {
  if (text.startsWith(lineEnd, after)) return after + lineEnd.length;
  // Spaces or text after the closing quote, or a line end cut by the end of the chunk.
  return after + lineEnd.length > text.length ? MORE : ODD;
}

/**
 * Splits the row with a quoted field that starts at `from` into `cells`; returns where the next
 * row starts, MORE when the row runs past the end of `text`, or ODD. Given `wanted`, a column
 * it does not mark gets an empty cell, not its text.
 */
function splitQuotedRow(
  text: string,
  from: number,
  delimiter: string,
  lineEnd: string,
  cells: string[],
  wanted: Uint8Array | null = null,
): number {
  let at = from;
  // Where the line ends, looked for again only once a quoted field has run past it.
  let lineEndAt = text.indexOf(lineEnd, at);
  for (;;) {
    if (text.charCodeAt(at) === 34) {
      const close = closingQuote(text, at);
      if (close === MORE) return MORE;
      if (wanted === null || wanted[cells.length] !== 0) {
        // Inside the quotes, a quote can only be one of a pair: "" standing for one.
        const value = text.slice(at + 1, close);
        cells.push(value.includes(QUOTE) ? value.replaceAll('""', QUOTE) : value);
      } else cells.push('');
      const after = close + 1;
      if (text.startsWith(delimiter, after)) {
        at = after + 1;
        continue;
      }
      return rowEndAfterQuote(text, after, lineEnd);
    }
    // An unquoted field, quotes inside it being plain characters (as papaparse reads them).
    if (lineEndAt >= 0 && lineEndAt < at) lineEndAt = text.indexOf(lineEnd, at);
    if (lineEndAt < 0) return MORE;
    const delimiterAt = text.indexOf(delimiter, at);
    if (delimiterAt >= 0 && delimiterAt < lineEndAt) {
      cells.push(wanted === null || wanted[cells.length] !== 0 ? text.slice(at, delimiterAt) : '');
      at = delimiterAt + 1;
      continue;
    }
    cells.push(wanted === null || wanted[cells.length] !== 0 ? text.slice(at, lineEndAt) : '');
    return lineEndAt + lineEnd.length;
  }
}

/**
 * Where the row with a quote that starts at `rowStart` ends, as splitQuotedRow finds it but without
 * walking its fields: only quotes and line ends are looked for (the row's delimiters before a
 * quote tell whether it opens a quoted field). Returns where the next row starts, MORE or ODD.
 * On a 47-column Comtrade row this is a few searches instead of one per field.
 */
function quotedRowEnd(text: string, rowStart: number, delimiter: string, lineEnd: string): number {
  const delimiterCode = delimiter.charCodeAt(0);
  let at = rowStart;
  for (;;) {
    const lineEndAt = text.indexOf(lineEnd, at);
    // A row ends with a line end: without one ahead, its text is not all there yet.
    if (lineEndAt < 0) return MORE;
    const quoteAt = text.indexOf(QUOTE, at);
    if (quoteAt < 0 || lineEndAt < quoteAt) return lineEndAt + lineEnd.length;
    // Between `at` and the quote there is no quote, so every delimiter there is one: the quote
    // opens a quoted field when it starts the row or follows a delimiter. Otherwise it is a
    // plain character of an unquoted field.
    if (quoteAt !== rowStart && text.charCodeAt(quoteAt - 1) !== delimiterCode) {
      at = quoteAt + 1;
      continue;
    }
    const close = closingQuote(text, quoteAt);
    if (close === MORE) return MORE;
    const after = close + 1;
    if (text.startsWith(delimiter, after)) {
      at = after + 1;
      continue;
    }
    return rowEndAfterQuote(text, after, lineEnd);
  }
}

/** The text still to parse, then the chunks after it: what papaparse reads once it takes over. */
async function* restOf(rest: string, chunks: AsyncIterator<string>): AsyncGenerator<string> {
  if (rest !== '') yield rest;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * The text of each row the splitter gave, for the reader to keep instead of the row's cells: a
 * row kept for duplicate lookups (map-stage.ts RecentCells) is then one string, a slice of the
 * chunk it came from, rather than an array and a string per cell. Kept cells outlived the
 * young generation and made the reader thread's collector copy and promote every cell of the
 * file (about a third of that thread's time on a 1,000,000-row Comtrade load, issue 22).
 */
export class RowTexts {
  /** The texts of the rows yielded last, in order; null when papaparse split them. */
  current: string[] | null = null;
  /**
   * Cleared by a reader that splits rows when it needs their cells (from their texts): the
   * splitter then yields NOT_SPLIT for each row it gives a text of, and makes no cells.
   */
  cellsWanted = true;
  #lineEnd = '\n';

  constructor(readonly delimiter: string) {}

  /** Set by the splitter once it knows the text's line end. */
  set lineEnd(lineEnd: string) {
    this.#lineEnd = lineEnd;
  }

  /**
   * The columns whose cells the reader's user reads (RawTable.readsOnly), or null for all.
   * `split` leaves the others' cells empty: a wide file's unused columns (27 of Comtrade's 47)
   * then cost no string each per row. Cells past the mask (more fields than the header) are
   * kept: they tell a misaligned row.
   */
  wanted: Uint8Array | null = null;

  /** The cells a row's text gave when it was split. */
  splitAll(text: string): string[] {
    if (!text.includes(QUOTE)) return text.split(this.delimiter);
    const cells: string[] = [];
    splitQuotedRow(text + this.#lineEnd, 0, this.delimiter, this.#lineEnd, cells);
    return cells;
  }

  /** As `splitAll`, the cells of columns not `wanted` left empty: as many cells, fewer strings. */
  split(text: string): string[] {
    const wanted = this.wanted;
    if (wanted === null) return this.splitAll(text);
    const cells: string[] = [];
    if (text.includes(QUOTE)) {
      splitQuotedRow(text + this.#lineEnd, 0, this.delimiter, this.#lineEnd, cells, wanted);
      return cells;
    }
    let at = 0;
    for (;;) {
      const delimiterAt = text.indexOf(this.delimiter, at);
      const fieldEnd = delimiterAt < 0 ? text.length : delimiterAt;
      cells.push(wanted[cells.length] !== 0 ? text.slice(at, fieldEnd) : '');
      if (delimiterAt < 0) return cells;
      at = delimiterAt + 1;
    }
  }
}

/**
 * The rows of `chunks`, a batch of rows per chunk, as `parseCsvRows` gives them. `ending` is
 * filled in as there: the last character, and whether the text ended inside quotes. Given
 * `texts`, each batch's row texts are there as it is yielded.
 */
export async function* fastCsvRows(
  chunks: AsyncIterable<string>,
  delimiter: string,
  ending: CsvEnding = { lastChar: '', insideQuotes: false },
  texts: RowTexts = new RowTexts(delimiter),
): AsyncGenerator<string[][]> {
  texts.current = null;
  if (delimiter.length !== 1 || delimiter === QUOTE) {
    yield* parseCsvRows(chunks, delimiter, ending);
    return;
  }
  const input = noteLastChar(chunks, ending)[Symbol.asyncIterator]();
  let lineEnd: '\n' | '\r\n' | '\r' | null = null;
  let carry = '';
  // Hands the rest of the text, from `rest`, to papaparse; its rows come without texts.
  async function* papaparse(rest: string, end: string): AsyncGenerator<string[][]> {
    texts.current = null;
    for await (const rows of parseCsvRows(restOf(rest, input), delimiter, ending, end)) {
      texts.current = null;
      yield rows;
    }
  }
  for (;;) {
    const next = await input.next();
    const text = next.done ? `${carry}` : carry + next.value;
    if (!next.done && lineEnd === null) {
      lineEnd = guessLineEnd(next.value);
      texts.lineEnd = lineEnd;
    }
    // Old Mac line ends are rare enough to leave to papaparse whole.
    if (lineEnd === '\r') {
      yield* papaparse(text, lineEnd);
      return;
    }
    const end = lineEnd ?? '\n';
    const rows: string[][] = [];
    const lines: string[] = [];
    let at = 0;
    let quoteAt = text.indexOf(QUOTE);
    for (;;) {
      const lineEndAt = text.indexOf(end, at);
      if (lineEndAt < 0) break;
      if (quoteAt >= 0 && quoteAt < at) quoteAt = text.indexOf(QUOTE, at);
      const split = texts.cellsWanted;
      if (quoteAt < 0 || quoteAt > lineEndAt) {
        const line = text.slice(at, lineEndAt);
        rows.push(split ? line.split(delimiter) : NOT_SPLIT);
        lines.push(line);
        at = lineEndAt + end.length;
        continue;
      }
      const cells: string[] | null = split ? [] : null;
      const rowEnd =
        cells === null
          ? quotedRowEnd(text, at, delimiter, end)
          : splitQuotedRow(text, at, delimiter, end, cells);
      if (rowEnd === MORE) break;
      if (rowEnd === ODD) {
        if (rows.length > 0) {
          texts.current = lines;
          yield rows;
        }
        yield* papaparse(text.slice(at), end);
        return;
      }
      rows.push(cells ?? NOT_SPLIT);
      lines.push(text.slice(at, rowEnd - end.length));
      at = rowEnd;
    }
    carry = text.slice(at);
    if (next.done) {
      // The last row, without a line end after it. One with quotes goes to papaparse, which
      // tells a quoted field left open (a cut file) from a closed one.
      if (carry !== '') {
        if (!carry.includes(QUOTE)) {
          rows.push(texts.cellsWanted ? carry.split(delimiter) : NOT_SPLIT);
          lines.push(carry);
        } else {
          if (rows.length > 0) {
            texts.current = lines;
            yield rows;
          }
          yield* papaparse(carry, end);
          return;
        }
      }
      if (rows.length > 0) {
        texts.current = lines;
        yield rows;
      }
      return;
    }
    if (rows.length > 0) {
      texts.current = lines;
      yield rows;
    }
  }
}
