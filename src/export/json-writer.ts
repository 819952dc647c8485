/**
 * JSON exports: one array of objects, one object a line, keys in column order, written a batch
 * at a time so the whole never sits in memory:
 *
 * ```json
 * [
 * {"reporter_iso3":"PAK","partner_iso3":"KAZ","hs_code":"010121","value_usd":1250.5},
 * {"reporter_iso3":"PAK","partner_iso3":"KAZ","hs_code":"020130","value_usd":null}
 * ]
 * ```
 *
 * Text stays text (`"010121"` keeps its zero), numbers are JSON numbers, NULL is `null`. An
 * integer beyond 2^53 (which a double cannot hold exactly) is written as a string of its digits,
 * so no reader rounds it silently. No formula guard: JSON is read by programs, not spreadsheets.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import type { ExportColumn, ExportRow, TableWriter, WriterOptions, WrittenExport } from './table-writer.ts';

/** A value as JSON text. */
function jsonValue(value: ExportRow[number]): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? String(n) : `"${value}"`;
  }
  return JSON.stringify(value);
}

/**
 * A function writing one row as a JSON object on one line, keys in column order. Shared with the
 * NDJSON writer, whose lines are the same objects.
 *
 * @example
 * const record = jsonRecord([{ name: 'hs_code', type: 'text', description: '' }]);
 * record(['010121']); // '{"hs_code":"010121"}'
 */
export function jsonRecord(columns: readonly ExportColumn[]): (row: ExportRow) => string {
  const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
  return (row) => {
    let text = '';
    for (let i = 0; i < keys.length; i++) text += keys[i]! + jsonValue(row[i] ?? null);
    return keys.length === 0 ? '{}' : `${text}}`;
  };
}

/**
 * Opens a JSON file and writes the array's opening bracket.
 *
 * @example
 * const writer = await openJsonWriter({ path: 'out/flows.json', columns, table: 'trade_flows' });
 * await writer.write(rows);
 * await writer.finish(); // closes the array
 */
export async function openJsonWriter(options: WriterOptions): Promise<TableWriter> {
  const record = jsonRecord(options.columns);
  let handle: FileHandle | null = await open(options.path, 'w');
  let rows = 0;
  await handle.write('[');

  const close = async () => {
    const open = handle;
    handle = null;
    await open?.close();
  };

  return {
    async write(batch) {
      if (handle === null) throw new Error('JSON writer used after finish or abort.');
      if (batch.length === 0) return;
      let text = '';
      for (const row of batch) text += `${rows++ === 0 ? '\n' : ',\n'}${record(row)}`;
      await handle.write(text);
    },
    async finish(): Promise<WrittenExport> {
      await handle?.write(rows === 0 ? ']\n' : '\n]\n');
      await close();
      return { files: [options.path], rows };
    },
    async abort() {
      await close();
      await rm(options.path, { force: true });
    },
  };
}
