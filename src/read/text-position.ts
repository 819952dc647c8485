/**
 * Where in a text file a reader has got to, in the terms a person can look up: the byte offset
 * (for a hex editor or `dd`) and the line (for an editor). Kept apart from the decoding itself
 * so that damage found anywhere (an invalid UTF-8 sequence, a NUL byte, a file that ends inside
 * a quoted field) is reported the same way.
 */

const LINE_FEED = 0x0a;

/** A place in a file: 0-based byte offset, 1-based line. */
export interface TextPlace {
  readonly byte: number;
  readonly line: number;
}

/** "byte 1,234 (line 56)", for messages. */
export function describePlace(place: TextPlace): string {
  return `byte ${place.byte.toLocaleString('en-US')} (line ${place.line.toLocaleString('en-US')})`;
}

/** Counts the line feeds in `text[from, to)`. */
export function countLineFeeds(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Bytes a decoded text took in the file, for each encoding the text stream decodes. */
export function encodedLength(text: string, encoding: string): number {
  if (encoding === 'utf-8') return Buffer.byteLength(text, 'utf8');
  if (encoding.startsWith('utf-16')) return text.length * 2;
  return text.length;
}

/**
 * Tracks the byte offset and the line of the start of the next decoded chunk, so a fault found
 * in a chunk (by character index) can be placed in the file.
 */
export class TextPositions {
  private bytes: number;
  private lines = 0;

  constructor(
    private readonly encoding: string,
    /** A byte-order mark the decoder drops: its bytes still come first in the file. */
    bomLength: number,
  ) {
    this.bytes = bomLength;
  }

  /** Where character `index` of `text` (the chunk about to be passed on) lies in the file. */
  placeOf(text: string, index: number): TextPlace {
    return {
      byte: this.bytes + encodedLength(text.slice(0, index), this.encoding),
      line: this.lines + countLineFeeds(text, 0, index) + 1,
    };
  }

  /** Moves past a chunk that was passed on. */
  advance(text: string): void {
    this.bytes += encodedLength(text, this.encoding);
    this.lines += countLineFeeds(text);
  }

  /** The place just after everything passed on: the end of the file, once all of it was. */
  get end(): TextPlace {
    return { byte: this.bytes, line: this.lines + 1 };
  }
}

/**
 * The index in `bytes` of the first byte that does not start a valid UTF-8 sequence, or -1.
 * Leading continuation bytes before `from` belong to a sequence that started in the previous
 * chunk and are skipped. Used only once the decoder has refused the chunk, to say where.
 */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // Cut at the end of the chunk: the rest comes with the next one.
    if (i + need >= bytes.length) return -1;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    // Overlong forms and surrogates, which the decoder refuses too.
    const second = bytes[i + 1]!;
    if (b === 0xe0 && second < 0xa0) return i;
    if (b === 0xed && second > 0x9f) return i;
    if (b === 0xf0 && second < 0x90) return i;
    if (b === 0xf4 && second > 0x8f) return i;
    i += need + 1;
  }
  return -1;
}

/** Counts line feeds in raw bytes: a byte 0x0A is a line feed in UTF-8 and every single-byte code page. */
export function countLineFeedBytes(bytes: Uint8Array, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(LINE_FEED); i !== -1 && i < to; i = bytes.indexOf(LINE_FEED, i + 1)) count++;
  return count;
}
