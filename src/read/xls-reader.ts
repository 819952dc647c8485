/**
 * Legacy Excel workbooks (.xls, BIFF8, as many statistics offices still publish) through
 * SheetJS Community Edition (@e965/xlsx). A BIFF8 sheet holds at most 65,536 rows, so the
 * workbook is read whole; rows then go out in batches like every other reader's. Reads the
 * first visible worksheet, takes its first non-blank row as the header, and numbers records as
 * Excel shows the rows.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type * as XLSX from '@e965/xlsx';
import { describeError } from '../errors.ts';
import { type ArchiveLimits, archiveLimits, damagedFile, sizeText, tooLarge } from './archive-limits.ts';
import { HeaderSearch, type HeaderTest, headerText } from './header-search.ts';
import { alignCells, batchRows, isBlankRow, type RawRecord, type RawTable } from './raw-table.ts';
import { readSheetjsWorkbook } from './sheetjs-workbook.ts';

/** A cell as the row schemas expect it: text, number, boolean or null; dates as ISO text. */
function cellValue(cell: XLSX.CellObject | undefined): unknown {
  if (cell === undefined || cell.t === 'z' || cell.v === undefined || cell.v === null) return null;
  if (cell.t === 'e') return cell.w ?? '#ERROR';
  if (cell.v instanceof Date) {
    const iso = cell.v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return cell.v;
}

/** A worksheet of a legacy workbook: its rows as Excel numbers them (the sheet is in memory). */
export interface XlsSheet {
  readonly name: string;
  readonly hidden: boolean;
  readonly rowCount: number;
  /** The cells of the row at a 0-based index. */
  rowCells(index: number): unknown[];
}

/**
 * Reads the whole workbook (BIFF8 caps a sheet at 65,536 rows) and lists its sheets in tab
 * order. Read whole, so its size and cell count are limited (archive-limits.ts); whatever
 * SheetJS cannot make sense of, or makes a sheet without cells of, is a damaged file.
 */
export function xlsSheets(path: string, limits: ArchiveLimits = archiveLimits()): XlsSheet[] {
  const name = basename(path);
  const size = statSync(path).size;
  if (size > limits.xlsBytes) {
    throw tooLarge(
      name,
      'the legacy Excel workbook is',
      sizeText(size),
      'xlsBytes',
      sizeText(limits.xlsBytes),
    );
  }
  let workbook: XLSX.WorkBook;
  let grids: (XLSX.CellObject | undefined)[][][];
  try {
    workbook = readSheetjsWorkbook(readFileSync(path), { dense: true, cellDates: true });
    grids = workbook.SheetNames.map((sheetName) => {
      const sheet = workbook.Sheets[sheetName] as unknown as
        | { '!data'?: (XLSX.CellObject | undefined)[][] }
        | undefined;
      if (sheet === undefined) throw new Error(`the sheet "${sheetName}" is listed but has no records`);
      return sheet['!data'] ?? [];
    });
  } catch (cause) {
    // A compound file is whole 512-byte sectors: one that ends inside a sector was cut short.
    if (size % 512 !== 0) {
      throw damagedFile(
        name,
        `at its end (byte ${size})`,
        `it ends inside one of the 512-byte sectors a legacy workbook is made of, so it was probably cut short (${describeError(cause)})`,
        cause,
      );
    }
    throw damagedFile(
      name,
      'its legacy Excel (BIFF) records',
      `they cannot be read (${describeError(cause)}); it may also be another Office document than a workbook`,
      cause,
    );
  }
  let cells = 0;
  for (const grid of grids) for (const row of grid) cells += row?.length ?? 0;
  if (cells > limits.xlsCells) {
    throw tooLarge(name, 'its sheets hold', `${cells} cells`, 'xlsCells', `${limits.xlsCells} cells`);
  }
  const hidden = new Set(
    (workbook.Workbook?.Sheets ?? []).flatMap((s, i) =>
      (s.Hidden ?? 0) > 0 ? [workbook.SheetNames[i]] : [],
    ),
  );
  return workbook.SheetNames.map((sheetName, index) => {
    const dense = grids[index]!;
    return {
      name: sheetName,
      hidden: hidden.has(sheetName),
      rowCount: dense.length,
      rowCells: (r: number): unknown[] => (dense[r] ?? []).map((c) => cellValue(c)),
    };
  });
}

/** Resolves to null when the first visible sheet has no non-blank row. */
export async function readXls(
  path: string,
  isHeader?: HeaderTest,
  limits: ArchiveLimits = archiveLimits(),
): Promise<RawTable | null> {
  const first = xlsSheets(path, limits).find((s) => !s.hidden);
  if (first === undefined) return null;
  const sheet = first.name;
  const rowCells = (r: number) => first.rowCells(r);
  const dense = { length: first.rowCount };

  const search = new HeaderSearch(isHeader);
  for (let r = 0; r < dense.length && !search.done; r++) {
    const cells = rowCells(r);
    search.offer(cells, isBlankRow(cells));
  }
  const headerRow = search.index;
  if (headerRow < 0) return null;
  const header = headerText(rowCells(headerRow));
  const at = headerRow + 1;
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  const width = header.length;
  const perBatch = batchRows(width);

  async function* batches(): AsyncGenerator<readonly RawRecord[]> {
    let batch: RawRecord[] = [];
    for (let r = at; r < dense.length; r++) {
      const cells = rowCells(r);
      if (isBlankRow(cells)) continue;
      batch.push({ row: r + 1, cells: alignCells(cells, width) });
      if (batch.length >= perBatch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  return {
    format: 'xls',
    header,
    rowUnit: 'row',
    sheet,
    encoding: 'utf-8',
    delimiter: null,
    batches: batches(),
  };
}
