/**
 * Progress while files download and load: live lines rewritten in place on a terminal, plain
 * lines at most once per interval elsewhere, nothing with --quiet or --json. The display writes
 * to a real stream that collects the text; `screen` replays it as a terminal would show it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Output } from '../src/cli/output.ts';
import { ProgressDisplay, type ProgressDisplayOptions } from '../src/cli/progress-display.ts';
import type { FileProgress } from '../src/load/file-result.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { realSubheadings } from './helpers/hs-codes.ts';
import { cliProcess } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

/** stderr as the display sees it: a terminal (isTTY, columns) or not, collecting what is written. */
class Stream extends Writable {
  text = '';
  readonly isTTY: boolean;
  readonly columns: number;

  constructor(isTTY: boolean, columns = 100) {
    super();
    this.isTTY = isTTY;
    this.columns = columns;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** What a terminal shows after `text`: \r, \n, ESC[2K (erase line) and ESC[1A (up), the controls the display uses. */
function screen(text: string): string[] {
  const rows = [''];
  let row = 0;
  let column = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('\x1b[2K', i)) {
      rows[row] = '';
      i += 3;
    } else if (text.startsWith('\x1b[1A', i)) {
      row = Math.max(0, row - 1);
      i += 3;
    } else if (text[i] === '\r') column = 0;
    else if (text[i] === '\n') {
      row++;
      column = 0;
      rows[row] ??= '';
    } else {
      const line = rows[row]!.padEnd(column);
      rows[row] = line.slice(0, column) + text[i] + line.slice(column + 1);
      column++;
    }
  }
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  return rows;
}

function setUp(
  terminal: boolean,
  options: ProgressDisplayOptions = {},
  flags: { quiet?: boolean; json?: boolean; columns?: number } = {},
) {
  const err = new Stream(terminal, flags.columns);
  const out = new Output({
    json: flags.json ?? false,
    quiet: flags.quiet ?? false,
    stdout: err,
    stderr: err,
  });
  return { err, out, display: new ProgressDisplay(out, options) };
}

const MB = 1_000_000;

/** A load's report; 67.5 MB file unless told. */
const loaded = (over: Partial<FileProgress>): FileProgress => ({
  shown: 'comtrade_2023.csv',
  rowsRead: 0,
  rowsRejected: 0,
  elapsedMs: 0,
  bytesRead: 0,
  totalBytes: 67.5 * MB,
  ...over,
});

/** The control characters in `text` other than the newline (ESC, \r, …), as code points. */
const controlsIn = (text: string): number[] =>
  [...text].map((c) => c.charCodeAt(0)).filter((code) => (code < 32 && code !== 10) || code === 127);

describe('progress on a terminal', () => {
  it('rewrites one live line per file in place, then leaves the permanent line when the file ends', () => {
    const { err, out, display } = setUp(true);
    display.fileStarted('comtrade_2023.csv', 1, 5);
    expect(screen(err.text)).toEqual(['  [2/5] comtrade_2023.csv  starting']);
    display.fileProgress(loaded({ rowsRead: 10_000, elapsedMs: 250, bytesRead: 1 * MB }));
    display.fileProgress(loaded({ rowsRead: 412_000, elapsedMs: 10_600, bytesRead: 41.2 * MB }));
    // Rates run from the first report (10,350 ms later): 402,000 rows and 40.2 MB, 26.3 MB to go.
    expect(screen(err.text)).toEqual([
      '  [2/5] comtrade_2023.csv  412,000 rows  38,841 rows/s  61%  ETA 0:07',
    ]);
    expect(err.text).toContain('\r\x1b[2K');

    display.fileDone('comtrade_2023.csv');
    out.progress('[2/5] OK    comtrade_2023.csv: 420,000 rows loaded in 11.2s');
    expect(screen(err.text)).toEqual(['[2/5] OK    comtrade_2023.csv: 420,000 rows loaded in 11.2s']);
  });

  it('writes a warning above the live line, never glued to half of it', () => {
    const { err, out, display } = setUp(true);
    display.fileStarted('pak_2021.csv', 0, 1);
    display.fileProgress(
      loaded({ shown: 'pak_2021.csv', rowsRead: 5000, rowsRejected: 12, elapsedMs: 500, bytesRead: 1 * MB }),
    );
    out.message('corridor: the landing folder is nearly full');
    expect(screen(err.text)).toEqual([
      'corridor: the landing folder is nearly full',
      '  [1/1] pak_2021.csv  5,000 rows  12 rejected  10,000 rows/s  1%  ETA 0:34',
    ]);
    // The warning's write starts by erasing the live line, at the start of the line.
    expect(err.text).toContain('\r\x1b[2Kcorridor: the landing folder');
  });

  it('shows no percent and no time left when the reader cannot tell how far into the file it is', () => {
    const { err, display } = setUp(true);
    display.fileStarted('old_book.xls', 0, 1);
    display.fileProgress(loaded({ shown: 'old_book.xls', rowsRead: 3000, elapsedMs: 1500, bytesRead: null }));
    expect(screen(err.text)).toEqual(['  [1/1] old_book.xls  3,000 rows  2,000 rows/s']);
  });

  it('cuts a long name in the middle so that no line is wider than the terminal', () => {
    const name = 'comtrade_reporter_586_partners_all_hs6_annual_2023_revised.csv';
    const report = loaded({ shown: name, rowsRead: 412_000, elapsedMs: 10_000, bytesRead: 40 * MB });
    const wide = setUp(true, {}, { columns: 80 });
    wide.display.fileStarted(name, 1, 12);
    wide.display.fileProgress(report);
    // The last column stays free: a line that fills it wraps on some terminals.
    expect(screen(wide.err.text)).toEqual([
      '  [2/12] comtrade_rep…3_revised.csv  412,000 rows  41,200 rows/s  59%  ETA 0:07',
    ]);
    expect(screen(wide.err.text)[0]).toHaveLength(79);

    // Too narrow for the figures too: the name keeps 12 characters and the line's end goes.
    const narrow = setUp(true, {}, { columns: 40 });
    narrow.display.fileStarted(name, 1, 12);
    narrow.display.fileProgress(report);
    expect(screen(narrow.err.text)).toEqual(['  [2/12] comtr…ed.csv  412,000 rows  4…']);
  });

  it('shows a download with its size, rate and time left when the server said how large it is', () => {
    const { err, out, display } = setUp(true);
    const url = 'https://example.org/comtrade/2023.csv';
    display.fetchStarted(url);
    expect(screen(err.text)).toEqual([`  ↓ ${url}  connecting`]);
    display.fetchProgress({ shown: url, bytes: 12.4 * MB, totalBytes: 40.1 * MB, elapsedMs: 4000 });
    expect(screen(err.text)).toEqual([`  ↓ ${url}  12.4 MB of 40.1 MB  3.1 MB/s  ETA 0:09`]);

    const other = 'https://example.org/comtrade/2024.csv';
    display.fetchStarted(other);
    display.fetchProgress({ shown: other, bytes: 2.5 * MB, totalBytes: null, elapsedMs: 1000 });
    expect(screen(err.text)).toEqual([
      `  ↓ ${url}  12.4 MB of 40.1 MB  3.1 MB/s  ETA 0:09`,
      `  ↓ ${other}  2.5 MB  2.5 MB/s`,
    ]);

    display.fetchDone(url);
    out.progress(`GET   ${url}: 40.1 MB in 12.9s`);
    expect(screen(err.text)).toEqual([`GET   ${url}: 40.1 MB in 12.9s`, `  ↓ ${other}  2.5 MB  2.5 MB/s`]);
  });

  it('redraws a line at most every 100 ms, however often a download reports', () => {
    const { err, display } = setUp(true);
    display.fetchStarted('https://example.org/a.csv');
    const before = err.text.length;
    for (let ms = 1000; ms < 1100; ms += 10)
      display.fetchProgress({
        shown: 'https://example.org/a.csv',
        bytes: ms * 1000,
        totalBytes: null,
        elapsedMs: ms,
      });
    expect(err.text.slice(before).split('\r').length - 1).toBe(1);
  });
});

describe('progress elsewhere (cron, CI, a pipe)', () => {
  it('prints a plain line per file at most once per interval, without control characters', () => {
    const { err, display } = setUp(false, { intervalMs: 1000 });
    display.fileStarted('comtrade_2023.csv', 1, 5);
    for (let ms = 250; ms <= 3000; ms += 250)
      display.fileProgress(loaded({ rowsRead: ms * 40, elapsedMs: ms, bytesRead: ms * 6000 }));
    display.fileDone('comtrade_2023.csv');
    expect(controlsIn(err.text)).toEqual([]);
    // From the first report on, 40,000 rows and 6 MB a second: 67.5 MB takes 11.25 s.
    expect(err.text.split('\n')).toEqual([
      '[2/5] reading comtrade_2023.csv',
      '[2/5] comtrade_2023.csv: 40,000 rows read (8%, 40,000 rows/s, about 11 s left)',
      '[2/5] comtrade_2023.csv: 80,000 rows read (17%, 40,000 rows/s, about 10 s left)',
      '[2/5] comtrade_2023.csv: 120,000 rows read (26%, 40,000 rows/s, about 9 s left)',
      '',
    ]);
  });

  it('gives percent and time left only when the reader knows how far into the file it is', () => {
    const { err, display } = setUp(false, { intervalMs: 0 });
    display.fileStarted('book.xlsx', 0, 2);
    display.fileProgress(
      loaded({ shown: 'book.xlsx', rowsRead: 9000, rowsRejected: 3, elapsedMs: 3000, bytesRead: null }),
    );
    expect(err.text.split('\n')[1]).toBe('[1/2] book.xlsx: 9,000 rows read, 3 rejected (3,000 rows/s)');
  });

  it('prints plain download lines, with time left only when the server gave a length', () => {
    const { err, display } = setUp(false, { intervalMs: 0 });
    display.fetchStarted('https://example.org/a.csv');
    display.fetchProgress({
      shown: 'https://example.org/a.csv',
      bytes: 12.4 * MB,
      totalBytes: 40.1 * MB,
      elapsedMs: 4000,
    });
    display.fetchStarted('https://example.org/b.json');
    display.fetchProgress({
      shown: 'https://example.org/b.json',
      bytes: 900_000,
      totalBytes: null,
      elapsedMs: 3000,
    });
    expect(controlsIn(err.text)).toEqual([]);
    expect(err.text.split('\n')).toEqual([
      'downloading https://example.org/a.csv',
      'downloading https://example.org/a.csv: 12.4 MB of 40.1 MB (30%, 3.1 MB/s, about 9 s left)',
      'downloading https://example.org/b.json',
      'downloading https://example.org/b.json: 900.0 kB (300.0 kB/s)',
      '',
    ]);
  });

  describe('with CORRIDOR_PROGRESS_SECONDS', () => {
    afterEach(() => {
      delete process.env.CORRIDOR_PROGRESS_SECONDS;
    });

    it('takes the interval from it', () => {
      process.env.CORRIDOR_PROGRESS_SECONDS = '2';
      const { err, display } = setUp(false);
      display.fileStarted('a.csv', 0, 1);
      for (let ms = 500; ms <= 4000; ms += 500)
        display.fileProgress(loaded({ shown: 'a.csv', rowsRead: ms, elapsedMs: ms }));
      expect(err.text.match(/rows read/g)).toHaveLength(2);
    });
  });
});

describe('progress with --quiet or --json', () => {
  it.each([{ quiet: true }, { json: true }])('prints nothing, even on a terminal (%o)', (flags) => {
    const { err, display } = setUp(true, { intervalMs: 0 }, flags);
    display.fileStarted('a.csv', 0, 1);
    display.fileProgress(loaded({ shown: 'a.csv', rowsRead: 100, elapsedMs: 300 }));
    display.fetchStarted('https://example.org/a.csv');
    display.fetchProgress({
      shown: 'https://example.org/a.csv',
      bytes: 100,
      totalBytes: 200,
      elapsedMs: 300,
    });
    display.fileDone('a.csv');
    expect(err.text).toBe('');
  });
});

describe('progress of a real load, not on a terminal', () => {
  const tmp = useTempDir();

  it('prints plain lines with the share of the file read, and no control characters', () => {
    // 24,000 distinct flows (3,000 subheadings, two flows, four years): long enough to load
    // for a few of the loader's 250 ms reports even on a fast machine.
    const codes = realSubheadings('H5', 3000);
    const rows = [];
    for (const year of [2018, 2019, 2020, 2021])
      for (const flowCode of ['X', 'M'])
        for (const cmdCode of codes)
          rows.push(plusRow({ refYear: year, period: String(year), flowCode, cmdCode }));
    writeFileSync(join(tmp(), 'pak_2018_2021.csv'), csvText(PLUS_HEADER, rows));

    const run = cliProcess(
      ['load', 'pak_2018_2021.csv', '--source', 'comtrade', '--db', join(tmp(), 'w.db'), '--no-derive'],
      tmp(),
      { CORRIDOR_PROGRESS_SECONDS: '0.1' },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^\[1\/1\] pak_2018_2021\.csv: [\d,]+ rows read \(\d+%, [\d,]+ rows\/s, (about \d+ s left|finishing)\)$/m,
    );
    expect(run.stderr).toMatch(/^\[1\/1\] OK {4}pak_2018_2021\.csv: 24,000 rows loaded/m);
    expect(controlsIn(run.stderr)).toEqual([]);
  });
});
