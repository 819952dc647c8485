/**
 * Just enough of the ZIP format to read an XLSX workbook's parts: the central directory, and
 * one entry at a time as a stream of inflated bytes, straight from the file. An XLSX sheet of a
 * million rows inflates to hundreds of megabytes, so entries are never held whole unless they
 * are small (the workbook's own XML parts).
 *
 * What it does not read it says so by returning null from `openZipArchive` (ZIP64, split or
 * encrypted archives): the caller then uses exceljs's reader, which handles them.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const END_RECORD_SEARCH = 22 + 0xffff;

const STORED = 0;
const DEFLATED = 8;

export interface ZipEntry {
  /** The part name as stored, without a leading slash. */
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

/** An entry being read: its inflated bytes, and how much of the archive that has taken. */
export interface EntryReader {
  readonly bytes: Readable;
  /** Compressed bytes of the entry read from the file so far (for progress against the file's size). */
  readonly compressedRead: () => number;
}

export interface ZipArchive {
  readonly path: string;
  /** The archive file's size in bytes. */
  readonly size: number;
  /** The entry of that name, matched without regard to case (OPC part names are case-insensitive). */
  entry(name: string): ZipEntry | undefined;
  /** The entry's bytes, inflated, in chunks. */
  openEntry(entry: ZipEntry): Promise<Readable>;
  /** The entry's bytes as `openEntry` gives them, with how far into its compressed data the reader is. */
  readEntry(entry: ZipEntry): Promise<EntryReader>;
  /** A small entry whole, as UTF-8 text. */
  readText(entry: ZipEntry): Promise<string>;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
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

/**
 * The archive's directory, or null when this reader does not handle the archive (ZIP64, more
 * than one disk, encrypted entries or compression other than deflate): such workbooks are rare
 * and exceljs reads them.
 */
export async function openZipArchive(path: string): Promise<ZipArchive | null> {
  const handle = await open(path, 'r');
  let entries: Map<string, ZipEntry>;
  let size: number;
  try {
    ({ size } = await handle.stat());
    const tailLength = Math.min(size, END_RECORD_SEARCH);
    const tail = await readAt(handle, size - tailLength, tailLength);
    const end = findEndRecord(tail);
    if (end < 0) return null;
    const disk = tail.readUInt16LE(end + 4);
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    // 0xFFFF and 0xFFFFFFFF mark ZIP64 values kept elsewhere.
    if (disk !== 0 || count === 0xffff || directoryOffset === 0xffffffff) return null;
    const directory = await readAt(handle, directoryOffset, directorySize);
    entries = new Map();
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) return null;
      const flags = directory.readUInt16LE(at + 8);
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localHeaderOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength).replace(/^\//, '');
      const encrypted = (flags & 1) !== 0;
      const zip64 = compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff;
      if (!encrypted && !zip64 && (method === STORED || method === DEFLATED)) {
        entries.set(name.toLowerCase(), { name, method, compressedSize, localHeaderOffset });
      } else if (!name.endsWith('/')) {
        return null;
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
  } finally {
    await handle.close();
  }

  /** Where the entry's data starts: after its local header, whose extra field may differ from the directory's. */
  async function dataOffset(entry: ZipEntry): Promise<number> {
    const file = await open(path, 'r');
    try {
      const header = await readAt(file, entry.localHeaderOffset, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_FILE_HEADER) {
        throw new Error(`the ZIP entry ${entry.name} has no local header where the directory says`);
      }
      return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    } finally {
      await file.close();
    }
  }

  async function readEntry(entry: ZipEntry): Promise<EntryReader> {
    const start = await dataOffset(entry);
    // createReadStream's `end` is inclusive; an empty entry reads nothing.
    const raw = createReadStream(path, {
      start,
      end: start + entry.compressedSize - 1,
      highWaterMark: 256 * 1024,
    });
    // The file stream counts its bytes itself: knowing the position costs nothing per chunk.
    const compressedRead = () => raw.bytesRead;
    if (entry.method === STORED || entry.compressedSize === 0) return { bytes: raw, compressedRead };
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    raw.on('error', (error) => inflate.destroy(error));
    return { bytes: raw.pipe(inflate), compressedRead };
  }

  async function openEntry(entry: ZipEntry): Promise<Readable> {
    return (await readEntry(entry)).bytes;
  }

  async function readText(entry: ZipEntry): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of await openEntry(entry)) parts.push(chunk as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  return {
    path,
    size,
    entry: (name) => entries.get(name.replace(/^\//, '').toLowerCase()),
    openEntry,
    readEntry,
    readText,
  };
}
