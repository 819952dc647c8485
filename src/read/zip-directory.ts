/**
 * A ZIP archive's central directory, read and checked before any entry is inflated: the end
 * record (ZIP64 too), every entry's name, sizes, CRC-32 and place, and what the directory
 * declares against the limits (archive-limits.ts). A directory that does not hold together is
 * a damaged file; one that declares too much is refused before a byte is inflated.
 */
import type { FileHandle } from 'node:fs/promises';
import {
  type ArchiveLimits,
  damagedFile,
  RATIO_SLACK_BYTES,
  ratioExceeded,
  sizeText,
  tooLarge,
  tooManyEntries,
} from './archive-limits.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const ZIP64_EXTRA = 0x0001;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const END_RECORD_SEARCH = 22 + 0xffff;

export const STORED = 0;
export const DEFLATED = 8;

export interface ZipEntry {
  /** The part name as stored, without a leading slash. */
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  /** What the directory says the entry inflates to; checked while inflating. */
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

export interface ZipDirectory {
  /** Entries in directory order, folders included. */
  readonly entries: readonly ZipEntry[];
  /** Where the central directory starts: every entry's data ends before it. */
  readonly directoryOffset: number;
}

export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The offset of the end record within `tail`, searching backwards past any comment; -1 if none. */
function findEndRecord(tail: Buffer): number {
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}

/** A 64-bit little-endian size as a number (exact to 2^53, far past any file). */
const uint64 = (buffer: Buffer, at: number): number => Number(buffer.readBigUInt64LE(at));

/**
 * Reads and checks the directory of the archive open in `handle`.
 * @throws damaged_file, archive_too_many_entries, archive_too_large, archive_ratio_exceeded
 */
export async function readZipDirectory(
  handle: FileHandle,
  size: number,
  file: string,
  limits: ArchiveLimits,
): Promise<ZipDirectory> {
  const tailLength = Math.min(size, END_RECORD_SEARCH);
  const tailStart = size - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  const end = findEndRecord(tail);
  if (end < 0) {
    throw damagedFile(
      file,
      'at its end',
      'the ZIP archive has no directory there, so the file was probably cut short',
    );
  }
  let count = tail.readUInt16LE(end + 10);
  let directorySize = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  // 0xFFFF and 0xFFFFFFFF mark values kept in the ZIP64 end record, found through its locator.
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = end >= 20 ? end - 20 : -1;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_END_LOCATOR) {
      throw damagedFile(file, `near byte ${tailStart + end}`, 'the ZIP64 directory locator is missing');
    }
    const record = await readAt(handle, uint64(tail, locator + 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END_OF_CENTRAL_DIRECTORY) {
      throw damagedFile(
        file,
        `near byte ${uint64(tail, locator + 8)}`,
        'the ZIP64 directory record is not where its locator says',
      );
    }
    count = uint64(record, 32);
    directorySize = uint64(record, 40);
    directoryOffset = uint64(record, 48);
  }
  if (tail.readUInt16LE(end + 4) !== 0) {
    throw damagedFile(file, 'its ZIP directory', 'it says the archive spans several disks');
  }
  if (count > limits.entries) throw tooManyEntries(file, count, limits.entries);
  if (directoryOffset + directorySize > size) {
    throw damagedFile(
      file,
      `its ZIP directory (byte ${directoryOffset}, ${directorySize} bytes)`,
      `it runs past the end of the file (${size} bytes): the file was probably cut short`,
    );
  }
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let declaredTotal = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) {
      throw damagedFile(
        file,
        `its ZIP directory at byte ${directoryOffset + at}`,
        `entry ${i + 1} of ${count} is not a directory record`,
      );
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength).replace(/^\//, '');
    let compressedSize = directory.readUInt32LE(at + 20);
    let uncompressedSize = directory.readUInt32LE(at + 24);
    let localHeaderOffset = directory.readUInt32LE(at + 42);
    // A ZIP64 extra field holds, in this order, exactly the values marked 0xFFFFFFFF.
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
      if (extra.readUInt16LE(e) !== ZIP64_EXTRA) continue;
      let field = e + 4;
      const next = (): number => {
        const value = field + 8 <= extra.length ? uint64(extra, field) : Number.NaN;
        field += 8;
        return value;
      };
      if (uncompressedSize === 0xffffffff) uncompressedSize = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
    }
    if (![compressedSize, uncompressedSize, localHeaderOffset].every(Number.isFinite)) {
      throw damagedFile(file, `the entry ${name} in its ZIP directory`, 'its ZIP64 sizes are missing');
    }
    if (localHeaderOffset + 30 + compressedSize > directoryOffset) {
      throw damagedFile(
        file,
        `the entry ${name} (byte ${localHeaderOffset})`,
        `its ${compressedSize} compressed bytes run past the archive's data, which ends at byte ${directoryOffset}`,
      );
    }
    if (uncompressedSize > limits.entryBytes) {
      throw tooLarge(
        file,
        `the part ${name} declares`,
        sizeText(uncompressedSize),
        'entryBytes',
        sizeText(limits.entryBytes),
      );
    }
    if (uncompressedSize > limits.ratio * compressedSize + RATIO_SLACK_BYTES) {
      throw ratioExceeded(file, name, uncompressedSize, compressedSize, limits.ratio, 'declares');
    }
    declaredTotal += uncompressedSize;
    entries.push({
      name,
      method: directory.readUInt16LE(at + 10),
      flags: directory.readUInt16LE(at + 8),
      compressedSize,
      uncompressedSize,
      crc32: directory.readUInt32LE(at + 16),
      localHeaderOffset,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (declaredTotal > limits.archiveBytes) {
    throw tooLarge(
      file,
      'its parts declare',
      sizeText(declaredTotal),
      'archiveBytes',
      sizeText(limits.archiveBytes),
    );
  }
  return { entries, directoryOffset };
}
