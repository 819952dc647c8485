/**
 * Looks at a file's first bytes to tell what it is before any parser sees it: compressed,
 * a spreadsheet or other binary, and which text encoding. A wrong guess here turns into a
 * confusing parser error later, so the answers are conservative and the refusals explicit.
 */

export type Sniffed =
  | {
      readonly kind: 'text';
      readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
      readonly bomLength: number;
    }
  | { readonly kind: 'gzip' }
  | { readonly kind: 'binary'; readonly what: string; readonly hint: string };

const SIGNATURES: readonly { bytes: readonly number[]; what: string; hint: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'a ZIP archive (an XLSX workbook, or a zipped download)',
    hint: 'decompress or unzip it first; an .xlsx workbook loads directly, without compression around it',
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'a legacy Excel workbook (.xls)',
    hint: 'save it as CSV UTF-8, or load it with a spreadsheet source',
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46],
    what: 'a PDF document',
    hint: 'tables in PDFs must be extracted to CSV first',
  },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', hint: 'load the data file, not a picture of it' },
  {
    bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65],
    what: 'a SQLite database',
    hint: 'query it with corridor sql --db instead',
  },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file', hint: 'export it to CSV first' },
];

/** Encodings a user may name with --encoding, to the decoder's name; null for anything else. */
export function encodingNamed(name: string): 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | null {
  switch (name.toLowerCase().replace(/[^a-z0-9]/g, '')) {
    case 'utf8':
      return 'utf-8';
    case 'latin1':
    case 'iso88591':
    case 'windows1252':
    case 'cp1252':
      return 'windows-1252';
    case 'utf16':
    case 'utf16le':
      return 'utf-16le';
    case 'utf16be':
      return 'utf-16be';
    default:
      return null;
  }
}

const startsWith = (buf: Uint8Array, bytes: readonly number[]) =>
  buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

function isValidUtf8Prefix(buf: Uint8Array): boolean {
  try {
    // `stream: true` lets a multi-byte character cut at the end of the sample pass.
    new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Two, not one: in Windows-1252 text a lone pair such as "Ã©" happens to be valid UTF-8, two
 * such pairs in one file's head are what a UTF-8 file looks like.
 */
const MIXED_UTF8_EVIDENCE = 2;

/** Counts well-formed UTF-8 sequences of two bytes or more in `bytes`, stopping at `enough`. */
function validMultiByteSequences(bytes: Uint8Array, enough: number): number {
  let found = 0;
  for (let i = 0; i < bytes.length && found < enough; i++) {
    const b = bytes[i]!;
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0 || i + need >= bytes.length) continue;
    let whole = true;
    for (let k = 1; k <= need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) whole = false;
    if (whole) {
      found++;
      i += need;
    }
  }
  return found;
}

/**
 * @param head the file's first bytes (64 KiB is plenty)
 * @param forced an encoding the user named (`--encoding latin1`), which skips the guess
 */
export function sniffBytes(head: Uint8Array, forced?: string): Sniffed {
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'gzip' };
  for (const s of SIGNATURES)
    if (startsWith(head, s.bytes)) return { kind: 'binary', what: s.what, hint: s.hint };
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { kind: 'text', encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { kind: 'text', encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { kind: 'text', encoding: 'utf-16be', bomLength: 2 };
  if (forced !== undefined) {
    const encoding = encodingNamed(forced);
    if (encoding !== null) return { kind: 'text', encoding, bomLength: 0 };
  }
  // UTF-16 without a byte-order mark: ASCII text then has a NUL in every other byte.
  const sample = head.subarray(0, Math.min(head.length, 4096));
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  const half = sample.length / 2;
  if (half > 8 && oddNul > half * 0.6 && evenNul === 0)
    return { kind: 'text', encoding: 'utf-16le', bomLength: 0 };
  if (half > 8 && evenNul > half * 0.6 && oddNul === 0)
    return { kind: 'text', encoding: 'utf-16be', bomLength: 0 };
  if (evenNul + oddNul > 0) {
    return {
      kind: 'binary',
      what: 'binary data (it contains NUL bytes)',
      hint: 'check that this is the CSV or JSON download and not a database, archive or spreadsheet',
    };
  }
  if (isValidUtf8Prefix(head)) return { kind: 'text', encoding: 'utf-8', bomLength: 0 };
  // UTF-8 characters beside bytes that are not UTF-8: a UTF-8 file with damaged bytes (or two
  // encodings pasted together). Read as Windows-1252 its every accented or Cyrillic letter would
  // turn silently into two wrong ones; read as UTF-8 it fails at the bad byte, which is named.
  if (validMultiByteSequences(head, MIXED_UTF8_EVIDENCE) >= MIXED_UTF8_EVIDENCE)
    return { kind: 'text', encoding: 'utf-8', bomLength: 0 };
  // Not UTF-8 and no NULs: a single-byte code page. Windows-1252 is a superset of Latin-1 for
  // printable text and what Excel writes on Western systems.
  return { kind: 'text', encoding: 'windows-1252', bomLength: 0 };
}
