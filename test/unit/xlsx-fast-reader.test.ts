/**
 * The sheet XML scanner against exceljs: workbooks written by exceljs (both writers) must read
 * the same through either reader, and hand-made parts cover what other producers write (a
 * namespace prefix, inline strings, phonetic guides, rows without references, single quotes).
 * Hand-made workbooks are zipped here with node:zlib, so every byte of their XML is the test's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openFirstVisibleSheet } from '../../src/read/xlsx-fast-reader.ts';
import { readXlsx } from '../../src/read/xlsx-reader.ts';
import { openZipArchive } from '../../src/read/zip-archive.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();

afterEach(() => {
  delete process.env.CORRIDOR_FAST_XLSX;
});

/** Every row of the first visible sheet as the plain reader gives them, through the chosen reader. */
async function readAll(path: string, fast: boolean) {
  process.env.CORRIDOR_FAST_XLSX = fast ? '1' : '0';
  const table = await readXlsx(path);
  if (table === null) return null;
  const rows: { row: number; cells: readonly unknown[] }[] = [];
  for await (const batch of table.batches) for (const r of batch) rows.push({ row: r.row, cells: r.cells });
  return { sheet: table.sheet, header: table.header, rows };
}

/** A ZIP archive of the given parts, deflated (or stored), as Office writes them. */
function zipOf(parts: Record<string, string>, store = false): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const data = Buffer.from(text, 'utf8');
    const packed = store ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

const RELS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal workbook around the given sheet XML (and shared strings, when given). */
function handMade(name: string, sheetXml: string, sharedXml?: string, store = false): string {
  const parts: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types/>',
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns:r="${RELS_NS}"><sheets><sheet name="Hidden" sheetId="1" state="hidden" r:id="rId2"/><sheet name="Data &amp; notes" sheetId="2" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="${RELS_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${RELS_NS}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${RELS_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheetXml,
    'xl/worksheets/sheet2.xml':
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row></sheetData></worksheet>',
  };
  if (sharedXml !== undefined) parts['xl/sharedStrings.xml'] = sharedXml;
  const path = join(tmp(), name);
  writeFileSync(path, zipOf(parts, store));
  return path;
}

describe('the sheet XML scanner', () => {
  it('reads what exceljs writes exactly as exceljs reads it back', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Cover').state = 'hidden';
    const sheet = workbook.addWorksheet('Trade');
    sheet.addRow(['cmdCode', 'partner', 'value', 'flag', 'note', 'when']);
    sheet.addRow(['030613', 'Kazakhstan', 1234.5, true, 'A & B <c> "d"', new Date(Date.UTC(2023, 6, 1))]);
    sheet.addRow([
      '100190',
      'Côte d’Ivoire',
      -0.25,
      false,
      { richText: [{ text: 'rich ' }, { font: { bold: true }, text: 'text' }] },
      null,
    ]);
    sheet.addRow([]);
    sheet.addRow([
      '310420',
      null,
      { formula: '1+2', result: 3 },
      null,
      { formula: '"a"&"b"', result: 'ab' },
      { error: '#N/A' },
    ]);
    sheet.addRow(['520100', 'Pakistan', { formula: 'C2*2' }, null, '  padded  ', 1e-7]);
    sheet.getCell('H6').value = 'past the header';
    const path = join(tmp(), 'exceljs.xlsx');
    await workbook.xlsx.writeFile(path);

    const fast = await readAll(path, true);
    expect(fast).toEqual(await readAll(path, false));
    expect(fast?.sheet).toBe('Trade');
    expect(fast?.rows[0]?.cells).toEqual(['030613', 'Kazakhstan', 1234.5, true, 'A & B <c> "d"', 45108]);
    expect(fast?.rows[1]?.cells.slice(2, 5)).toEqual([-0.25, false, 'rich text']);
    expect(fast?.rows[2]).toEqual({ row: 5, cells: ['310420', null, 3, null, 'ab', '#N/A'] });
    expect(fast?.rows[3]?.cells).toEqual([
      '520100',
      'Pakistan',
      null,
      null,
      '  padded  ',
      1e-7,
      null,
      'past the header',
    ]);
  });

  it('reads exceljs streaming output with shared strings the same way', async () => {
    const path = join(tmp(), 'streamed.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const sheet = writer.addWorksheet('data');
    sheet.addRow(['period', 'reporterISO', 'cmdCode', 'primaryValue']).commit();
    for (let i = 0; i < 3000; i++)
      sheet.addRow([2023, i % 2 ? 'PAK' : 'KAZ', `0${100000 + i}`, i * 1.5]).commit();
    sheet.commit();
    await writer.commit();
    const fast = await readAll(path, true);
    expect(fast?.rows).toHaveLength(3000);
    expect(fast?.rows[2999]).toEqual({ row: 3001, cells: [2023, 'PAK', '0102999', 4498.5] });
    expect(fast).toEqual(await readAll(path, false));
  });

  it('reads a namespace prefix, inline strings, phonetic guides, escapes and rows without references', async () => {
    const sheetXml = `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="2" spans="1:3"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="s"><x:v>1</x:v></x:c><x:c r='C2' t='inlineStr'><x:is><x:t xml:space="preserve">in&#x20;line </x:t></x:is></x:c></x:row>
<x:row><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>4.5E3</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="7"/>
<x:row r="9"><x:c r="B9" s="3"/><x:c r="C9" t="d"><x:v>2024-06-30T00:00:00Z</x:v></x:c><x:c r="AA9"><x:v>-12</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`;
    const sharedXml = `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<x:si><x:t>code</x:t></x:si><x:si><x:r><x:t>東京</x:t></x:r><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh></x:si><x:si><x:t>line_x000D_break</x:t></x:si></x:sst>`;
    const path = handMade('prefixed.xlsx', sheetXml, sharedXml);
    const sheet = await openFirstVisibleSheet(path);
    expect(sheet?.name).toBe('Data & notes');
    const rows = [];
    for await (const batch of sheet!.rows) rows.push(...batch);
    expect(rows).toEqual([
      { number: 2, cells: ['code', '東京', 'in line '] },
      { number: 3, cells: ['line\rbreak', 4500, true] },
      { number: 9, cells: [null, null, '2024-06-30', ...new Array(23).fill(null), -12] },
    ]);
  });

  it('reads stored (uncompressed) parts and rows cut across inflated chunks', async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>r${i}</t></is></c></row>`,
    );
    for (const store of [true, false]) {
      const path = handMade(
        `long-${store}.xlsx`,
        `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`,
        undefined,
        store,
      );
      let count = 0;
      let last: unknown;
      for await (const batch of (await openFirstVisibleSheet(path))!.rows) {
        for (const row of batch) {
          expect(row.cells).toEqual([row.number - 1, `r${row.number - 1}`]);
          count++;
          last = row.number;
        }
      }
      expect([count, last]).toEqual([20_000, 20_000]);
    }
  });

  it('refuses an archive that holds no workbook, and one cut short, with file errors', async () => {
    const notWorkbook = join(tmp(), 'other.zip');
    writeFileSync(notWorkbook, zipOf({ 'data.csv': 'a,b\n1,2\n' }));
    await expect(openFirstVisibleSheet(notWorkbook)).rejects.toThrow(
      /other\.zip is a ZIP archive but holds no Excel workbook \(its entries: data\.csv\)/,
    );
    const truncated = join(tmp(), 'truncated.xlsx');
    writeFileSync(truncated, zipOf({ 'a.txt': 'x' }).subarray(0, 20));
    await expect(openZipArchive(truncated)).rejects.toMatchObject({ code: 'damaged_file' });
  });

  it('reports a damaged sheet as a bad workbook, not a crash', async () => {
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
    );
    const path = handMade('damaged.xlsx', `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`);
    const bytes = readFileSync(path);
    // The first mention of the part's name is its local header; its deflated data follows.
    const data = bytes.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    bytes.fill(0xff, data + 40, data + 60);
    writeFileSync(path, bytes);
    const read = readAll(path, true);
    await expect(read).rejects.toMatchObject({ code: 'damaged_file' });
    await expect(read).rejects.toThrow(/damaged\.xlsx looks damaged: the part xl\/worksheets\/sheet1\.xml/);
  });
});
