/**
 * Opens a file as a stream of decoded text: gunzips `.gz` files, recognises binary files and
 * refuses them with a message naming what they are, detects the encoding (UTF-8 with or
 * without BOM, UTF-16, or a single-byte Windows code page) and decodes chunk by chunk.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { SourceFormatError } from '../errors.ts';
import { sniffBytes } from './byte-sniffer.ts';
import {
  countLineFeedBytes,
  describePlace,
  firstInvalidUtf8,
  type TextPlace,
  TextPositions,
} from './text-position.ts';

const SNIFF_BYTES = 64 * 1024;

export interface TextStream {
  readonly encoding: string;
  readonly compressed: boolean;
  /** Decoded text in chunks, BOM removed. */
  readonly chunks: AsyncIterable<string>;
  /** The first decoded chunk(s), at least the first 64 KiB when the file has that much, for sniffing. */
  readonly head: string;
  /**
   * Bytes of the file read so far: compressed bytes for a gzip file, so that it compares with
   * the file's size. For progress and time left; it runs ahead of the records by a chunk or two.
   */
  readonly bytesRead: () => number;
}

const READ_BYTES = 256 * 1024;

/** Where a reader of the file's bytes has got to: set by `bytesOf`, read for progress. */
interface FilePosition {
  bytesRead: () => number;
}

/**
 * The file's bytes in chunks. An uncompressed file is read into one reused buffer: a stream
 * allocates a new buffer per chunk, and a 200 MB file's worth piled up outside the JS heap
 * (the collector does not feel it) before being freed. So each chunk is valid only until the
 * next is requested; callers that keep one copy it.
 */
async function* bytesOf(path: string, gunzip: boolean, at: FilePosition): AsyncGenerator<Buffer> {
  if (gunzip) {
    const raw = createReadStream(path, { highWaterMark: READ_BYTES });
    // The file stream counts what it has read: no work per chunk to know the position.
    at.bytesRead = () => raw.bytesRead;
    const stream = raw.pipe(createGunzip());
    raw.on('error', (e) => stream.destroy(e));
    yield* stream as AsyncIterable<Buffer>;
    return;
  }
  // The file is opened for each read and closed at once: a reader that stops early (an empty
  // file, a refused header) may never finish this generator, and must not leave a handle open.
  // The calls are synchronous: a read of 256 KiB from the page cache takes well under a
  // millisecond, while the promise API's open, read and close cost the reader thread about
  // 3 s of a 1,000,000-row Comtrade load (issue 22).
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let position = 0;
  at.bytesRead = () => position;
  for (;;) {
    const fd = openSync(path, 'r');
    let bytesRead: number;
    try {
      bytesRead = readSync(fd, buffer, 0, READ_BYTES, position);
    } finally {
      closeSync(fd);
    }
    if (bytesRead === 0) return;
    position += bytesRead;
    // One turn of the event loop per read: a synchronous read never gives one, and a stop
    // signal (SIGINT, SIGTERM) is handled only there, so a load read in the main thread would
    // not stop until the whole file was in.
    await new Promise<void>((resolve) => setImmediate(resolve));
    yield buffer.subarray(0, bytesRead);
  }
}

/** Reads up to `limit` bytes from the front of an iterator, returning them and the rest. */
async function takeHead(source: AsyncGenerator<Buffer>, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < limit) {
    const next = await source.next();
    if (next.done) break;
    parts.push(Buffer.from(next.value)); // a copy: the reader reuses its buffer
    size += next.value.length;
  }
  return Buffer.concat(parts);
}

export async function openTextStream(path: string, forcedEncoding?: string): Promise<TextStream> {
  const name = basename(path);
  const at: FilePosition = { bytesRead: () => 0 };
  let source = bytesOf(path, false, at);
  let head = await takeHead(source, SNIFF_BYTES);
  let sniffed = sniffBytes(head.subarray(0, SNIFF_BYTES), forcedEncoding);
  let compressed = false;
  if (sniffed.kind === 'gzip') {
    await source.return(undefined);
    source = bytesOf(path, true, at);
    compressed = true;
    try {
      head = await takeHead(source, SNIFF_BYTES);
    } catch (cause) {
      throw new SourceFormatError(
        name,
        'bad_gzip',
        `${name} looks gzip-compressed but cannot be decompressed (${(cause as Error).message}). Download it again.`,
        { cause },
      );
    }
    sniffed = sniffBytes(head.subarray(0, SNIFF_BYTES), forcedEncoding);
  }
  if (sniffed.kind === 'binary') {
    await source.return(undefined);
    throw new SourceFormatError(
      name,
      'binary_file',
      `${name} is ${sniffed.what}, not CSV or JSON text; ${sniffed.hint}.`,
    );
  }
  if (sniffed.kind === 'gzip') {
    await source.return(undefined);
    throw new SourceFormatError(name, 'binary_file', `${name} is compressed twice; decompress it first.`);
  }
  const encoding = sniffed.encoding;
  const fatal = encoding === 'utf-8';
  const decoder = new TextDecoder(encoding, { fatal });
  const positions = new TextPositions(encoding, sniffed.bomLength);
  let offset = 0;
  /** The last bytes of the previous chunk: a character cut between chunks starts there. */
  let carried = Buffer.alloc(0);
  const decode = (bytes: Buffer, last: boolean): string => {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !last });
    } catch (cause) {
      throw badEncoding(name, invalidUtf8Place(carried, bytes, offset, positions), cause);
    }
    offset += bytes.length;
    carried = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 3)));
    // A NUL is never text: in CSV or JSON it is binary data written over the file (a disk or
    // transfer fault), or a file padded with zeros. The sniffer sees only the first 64 KiB.
    const nul = text.indexOf('\0');
    if (nul !== -1) {
      throw new SourceFormatError(
        name,
        'damaged_file',
        `${name} looks damaged: it holds a NUL byte at ${describePlace(positions.placeOf(text, nul))}, which no CSV or JSON text has (binary data written over the file, or zero padding). Nothing of it was loaded; download or export it again.`,
      );
    }
    positions.advance(text);
    return text;
  };
  const headText = decode(head, false);
  async function* chunks(): AsyncGenerator<string> {
    try {
      if (headText !== '') yield headText;
      for await (const bytes of source) {
        const text = decode(bytes, false);
        if (text !== '') yield text;
      }
      const tail = decode(Buffer.alloc(0), true);
      if (tail !== '') yield tail;
    } catch (cause) {
      if (cause instanceof SourceFormatError) throw cause;
      if (compressed) throw gzipDamage(name, cause, at.bytesRead());
      throw new SourceFormatError(
        name,
        'read_failed',
        `${name} could not be read to the end: ${(cause as Error).message}.`,
        { cause },
      );
    }
  }
  return { encoding, compressed, chunks: chunks(), head: headText, bytesRead: () => at.bytesRead() };
}

/**
 * Where the first invalid UTF-8 sequence of `bytes` lies. The decoder refused the chunk without
 * saying where; the bytes carried from the previous chunk are looked at too, since a sequence
 * cut between chunks starts there.
 */
function invalidUtf8Place(carried: Buffer, bytes: Buffer, offset: number, at: TextPositions): TextPlace {
  const joined = Buffer.concat([carried, bytes]);
  // Continuation bytes at the very start finish a character decoded with an earlier chunk.
  let from = 0;
  while (from < carried.length && (joined[from]! & 0xc0) === 0x80) from++;
  const found = firstInvalidUtf8(joined, from);
  // -1: the file ends inside a character (the decoder's final flush refused it).
  const index = found === -1 ? joined.length : found;
  const inChunk = Math.max(0, index - carried.length);
  const line = at.end.line + countLineFeedBytes(bytes, inChunk);
  return { byte: offset + index - carried.length, line };
}

function badEncoding(name: string, place: TextPlace, cause: unknown): SourceFormatError {
  return new SourceFormatError(
    name,
    'bad_encoding',
    `${name} is not valid UTF-8 at ${describePlace(place)}: a byte there is not part of any UTF-8 character (a file in another encoding, or a damaged one). If it is in Latin-1 or Windows-1252, name that with --encoding latin1; otherwise save it as "CSV UTF-8" in Excel, or download it again.`,
    { cause },
  );
}

/**
 * A gzip stream that stops before its end marker was cut off; one whose blocks or checksum do
 * not decode was damaged (zlib: Z_BUF_ERROR, Z_DATA_ERROR). Anything else is a read failure.
 */
function gzipDamage(name: string, cause: unknown, compressedBytes: number): SourceFormatError {
  const code = (cause as { code?: unknown }).code;
  const where = `after ${compressedBytes.toLocaleString('en-US')} compressed bytes`;
  if (code === 'Z_BUF_ERROR') {
    return new SourceFormatError(
      name,
      'truncated_file',
      `${name} looks cut off: its gzip stream ends ${where} without its end marker, so the text is incomplete. Nothing of it was loaded. Download it again.`,
      { cause },
    );
  }
  if (code === 'Z_DATA_ERROR') {
    return new SourceFormatError(
      name,
      'damaged_file',
      `${name} looks damaged: its gzip stream does not decompress ${where} (${(cause as Error).message}). Nothing of it was loaded. Download it again.`,
      { cause },
    );
  }
  return new SourceFormatError(
    name,
    'read_failed',
    `${name} could not be read to the end: ${(cause as Error).message}.`,
    { cause },
  );
}
