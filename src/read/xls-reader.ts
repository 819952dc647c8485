/**
 * Legacy Excel workbooks (.xls, BIFF8, as many statistics offices still publish) through
 * SheetJS Community Edition (@e965/xlsx). A BIFF8 sheet holds at most 65,536 rows, so the
 * workbook is read whole; rows then go out in batches like every other reader's. Reads the
 * first visible worksheet, takes its first non-blank row as the header, and numbers records as
 * Excel shows the rows.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { SourceFormatError } from '../errors.ts';
import { HeaderSearch, type HeaderTest, headerText } from './header-search.ts';
import { alignCells, batchRows, isBlankRow, type RawRecord, type RawTable } from './raw-table.ts';

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

/** Reads the whole workbook (BIFF8 caps a sheet at 65,536 rows) and lists its sheets in tab order. */
export function xlsSheets(path: string): XlsSheet[] {
  const name = basename(path);
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(readFileSync(path), { dense: true, cellDates: true });
  } catch (cause) {
    throw new SourceFormatError(
      name,
      'bad_xls',
      `${name} looks like a legacy Excel workbook (.xls) but cannot be read (${(cause as Error).message}). Open it in Excel and save it again, as .xlsx or CSV UTF-8.`,
      { cause },
    );
  }
  const hidden = new Set(
    (workbook.Workbook?.Sheets ?? []).flatMap((s, i) =>
      (s.Hidden ?? 0) > 0 ? [workbook.SheetNames[i]] : [],
    ),
  );
  return workbook.SheetNames.map((sheetName) => {
    const dense =
      (workbook.Sheets[sheetName] as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ??
      [];
    return {
      name: sheetName,
      hidden: hidden.has(sheetName),
      rowCount: dense.length,
      rowCells: (r: number): unknown[] => (dense[r] ?? []).map((c) => cellValue(c)),
    };
  });
}

/** Resolves to null when the first visible sheet has no non-blank row. */
export async function readXls(path: string, isHeader?: HeaderTest): Promise<RawTable | null> {
  const first = xlsSheets(path).find((s) => !s.hidden);
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
