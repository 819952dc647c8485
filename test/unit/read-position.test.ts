/**
 * How far into its file a reader is (RawTable.bytesRead), which progress turns into a percent
 * and a time left: it grows as batches come and ends at the file's size, for plain text,
 * gzip-compressed text (compressed bytes), JSON and XLSX workbooks read by the sheet scanner.
 * exceljs does not tell, and says so with null.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openTable } from '../../src/read/open-table.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();

afterEach(() => {
  delete process.env.CORRIDOR_FAST_XLSX;
});

/** The reader's position after each batch. */
async function positions(path: string): Promise<(number | null)[]> {
  const table = await openTable(path);
  const seen: (number | null)[] = [];
  for await (const _batch of table.batches) seen.push(table.bytesRead?.() ?? null);
  return seen;
}

/** 40,000 rows, about 1 MB: several 256 KiB reads. */
const ROWS = Array.from({ length: 40_000 }, (_, i) => ({
  reporter: 'PAK',
  partner: 'KAZ',
  code: 100_000 + i,
  value: i * 7,
}));
const csv = `reporter,partner,code,value\n${ROWS.map((r) => `${r.reporter},${r.partner},${r.code},${r.value}`).join('\n')}\n`;

const growing = (xs: readonly (number | null)[]) =>
  xs.every((x, i) => i === 0 || (x ?? 0) >= (xs[i - 1] ?? 0));

describe('the position of a reader in its file', () => {
  it('grows with the batches of a CSV file and ends at its size', async () => {
    const path = join(tmp(), 'flows.csv');
    writeFileSync(path, csv);
    const seen = await positions(path);
    // A batch is about one 256 KiB read: the position moves between batches, not only at the end.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]).toBeLessThan(statSync(path).size);
    expect(growing(seen)).toBe(true);
    expect(seen.at(-1)).toBe(statSync(path).size);
  });

  it('counts compressed bytes in a gzip file, so that it compares with the file size', async () => {
    const path = join(tmp(), 'flows.csv.gz');
    writeFileSync(path, gzipSync(csv));
    const seen = await positions(path);
    expect(growing(seen)).toBe(true);
    expect(seen.at(-1)).toBe(statSync(path).size);
  });

  it('ends at the size of a JSON reply', async () => {
    const path = join(tmp(), 'flows.json');
    writeFileSync(path, JSON.stringify({ data: ROWS.slice(0, 5000) }));
    const seen = await positions(path);
    expect(growing(seen)).toBe(true);
    expect(seen.at(-1)).toBe(statSync(path).size);
  });

  it('ends at the size of a workbook read by the sheet scanner, and is unknown through exceljs', async () => {
    const path = join(tmp(), 'flows.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['reporter', 'partner', 'code', 'value']);
    for (const r of ROWS.slice(0, 3000)) sheet.addRow([r.reporter, r.partner, r.code, r.value]);
    await workbook.xlsx.writeFile(path);

    const fast = await positions(path);
    expect(growing(fast)).toBe(true);
    expect(fast.at(-1)).toBe(statSync(path).size);

    process.env.CORRIDOR_FAST_XLSX = '0';
    expect(new Set(await positions(path))).toEqual(new Set([null]));
  });
});
