/**
 * XLSX workbooks written by exceljs, loaded through the CLI: recognised by content, read as a
 * stream, rows numbered as Excel shows them, the sheet named in every reject.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { realSubheadings } from './helpers/hs-codes.ts';
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
  'cmdCode',
  'netWgt',
  'primaryValue',
];

async function workbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(tmp(), name);
  await wb.xlsx.writeFile(path);
  return path;
}

const load = (path: string) => cli(['load', path, '--source', 'comtrade', '--db', db()]);

describe('corridor load on XLSX workbooks', () => {
  it('loads typed cells, keeps codes as text, and numbers rows as Excel shows them', async () => {
    const plain = await workbook('pak_plain.xlsx', (wb) => {
      const ws = wb.addWorksheet('Trade');
      ws.addRow(HEADER);
      ws.addRow(['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', '030613', 12.5, 1000.25]);
      ws.addRow(['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', 30614, null, 500]);
      ws.addRow([]);
      ws.addRow([
        'A',
        2023,
        586,
        'PAK',
        'M',
        398,
        'KAZ',
        { richText: [{ text: '31' }, { text: '0420' }] },
        1,
        { formula: 'J2*2', result: 77 },
      ]);
    });
    const run = await load(plain);
    expect(run.code).toBe(0);
    expect(
      query(
        db(),
        'select hs_code, value_usd, net_weight_kg, source_row from trade_flows order by source_row',
      ),
    ).toEqual([
      { hs_code: '030613', value_usd: 1000.25, net_weight_kg: 12.5, source_row: 2 },
      { hs_code: '030614', value_usd: 500, net_weight_kg: null, source_row: 3 },
      { hs_code: '310420', value_usd: 77, net_weight_kg: 1, source_row: 5 },
    ]);
    expect(
      query(
        db(),
        "select format, rows_read, rows_loaded, rows_rejected from load_files where status = 'loaded'",
      ),
    ).toEqual([{ format: 'xlsx', rows_read: 3, rows_loaded: 3, rows_rejected: 0 }]);
  });

  it('finds the header below a title block, and still numbers rows as Excel shows them', async () => {
    const path = await workbook('titled.xlsx', (wb) => {
      const ws = wb.addWorksheet('Exports');
      ws.addRow(['Pakistan: exports to Kazakhstan, 2023']);
      ws.addRow(['US dollars; source: Pakistan Bureau of Statistics']);
      ws.addRow([]);
      ws.addRow(HEADER);
      ws.addRow(['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', '310420', 10, 250]);
      ws.addRow(['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', '100199', 20, 75]);
    });

    const run = await load(path);

    expect(run.code).toBe(0);
    expect(query(db(), 'select hs_code, value_usd, source_row from trade_flows order by source_row')).toEqual(
      [
        { hs_code: '310420', value_usd: 250, source_row: 5 },
        { hs_code: '100199', value_usd: 75, source_row: 6 },
      ],
    );
    expect(query(db(), 'select rows_read from load_files')).toEqual([{ rows_read: 2 }]);
  });

  it('names the columns it found when no row of the first ones is a header it knows', async () => {
    const path = await workbook('notes.xlsx', (wb) => {
      const ws = wb.addWorksheet('Notes');
      ws.addRow(['Methodology']);
      ws.addRow(['Values are in US dollars']);
    });

    const run = await load(path);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no column for the reporter code/);
    expect(run.stderr).toMatch(/Found 1 column: "Methodology"/);
  });

  it('names the sheet and the Excel row of a rejected row', async () => {
    const path = await workbook('bad.xlsx', (wb) => {
      const ws = wb.addWorksheet('Data 2023');
      ws.addRow(HEADER);
      realSubheadings('H6', 30).forEach((code, i) => {
        ws.addRow(['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', code, 1, 10 + i]);
      });
      ws.addRow(['A', 2023, 586, 'PAK', 'X', 398, 'KAZ', '0101', 1, -5]);
    });
    const run = await load(path);
    expect(run.code).toBe(0);
    expect(query(db(), 'select sheet, row_number, column_name, code from rejects')).toEqual([
      { sheet: 'Data 2023', row_number: 32, column_name: 'primaryValue', code: 'negative_value' },
    ]);
    expect(run.stderr).toContain('bad.xlsx › Data 2023 › row 32, column "primaryValue"');
  });

  it('reads the first visible sheet, skipping a hidden one before it', async () => {
    const path = await workbook('hidden.xlsx', (wb) => {
      const hidden = wb.addWorksheet('lookup', { state: 'hidden' });
      hidden.addRow(['nothing', 'to', 'see']);
      const ws = wb.addWorksheet('Trade');
      ws.addRow(HEADER);
      ws.addRow(['A', 2022, 586, 'PAK', 'M', 398, 'KAZ', '310420', 5, 99]);
    });
    const run = await load(path);
    expect(run.code).toBe(0);
    expect(query(db(), 'select hs_code from trade_flows')).toEqual([{ hs_code: '310420' }]);
  });

  it('recognises a workbook by its content whatever its extension, and refuses an empty one', async () => {
    const named = await workbook('export.csv', (wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(HEADER);
      ws.addRow(['A', 2021, 586, 'PAK', 'X', 0, 'W00', 'TOTAL', null, 123]);
    });
    expect((await load(named)).code).toBe(0);
    const empty = await workbook('empty.xlsx', (wb) => wb.addWorksheet('Blank'));
    const run = await load(empty);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/empty\.xlsx is an Excel workbook whose first visible sheet is empty/);
  });

  it('refuses a ZIP archive that is not a workbook, saying what it is', async () => {
    const path = join(tmp(), 'data.zip');
    writeFileSync(path, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 0x41)]));
    const run = await load(path);
    expect(run.code).toBe(1);
    // No ZIP directory at the end: what a download cut short looks like.
    expect(run.stderr).toMatch(/data\.zip looks damaged: at its end: .*cut short/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
