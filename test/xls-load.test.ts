/**
 * Legacy .xls workbooks (BIFF8) written by SheetJS, loaded through the CLI: recognised by
 * content (the OLE compound-file signature), whatever their name, rows numbered as Excel shows
 * them, the sheet named in every reject.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const HEADER = [
  'freqCode',
  'period',
  'reporterCode',
  'reporterISO',
  'flowCode',
  'partnerCode',
  'partnerISO',
  'classificationCode',
  'cmdCode',
  'primaryValue',
];

/** Writes an .xls (BIFF8) with the given sheets; `hidden` names sheets to hide. */
function xls(name: string, sheets: Record<string, unknown[][]>, hidden: readonly string[] = []): string {
  const wb = XLSX.utils.book_new();
  for (const [sheet, rows] of Object.entries(sheets))
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), sheet);
  wb.Workbook = { Sheets: Object.keys(sheets).map((n) => ({ name: n, Hidden: hidden.includes(n) ? 1 : 0 })) };
  const path = join(tmp(), name);
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  return path;
}

const load = (path: string) => cli(['load', path, '--source', 'comtrade', '--db', db()]);

describe('corridor load on legacy .xls workbooks', () => {
  it('finds the header below a title, loads typed cells, restores a code Excel made a number, and names the sheet and row of a reject', async () => {
    const path = xls('pak_2023.xls', {
      Trade: [
        ['Pakistan exports to Kazakhstan, 2023 (illustrative)'],
        [],
        HEADER,
        ['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', 'H5', '030617', 1000.25],
        ['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', 'H5', 80521, 500],
        ['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', 'H5', '100190', 7],
      ],
    });

    const run = await load(path);

    expect(run.code).toBe(3); // 1 of 3 rows rejected: over the 5 % threshold
    expect(query(db(), 'select hs_code, value_usd, source_row from trade_flows order by source_row')).toEqual(
      [
        { hs_code: '030617', value_usd: 1000.25, source_row: 4 },
        { hs_code: '080521', value_usd: 500, source_row: 5 },
      ],
    );
    expect(query(db(), 'select sheet, row_number, code from rejects')).toEqual([
      { sheet: 'Trade', row_number: 6, code: 'unknown_hs_code' },
    ]);
    expect(query(db(), 'select format, rows_read, rows_loaded, rows_rejected from load_files')).toEqual([
      { format: 'xls', rows_read: 3, rows_loaded: 2, rows_rejected: 1 },
    ]);
  });

  it('recognises an .xls by its content under another name, and skips a hidden first sheet', async () => {
    const path = xls(
      'book.xls',
      {
        Notes: [['methodology'], ['these are not data']],
        Data: [HEADER, ['A', 2022, 586, 'PAK', 'M', 398, 'KAZ', 'H5', '310420', 42]],
      },
      ['Notes'],
    );
    const renamed = join(tmp(), 'export.csv');
    copyFileSync(path, renamed);

    const run = await load(renamed);

    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/FAIL|methodology/);
    expect(query(db(), 'select flow, hs_code, value_usd from trade_flows')).toEqual([
      { flow: 'M', hs_code: '310420', value_usd: 42 },
    ]);
  });

  it('refuses a damaged .xls with a message that says what to do, and no stack trace', async () => {
    const path = join(tmp(), 'broken.xls');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 7)]),
    );

    const run = await load(path);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.xls/);
    expect(run.stderr).toMatch(/save it again|cannot be read|not a/i);
    expect(run.stderr).not.toContain('    at ');
    expect(query(db(), 'select count(*) as n from trade_flows')).toEqual([{ n: 0 }]);
  });
});
