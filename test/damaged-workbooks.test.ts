/**
 * Real workbooks (written by exceljs and SheetJS) damaged the ways downloads and disks damage
 * them: cut short, bits flipped (a seeded generator, so a failure replays), entries shuffled,
 * or a ZIP of something else. Each damaged file fails on its own, with a code and a message
 * that says it looks damaged and where, never an internal error nor an exit without a message,
 * and the run goes on to the next file and ends closed in the journal. Both XLSX readers: the
 * sheet scanner, and exceljs (in a real process, where an unsettled read once exited 13).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { resetSheetjsFormats } from '../src/read/sheetjs-workbook.ts';
import { textEntry } from './helpers/bomb-zip.ts';
import { mulberry32 } from './helpers/mutations.ts';
import { type CliRun, cli, cliProcess } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';
import { readZipEntries, writeZipEntries } from './helpers/zip-entries.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const HEADER = ['reporterCode', 'partnerCode', 'flowCode', 'period', 'cmdCode', 'primaryValue'];
const GOOD_CSV = `${HEADER.join(',')}\n586,398,X,2021,TOTAL,5\n`;
/** Codes a damaged workbook may fail with: each says what is wrong with the file. */
const FILE_CODES = /^(damaged_file|bad_xlsx|bad_xls|empty_file|missing_column)$/;

function rows(): (string | number)[][] {
  return Array.from({ length: 400 }, (_, i) => [586, 398, i % 2 ? 'X' : 'M', 2021, 'TOTAL', i + 0.5]);
}

async function realXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Trade');
  ws.addRow(HEADER);
  for (const row of rows()) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same bytes in every process: SheetJS writes the formats of the last .xls read (sheetjs-workbook.ts). */
function realXls(): Buffer {
  resetSheetjsFormats();
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([HEADER, ...rows()]), 'Trade');
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

function file(name: string, bytes: Buffer | string): string {
  const path = join(tmp(), name);
  writeFileSync(path, bytes);
  return path;
}

/**
 * `bytes` with `count` bytes flipped at offsets drawn from `seed` in [from, to) (by default all
 * but the first 8, the signature that says which reader opens the file).
 */
function flipped(bytes: Buffer, seed: number, count = 3, from = 8, to = bytes.length): Buffer {
  const random = mulberry32(seed);
  const copy = Buffer.from(bytes);
  for (let i = 0; i < count; i++) {
    const at = from + Math.floor(random() * (to - from));
    copy[at] = copy[at]! ^ (1 + Math.floor(random() * 255));
  }
  return copy;
}

interface FileRow {
  file_name: string;
  status: string;
  error_code: string | null;
  error_message: string | null;
}

/**
 * The run's outcome for each file: no stack trace, no internal error, no silent exit; the run
 * is closed and the good CSV after the damaged files loaded.
 */
function expectEachFileSettled(run: CliRun): Map<string, FileRow> {
  expect(run.stderr).not.toContain('    at ');
  expect(run.stderr).not.toMatch(/internal error|internal_error/i);
  expect([0, 1, 3]).toContain(run.code);
  const files = query<FileRow>(db(), 'select file_name, status, error_code, error_message from load_files');
  for (const row of files) {
    if (row.status === 'failed') {
      expect(row.error_code, row.error_message ?? '').toMatch(FILE_CODES);
      expect(run.stderr).toContain(row.error_message);
    } else {
      expect(row.status, row.file_name).toBe('loaded');
    }
  }
  expect(files.find((f) => f.file_name === 'after.csv')?.status).toBe('loaded');
  for (const { status } of query<{ status: string }>(db(), 'select status from load_runs'))
    expect(status).not.toBe('running');
  return new Map(files.map((f) => [f.file_name, f]));
}

const load = (paths: readonly string[]) =>
  cli(['load', ...paths, join(tmp(), 'after.csv'), '--source', 'comtrade', '--db', db()], tmp());

describe('damaged workbooks fail their file clearly, and the run goes on', () => {
  it('an .xlsx cut short at any point fails as damaged, naming where', async () => {
    const bytes = await realXlsx();
    file('after.csv', GOOD_CSV);
    const cuts = [0.05, 0.25, 0.5, 0.75, 0.95]
      .map((f) => Math.floor(bytes.length * f))
      .concat(bytes.length - 7);
    const paths = cuts.map((cut) => file(`cut-${cut}.xlsx`, bytes.subarray(0, cut)));
    const files = expectEachFileSettled(await load(paths));
    for (const cut of cuts) {
      const row = files.get(`cut-${cut}.xlsx`)!;
      expect(row).toMatchObject({ status: 'failed', error_code: 'damaged_file' });
      expect(row.error_message).toMatch(/looks damaged: at its end: .*cut short.*Download it again/);
    }
  });

  it('an .xlsx with bytes flipped fails as damaged (part and byte named) or loads, never crashes', async () => {
    const bytes = await realXlsx();
    file('after.csv', GOOD_CSV);
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const paths = seeds.map((seed) => file(`flip-${seed}.xlsx`, flipped(bytes, seed)));
    const files = expectEachFileSettled(await load(paths));
    const damaged = [...files.values()].filter((f) => f.error_code === 'damaged_file');
    // Most of a workbook's bytes are deflated parts, whose CRC-32 catches any flip.
    expect(damaged.length).toBeGreaterThan(seeds.length / 2);
    for (const row of damaged) expect(row.error_message).toMatch(/looks damaged: .*(part|byte|directory)/);
  });

  it('an .xlsx whose entries are shuffled still loads; a ZIP of something else fails saying so', async () => {
    const entries = readZipEntries(await realXlsx());
    const random = mulberry32(42);
    const shuffled = [...entries].sort(() => random() - 0.5);
    file('after.csv', GOOD_CSV);
    const paths = [
      file('shuffled.xlsx', writeZipEntries(shuffled)),
      file('csv-in-zip.xlsx', writeZipEntries([textEntry('data.csv', GOOD_CSV)])),
    ];
    const files = expectEachFileSettled(await load(paths));
    expect(files.get('shuffled.xlsx')).toMatchObject({ status: 'loaded' });
    expect(files.get('csv-in-zip.xlsx')).toMatchObject({ status: 'failed', error_code: 'bad_xlsx' });
    expect(files.get('csv-in-zip.xlsx')!.error_message).toMatch(/holds no Excel workbook.*data\.csv/);
  });

  it('damaged .xlsx files read by exceljs, in a real process, each end with a message and the run is closed', async () => {
    const bytes = await realXlsx();
    file('after.csv', GOOD_CSV);
    const paths = [
      file('x-cut.xlsx', bytes.subarray(0, Math.floor(bytes.length * 0.6))),
      ...[21, 22, 23, 24].map((seed) => file(`x-flip-${seed}.xlsx`, flipped(bytes, seed))),
    ];
    const run = cliProcess(
      ['load', ...paths, join(tmp(), 'after.csv'), '--source', 'comtrade', '--db', db()],
      tmp(),
      {
        CORRIDOR_FAST_XLSX: '0',
      },
    );
    expect(run.code, run.stderr).not.toBe(13);
    const files = expectEachFileSettled(run);
    expect(files.get('x-cut.xlsx')).toMatchObject({ status: 'failed', error_code: 'damaged_file' });
  }, 60_000);

  it('a legacy .xls cut short or with bytes flipped fails as damaged or loads, never as an internal error', async () => {
    const bytes = realXls();
    file('after.csv', GOOD_CSV);
    const cuts = [0.1, 0.4, 0.7].map((f) => Math.floor(bytes.length * f));
    const paths = [
      ...cuts.map((cut) => file(`cut-${cut}.xls`, bytes.subarray(0, cut))),
      ...[31, 32, 33, 34, 35, 36].map((seed) => file(`flip-${seed}.xls`, flipped(bytes, seed, 6))),
      // The compound file's header and first sectors: where its directory and allocation table are.
      ...[41, 42, 43, 44, 45, 46].map((seed) => file(`head-${seed}.xls`, flipped(bytes, seed, 2, 8, 2048))),
    ];
    const files = expectEachFileSettled(await load(paths));
    for (const cut of cuts) {
      const row = files.get(`cut-${cut}.xls`)!;
      expect(row).toMatchObject({ status: 'failed', error_code: 'damaged_file' });
      expect(row.error_message).toMatch(
        /looks damaged: at its end \(byte \d+\): .*cut short.*Download it again/,
      );
    }
    // SheetJS lists a sheet it then finds no records for: once an internal error ("reading '!data'").
    expect(files.get('flip-31.xls')).toMatchObject({ status: 'failed', error_code: 'damaged_file' });
    expect(files.get('flip-31.xls')!.error_message).toMatch(/the sheet "Trade" is listed but has no records/);
  });
});
