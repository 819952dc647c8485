/**
 * SheetJS keeps the number formats of the last .xls it read for the whole process; Corridor's
 * reads start from the built-in ones, so one workbook never shapes how the next is read or
 * written (a damaged-file test once failed only after another file's test had read the UN's
 * SITC table, whose formats grew the next workbook SheetJS wrote by two sectors).
 */
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { readSheetjsWorkbook, resetSheetjsFormats } from '../../src/read/sheetjs-workbook.ts';

/** A legacy workbook whose cells use formats of its own (custom ids from 164 up). */
function formattedXls(): Buffer {
  const sheet = XLSX.utils.aoa_to_sheet([
    ['share', 'date'],
    [0.25, 45000],
  ]);
  sheet.A2!.z = '0.000%';
  sheet.B2!.z = 'dd"/"mm"/"yyyy';
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, sheet, 'S');
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

function plainXls(): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['a', 'b'],
      [1, 2.5],
    ]),
    'T',
  );
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

describe('SheetJS number formats, process-wide in SheetJS', () => {
  it('do not carry from one workbook read to the next', () => {
    resetSheetjsFormats();
    const before = plainXls();
    const formatted = formattedXls();
    XLSX.read(formatted, { dense: true }); // SheetJS alone: the formats stay behind
    expect(plainXls().equals(before)).toBe(false);

    // The next read starts from the built-in formats again, and so does a write after it.
    const read = readSheetjsWorkbook(before, { dense: true });
    expect(Object.values((read as { SSF?: Record<string, string> }).SSF ?? {})).not.toContain('0.000%');
    expect(plainXls().equals(before)).toBe(true);
  });

  it('are those the file declares when it is read', () => {
    const workbook = readSheetjsWorkbook(formattedXls(), { dense: true, cellDates: true });
    const row = (workbook.Sheets.S as unknown as { '!data': XLSX.CellObject[][] })['!data'][1]!;
    expect(row[0]!.w).toBe('25.000%');
    expect(row[1]!.v).toBeInstanceOf(Date);
  });
});
