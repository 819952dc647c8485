/**
 * XLSX exports, through exceljs's streaming writer: each row is committed as it comes, strings
 * are written in their cells (a shared-string table would hold every distinct text in memory
 * until the end), so a table of millions of rows is written in flat memory.
 *
 * What a person opening it sees: a bold header row that stays in view when scrolling (a frozen
 * pane), columns as wide as their first rows need, numbers as numbers with a format by unit
 * (US dollars `#,##0.00`, kilograms and tonnes `#,##0.###`, percentages and ratios `0.0000`),
 * codes as text (`010121` keeps its zero), NULL as an empty cell (an empty text reads back as one
 * too). XML holds neither a carriage return (a reader gets a line feed, so it is written as one)
 * nor control characters other than tab and line feed (exceljs leaves them out): CSV and JSON
 * keep such text exactly. A table longer than a sheet
 * (1,048,576 rows in Excel, header included) goes on in "<name> (2)", "<name> (3)"…, each with
 * the header again.
 *
 * Text is never written as a formula: exceljs writes a string as a string cell, which no
 * spreadsheet evaluates when the file opens. The formula guard (formula-guard.ts) is applied all
 * the same, as in CSV, because a string cell stops being safe the moment it leaves the workbook:
 * a user who saves the sheet as CSV, or presses F2 and Enter on the cell, turns `=1+1` into a live
 * formula. The guarded text shows its apostrophe, and reads back by the same rule as CSV; `raw`
 * turns it off.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { guardCell } from './formula-guard.ts';
import type { ExportColumn, ExportRow, TableWriter, WriterOptions, WrittenExport } from './table-writer.ts';

export interface XlsxWriterOptions extends WriterOptions {
  /** Write text cells as they are, without the formula guard. */
  readonly raw?: boolean;
  /**
   * Data rows per sheet before the next sheet starts. Excel's limit unless a test needs a small
   * one; `CORRIDOR_XLSX_MAX_ROWS` sets it too (for tests that run the CLI).
   */
  readonly maxRowsPerSheet?: number;
}

/** Excel's 1,048,576 rows a sheet, less the header row. */
export const EXCEL_MAX_DATA_ROWS = 1_048_575;

/** Excel refuses sheet names longer than this. */
const MAX_SHEET_NAME = 31;

/** Number formats by the dictionary's unit of a column. */
const NUMBER_FORMATS: Readonly<Record<string, string>> = {
  USD: '#,##0.00',
  kg: '#,##0.###',
  t: '#,##0.###',
  percent: '0.0000',
  ratio: '0.0000',
};

/** Column widths in characters: at least the header's, at most this. */
const MAX_WIDTH = 60;

/** Rows between checks of the zip stream's backlog. */
const ROWS_PER_CHECK = 1_000;
/** Bytes of sheet XML allowed to wait for compression before writing pauses. */
const MAX_BACKLOG = 8 * 1024 * 1024;

/** The part of exceljs's internals that shows the backlog (see `waitForZip`). */
interface SheetStream {
  /** The zip entry, once the zip has started on this sheet (it takes sheets one at a time). */
  readonly pipes: readonly { readonly _writableState?: { readonly length: number } }[];
  /** What the sheet holds while the zip is not reading it yet. */
  readonly buffers: readonly { readonly length: number }[];
  once(event: 'zipped', listener: () => void): void;
}

const sheetStream = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { stream: SheetStream }).stream;

/**
 * exceljs's sheet stream ignores backpressure: it hands its XML to the zip entry whatever that
 * entry holds, so a producer faster than deflate piles the sheet up in memory (600 MB at 300,000
 * rows, scripts/bench/generate-xlsx.ts found). Waiting while the entry holds more than a few MB
 * keeps memory flat. A second sheet waits in its own buffer until the zip has finished the
 * first, so that buffer counts too.
 */
async function waitForZip(sheet: ExcelJS.Worksheet): Promise<void> {
  for (;;) {
    const stream = sheetStream(sheet);
    const entry = stream.pipes[0];
    const backlog = entry
      ? (entry._writableState?.length ?? 0)
      : stream.buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    if (backlog <= MAX_BACKLOG) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}

function maxRowsFrom(maxRowsPerSheet: number | undefined): number {
  const fromEnv = Number(process.env.CORRIDOR_XLSX_MAX_ROWS);
  const limit = maxRowsPerSheet ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
  return Math.min(limit ?? EXCEL_MAX_DATA_ROWS, EXCEL_MAX_DATA_ROWS);
}

/** The name of the n-th sheet (1-based): the table's, then "<name> (2)"…, within Excel's 31 characters. */
function sheetName(base: string, n: number): string {
  const suffix = n === 1 ? '' : ` (${n})`;
  // Excel forbids : \ / ? * [ ] in sheet names; a table name never has them, a query's label might.
  const clean = base.replace(/[:\\/?*[\]]/g, '_');
  return clean.slice(0, MAX_SHEET_NAME - suffix.length) + suffix;
}

/**
 * The sheets an export of `rows` rows is written on, as the writer names them.
 *
 * @example
 * xlsxSheetNames('trade_flows', 2_000_000); // ['trade_flows', 'trade_flows (2)']
 */
export function xlsxSheetNames(table: string | null, rows: number, maxRowsPerSheet?: number): string[] {
  const sheets = Math.max(1, Math.ceil(rows / maxRowsFrom(maxRowsPerSheet)));
  return Array.from({ length: sheets }, (_, i) => sheetName(table ?? 'query', i + 1));
}

/** A cell as exceljs takes it: numbers as numbers, an integer too big for a double as its digits. */
function cellValue(value: ExportRow[number]): string | number | null {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  return value;
}

/** Width of a value as a person reads it, for the column's first rows. */
function shownLength(value: ExportRow[number]): number {
  if (value === null) return 0;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value).length + 3 : 14;
  return String(value).length;
}

/**
 * Opens an XLSX workbook for writing; the header and column widths are set by the first batch.
 *
 * @example
 * const writer = await openXlsxWriter({ path: 'out/flows.xlsx', columns, table: 'trade_flows' });
 * await writer.write(rows);
 * await writer.finish(); // { files: ['out/flows.xlsx'], rows: 2 }
 */
export async function openXlsxWriter(options: XlsxWriterOptions): Promise<TableWriter> {
  const raw = options.raw === true;
  const maxRows = maxRowsFrom(options.maxRowsPerSheet);
  const base = options.table ?? 'query';
  const file: WriteStream = createWriteStream(options.path);
  // Loaded on first use: exceljs takes 0.7 s to import, which every command paid, xlsx or not.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: file,
    useSharedStrings: false,
    useStyles: true,
  });
  const columns = options.columns;
  // One style object per column, shared by every cell: exceljs caches a style by its object.
  const styles: Partial<ExcelJS.Style>[] = columns.map((c) => {
    const numFmt = c.type === 'text' ? undefined : NUMBER_FORMATS[c.unit ?? ''];
    return numFmt === undefined ? {} : { numFmt };
  });
  let widths: number[] | null = null;
  let sheet: ExcelJS.Worksheet | null = null;
  let sheets = 0;
  let inSheet = 0;
  let rows = 0;
  let done = false;

  const header = columns.map((c) => (raw ? c.name : guardCell(c.name)));
  const toCells = (row: ExportRow) =>
    row.map((value) => {
      const cell = cellValue(value);
      if (typeof cell !== 'string') return cell;
      // XML reads a carriage return back as a line feed, so every reader of the workbook sees
      // LF: written as LF first, a text the guard looks at is the text readers get.
      const text = cell.includes('\r') ? cell.replace(/\r\n?/g, '\n') : cell;
      return raw ? text : guardCell(text);
    });

  const measure = (batch: readonly ExportRow[]) => {
    const sample = batch.slice(0, 200);
    return columns.map((c: ExportColumn, i) =>
      Math.min(
        MAX_WIDTH,
        Math.max(c.name.length + 2, 8, ...sample.map((r) => shownLength(r[i] ?? null) + 1)),
      ),
    );
  };

  /** Ends the current sheet and waits until the zip took it, so two sheets never queue up. */
  const closeSheet = async () => {
    if (sheet === null) return;
    const finished = sheet;
    sheet = null;
    const zipped = new Promise<void>((resolve) => sheetStream(finished).once('zipped', resolve));
    finished.commit();
    await zipped;
  };

  const openSheet = () => {
    sheets++;
    inSheet = 0;
    const next = workbook.addWorksheet(sheetName(base, sheets), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    next.columns = columns.map((c, i) => ({
      width: widths?.[i] ?? Math.max(c.name.length + 2, 8),
      style: styles[i]!,
    }));
    const head = next.addRow(header);
    head.font = { bold: true };
    head.commit();
    sheet = next;
    return next;
  };

  return {
    async write(batch) {
      if (done) throw new Error('XLSX writer used after finish or abort.');
      if (batch.length === 0) return;
      widths ??= measure(batch);
      for (const row of batch) {
        if (sheet === null || inSheet >= maxRows) {
          await closeSheet();
          openSheet();
        }
        const current = sheet as unknown as ExcelJS.Worksheet;
        const added = current.addRow(toCells(row));
        // exceljs gives each cell a fresh copy of its column's style and then looks the copy up
        // by value, a third of the time it spends; the column's own object is found at once.
        added.eachCell((cell, column) => {
          cell.style = styles[column - 1]!;
        });
        added.commit();
        inSheet++;
        if (++rows % ROWS_PER_CHECK === 0) await waitForZip(current);
      }
    },
    async finish(): Promise<WrittenExport> {
      if (sheets === 0) openSheet();
      done = true;
      await closeSheet();
      await workbook.commit();
      return { files: [options.path], rows };
    },
    async abort() {
      done = true;
      const zip = (workbook as unknown as { zip: { abort(): void } }).zip;
      zip.abort();
      await new Promise<void>((resolve) => {
        if (file.closed) resolve();
        else file.destroy().once('close', () => resolve());
      });
      await rm(options.path, { force: true });
    },
  };
}
