/**
 * Any table file as sheets of raw rows, for the layout toolkit (src/layout/): every row as the
 * file has it, titles and multi-row headers included, numbered as the user sees it. A CSV file
 * is one sheet without a name; a workbook gives its sheets in tab order. The reader is chosen
 * by content, as in open-table.ts.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SourceFormatError } from '../errors.ts';
import { type ArchiveLimits, archiveLimits } from './archive-limits.ts';
import { type CsvEnding, isCutLastRow, parseCsvRows, sniffDelimiterOfTable } from './csv-reader.ts';
import { startsWithCompoundFile, startsWithZip } from './open-table.ts';
import { openTextStream } from './text-stream.ts';
import type { SheetRow } from './xlsx-reader.ts';

export type { SheetRow } from './xlsx-reader.ts';

export interface RawSheet {
  /** The sheet's name; null for a CSV file. */
  readonly name: string | null;
  readonly hidden: boolean;
  /** Rows in batches; blank rows may be missing or present. Read once. */
  readonly rows: AsyncIterable<readonly SheetRow[]>;
}

export interface SheetStream {
  readonly format: 'csv' | 'xlsx' | 'xls';
  readonly encoding: string;
  readonly delimiter: string | null;
  /** Sheets in order; each sheet's rows must be read (or left) before the next is asked for. */
  readonly sheets: AsyncIterable<RawSheet>;
}

/**
 * The rows of a CSV table made for people. A transfer that stops mid-file leaves it ending
 * inside a quoted field, or with a last row of fewer cells than the row before it and no line
 * end: then the file fails (`truncated_file`) rather than load what arrived. A last row of one
 * cell (a note: "Source: …") may end without a line end.
 */
async function* csvRows(
  chunks: AsyncIterable<string>,
  delimiter: string,
  name: string,
): AsyncGenerator<SheetRow[]> {
  const ending: CsvEnding = { lastChar: '', insideQuotes: false, name };
  let number = 0;
  let previousWidth = 0;
  let last: readonly string[] | null = null;
  for await (const rows of parseCsvRows(chunks, delimiter, ending)) {
    for (const cells of rows) {
      if (last !== null) previousWidth = last.length;
      last = cells;
    }
    yield rows.map((cells) => ({ number: ++number, cells }));
  }
  const cut =
    ending.insideQuotes ||
    (last !== null && last.length > 1 && isCutLastRow(last.length, previousWidth, ending));
  if (cut) {
    throw new SourceFormatError(
      name,
      'truncated_file',
      `${name} looks cut off: ${ending.insideQuotes ? 'it ends inside a quoted field' : `its last row (row ${number.toLocaleString('en-US')}) has ${last?.length} cells where the row before has ${previousWidth}, and no line end after it`}. Nothing of it was loaded. Download or export it again.`,
    );
  }
}

/**
 * Workbooks up to this size are read whole. Tables made for people are small, and exceljs's
 * streaming reader has to park the sheets of a workbook that stores them before its
 * workbook.xml (as exceljs itself writes them) in temporary files, a path that failed now and
 * then; the whole-file reader has no such order to depend on.
 */
const WHOLE_WORKBOOK_BYTES = 8 * 1024 * 1024;

/** The sheets of a small workbook, read whole, in tab order, once its archive is checked. */
async function* wholeWorkbookSheets(path: string, limits: ArchiveLimits): AsyncGenerator<RawSheet> {
  const { default: ExcelJS } = await import('exceljs');
  const { cellValue, checkBeforeExceljs } = await import('./xlsx-reader.ts');
  await checkBeforeExceljs(path, limits);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  for (const worksheet of workbook.worksheets) {
    const rows: SheetRow[] = [];
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      const values = row.values as unknown[];
      const cells: unknown[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
      rows.push({ number: row.number, cells });
    });
    async function* batches(): AsyncGenerator<SheetRow[]> {
      yield rows;
    }
    yield {
      name: worksheet.name,
      hidden: worksheet.state === 'hidden' || worksheet.state === 'veryHidden',
      rows: batches(),
    };
  }
}

export async function openSheetStream(
  path: string,
  encoding?: string,
  limits: ArchiveLimits = archiveLimits(),
): Promise<SheetStream> {
  const name = basename(path);
  if (await startsWithZip(path)) {
    const { xlsxSheets } = await import('./xlsx-reader.ts');
    const small = (await stat(path)).size <= WHOLE_WORKBOOK_BYTES;
    async function* sheets(): AsyncGenerator<RawSheet> {
      try {
        yield* small ? wholeWorkbookSheets(path, limits) : xlsxSheets(path, 'cache', limits);
      } catch (cause) {
        if (cause instanceof SourceFormatError) throw cause;
        throw new SourceFormatError(
          name,
          'bad_xlsx',
          `${name} is a ZIP archive but not a readable Excel workbook (${(cause as Error).message}). Open it in Excel and save it again as .xlsx.`,
          { cause },
        );
      }
    }
    return { format: 'xlsx', encoding: 'utf-8', delimiter: null, sheets: sheets() };
  }
  if (await startsWithCompoundFile(path)) {
    const { xlsSheets } = await import('./xls-reader.ts');
    const workbook = xlsSheets(path, limits);
    async function* sheets(): AsyncGenerator<RawSheet> {
      for (const sheet of workbook) {
        async function* rows(): AsyncGenerator<SheetRow[]> {
          const batch: SheetRow[] = [];
          for (let r = 0; r < sheet.rowCount; r++) batch.push({ number: r + 1, cells: sheet.rowCells(r) });
          yield batch;
        }
        yield { name: sheet.name, hidden: sheet.hidden, rows: rows() };
      }
    }
    return { format: 'xls', encoding: 'utf-8', delimiter: null, sheets: sheets() };
  }
  const text = await openTextStream(path, encoding);
  if (text.head.trim() === '') {
    throw new SourceFormatError(
      name,
      'empty_file',
      `${name} is empty: it has no rows. Check that the download or export finished.`,
    );
  }
  const delimiter = sniffDelimiterOfTable(text.head);
  async function* sheets(): AsyncGenerator<RawSheet> {
    yield { name: null, hidden: false, rows: csvRows(text.chunks, delimiter, name) };
  }
  return { format: 'csv', encoding: text.encoding, delimiter, sheets: sheets() };
}
