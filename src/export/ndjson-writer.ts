/**
 * NDJSON exports (newline-delimited JSON, https://github.com/ndjson/ndjson-spec): one JSON object
 * a line, each ending with LF, the same objects as the JSON export (json-writer.ts) without the
 * enclosing array, so a reader takes one line at a time and `split`, `head` and `wc -l` work.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import { jsonRecord } from './json-writer.ts';
import type { TableWriter, WriterOptions, WrittenExport } from './table-writer.ts';

/**
 * Opens an NDJSON file for writing.
 *
 * @example
 * const writer = await openNdjsonWriter({ path: 'out/flows.ndjson', columns, table: 'trade_flows' });
 * await writer.write(rows); // one line per row
 * await writer.finish();
 */
export async function openNdjsonWriter(options: WriterOptions): Promise<TableWriter> {
  const record = jsonRecord(options.columns);
  let handle: FileHandle | null = await open(options.path, 'w');
  let rows = 0;

  const close = async () => {
    const open = handle;
    handle = null;
    await open?.close();
  };

  return {
    async write(batch) {
      if (handle === null) throw new Error('NDJSON writer used after finish or abort.');
      if (batch.length === 0) return;
      let text = '';
      for (const row of batch) text += `${record(row)}\n`;
      await handle.write(text);
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
