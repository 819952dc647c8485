/**
 * Seeded mutators for fuzzing the readers (issue 20, point 4): each turns a file's bytes into a
 * damaged or hostile variant, the same one for the same seed on every machine, so a failure
 * found by a long campaign replays as `kind + seed`. The kinds are what real downloads and
 * real users produce: a cut-off file, flipped bits, a re-zipped workbook with its parts out of
 * order, a cell of 50 MB, the wrong encoding, control characters, mixed line endings, a BOM in
 * the middle of the text.
 */
import { mulberry32, type Rng } from '../../scripts/shared/prng.ts';
import { entryContent, readZipEntries, withContent, writeZipEntries, type ZipEntry } from './zip-entries.ts';

/** The seeded PRNG the mutators draw from (scripts/shared/prng.ts), for tests that pick their own cases. */
export { mulberry32 };

export type FileFormat = 'csv' | 'json' | 'xlsx' | 'xls';

const BYTE_KINDS = ['truncate', 'bit-flip', 'insert-bytes', 'delete-bytes'] as const;
const TEXT_KINDS = [
  'huge-cell',
  'utf16le',
  'cp1251',
  'invalid-utf8',
  'control-chars',
  'mixed-eol',
  'mid-bom',
] as const;
const ZIP_KINDS = [
  'zip-shuffle',
  'zip-duplicate',
  'zip-drop',
  'zip-part-damage',
  'huge-shared-string',
] as const;

export type MutationKind =
  | (typeof BYTE_KINDS)[number]
  | (typeof TEXT_KINDS)[number]
  | (typeof ZIP_KINDS)[number];

export const MUTATION_KINDS: readonly MutationKind[] = [...BYTE_KINDS, ...TEXT_KINDS, ...ZIP_KINDS];

/** The kinds that make sense for a format: text kinds on text, zip kinds on zips. */
export const KINDS_FOR: Readonly<Record<FileFormat, readonly MutationKind[]>> = {
  csv: [...BYTE_KINDS, ...TEXT_KINDS],
  json: [...BYTE_KINDS, ...TEXT_KINDS],
  xlsx: [...BYTE_KINDS, ...ZIP_KINDS],
  xls: BYTE_KINDS,
};

export interface MutateOptions {
  /** Size of the oversized cell or shared string. @default 50 MiB */
  readonly hugeBytes?: number;
}

type Random = Rng;
const below = (random: Random, n: number) => Math.floor(random() * n);
const between = (random: Random, min: number, max: number) => min + below(random, max - min + 1);

/** `bytes` damaged by `kind`, deterministically for `seed`. */
export function mutate(kind: MutationKind, bytes: Buffer, seed: number, options: MutateOptions = {}): Buffer {
  const random = mulberry32(seed);
  const huge = options.hugeBytes ?? 50 * 1024 * 1024;
  switch (kind) {
    case 'truncate':
      return bytes.subarray(0, between(random, 1, Math.max(1, bytes.length - 1)));
    case 'bit-flip':
      return flipBits(bytes, random);
    case 'insert-bytes':
      return splice(bytes, below(random, bytes.length + 1), 0, randomBytes(random, between(random, 1, 16)));
    case 'delete-bytes':
      return splice(bytes, below(random, bytes.length), between(random, 1, 64), Buffer.alloc(0));
    case 'huge-cell':
      return hugeCell(bytes, random, huge);
    case 'utf16le':
      return Buffer.concat([random() < 0.5 ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), utf16(bytes)]);
    case 'cp1251':
      return cp1251(bytes, random);
    case 'invalid-utf8':
      return sprinkle(bytes, random, INVALID_UTF8, between(random, 1, 5));
    case 'control-chars':
      return sprinkle(bytes, random, CONTROL_CHARS, between(random, 1, 8));
    case 'mixed-eol':
      return mixLineEndings(bytes, random);
    case 'mid-bom':
      return midBom(bytes, random);
    case 'zip-shuffle':
      return onEntries(bytes, (entries) => shuffle(entries, random));
    case 'zip-duplicate':
      return onEntries(bytes, (entries) => {
        const copy = entries[below(random, entries.length)]!;
        const at = below(random, entries.length + 1);
        return [...entries.slice(0, at), copy, ...entries.slice(at)];
      });
    case 'zip-drop':
      return onEntries(bytes, (entries) => {
        const dropped = below(random, entries.length);
        return entries.filter((_, i) => i !== dropped);
      });
    case 'zip-part-damage':
      return onEntries(bytes, (entries) => damagePart(entries, random));
    case 'huge-shared-string':
      return onEntries(bytes, (entries) => hugeSharedString(entries, huge, random));
  }
}

function splice(bytes: Buffer, at: number, remove: number, insert: Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(Math.min(bytes.length, at + remove))]);
}

function randomBytes(random: Random, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => below(random, 256)));
}

function flipBits(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  const flips = between(random, 1, 8);
  for (let i = 0; i < flips && out.length > 0; i++) out[below(random, out.length)]! ^= 1 << below(random, 8);
  return out;
}

const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0x80]), // a continuation byte alone
  Buffer.from([0xc3]), // a sequence cut short
  Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), // a five-byte form
  Buffer.from([0xc0, 0xaf]), // an overlong '/'
];

const CONTROL_CHARS: readonly Buffer[] = [
  '\0',
  '\x1b',
  '\u2028',
  '\x01',
  '\x7f',
  '\x0b',
  '\u2029',
  '\u200b',
].map((c) => Buffer.from(c, 'utf8'));

/** `count` pieces from `pieces` inserted at random places, never inside a UTF-8 sequence. */
function sprinkle(bytes: Buffer, random: Random, pieces: readonly Buffer[], count: number): Buffer {
  let out = bytes;
  for (let i = 0; i < count; i++) {
    let at = below(random, out.length + 1);
    while (at < out.length && (out[at]! & 0xc0) === 0x80) at++;
    out = splice(out, at, 0, pieces[below(random, pieces.length)]!);
  }
  return out;
}

/** The offsets just after each line break (and 0). */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

/** One field of one line (header included) replaced by `size` bytes of letters, sometimes quoted. */
function hugeCell(bytes: Buffer, random: Random, size: number): Buffer {
  const starts = lineStarts(bytes);
  const line = starts[below(random, starts.length)]!;
  let end = bytes.indexOf(0x0a, line);
  if (end < 0) end = bytes.length;
  // A JSON string value, or a CSV field: between two delimiters of that line.
  const text = bytes.subarray(line, end).toString('latin1');
  const bounds = [...text.matchAll(/[,;\t|"]/g)].map((m) => m.index);
  const from = line + (bounds.length === 0 ? 0 : bounds[below(random, bounds.length)]! + 1);
  let to = from;
  while (to < end && !',;\t|"\r'.includes(String.fromCharCode(bytes[to]!))) to++;
  const quoted = random() < 0.3 && bytes[from - 1] !== 0x22;
  const filler = Buffer.alloc(size, quoted ? 'a,b\n"c"' : 'x');
  const cell = quoted ? Buffer.concat([Buffer.from('"'), escapeQuotes(filler), Buffer.from('"')]) : filler;
  return splice(bytes, from, to - from, cell);
}

function escapeQuotes(filler: Buffer): Buffer {
  return Buffer.from(filler.toString('latin1').replace(/"/g, '""'), 'latin1');
}

/** The text (read as UTF-8, BOM dropped) as UTF-16LE code units. */
function utf16(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return Buffer.from(text, 'utf16le');
}

/**
 * The text in Windows-1251: Cyrillic as its single bytes, other non-ASCII as `?`. A text with
 * no Cyrillic gets some of its letters replaced by bytes 0xC0–0xFF (Cyrillic in 1251, accented
 * Latin in 1252, invalid in UTF-8).
 */
function cp1251(bytes: Buffer, random: Random): Buffer {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const out: number[] = [];
  let cyrillic = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (code >= 0x410 && code <= 0x44f) {
      out.push(code - 0x410 + 0xc0);
      cyrillic++;
    } else if (code === 0x401) out.push(0xa8);
    else if (code === 0x451) out.push(0xb8);
    else out.push(0x3f);
  }
  if (cyrillic === 0) {
    const letters = out.flatMap((code, i) => (/[A-Za-z]/.test(String.fromCharCode(code)) ? [i] : []));
    const replacements = between(random, 1, 20);
    for (let i = 0; i < replacements && letters.length > 0; i++)
      out[letters[below(random, letters.length)]!] = between(random, 0xc0, 0xff);
  }
  return Buffer.from(out);
}

const EOLS = ['\r\n', '\n', '\r'].map((e) => Buffer.from(e));

function mixLineEndings(bytes: Buffer, random: Random): Buffer {
  const lines = bytes.toString('latin1').split(/\r\n|\n|\r/);
  const parts: Buffer[] = [];
  lines.forEach((line, i) => {
    parts.push(Buffer.from(line, 'latin1'));
    if (i < lines.length - 1) parts.push(EOLS[below(random, EOLS.length)]!);
  });
  return Buffer.concat(parts);
}

/** A UTF-8 BOM at the start of 1–3 lines after the first, or mid-line when there is one line. */
function midBom(bytes: Buffer, random: Random): Buffer {
  const starts = lineStarts(bytes).slice(1);
  let out = bytes;
  const count = between(random, 1, 3);
  // From the end backwards, so that earlier offsets stay valid.
  const chosen = Array.from({ length: count }, () =>
    starts.length > 0 ? starts[below(random, starts.length)]! : below(random, bytes.length + 1),
  ).sort((a, b) => b - a);
  for (const at of chosen) out = splice(out, at, 0, Buffer.from([0xef, 0xbb, 0xbf]));
  return out;
}

function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = below(random, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  // A shuffle that changed nothing moves the first entry last, so the archive always changes.
  if (out.every((item, i) => item === items[i]) && out.length > 1) out.push(out.shift()!);
  return out;
}

/** The archive re-zipped after `change`; a file that is no readable zip is returned unchanged. */
function onEntries(bytes: Buffer, change: (entries: ZipEntry[]) => ZipEntry[]): Buffer {
  let entries: ZipEntry[];
  try {
    entries = readZipEntries(bytes);
  } catch {
    return bytes;
  }
  return entries.length === 0 ? bytes : writeZipEntries(change(entries));
}

const isXmlPart = (entry: ZipEntry) => /\.(xml|rels)$/.test(entry.name);

/**
 * One XML part damaged inside (cut, bits flipped, control characters, invalid UTF-8), then
 * deflated again with its true CRC: the archive is sound, the workbook in it is not.
 */
function damagePart(entries: ZipEntry[], random: Random): ZipEntry[] {
  const parts = entries.map((e, i) => [e, i] as const).filter(([e]) => isXmlPart(e));
  if (parts.length === 0) return entries;
  const [entry, index] = parts[below(random, parts.length)]!;
  const content = entryContent(entry);
  const damages = [
    () => content.subarray(0, below(random, content.length)),
    () => flipBits(content, random),
    () => sprinkle(content, random, CONTROL_CHARS, between(random, 1, 8)),
    () => sprinkle(content, random, INVALID_UTF8, between(random, 1, 5)),
  ];
  const damaged = damages[below(random, damages.length)]!();
  return entries.map((e, i) => (i === index ? withContent(e, damaged) : e));
}

/**
 * The first shared string made `size` bytes long, of random letters: a string of honest size
 * that deflates about 1.6 to 1, not a bomb (a run of one letter would be refused by the ratio
 * limit before anything reads it).
 */
function hugeSharedString(entries: ZipEntry[], size: number, random: Random): ZipEntry[] {
  return entries.map((entry) => {
    if (entry.name !== 'xl/sharedStrings.xml') return entry;
    const xml = entryContent(entry).toString('utf8');
    const match = /<t([^>]*)>[^<]*<\/t>/.exec(xml);
    if (match === null) return entry;
    const letters = Buffer.alloc(size);
    for (let i = 0; i < size; i++) letters[i] = 0x61 + below(random, 26);
    const content = Buffer.concat([
      Buffer.from(`${xml.slice(0, match.index)}<t${match[1]}>`, 'utf8'),
      letters,
      Buffer.from(`</t>${xml.slice(match.index + match[0].length)}`, 'utf8'),
    ]);
    return withContent(entry, content);
  });
}
