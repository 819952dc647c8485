/**
 * Decompression bombs and lying archives, built here (a few megabytes on disk that inflate to
 * gigabytes), loaded through the CLI: each fails its file in seconds with a code and a message
 * that gives the figure and the variable that raises the limit, in bounded memory, and the
 * journal is closed. Small limits keep most cases fast; the headline bombs run at the default
 * limits in a real process, timed and measured by /usr/bin/time.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openTable } from '../src/read/open-table.ts';
import { openSheetStream } from '../src/read/sheet-stream.ts';
import {
  deflatedEntry,
  manyEntriesZip,
  repeatedPartBomb,
  sharedStringsBomb,
  textEntry,
  workbookZip,
} from './helpers/bomb-zip.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const MiB = 1024 * 1024;
const BIN = fileURLToPath(new URL('../bin/corridor.js', import.meta.url));
const VARIABLES = [
  'CORRIDOR_ZIP_MAX_ENTRY_BYTES',
  'CORRIDOR_ZIP_MAX_ARCHIVE_BYTES',
  'CORRIDOR_ZIP_MAX_RATIO',
  'CORRIDOR_ZIP_MAX_ENTRIES',
  'CORRIDOR_XLSX_MAX_SHARED_STRINGS_BYTES',
  'CORRIDOR_XLS_MAX_BYTES',
  'CORRIDOR_XLS_MAX_CELLS',
  'CORRIDOR_FAST_XLSX',
];

afterEach(() => {
  for (const variable of VARIABLES) delete process.env[variable];
});

function file(name: string, bytes: Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, bytes);
  return path;
}

const load = (...files: string[]) => cli(['load', ...files, '--source', 'comtrade', '--db', db()], tmp());

/** The journal: every file failed with `code`, and no run left `running`. */
function expectJournalClosed(code: string | RegExp): void {
  for (const row of query<{ status: string; error_code: string }>(
    db(),
    'select status, error_code from load_files',
  ))
    expect(row).toMatchObject({ status: 'failed', error_code: expect.stringMatching(code) });
  for (const run of query<{ status: string }>(db(), 'select status from load_runs'))
    expect(run.status).not.toBe('running');
}

interface Measured {
  readonly code: number;
  readonly stderr: string;
  /** Wall-clock seconds: what a user waits, but on a busy machine mostly waiting for a core. */
  readonly seconds: number;
  /** CPU seconds (user and system): the work done, which the limits bound whatever the load. */
  readonly cpuSeconds: number;
  readonly peakMb: number;
}

/** Loads `paths` in one real process under /usr/bin/time: its exit code, what it said, wall and CPU time, peak RSS. */
function measuredLoad(paths: readonly string[]): Measured {
  const started = process.hrtime.bigint();
  const args = [BIN, 'load', ...paths, '--source', 'comtrade', '--db', db()];
  const run = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb=%M cpu=%U+%S', process.execPath, ...args], {
    cwd: tmp(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peak = /peak-rss-kb=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(run.stderr);
  expect(peak, run.stderr).not.toBeNull();
  const peakMb = Number(peak![1]) / 1024;
  const cpuSeconds = Number(peak![2]) + Number(peak![3]);
  console.log(
    `${paths.length} bombs: exit ${run.status}, ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s), peak RSS ${peakMb.toFixed(0)} MB`,
  );
  return { code: run.status ?? -1, stderr: run.stderr, seconds, cpuSeconds, peakMb };
}

describe('decompression bombs at the default limits, in a real process', () => {
  it('refuses five bombs of 1 to 2 GiB, each with its code and figure, in seconds of CPU and under 300 MB', () => {
    const bombs = {
      // 406:1, under the ratio limit: stopped by the shared-string limit.
      'bomb-shared.xlsx': { 'xl/sharedStrings.xml': sharedStringsBomb(2048) },
      // 1,009:1 declared: refused before a byte is inflated.
      'bomb-sheet.xlsx': { 'xl/worksheets/sheet1.xml': repeatedPartBomb('xl/worksheets/sheet1.xml', 2048) },
      // Declares 1,000 bytes: stopped as soon as it passes them.
      'bomb-lying.xlsx': { 'xl/sharedStrings.xml': sharedStringsBomb(2048, 1000) },
      'bomb-workbook.xlsx': { 'xl/workbook.xml': repeatedPartBomb('xl/workbook.xml', 1024, 8 * MiB) },
      'bomb-workbook-honest.xlsx': { 'xl/workbook.xml': repeatedPartBomb('xl/workbook.xml', 1024) },
    };
    const paths = Object.entries(bombs).map(([name, parts]) => file(name, workbookZip(parts)));

    const run = measuredLoad(paths);

    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('    at ');
    expect(run.stderr).not.toMatch(/Invalid string length|heap out of memory/);
    expect(run.cpuSeconds).toBeLessThan(10);
    expect(run.peakMb).toBeLessThan(300);
    expect(query(db(), 'select file_name, error_code from load_files order by load_id')).toEqual([
      { file_name: 'bomb-shared.xlsx', error_code: 'archive_too_large' },
      { file_name: 'bomb-sheet.xlsx', error_code: 'archive_ratio_exceeded' },
      { file_name: 'bomb-lying.xlsx', error_code: 'damaged_file' },
      { file_name: 'bomb-workbook.xlsx', error_code: 'damaged_file' },
      { file_name: 'bomb-workbook-honest.xlsx', error_code: 'archive_ratio_exceeded' },
    ]);
    expectJournalClosed(/^(archive_too_large|archive_ratio_exceeded|damaged_file)$/);
    for (const said of [
      /bomb-shared\.xlsx: the part xl\/sharedStrings\.xml inflates past 32\.0 MiB, over the limit of 32\.0 MiB.*raise the limit with CORRIDOR_XLSX_MAX_SHARED_STRINGS_BYTES/,
      /bomb-sheet\.xlsx: the part xl\/worksheets\/sheet1\.xml declares 2\.0 GiB from 2\.0 MiB \(more than 500:1\).*CORRIDOR_ZIP_MAX_RATIO/,
      /bomb-lying\.xlsx looks damaged: the part xl\/sharedStrings\.xml \(stored at byte \d+, \d+ bytes compressed\): it inflates past the 1000 bytes the ZIP directory declares/,
      /bomb-workbook\.xlsx looks damaged: the part xl\/workbook\.xml/,
      /bomb-workbook-honest\.xlsx: the part xl\/workbook\.xml declares 1\.0 GiB from 1\.\d MiB \(more than 500:1\)/,
    ])
      expect(run.stderr).toMatch(said);
  }, 60_000);
});

describe('archive limits', () => {
  it('refuses an archive of 100,000 entries before reading them, and goes on to the next file', async () => {
    const bomb = file('many.xlsx', manyEntriesZip(100_000));
    const good = file(
      'pak.csv',
      Buffer.from('reporterCode,partnerCode,flowCode,period,cmdCode,primaryValue\n586,398,X,2021,TOTAL,5\n'),
    );
    const run = await load(bomb, good);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/many\.xlsx: the archive lists 100000 entries, over the limit of 10000/);
    expect(run.stderr).toMatch(/CORRIDOR_ZIP_MAX_ENTRIES/);
    expect(query(db(), 'select file_name, status, error_code from load_files order by load_id')).toEqual([
      { file_name: 'many.xlsx', status: 'failed', error_code: 'archive_too_many_entries' },
      { file_name: 'pak.csv', status: 'loaded', error_code: null },
    ]);
  });

  it('stops a part that inflates 64 MiB from its first few kilobytes, though its whole declares a modest ratio', async () => {
    // 64 MiB of zeros (64 KiB deflated), then 8 MiB of random bytes: 72 MiB from 8 MiB is under
    // 10:1 as a whole, but the zeros come first, and the check runs as the bytes inflate.
    const zeros = Buffer.alloc(64 * MiB);
    const noise = randomBytes(8 * MiB);
    const data = Buffer.concat([deflateRawSync(zeros, { finishFlush: 2 }), deflateRawSync(noise)]);
    const whole = crc32(noise, crc32(zeros));
    const path = file(
      'front-loaded.xlsx',
      workbookZip({
        'xl/worksheets/sheet1.xml': deflatedEntry('xl/worksheets/sheet1.xml', data, 72 * MiB, whole),
      }),
    );
    const opened = openTable(path, { archiveLimits: { ratio: 10 } });
    await expect(opened).rejects.toMatchObject({ code: 'archive_ratio_exceeded' });
    await expect(opened).rejects.toThrow(
      /the part xl\/worksheets\/sheet1\.xml inflates \d+\.\d MiB from \d+ (bytes|KiB|\d\.\d MiB) \(more than 10:1\)/,
    );
  });

  it('refuses a part over the entry limit and a shared-string table over its own, saying which variable raises each', async () => {
    process.env.CORRIDOR_ZIP_MAX_ENTRY_BYTES = String(2 * MiB);
    const big = file('big.xlsx', workbookZip({ 'xl/sharedStrings.xml': sharedStringsBomb(3) }));
    const run = await load(big);
    expect(run.stderr).toMatch(
      /big\.xlsx: the part xl\/sharedStrings\.xml declares 3\.0 MiB, over the limit of 2\.0 MiB/,
    );
    expect(run.stderr).toMatch(/raise the limit with CORRIDOR_ZIP_MAX_ENTRY_BYTES/);
    expectJournalClosed('archive_too_large');

    delete process.env.CORRIDOR_ZIP_MAX_ENTRY_BYTES;
    const shared = openTable(big, { archiveLimits: { sharedStringsBytes: MiB } });
    await expect(shared).rejects.toMatchObject({ code: 'archive_too_large' });
    await expect(shared).rejects.toThrow(/inflates past 1\.0 MiB.*CORRIDOR_XLSX_MAX_SHARED_STRINGS_BYTES/);
  });

  it('refuses what the archive inflates to in all, over the archive limit', async () => {
    const path = file('sum.xlsx', workbookZip({ 'xl/sharedStrings.xml': sharedStringsBomb(3) }));
    await expect(openTable(path, { archiveLimits: { archiveBytes: 2 * MiB } })).rejects.toThrow(
      /sum\.xlsx: its parts declare 3\.0 MiB, over the limit of 2\.0 MiB.*CORRIDOR_ZIP_MAX_ARCHIVE_BYTES/,
    );
  });

  it('fails a part whose CRC-32 does not match as damaged, naming the part', async () => {
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>reporterCode</t></is></c></row></sheetData></worksheet>';
    const entry = textEntry('xl/worksheets/sheet1.xml', sheet);
    const path = file(
      'crc.xlsx',
      workbookZip({ 'xl/worksheets/sheet1.xml': { ...entry, crc: entry.crc ^ 1 } }),
    );
    const run = await load(path);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /crc\.xlsx looks damaged: the part xl\/worksheets\/sheet1\.xml \(stored at byte \d+, \d+ bytes compressed\): its CRC-32 checksum does not match/,
    );
    expect(run.stderr).toMatch(/Download it again/);
    expectJournalClosed('damaged_file');
  });

  it('checks the archive before exceljs unzips it, on both exceljs paths', async () => {
    const path = file('bomb.xlsx', workbookZip({ 'xl/sharedStrings.xml': sharedStringsBomb(64, 1000) }));
    process.env.CORRIDOR_FAST_XLSX = '0';
    const run = await load(path);
    expect(run.stderr).toMatch(/bomb\.xlsx looks damaged: the part xl\/sharedStrings\.xml/);
    expectJournalClosed('damaged_file');

    const stream = await openSheetStream(path);
    await expect(stream.sheets[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'damaged_file',
    });
  });

  it('checks a UN correlation table before SheetJS reads it whole', async () => {
    const path = file(
      'hs-bomb.xlsx',
      workbookZip({ 'xl/worksheets/sheet1.xml': repeatedPartBomb('xl/worksheets/sheet1.xml', 256) }),
    );
    const run = await cli(['add-correlation', path], tmp());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /hs-bomb\.xlsx: the part xl\/worksheets\/sheet1\.xml declares 256 MiB .*\(more than 500:1\)/,
    );
    expect(run.stderr).not.toContain('    at ');
  });

  it('still reads a real workbook through both readers at the default limits', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Trade');
    ws.addRow(['reporterCode', 'partnerCode', 'flowCode', 'period', 'cmdCode', 'primaryValue']);
    for (let i = 0; i < 2000; i++) ws.addRow([586, 398, 'X', 2021, 'TOTAL', i]);
    const path = join(tmp(), 'real.xlsx');
    await wb.xlsx.writeFile(path);
    for (const fast of ['1', '0']) {
      process.env.CORRIDOR_FAST_XLSX = fast;
      let rows = 0;
      for await (const batch of (await openTable(path)).batches) rows += batch.length;
      expect(rows).toBe(2000);
    }
  });

  it('limits a legacy .xls by its size and its cells, and refuses a limit that is not a number', async () => {
    const wb = XLSX.utils.book_new();
    const rows = Array.from({ length: 300 }, (_, i) => [586, 398, 'X', 2021, 'TOTAL', i]);
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Trade');
    const path = file('old.xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    await expect(openTable(path, { archiveLimits: { xlsBytes: 1000 } })).rejects.toThrow(
      /old\.xls: the legacy Excel workbook is \d+ bytes, over the limit of 1000 bytes.*CORRIDOR_XLS_MAX_BYTES/,
    );
    await expect(openTable(path, { archiveLimits: { xlsCells: 1000 } })).rejects.toThrow(
      /old\.xls: its sheets hold 1800 cells, over the limit of 1000 cells.*CORRIDOR_XLS_MAX_CELLS/,
    );
    process.env.CORRIDOR_ZIP_MAX_RATIO = 'lots';
    const run = await load(path);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CORRIDOR_ZIP_MAX_RATIO=lots is not a positive number/);
  });
});
