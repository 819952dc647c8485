/**
 * The one way Corridor unpacks a ZIP archive (an XLSX workbook): the central directory, read
 * and checked first (zip-directory.ts), then one entry at a time as a stream of inflated bytes,
 * straight from the file. An XLSX sheet of a million rows inflates to hundreds of megabytes,
 * so entries are never held whole unless they are small (the workbook's own XML parts).
 *
 * Every entry is inflated under the limits of archive-limits.ts, checked as the bytes come
 * (so a decompression bomb stops within a chunk of passing a limit, in bounded memory): its
 * size against the limit and against what the directory declares, the inflated bytes against
 * the compressed bytes read (the ratio), the archive's total, and its CRC-32 at the end.
 * `verify` does all that for every entry, for readers that unzip on their own (exceljs).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { SourceFormatError } from '../errors.ts';
import {
  type ArchiveLimits,
  archiveLimits,
  damagedFile,
  RATIO_SLACK_BYTES,
  ratioExceeded,
  SMALL_PART_BYTES,
  sizeText,
  tooLarge,
} from './archive-limits.ts';
import { DEFLATED, readAt, readZipDirectory, STORED, type ZipEntry } from './zip-directory.ts';

export type { ZipEntry } from './zip-directory.ts';

const LOCAL_FILE_HEADER = 0x04034b50;
/** Flag bit 3: sizes and CRC follow the data, in a data descriptor of at most 24 bytes. */
const DATA_DESCRIPTOR = 8;

/** An entry being read: its inflated bytes, and how much of the archive that has taken. */
export interface EntryReader {
  readonly bytes: Readable;
  /** Compressed bytes of the entry read from the file so far (for progress against the file's size). */
  readonly compressedRead: () => number;
}

/** A tighter limit for one part than the archive's per-entry limit (the shared strings, held whole). */
export interface PartLimit {
  readonly bytes: number;
  readonly limit: keyof ArchiveLimits;
}

export interface ZipArchive {
  readonly path: string;
  /** The archive file's size in bytes. */
  readonly size: number;
  /** Every entry's name, in directory order. */
  readonly names: readonly string[];
  /** The entry of that name, matched without regard to case (OPC part names are case-insensitive). */
  entry(name: string): ZipEntry | undefined;
  /** The entry's bytes, inflated and checked, in chunks. */
  openEntry(entry: ZipEntry, part?: PartLimit): Promise<Readable>;
  /** The entry's bytes as `openEntry` gives them, with how far into its compressed data the reader is. */
  readEntry(entry: ZipEntry, part?: PartLimit): Promise<EntryReader>;
  /** A small entry whole, as UTF-8 text. */
  readText(entry: ZipEntry): Promise<string>;
  /**
   * Inflates every entry and checks it, and that the entries follow one another from the
   * file's start to its directory, as a reader that walks the local headers (exceljs) sees them.
   */
  verify(): Promise<void>;
}

/** Where an entry's data starts, read from its local header, which must name the same part. */
async function dataOffset(path: string, file: string, entry: ZipEntry): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const header = await readAt(handle, entry.localHeaderOffset, 30);
    const where = `the part ${entry.name} (byte ${entry.localHeaderOffset})`;
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_FILE_HEADER) {
      throw damagedFile(file, where, 'its local header is not where the ZIP directory says');
    }
    const nameLength = header.readUInt16LE(26);
    const name = (await readAt(handle, entry.localHeaderOffset + 30, nameLength)).toString('utf8');
    if (name.replace(/^\//, '') !== entry.name) {
      throw damagedFile(file, where, `its local header names "${name}" instead`);
    }
    return entry.localHeaderOffset + 30 + nameLength + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

/** Counts what an entry inflates to and stops it at the first limit passed; checks its CRC-32 at the end. */
class EntryGuard extends Transform {
  private inflated = 0;
  private crc = 0;

  constructor(
    private readonly file: string,
    private readonly entry: ZipEntry,
    private readonly limits: ArchiveLimits,
    private readonly part: PartLimit,
    private readonly compressedRead: () => number,
    private readonly archive: { inflated: number },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.inflated += chunk.length;
    this.archive.inflated += chunk.length;
    const problem = this.problem();
    if (problem !== null) {
      done(problem);
      return;
    }
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.endProblem());
  }

  /** What is wrong with a whole entry, once read: its size or its checksum; null when nothing. */
  private endProblem(): SourceFormatError | null {
    const { entry } = this;
    if (this.inflated !== entry.uncompressedSize) {
      return this.damaged(
        `it holds ${this.inflated} bytes where the ZIP directory declares ${entry.uncompressedSize}: the file was probably cut short`,
      );
    }
    if (this.crc >>> 0 !== entry.crc32 >>> 0) {
      return this.damaged('its CRC-32 checksum does not match: its bytes were altered');
    }
    return null;
  }

  damaged(detail: string, cause?: unknown): SourceFormatError {
    const { name, localHeaderOffset, compressedSize } = this.entry;
    const where = `the part ${name} (stored at byte ${localHeaderOffset}, ${compressedSize} bytes compressed)`;
    return damagedFile(this.file, where, detail, cause);
  }

  private problem(): SourceFormatError | null {
    const { file, entry, limits, part, inflated } = this;
    const name = `the part ${entry.name}`;
    if (inflated > part.bytes)
      return tooLarge(file, `${name} inflates past`, sizeText(part.bytes), part.limit, sizeText(part.bytes));
    // A part bigger than its directory says is altered, or a bomb that lies about its size.
    if (inflated > entry.uncompressedSize) {
      return this.damaged(`it inflates past the ${entry.uncompressedSize} bytes the ZIP directory declares`);
    }
    if (this.archive.inflated > limits.archiveBytes) {
      return tooLarge(
        file,
        'its parts inflate past',
        sizeText(limits.archiveBytes),
        'archiveBytes',
        sizeText(limits.archiveBytes),
      );
    }
    const compressed = this.compressedRead();
    if (inflated > limits.ratio * compressed + RATIO_SLACK_BYTES) {
      return ratioExceeded(file, entry.name, inflated, compressed, limits.ratio);
    }
    return null;
  }
}

/**
 * The archive's directory, checked against `limits` (from the environment unless given).
 * @throws damaged_file, archive_too_large, archive_ratio_exceeded, archive_too_many_entries, or
 *   bad_xlsx for an encrypted entry or a compression method other than deflate.
 */
export async function openZipArchive(
  path: string,
  limits: ArchiveLimits = archiveLimits(),
): Promise<ZipArchive> {
  const file = basename(path);
  const handle = await open(path, 'r');
  let size: number;
  let directory: Awaited<ReturnType<typeof readZipDirectory>>;
  try {
    ({ size } = await handle.stat());
    directory = await readZipDirectory(handle, size, file, limits);
  } finally {
    await handle.close();
  }
  const entries = new Map<string, ZipEntry>();
  for (const entry of directory.entries) {
    const encrypted = (entry.flags & 1) !== 0;
    if (!entry.name.endsWith('/') && (encrypted || (entry.method !== STORED && entry.method !== DEFLATED))) {
      throw new SourceFormatError(
        file,
        'bad_xlsx',
        `${file}: the part ${entry.name} is ${encrypted ? 'encrypted' : `compressed with method ${entry.method}`}, which an Excel workbook never is. Open the file in Excel and save it again as .xlsx.`,
      );
    }
    entries.set(entry.name.toLowerCase(), entry);
  }
  const archive = { inflated: 0 };
  const entryLimit: PartLimit = { bytes: limits.entryBytes, limit: 'entryBytes' };

  async function readEntry(entry: ZipEntry, part: PartLimit = entryLimit): Promise<EntryReader> {
    const start = await dataOffset(path, file, entry);
    // createReadStream's `end` is inclusive, and must not come before `start`.
    const raw =
      entry.compressedSize === 0
        ? Readable.from([])
        : createReadStream(path, {
            start,
            end: start + entry.compressedSize - 1,
            highWaterMark: 256 * 1024,
          });
    // The file stream counts its bytes itself: knowing the position costs nothing per chunk.
    const compressedRead = () => (raw as { bytesRead?: number }).bytesRead ?? 0;
    const guard = new EntryGuard(
      file,
      entry,
      limits,
      part.bytes < entryLimit.bytes ? part : entryLimit,
      compressedRead,
      archive,
    );
    raw.on('error', (error: Error) => guard.destroy(error));
    // Whatever ends the guard (the end, an error, a reader that stops early) closes the file.
    guard.on('close', () => raw.destroy());
    if (entry.method === STORED || entry.compressedSize === 0) {
      raw.pipe(guard);
    } else {
      const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
      inflate.on('error', (error) =>
        guard.destroy(guard.damaged(`its compressed data does not inflate (${error.message})`, error)),
      );
      guard.on('close', () => inflate.destroy());
      raw.pipe(inflate).pipe(guard);
    }
    return { bytes: guard, compressedRead };
  }

  async function openEntry(entry: ZipEntry, part?: PartLimit): Promise<Readable> {
    return (await readEntry(entry, part)).bytes;
  }

  async function readText(entry: ZipEntry): Promise<string> {
    const parts: Buffer[] = [];
    const small: PartLimit = { bytes: Math.min(SMALL_PART_BYTES, limits.entryBytes), limit: 'entryBytes' };
    for await (const chunk of await openEntry(entry, small)) parts.push(chunk as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  async function verify(): Promise<void> {
    const ordered = [...directory.entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    let expected = 0;
    // Only a data descriptor (12 to 24 bytes, after an entry flagged for one) may follow an entry's data.
    let descriptor = false;
    const follows = (at: number) => at === expected || (descriptor && at > expected && at - expected <= 24);
    for (const entry of ordered) {
      if (!follows(entry.localHeaderOffset)) {
        throw damagedFile(
          file,
          `byte ${expected}`,
          `the entries do not follow one another (${entry.name} starts at byte ${entry.localHeaderOffset})`,
        );
      }
      const start = await dataOffset(path, file, entry);
      for await (const _chunk of await openEntry(entry));
      expected = start + entry.compressedSize;
      descriptor = (entry.flags & DATA_DESCRIPTOR) !== 0;
    }
    if (!follows(directory.directoryOffset)) {
      throw damagedFile(
        file,
        `byte ${expected}`,
        `bytes that belong to no entry lie between the last entry and the ZIP directory (byte ${directory.directoryOffset})`,
      );
    }
  }

  return {
    path,
    size,
    names: directory.entries.map((e) => e.name),
    entry: (name) => entries.get(name.replace(/^\//, '').toLowerCase()),
    openEntry,
    readEntry,
    readText,
    verify,
  };
}
