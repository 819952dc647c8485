/**
 * SheetJS (@e965/xlsx) keeps the number formats of the last legacy (.xls) workbook it read in
 * one table for the whole process: the BIFF reader adds each file's Format records to it and
 * never clears it (the .xlsx reader does). A process that reads many workbooks (a scheduled
 * pipeline, a test run) would then read the next file's cells, and decide which are dates,
 * with formats the previous file declared, and SheetJS would write those formats into the
 * next workbook it writes. Every read and write here starts from SheetJS's built-in formats,
 * so a file reads the same whatever was read before it.
 */
import * as XLSX from '@e965/xlsx';

/** The built-in formats, as SheetJS holds them before any workbook is read. */
const BUILT_IN_FORMATS: Readonly<Record<string, string>> = { ...XLSX.SSF.get_table() };

/** Puts SheetJS's process-wide format table back to the built-in formats, in place. */
export function resetSheetjsFormats(): void {
  // get_table returns the live table the readers and writers use.
  const table = XLSX.SSF.get_table() as Record<string, string>;
  for (const id of Object.keys(table)) if (!(id in BUILT_IN_FORMATS)) delete table[id];
  Object.assign(table, BUILT_IN_FORMATS);
}

/** `XLSX.read` from the built-in formats: what the file declares, nothing of an earlier file. */
export function readSheetjsWorkbook(bytes: Buffer, options: XLSX.ParsingOptions): XLSX.WorkBook {
  resetSheetjsFormats();
  return XLSX.read(bytes, options);
}
