/**
 * Whole-file problems get one clear paragraph on stderr, never a stack trace, and the exit code
 * the README documents; files in the encodings and delimiters people actually save must load.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type CliRun, cli, cliProcess } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

function writeFile(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

const load = (files: readonly string[], ...extra: string[]) =>
  cli(['load', ...files, '--source', 'comtrade', '--db', dbPath(), ...extra], tmp());

const GOOD_CSV =
  'reporterCode,partnerCode,flowCode,period,cmdCode,primaryValue\n586,398,X,2021,TOTAL,68912305.664\n';

/** No stack trace, no internal-error wording, and the message is one paragraph. */
function expectCleanError(run: CliRun): void {
  expect(run.stderr).not.toContain('    at ');
  expect(run.stderr).not.toMatch(/internal error/i);
  expect(run.stderr).not.toMatch(/\n\s*\n/);
  expect(run.stderr.trim()).not.toBe('');
}

/** A file that fails: exit 1, a FAIL line naming it with the reason, the journal says failed, nothing loaded. */
function expectFileFailed(run: CliRun, name: string, code: unknown): string {
  expect(run.code).toBe(1);
  expectCleanError(run);
  const [file] = query<{ file_name: string; status: string; error_code: string; error_message: string }>(
    dbPath(),
    'select file_name, status, error_code, error_message from load_files',
  );
  expect(file).toMatchObject({ file_name: name, status: 'failed', error_code: code });
  expect(run.stderr).toContain(file!.error_message);
  expect(run.stdout).toMatch(/1 file failed/);
  expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(0);
  expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(0);
  return file!.error_message;
}

/** A usage error: exit 2 and nothing in the journal. */
function expectNothingLoaded(run: CliRun): void {
  expect(run.code).toBe(2);
  expectCleanError(run);
  expect(run.stdout).not.toMatch(/^Loaded/m);
}

const journalIsEmpty = () =>
  expect([
    scalar(dbPath(), 'select count(*) from load_runs'),
    scalar(dbPath(), 'select count(*) from load_files'),
    scalar(dbPath(), 'select count(*) from trade_flows'),
  ]).toEqual([0, 0, 0]);

describe('files that cannot be loaded at all', () => {
  it('names a path that does not exist, exits 2 and loads nothing, not even the other files named', async () => {
    const good = writeFile('good.csv', GOOD_CSV);

    const run = await load([good, 'downloads/pak_2023.csv']);

    expectNothingLoaded(run);
    expect(run.stderr).toContain('downloads/pak_2023.csv');
    expect(run.stderr).toMatch(/does not exist/);
    journalIsEmpty();
  });

  it('refuses a folder with exit 2, suggesting a glob', async () => {
    mkdirSync(join(tmp(), 'downloads'));

    const run = await load(['downloads']);

    expectNothingLoaded(run);
    expect(run.stderr).toMatch(/downloads is a folder/);
    expect(run.stderr).toContain('downloads/*.csv');
    journalIsEmpty();
  });

  it('refuses a glob that matches nothing with exit 2, naming the pattern', async () => {
    writeFile('other.txt', 'x');

    const run = await load(['downloads/*.csv']);

    expectNothingLoaded(run);
    expect(run.stderr).toContain('"downloads/*.csv"');
    expect(run.stderr).toMatch(/No file matches/);
    journalIsEmpty();
  });

  it('fails an empty file with exit 1', async () => {
    writeFile('empty.csv', '');

    const message = expectFileFailed(await load(['empty.csv']), 'empty.csv', 'empty_file');

    expect(message).toMatch(/empty\.csv is empty/);
  });

  it('fails a CSV that has a header but no rows with exit 1', async () => {
    writeFile('header_only.csv', GOOD_CSV.split('\n')[0]!);

    const message = expectFileFailed(await load(['header_only.csv']), 'header_only.csv', 'empty_file');

    expect(message).toMatch(/header but no data rows/);
  });

  it('fails an API reply with no records and passes on what the API said', async () => {
    writeFile(
      'pak_2031.json',
      JSON.stringify({
        elapsedTime: '0.1 secs',
        count: 0,
        data: [],
        error: 'Request rate limit exceeded (429)',
      }),
    );

    const message = expectFileFailed(await load(['pak_2031.json']), 'pak_2031.json', 'empty_file');

    expect(message).toContain('Request rate limit exceeded (429)');
    expect(message).toMatch(/no records/);
  });

  it('passes on the API error of a reply whose "data" is null, without calling valid JSON invalid', async () => {
    writeFile(
      'pak.json',
      JSON.stringify({ elapsedTime: '0.1 secs', count: 0, data: null, error: 'Invalid period' }),
    );

    const message = expectFileFailed(await load(['pak.json']), 'pak.json', expect.any(String));

    expect(message).toContain('Invalid period');
    expect(message).not.toMatch(/not valid JSON/);
  });

  it('fails a ZIP archive that is not a workbook, saying what it is', async () => {
    // The ZIP local-file signature every XLSX starts with, then junk: read as a workbook, it fails.
    writeFile(
      'pak_2023.xlsx',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.alloc(300, 0x41)]),
    );

    const message = expectFileFailed(await load(['pak_2023.xlsx']), 'pak_2023.xlsx', 'damaged_file');

    expect(message).toMatch(/ZIP archive has no directory/);
    expect(message).toMatch(/looks damaged/);
  });

  it('fails a PNG image with exit 1, saying it is a PNG image', async () => {
    writeFile(
      'chart.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    );

    const message = expectFileFailed(await load(['chart.csv']), 'chart.csv', 'binary_file');

    expect(message).toMatch(/PNG image/);
  });

  it('fails an HTML error page saved as .csv, saying it is an HTML page', async () => {
    writeFile(
      'pak_2023.csv',
      '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n',
    );

    const message = expectFileFailed(await load(['pak_2023.csv']), 'pak_2023.csv', 'not_csv');

    expect(message).toMatch(/HTML/);
  });

  it('names the missing commodity column, lists the columns found and points at "cmd_cde" as the closest', async () => {
    writeFile(
      'typo.csv',
      'reporter_code,partner_code,flow_code,period,cmd_cde,primary_value\n586,398,X,2021,TOTAL,68912305.664\n',
    );

    const message = expectFileFailed(await load(['typo.csv']), 'typo.csv', 'missing_column');

    expect(message).toMatch(/commodity code/);
    expect(message).toMatch(/Found 6 columns/);
    for (const column of ['reporter_code', 'partner_code', 'flow_code', 'period', 'primary_value'])
      expect(message).toContain(`"${column}"`);
    expect(message).toMatch(/closest is "cmd_cde"/);
  });

  it('still says why a file failed with --quiet, which only drops progress lines', async () => {
    writeFile('empty.csv', '');

    const run = await load(['empty.csv'], '--quiet');

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/empty\.csv is empty/);
  });

  it('refuses an unknown --source with exit 2, listing the known ones', async () => {
    const good = writeFile('good.csv', GOOD_CSV);

    const run = await cli(['load', good, '--source', 'wits', '--db', dbPath()]);

    expectNothingLoaded(run);
    expect(run.stderr).toMatch(/Unknown source "wits"/);
    expect(run.stderr).toMatch(/comtrade/);
    expect(run.stderr).toMatch(/baci/);
  });

  it('refuses an --encoding it cannot decode with exit 2, naming the ones it can', async () => {
    const good = writeFile('good.csv', GOOD_CSV);

    const run = await load([good], '--encoding', 'shift_jis');

    expectNothingLoaded(run);
    expect(run.stderr).toMatch(/"--encoding"/);
    expect(run.stderr).toMatch(/shift_jis/);
    expect(run.stderr).toMatch(/latin1/);
  });

  it('refuses a load without --source with exit 2', async () => {
    const good = writeFile('good.csv', GOOD_CSV);

    const run = await cli(['load', good, '--db', dbPath()]);

    expectNothingLoaded(run);
    expect(run.stderr).toMatch(/--source/);
    expect(run.stderr).toMatch(/comtrade, baci/);
  });
});

describe('the real bin, in a child process', () => {
  it('exits 2 for a missing file and prints no stack trace', () => {
    const run = cliProcess(['load', 'nowhere/pak.csv', '--source', 'comtrade', '--db', dbPath()], tmp());

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nowhere/pak.csv');
    expect(run.stderr).not.toContain('    at ');
    expect(run.stdout).toBe('');
  });

  it('exits 1 for a spreadsheet, loads the good file beside it, and prints no stack trace', () => {
    writeFile('book.xlsx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 7)]));
    writeFile('good.csv', GOOD_CSV);

    const run = cliProcess(
      ['load', 'good.csv', 'book.xlsx', '--source', 'comtrade', '--db', dbPath()],
      tmp(),
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/book\.xlsx looks damaged: .*ZIP archive/);
    expect(run.stderr).not.toContain('    at ');
    expect(run.stdout).toMatch(/^Loaded 1 rows \(0 rejected\) from 1 file/m);
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(1);
  });
});

describe('encodings and delimiters that load', () => {
  // The partner is given only by name, so a wrong decoding turns into an unknown_country reject.
  const HEADER = ['reporterCode', 'partnerDesc', 'flowCode', 'period', 'cmdCode', 'primaryValue'];
  const ROWS = [
    ['586', "Côte d'Ivoire", 'M', '2021', '030613', '1849606.5'],
    ['586', 'Türkiye', 'X', '2021', '5205', '77'],
  ];
  const text = (delimiter: string, eol = '\r\n') =>
    [HEADER, ...ROWS].map((r) => r.join(delimiter)).join(eol) + eol;

  async function expectLoaded(file: string, encoding: string, delimiter: string, ...extra: string[]) {
    const run = await load([file], ...extra);
    expect(run.code, run.stderr).toBe(0);
    expect(
      query(dbPath(), 'select partner_iso3, hs_code, value_usd from trade_flows order by source_row'),
    ).toEqual([
      { partner_iso3: 'CIV', hs_code: '030613', value_usd: 1849606.5 },
      { partner_iso3: 'TUR', hs_code: '5205', value_usd: 77 },
    ]);
    expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(0);
    expect(query(dbPath(), 'select encoding, delimiter, rows_read, rows_loaded from load_files')).toEqual([
      { encoding, delimiter, rows_read: 2, rows_loaded: 2 },
    ]);
  }

  it('loads UTF-8 with a byte-order mark (the BOM is not part of the first column name)', async () => {
    const file = writeFile(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text(','))]),
    );
    await expectLoaded(file, 'utf-8', ',');
  });

  it('loads a ;-delimited file', async () => {
    await expectLoaded(writeFile('semicolon.csv', text(';')), 'utf-8', ';');
  });

  it('reads decimal commas in a ;-delimited file, as European Excel saves it', async () => {
    const file = writeFile('semicolon_comma.csv', text(';').replace('1849606.5', '1849606,5'));
    expect(readFileSync(file, 'utf8')).toContain(';1849606,5');
    await expectLoaded(file, 'utf-8', ';');
  });

  it('loads a tab-delimited file', async () => {
    await expectLoaded(writeFile('tabs.tsv', text('\t', '\n')), 'utf-8', '\t');
  });

  it('detects Windows-1252 / Latin-1 bytes by itself', async () => {
    const bytes = Buffer.from(text(','), 'latin1');
    expect(bytes.includes(0xf4)).toBe(true); // ô as one latin1 byte, which is not UTF-8
    await expectLoaded(writeFile('latin1.csv', bytes), 'windows-1252', ',');
  });

  it('decodes Latin-1 bytes when told --encoding latin1', async () => {
    await expectLoaded(
      writeFile('latin1.csv', Buffer.from(text(','), 'latin1')),
      'windows-1252',
      ',',
      '--encoding',
      'latin1',
    );
  });

  it('loads UTF-16LE with a byte-order mark', async () => {
    const file = writeFile(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(','), 'utf16le')]),
    );
    await expectLoaded(file, 'utf-16le', ',');
  });

  it('loads a gzip-compressed CSV', async () => {
    await expectLoaded(writeFile('pak_2021.csv.gz', gzipSync(Buffer.from(text(',')))), 'utf-8', ',');
  });
});
