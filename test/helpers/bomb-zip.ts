/**
 * Decompression bombs built in memory, small on disk: an .xlsx one of whose parts inflates to
 * gigabytes, and an archive of 100,000 entries. A gigabyte is never written nor deflated: one
 * megabyte of the repeated text is deflated once, with a full flush (so its blocks refer to
 * nothing before them and end on a byte), and that piece is repeated.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { writeZipEntries, type ZipEntry } from './zip-entries.ts';

const MiB = 1024 * 1024;
const RELS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Raw deflate data for `head`, then `body` repeated `times`, then `tail`, valid to the end. */
export function repeatedDeflate(head: string, body: Buffer, times: number, tail: string): Buffer {
  const flushed = (bytes: Buffer) => deflateRawSync(bytes, { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
  const bodyBlocks = flushed(body);
  return Buffer.concat([
    flushed(Buffer.from(head)),
    ...Array.from({ length: times }, () => bodyBlocks),
    deflateRawSync(Buffer.from(tail)),
  ]);
}

/** One MiB of shared-string items (`<si><t>a</t></si>`), the piece a shared-string bomb repeats. */
export function repeatedItems(): Buffer {
  return Buffer.from('<si><t>a</t></si>'.repeat(Math.floor(MiB / 17)).padEnd(MiB, ' '));
}

/** A deflated entry whose data is already deflated; `size` and `crc` are what it declares. */
export function deflatedEntry(name: string, data: Buffer, size: number, crc = 0): ZipEntry {
  return { name, method: 8, crc, uncompressedSize: size, data };
}

/** An entry holding `text`, deflated, with its true size and CRC-32. */
export function textEntry(name: string, text: string | Buffer): ZipEntry {
  const bytes = Buffer.from(text);
  return deflatedEntry(name, deflateRawSync(bytes), bytes.length, crc32(bytes));
}

const SHARED = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
const SHEET =
  '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
  '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>';
const WORKBOOK = `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${RELS_NS}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`;

/**
 * A workbook of one sheet; `parts` replaces or adds entries by name (a bomb in one part), in
 * the order a spreadsheet program writes them.
 */
export function workbookZip(parts: Record<string, ZipEntry> = {}): Buffer {
  const entries: Record<string, ZipEntry> = {
    '[Content_Types].xml': textEntry('[Content_Types].xml', '<?xml version="1.0"?><Types/>'),
    '_rels/.rels': textEntry(
      '_rels/.rels',
      `<Relationships xmlns="${PACKAGE_RELS_NS}"><Relationship Id="rId1" Type="${RELS_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': textEntry('xl/workbook.xml', WORKBOOK),
    'xl/_rels/workbook.xml.rels': textEntry(
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="${PACKAGE_RELS_NS}"><Relationship Id="rId1" Type="${RELS_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELS_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    'xl/sharedStrings.xml': textEntry('xl/sharedStrings.xml', `${SHARED}<si><t>x</t></si></sst>`),
    'xl/worksheets/sheet1.xml': textEntry('xl/worksheets/sheet1.xml', SHEET),
  };
  return writeZipEntries(Object.values({ ...entries, ...parts }));
}

/** A shared-string table of `mebibytes` MiB, deflated once per MiB; declares `declared` bytes (the truth by default). */
export function sharedStringsBomb(
  mebibytes: number,
  declared = mebibytes * MiB + SHARED.length + 6,
): ZipEntry {
  const data = repeatedDeflate(SHARED, repeatedItems(), mebibytes, '</sst>');
  return deflatedEntry('xl/sharedStrings.xml', data, declared);
}

/** A workbook part of `mebibytes` MiB of one repeated byte, as a bomb in a part read whole. */
export function repeatedPartBomb(name: string, mebibytes: number, declared = mebibytes * MiB): ZipEntry {
  return deflatedEntry(name, repeatedDeflate('', Buffer.alloc(MiB, 0x61), mebibytes, ''), declared);
}

/** An archive of `count` empty stored entries, with a ZIP64 end record (the plain one counts to 65,535). */
export function manyEntriesZip(count: number): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`f/${i}.xml`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name);
    directory.push(central, name);
    offset += 30 + name.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(count), 24);
  zip64End.writeBigUInt64LE(BigInt(count), 32);
  zip64End.writeBigUInt64LE(BigInt(directoryBytes.length), 40);
  zip64End.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directoryBytes.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...locals, directoryBytes, zip64End, locator, end]);
}
