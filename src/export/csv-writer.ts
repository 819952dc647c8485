/**
 * CSV exports: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180), written by papaparse one batch
 * at a time. UTF-8, a header row of column names, fields quoted only when they hold a comma, a
 * quote, a line break or a leading or trailing space, and CRLF line endings, as RFC 4180 says:
 * every CSV reader accepts them, and Excel, R and Python's csv module write them too.
 *
 * Numbers are written as JavaScript's shortest exact form (`-12.5`, `1234567.891`, `1e-7`):
 * reading one back gives the same double, and a spreadsheet reads it as a number. NULL is an
 * empty field, an empty text `""`. Text goes through the formula guard (formula-guard.ts)
 * unless `raw` is set, and a guarded field is also quoted, as OWASP advises.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import Papa from 'papaparse';
import { FORMULA_ESCAPE } from './formula-guard.ts';
import type { TableWriter, WriterOptions, WrittenExport } from './table-writer.ts';

export interface CsvWriterOptions extends WriterOptions {
  /** Write text cells as they are, without the formula guard: for programs, not spreadsheets. */
  readonly raw?: boolean;
  /**
   * Start the file with a UTF-8 byte order mark, without which Excel on Windows reads a CSV as
   * the system's code page (`Türkiye` becomes `TÃ¼rkiye`). Off by default: most other readers
   * take the mark for part of the first column's name.
   */
  readonly bom?: boolean;
}

/** RFC 4180's line break. */
const CRLF = '\r\n';

/**
 * Opens a CSV file for writing and writes its header row.
 *
 * @example
 * const writer = await openCsvWriter({ path: 'out/flows.csv', columns, table: 'trade_flows' });
 * await writer.write([['PAK', 'KAZ', '010121', 1250.5]]);
 * const { rows } = await writer.finish();
 */
export async function openCsvWriter(options: CsvWriterOptions): Promise<TableWriter> {
  const raw = options.raw === true;
  const config: Papa.UnparseConfig = {
    newline: CRLF,
    // papaparse's own formula escape, given Corridor's rule: it adds the apostrophe to text
    // only (never to a number) and quotes the field, as OWASP advises.
    escapeFormulae: raw ? false : FORMULA_ESCAPE,
    // An empty text is written `""` and NULL as nothing, so a reader that heeds quotes (R's
    // readr and data.table) tells them apart.
    quotes: (value: unknown) => value === '',
  };
  let handle: FileHandle | null = await open(options.path, 'w');
  let rows = 0;
  const header = options.columns.map((c) => c.name);
  await handle.write(`${options.bom === true ? '\ufeff' : ''}${Papa.unparse([header], config)}${CRLF}`);

  const close = async () => {
    const open = handle;
    handle = null;
    await open?.close();
  };

  return {
    async write(batch) {
      if (handle === null) throw new Error('CSV writer used after finish or abort.');
      if (batch.length === 0) return;
      // papaparse writes a bigint with its digits and a number with String(n): the batch goes
      // in as it is.
      await handle.write(Papa.unparse(batch as unknown[][], config) + CRLF);
      rows += batch.length;
    },
    async finish(): Promise<WrittenExport> {
      await close();
      return { files: [options.path], rows };
    },
    async abort() {
      await close();
      await rm(options.path, { force: true });
    },
  };
}
