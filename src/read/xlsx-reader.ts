/**
 * Streaming XLSX reader on exceljs's WorkbookReader: memory stays flat in the workbook's size
 * (the non-streaming `readFile` of a 1,000,000-row sheet peaks near 2.7 GB; issue 3). Reads
 * the first visible worksheet, takes its first non-blank row as the header, and yields records
 * numbered as Excel shows the rows.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SourceFormatError } from '../errors.ts';
import { type ArchiveLimits, archiveLimits, sizeText, tooLarge } from './archive-limits.ts';
import { HeaderSearch, type HeaderTest, headerText } from './header-search.ts';
import { alignCells, batchRows, isBlankRow, type RawRecord, type RawTable } from './raw-table.ts';
import { openFirstVisibleSheet } from './xlsx-fast-reader.ts';
import { openZipArchive } from './zip-archive.ts';

/** A cell as a reader of our row schemas expects it: text, number, boolean or null. */
export function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    // Dates come from cells formatted as dates; a date without time reads as YYYY-MM-DD.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    // A formula's cached result is what the user sees; the formula itself is not data.
    if ('result' in v) return cellValue(v.result);
    if ('formula' in v || 'sharedFormula' in v) return null;
    if (typeof v.text === 'string') return v.text;
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

export interface SheetRow {
  /** Row number as Excel shows it. */
  readonly number: number;
  readonly cells: unknown[];
}

/** One worksheet of a workbook read as a stream: its rows must be read (or left) before the next sheet. */
export interface StreamedSheet {
  readonly name: string;
  readonly hidden: boolean;
  readonly rows: AsyncIterable<SheetRow[]>;
}

/**
 * Checks a workbook through Corridor's own ZIP layer before exceljs unzips it on its own: every
 * entry inflated under the limits, its CRC-32 checked, the entries laid end to end as exceljs's
 * streaming unzip walks them. exceljs has no limit of its own, and on some damaged archives its
 * reader never settles; here they fail first, with a file error that says where.
 */
export async function checkBeforeExceljs(
  path: string,
  limits: ArchiveLimits = archiveLimits(),
): Promise<void> {
  await (await openZipArchive(path, limits)).verify();
}

/**
 * The checks for a workbook that a library reads whole on its own (SheetJS, for a UN
 * correlation table): an .xlsx through the ZIP layer as for exceljs, a legacy .xls by its size.
 */
export async function checkBeforeReadingWhole(
  path: string,
  limits: ArchiveLimits = archiveLimits(),
): Promise<void> {
  // A file that cannot be read is the reader's to report, in its words.
  const size = await stat(path).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) return;
  if (size > limits.xlsBytes) {
    throw tooLarge(basename(path), 'the workbook is', sizeText(size), 'xlsBytes', sizeText(limits.xlsBytes));
  }
  const head = await readFile(path).then((bytes) => bytes.subarray(0, 4));
  if (head.equals(Buffer.from('PK\x03\x04', 'latin1'))) await checkBeforeExceljs(path, limits);
}

/**
 * The worksheets of an XLSX workbook in file order, each with its rows in batches as exceljs
 * parses them. A sheet whose rows are not read is skipped without parsing. The archive is
 * checked first (checkBeforeExceljs).
 *
 * @param styles `cache` reads cell styles, so that date-formatted cells arrive as dates (a
 *   month heading typed as a date); `ignore` skips them, about 18 % faster to parse, and date
 *   cells arrive as Excel day numbers. The plain readers use `ignore`: no source reads a date
 *   from a plain table's cells; tables made for people are read with `cache`.
 */
export async function* xlsxSheets(
  path: string,
  styles: 'cache' | 'ignore' = 'cache',
  limits: ArchiveLimits = archiveLimits(),
): AsyncGenerator<StreamedSheet> {
  await checkBeforeExceljs(path, limits);
  // Loaded on first use: exceljs takes 0.7 s to import, which every command paid, xlsx or not.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles,
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const worksheet of workbook) {
    const sheet = worksheet as unknown as {
      name: string;
      state?: string;
      parse(): AsyncIterable<{ eventType: string; value: unknown }[]>;
    };
    yield {
      name: sheet.name,
      hidden: sheet.state === 'hidden' || sheet.state === 'veryHidden',
      rows: parsedRows(sheet),
    };
  }
}

async function* parsedRows(sheet: {
  parse(): AsyncIterable<{ eventType: string; value: unknown }[]>;
}): AsyncGenerator<SheetRow[]> {
  for await (const events of sheet.parse()) {
    const rows: SheetRow[] = [];
    for (const { eventType, value } of events) {
      if (eventType !== 'row') continue;
      const row = value as { number: number; values: unknown[] };
      // exceljs row values are 1-based and sparse: index 0 is empty, gaps are empty cells.
      // `values` is a getter that builds a new array on every access: read it once.
      const values = row.values;
      const cells: unknown[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
      rows.push({ number: row.number, cells });
    }
    if (rows.length > 0) yield rows;
  }
}

/**
 * Rows of the first visible worksheet, in batches as they are parsed: by the sheet XML scanner
 * (xlsx-fast-reader.ts) unless it declines the workbook or CORRIDOR_FAST_XLSX=0 asks for
 * exceljs (to compare the two), then by exceljs.
 */
async function* sheetRows(
  path: string,
  onSheet: (name: string, bytesRead: (() => number) | null) => void,
  limits: ArchiveLimits,
): AsyncGenerator<SheetRow[]> {
  if (process.env.CORRIDOR_FAST_XLSX !== '0') {
    const fast = await openFirstVisibleSheet(path, limits);
    if (fast !== null) {
      onSheet(fast.name, fast.bytesRead);
      yield* fast.rows;
      return;
    }
  }
  // exceljs does not say how far into the archive it is: no position, so no time left.
  for await (const sheet of xlsxSheets(path, 'ignore', limits)) {
    if (sheet.hidden) continue;
    onSheet(sheet.name, null);
    yield* sheet.rows;
    return;
  }
}

/** Resolves to null when the workbook has no non-blank row on its first visible sheet. */
export async function readXlsx(
  path: string,
  isHeader?: HeaderTest,
  limits: ArchiveLimits = archiveLimits(),
): Promise<RawTable | null> {
  const name = basename(path);
  let sheet: string | null = null;
  let position: (() => number) | null = null;
  async function* chunksOf(): AsyncGenerator<SheetRow[]> {
    try {
      yield* sheetRows(
        path,
        (n, bytesRead) => {
          sheet = n;
          position = bytesRead;
        },
        limits,
      );
    } catch (cause) {
      // The ZIP layer's errors (damaged, too large) already say what and where.
      if (cause instanceof SourceFormatError) throw cause;
      throw new SourceFormatError(
        name,
        'bad_xlsx',
        `${name} is a ZIP archive but not a readable Excel workbook: its XML looks damaged or is not a workbook's (${(cause as Error).message}). Download it again, or open it in Excel and save it again as .xlsx.`,
        { cause },
      );
    }
  }
  // Rows are walked chunk by chunk in plain loops, as exceljs parses them: an awaited step per
  // row would cost a promise and a microtask on each of a million rows.
  const chunks = chunksOf();
  // The first rows, kept until the header is chosen among them (see HeaderTest).
  const scanned: SheetRow[] = [];
  const search = new HeaderSearch(isHeader);
  while (!search.done) {
    const next = await chunks.next();
    if (next.done) break;
    // The whole chunk is kept: rows after the header in it are data.
    for (const row of next.value) {
      scanned.push(row);
      search.offer(row.cells, isBlankRow(row.cells));
    }
  }
  const chosen = search.index;
  if (chosen < 0) return null;
  const header = headerText(scanned[chosen]!.cells);
  let pending: SheetRow[] = scanned;
  const at = chosen + 1;
  const width = header.length;
  const perBatch = batchRows(width);

  async function* batches(): AsyncGenerator<readonly RawRecord[]> {
    let batch: RawRecord[] = [];
    const take = (rows: readonly SheetRow[], from: number) => {
      for (let i = from; i < rows.length; i++) {
        const { number, cells } = rows[i]!;
        if (isBlankRow(cells)) continue;
        batch.push({ row: number, cells: alignCells(cells, width) });
      }
    };
    take(pending, at);
    pending = [];
    for await (const rows of chunks) {
      take(rows, 0);
      if (batch.length >= perBatch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  return {
    format: 'xlsx',
    header,
    rowUnit: 'row',
    sheet,
    encoding: 'utf-8',
    delimiter: null,
    batches: batches(),
    bytesRead: () => position?.() ?? null,
  };
}
