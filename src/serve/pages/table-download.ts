/**
 * A table's download (`/tables/<name>/download.csv|json|parquet`): made by the export code of
 * `corridor export` (src/export/export-table.ts) into a temporary folder, then streamed and
 * removed. Without filters it is the table's export, byte for byte what `corridor export
 * <table>` writes; with filters it is an export query of the same columns and order.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTable, FORMAT_EXTENSIONS } from '../../export/export-table.ts';
import type { PageResponse } from '../page.ts';
import { exportQueryOf, type TableSelection } from './table-selection.ts';

/** The formats the console offers, with their media types. */
export const DOWNLOAD_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
} as const;

export type DownloadFormat = keyof typeof DOWNLOAD_TYPES;

export const isDownloadFormat = (text: string): text is DownloadFormat => Object.hasOwn(DOWNLOAD_TYPES, text);

/** Exports into a fresh temporary folder, yields the file's bytes, then removes the folder. */
async function* exported(
  location: string,
  selection: TableSelection,
  format: DownloadFormat,
  fileName: string,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const folder = await mkdtemp(join(tmpdir(), 'corridor-serve-'));
  try {
    const result = await exportTable({
      warehouse: location,
      subject:
        selection.filters.length === 0 ? { table: selection.table } : { query: exportQueryOf(selection) },
      format,
      out: join(folder, fileName),
      signal,
    });
    const stream = createReadStream(result.files[0]!);
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export function tableDownload(
  location: string,
  selection: TableSelection,
  format: DownloadFormat,
  signal: AbortSignal,
): PageResponse {
  const fileName = `${selection.table}${selection.filters.length === 0 ? '' : '-filtered'}${FORMAT_EXTENSIONS[format]}`;
  return {
    kind: 'download',
    fileName,
    contentType: DOWNLOAD_TYPES[format],
    body: exported(location, selection, format, fileName, signal),
  };
}
