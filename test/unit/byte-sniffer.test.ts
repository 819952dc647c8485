import { describe, expect, it } from 'vitest';
import { sniffBytes } from '../../src/read/byte-sniffer.ts';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

const CSV = 'reporterCode,partnerCode,cmdCode,primaryValue\n586,398,520100,1500000\n';

const utf16be = (text: string): Uint8Array => {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return new Uint8Array(be);
};

describe('sniffBytes, text encodings', () => {
  it('reads plain ASCII as UTF-8 without a BOM', () => {
    expect(sniffBytes(bytes(CSV))).toEqual({ kind: 'text', encoding: 'utf-8', bomLength: 0 });
  });

  it('reads UTF-8 with Cyrillic and accents as UTF-8', () => {
    expect(sniffBytes(bytes('name\nПакистан\nCôte d’Ivoire\n'))).toEqual({
      kind: 'text',
      encoding: 'utf-8',
      bomLength: 0,
    });
  });

  it('reads UTF-8 whose sample ends in the middle of a character as UTF-8', () => {
    const full = Buffer.from('name\nПакистан', 'utf8');
    expect(sniffBytes(new Uint8Array(full.subarray(0, full.length - 1)))).toMatchObject({
      kind: 'text',
      encoding: 'utf-8',
    });
  });

  it('reads an empty file as UTF-8 text', () => {
    expect(sniffBytes(new Uint8Array(0))).toEqual({ kind: 'text', encoding: 'utf-8', bomLength: 0 });
  });

  it('notes the UTF-8 byte-order mark Excel writes', () => {
    expect(sniffBytes(bytes([0xef, 0xbb, 0xbf], CSV))).toEqual({
      kind: 'text',
      encoding: 'utf-8',
      bomLength: 3,
    });
  });

  it('reads UTF-16 little-endian and big-endian from their byte-order marks', () => {
    expect(sniffBytes(bytes([0xff, 0xfe], [...Buffer.from(CSV, 'utf16le')]))).toEqual({
      kind: 'text',
      encoding: 'utf-16le',
      bomLength: 2,
    });
    expect(sniffBytes(bytes([0xfe, 0xff], [...utf16be(CSV)]))).toEqual({
      kind: 'text',
      encoding: 'utf-16be',
      bomLength: 2,
    });
  });

  it('recognises UTF-16 without a BOM from the NUL in every other byte', () => {
    expect(sniffBytes(new Uint8Array(Buffer.from(CSV, 'utf16le')))).toEqual({
      kind: 'text',
      encoding: 'utf-16le',
      bomLength: 0,
    });
    expect(sniffBytes(utf16be(CSV))).toEqual({ kind: 'text', encoding: 'utf-16be', bomLength: 0 });
  });

  it('reads bytes that are not valid UTF-8 as Windows-1252', () => {
    const latin1 = new Uint8Array(Buffer.from("country\nCôte d'Ivoire\nCuraçao\n", 'latin1'));
    expect(sniffBytes(latin1)).toEqual({ kind: 'text', encoding: 'windows-1252', bomLength: 0 });
  });
});

describe('sniffBytes, forced encodings', () => {
  it.each(['latin1', 'LATIN-1', 'ISO-8859-1', 'windows-1252', 'cp1252'])(
    'decodes as Windows-1252 when told %s, even if the bytes are valid UTF-8',
    (forced) => {
      expect(sniffBytes(bytes(CSV), forced)).toEqual({
        kind: 'text',
        encoding: 'windows-1252',
        bomLength: 0,
      });
    },
  );

  it('decodes as UTF-16 when told, without a BOM', () => {
    expect(sniffBytes(bytes(CSV), 'utf-16le')).toMatchObject({ encoding: 'utf-16le', bomLength: 0 });
    expect(sniffBytes(bytes(CSV), 'UTF-16')).toMatchObject({ encoding: 'utf-16le', bomLength: 0 });
    expect(sniffBytes(bytes(CSV), 'utf16be')).toMatchObject({ encoding: 'utf-16be', bomLength: 0 });
  });

  it('decodes as UTF-8 when told utf-8, even for bytes that are not', () => {
    const latin1 = new Uint8Array(Buffer.from('Curaçao\n', 'latin1'));
    expect(sniffBytes(latin1, 'utf-8')).toEqual({ kind: 'text', encoding: 'utf-8', bomLength: 0 });
  });

  it('lets a byte-order mark win over the encoding named', () => {
    expect(sniffBytes(bytes([0xef, 0xbb, 0xbf], CSV), 'latin1')).toEqual({
      kind: 'text',
      encoding: 'utf-8',
      bomLength: 3,
    });
  });

  it('still refuses a binary file whatever encoding is named', () => {
    expect(sniffBytes(bytes([0x50, 0x4b, 0x03, 0x04], 'xl/workbook.xml'), 'latin1')).toMatchObject({
      kind: 'binary',
    });
  });
});

describe('sniffBytes, compressed and binary files', () => {
  it('recognises gzip', () => {
    expect(sniffBytes(bytes([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]))).toEqual({ kind: 'gzip' });
  });

  it('refuses a ZIP archive, such as an XLSX workbook, with a hint to unzip it', () => {
    const sniffed = sniffBytes(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], '[Content_Types].xml'));
    expect(sniffed).toMatchObject({ kind: 'binary' });
    expect(sniffed).toHaveProperty('what', expect.stringMatching(/ZIP archive/));
    expect(sniffed).toHaveProperty('hint', expect.stringMatching(/unzip/));
  });

  it('refuses a legacy .xls workbook (OLE compound file)', () => {
    const sniffed = sniffBytes(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(sniffed).toMatchObject({ kind: 'binary' });
    expect(sniffed).toHaveProperty('what', expect.stringMatching(/legacy Excel workbook/));
  });

  it('refuses a PDF', () => {
    expect(sniffBytes(bytes('%PDF-1.7\n%âãÏÓ\n'))).toMatchObject({
      kind: 'binary',
      what: expect.stringMatching(/PDF/),
    });
  });

  it('refuses a PNG image', () => {
    expect(sniffBytes(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatchObject({
      kind: 'binary',
      what: expect.stringMatching(/PNG/),
    });
  });

  it('refuses a SQLite database and a Parquet file', () => {
    expect(sniffBytes(bytes('SQLite format 3', [0]))).toMatchObject({
      kind: 'binary',
      what: expect.stringMatching(/SQLite/),
    });
    expect(sniffBytes(bytes('PAR1', [0x15, 0x04]))).toMatchObject({
      kind: 'binary',
      what: expect.stringMatching(/Parquet/),
    });
  });

  it('refuses other files with NUL bytes as binary', () => {
    const sniffed = sniffBytes(bytes('header,row\n', [0x00, 0x01, 0x02, 0x00, 0xff, 0x00, 0x00], 'tail'));
    expect(sniffed).toMatchObject({ kind: 'binary', what: expect.stringMatching(/NUL bytes/) });
  });
});
