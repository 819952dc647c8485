/**
 * Opens any supported file as a RawTable, choosing the reader by content rather than by
 * extension: a ZIP archive is an XLSX workbook, JSON starts with `{` or `[`, other text is CSV. Empty files, HTML error
 * pages and documents without records are refused here with a message that says what to do.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { SourceFormatError } from '../errors.ts';
import { noDataNote, type ReplyRecogniser } from '../validate/publisher-reply.ts';
import { type ArchiveLimits, archiveLimits } from './archive-limits.ts';
import { readCsv } from './csv-reader.ts';
import type { HeaderTest } from './header-search.ts';
import { readJson } from './json-reader.ts';
import type { RawTable } from './raw-table.ts';
import { openTextStream } from './text-stream.ts';

export interface OpenTableOptions {
  /** Encoding named by the user; otherwise detected. */
  readonly encoding?: string;
  /** Which row of a spreadsheet is the header (titles may sit above it); CSV and JSON ignore it. */
  readonly isHeader?: HeaderTest;
  /**
   * The source's reading of a JSON document without records (validate/publisher-reply.ts): an
   * answer that nothing matched opens as a table without records, another output is refused.
   */
  readonly recognise?: ReplyRecogniser;
  /** Limits on unpacking a workbook, over the defaults and the environment (archive-limits.ts). */
  readonly archiveLimits?: Partial<ArchiveLimits>;
}

/** The document when the head is all of it (a small reply); undefined otherwise. */
function wholeDocument(head: string): unknown {
  try {
    return JSON.parse(head) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What a small JSON reply without records says about itself: the API's `error` or `message`,
 * or the keys it has instead of a `data` array. Null when the head is not a whole document.
 */
function explainEmptyJson(head: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(head);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const fields = doc as Record<string, unknown>;
  for (const key of ['error', 'message', 'Message', 'statusMessage']) {
    const said = fields[key];
    if (typeof said === 'string' && said.trim() !== '') {
      const status = fields.statusCode ?? fields.status;
      return `the API said: "${said.trim()}"${status === undefined ? '' : ` (status ${String(status)})`}`;
    }
  }
  if (!('data' in fields) && !('dataset' in fields)) {
    return `it has no "data" array (its keys: ${Object.keys(fields).slice(0, 10).join(', ') || 'none'})`;
  }
  return null;
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** An OLE compound file: legacy .xls workbooks (and other old Office documents). */
const COMPOUND_FILE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function startsWith(path: string, signature: Buffer): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(signature.length);
    const { bytesRead } = await handle.read(head, 0, signature.length, 0);
    return bytesRead === signature.length && head.equals(signature);
  } finally {
    await handle.close();
  }
}

/** True when the file is a ZIP archive (an XLSX workbook, whatever its extension). */
export const startsWithZip = (path: string): Promise<boolean> => startsWith(path, ZIP_SIGNATURE);

/** True when the file is an OLE compound file (a legacy .xls workbook, whatever its extension). */
export const startsWithCompoundFile = (path: string): Promise<boolean> =>
  startsWith(path, COMPOUND_FILE_SIGNATURE);

/** True for an Excel workbook of either kind (.xlsx or legacy .xls), by content. */
export async function isWorkbookFile(path: string): Promise<boolean> {
  return (await startsWithZip(path)) || (await startsWith(path, COMPOUND_FILE_SIGNATURE));
}

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<RawTable> {
  const name = basename(path);
  // An XLSX workbook is a ZIP archive; recognised by content, whatever its extension.
  if (await startsWithZip(path)) {
    // exceljs is large: loaded only when a workbook arrives, not on every CSV load.
    const { readXlsx } = await import('./xlsx-reader.ts');
    const table = await readXlsx(path, options.isHeader, archiveLimits(options.archiveLimits));
    if (table === null) {
      throw new SourceFormatError(
        name,
        'empty_file',
        `${name} is an Excel workbook whose first visible sheet is empty. Put the table on the first sheet, or check the export.`,
      );
    }
    return table;
  }
  // A legacy .xls workbook is an OLE compound file; recognised by content too.
  if (await startsWithCompoundFile(path)) {
    const { readXls } = await import('./xls-reader.ts');
    const table = await readXls(path, options.isHeader, archiveLimits(options.archiveLimits));
    if (table === null) {
      throw new SourceFormatError(
        name,
        'empty_file',
        `${name} is a legacy Excel workbook whose first visible sheet is empty. Put the table on the first sheet, or check the export.`,
      );
    }
    return table;
  }
  const text = await openTextStream(path, options.encoding);
  const start = text.head.trimStart();
  if (start === '') {
    throw new SourceFormatError(
      name,
      'empty_file',
      `${name} is empty: it has no header and no rows. Check that the download or export finished.`,
    );
  }
  if (/^<(!doctype|html|\?xml)/i.test(start)) {
    throw new SourceFormatError(
      name,
      'not_csv',
      `${name} is an HTML or XML page, not CSV or JSON (often a server's error or login page saved under a data file's name). Open it to see what the server said, then download the data again.`,
    );
  }
  const isJson = start.startsWith('{') || start.startsWith('[');
  const table = isJson
    ? await readJson(text.chunks, { path, encoding: text.encoding, head: text.head })
    : await readCsv(text.chunks, {
        name,
        encoding: text.encoding,
        head: text.head,
        ...(options.isHeader === undefined ? {} : { isHeader: options.isHeader }),
      });
  if (table === null && isJson && options.recognise !== undefined) {
    const document = wholeDocument(text.head);
    const reply =
      document === undefined
        ? null
        : options.recognise({
            name,
            format: 'json',
            header: [],
            records: [],
            complete: true,
            bound: false,
            document,
          });
    if (reply?.kind === 'refused') throw new SourceFormatError(name, reply.code, reply.message);
    if (reply?.kind === 'no_data')
      return {
        format: 'json',
        header: [],
        rowUnit: 'record',
        sheet: null,
        encoding: text.encoding,
        delimiter: null,
        batches: (async function* () {})(),
        bytesRead: text.bytesRead,
        noData: noDataNote(reply.said),
      };
  }
  if (table === null) {
    const explanation = isJson ? explainEmptyJson(text.head) : null;
    throw new SourceFormatError(
      name,
      'empty_file',
      isJson
        ? `${name} holds no records${explanation ? `; ${explanation}` : ''}. An empty or missing "data" array usually means the query matched nothing (a wrong period, flow or reporter code) or the request was refused.`
        : `${name} is empty: it has no rows. Check that the download or export finished.`,
    );
  }
  // The readers see decoded text; how far into the file that is, the text stream knows.
  return { ...table, bytesRead: text.bytesRead };
}
