/**
 * Writes the Comtrade rows as an XLSX workbook with exceljs's streaming writer: one sheet,
 * header in row 1, typed cells as a spreadsheet holds them (amounts and numeric codes as
 * numbers, flags as booleans, HS codes as text so `030613` keeps its zero), and shared strings
 * as Excel itself writes them. Each row is committed at once, so memory stays flat.
 */
import ExcelJS from 'exceljs';
import { COMTRADE_COLUMNS, COMTRADE_HEADER, comtradeRows } from './generate-comtrade.ts';
import type { CodePools } from './reference-codes.ts';

const AMOUNT = COMTRADE_COLUMNS.map(([, kind]) => kind === 'milli');

/** Rows between checks of the zip stream's backlog. */
const ROWS_PER_CHECK = 1_000;
/** Bytes of sheet XML allowed to wait for compression before generation pauses. */
const MAX_BACKLOG = 8 * 1024 * 1024;

/** The parts of exceljs's internals that show the backlog (see `waitForZip`). */
interface SheetStream {
  readonly pipes: readonly { readonly _writableState?: { readonly length: number } }[];
}

/**
 * exceljs's sheet stream (StreamBuf) ignores backpressure: it writes into the zip entry's
 * stream whatever that stream's state, so a fast producer piles the whole sheet's XML up in
 * memory (600 MB at 300,000 rows). Waiting while that entry stream holds more than a few MB
 * keeps generation flat. `_writableState` is readable-stream's, which archiver uses.
 */
async function waitForZip(sheet: ExcelJS.Worksheet): Promise<void> {
  const stream = (sheet as unknown as { stream: SheetStream }).stream;
  for (;;) {
    const backlog = stream.pipes[0]?._writableState?.length ?? 0;
    if (backlog <= MAX_BACKLOG) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}

/** Writes the workbook; returns the number of data rows. */
export async function writeComtradeXlsx(path: string, rows: number, pools: CodePools): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('data');
  sheet.addRow(COMTRADE_HEADER).commit();
  let written = 0;
  for (const cells of comtradeRows(rows, pools)) {
    // exceljs takes empty cells as null; amounts go from thousandths to their decimal value.
    const values = cells.map((cell, c) => (AMOUNT[c] && typeof cell === 'number' ? cell / 1000 : cell));
    sheet.addRow(values).commit();
    if (++written % ROWS_PER_CHECK === 0) await waitForZip(sheet);
  }
  sheet.commit();
  await workbook.commit();
  return written;
}
