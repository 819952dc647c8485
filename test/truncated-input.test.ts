/**
 * Truncated and damaged text files (issue 20, points 3 and 7): a body cut in transfer, a CSV that
 * ends inside a quote or mid-row, a JSON reply that stops early or has flipped bits, bytes that
 * are not UTF-8, NULs. Each fails its file with a stable code and a message that says where,
 * nothing of it is loaded, and the run goes on. Downloads go through `corridor run` against a
 * real server on 127.0.0.1; local files through `corridor load`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../scripts/shared/prng.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
import { usePreparedWarehouse, writePipelineProject } from './helpers/pipeline-project.ts';
import { type CliRun, cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();

let server: FlakyServer;
beforeEach(async () => {
  warehouseAt(db());
  server = await startFlakyServer();
});
afterEach(async () => {
  await server.close();
});

/** PAK's exports to KAZ, one row a year. */
const yearsCsv = (...years: number[]) =>
  csvText(
    PLUS_HEADER,
    years.map((year) => plusRow({ refYear: year, period: String(year), primaryValue: 1000, fobvalue: 1000 })),
  );

interface FileRow {
  file_name: string;
  origin: string | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
}
const files = () =>
  query<FileRow>(
    db(),
    'select file_name, origin, status, error_code, error_message from load_files order by load_id',
  );
const flowCount = () => scalar<number>(db(), 'select count(*) from trade_flows');
const lastRunStatus = () => scalar<string>(db(), 'select status from load_runs order by run_id desc limit 1');

/** Exit 1, no stack trace, the journal closed as failed or partial. */
function expectCleanFailure(run: CliRun): void {
  expect(run.code).toBe(1);
  expect(run.stderr).not.toContain('    at ');
  expect(run.stderr).not.toMatch(/internal error/i);
  expect(['failed', 'partial']).toContain(lastRunStatus());
}

function writeFile(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

const load = (...paths: string[]) => cli(['load', ...paths, '--source', 'comtrade', '--db', db()], tmp());

describe('downloads cut short: retried, then failed, never loaded in part', () => {
  const FAST_FETCH = { timeoutSeconds: 2, backoffSeconds: 0.02, retries: 2 };
  const runPipeline = (urls: string[]) => {
    writePipelineProject(tmp(), {
      name: 'pak',
      sources: [{ source: 'comtrade', files: urls }],
      fetch: FAST_FETCH,
    });
    return cli(['run', 'pak', '--db', db()], tmp());
  };
  const body = yearsCsv(2019, 2020, 2021, 2022);

  it.each([
    ['content-length', /after [\d,]+ of the [\d,]+ bytes its Content-Length announced/],
    ['chunked', /after [\d,]+ bytes, before the end of a body sent chunked or compressed/],
  ] as const)(
    'a %s body that ends early fails with fetch_truncated after 3 attempts; the next URL loads',
    async (framing, said) => {
      server.route('/cut.csv', { body, cut: { afterBytes: Math.floor(body.length / 2), framing } });
      server.route('/whole.csv', { body: yearsCsv(2023) });

      const run = await runPipeline([server.url('/cut.csv'), server.url('/whole.csv')]);

      expectCleanFailure(run);
      expect(server.requestsTo('/cut.csv')).toHaveLength(3);
      const [cut, whole] = files();
      expect(cut).toMatchObject({
        origin: server.url('/cut.csv'),
        status: 'failed',
        error_code: 'fetch_truncated',
      });
      expect(cut?.error_message).toMatch(said);
      expect(cut?.error_message).toMatch(
        /cut short on the last of 3 attempts.*Nothing of it was kept or loaded/,
      );
      expect(run.stderr).toContain(cut?.error_message);
      expect(whole).toMatchObject({ status: 'loaded' });
      expect(query(db(), 'select period from trade_flows')).toEqual([{ period: '2023' }]);
    },
  );

  it('a cut on the first attempt is retried, and the whole body then loads', async () => {
    server.route('/a.csv', [{ body, cut: { afterBytes: 100, framing: 'content-length' } }, { body }]);

    const run = await runPipeline([server.url('/a.csv')]);

    expect(run.stderr).not.toMatch(/FAIL/);
    expect(run.code).toBe(0);
    expect(server.requestsTo('/a.csv')).toHaveLength(2);
    expect(flowCount()).toBe(4);
  });

  it('a body framed only by the connection end, cut mid-row, lands but fails as truncated_file', async () => {
    // No Content-Length and no chunks: undici (and HTTP itself) take the connection's end as the
    // body's, even after a reset, so the CSV reader is what sees the last row cut.
    const cutAt = body.lastIndexOf(',PAK') + 2;
    server.route('/close.csv', [
      { body, etag: '"v1"', cut: { afterBytes: cutAt, framing: 'close' } },
      { body, etag: '"v1"' },
    ]);

    const run = await runPipeline([server.url('/close.csv')]);

    expectCleanFailure(run);
    const [file] = files();
    expect(file).toMatchObject({ status: 'failed', error_code: 'truncated_file' });
    expect(file?.error_message).toMatch(
      /looks cut off: its last row \(row 5\) has \d+ of the header's \d+ fields/,
    );
    expect(flowCount()).toBe(0);

    // The next run does not ask with the cut copy's ETag (a 304 would replay it): it gets the whole file.
    const again = await runPipeline([server.url('/close.csv')]);
    expect(again.code).toBe(0);
    expect(server.requestsTo('/close.csv')[1]?.headers['if-none-match']).toBeUndefined();
    expect(flowCount()).toBe(4);
  });
});

describe('CSV files cut off', () => {
  it('a CSV that ends inside a quoted field fails with truncated_file, naming the row; the next file loads', async () => {
    const whole = yearsCsv(2019, 2020);
    const cut = `${whole}${plusRow({ refYear: 2021, period: '2021' }).slice(0, 8).join(',')},"Pakis`;
    const run = await load(writeFile('cut.csv', cut), writeFile('next.csv', yearsCsv(2022)));

    expectCleanFailure(run);
    const [first, next] = files();
    expect(first).toMatchObject({ status: 'failed', error_code: 'truncated_file' });
    expect(first?.error_message).toMatch(
      /cut\.csv looks cut off: it ends inside a quoted field \(the field opens on row 4\)/,
    );
    expect(run.stderr).toContain(first?.error_message);
    expect(next).toMatchObject({ status: 'loaded' });
    expect(query(db(), 'select period from trade_flows')).toEqual([{ period: '2022' }]);
  });

  it('a last row short of its fields with no line end is truncation; the same row mid-file is a row reject', async () => {
    const whole = yearsCsv(2019, 2020, 2021);
    const cutRow = plusRow({ refYear: 2022, period: '2022' }).slice(0, 10).join(',');
    const run = await load(writeFile('cut.csv', `${whole}${cutRow}`));
    expectCleanFailure(run);
    expect(files()[0]).toMatchObject({ status: 'failed', error_code: 'truncated_file' });
    expect(files()[0]?.error_message).toMatch(
      /its last row \(row 5\) has 10 of the header's \d+ fields and no line end/,
    );
    expect(flowCount()).toBe(0);

    const inside = await load(
      writeFile('inside.csv', `${yearsCsv(2019)}${cutRow}\n${yearsCsv(2020).split('\n')[1]}\n`),
    );
    expect(inside.code).not.toBe(1);
    expect(files()[1]).toMatchObject({ status: 'loaded' });
    expect(query(db(), 'select row_number, code from rejects')).toEqual([
      { row_number: 3, code: 'wrong_field_count' },
    ]);
    // And a whole last row without a line end is simply the last row.
    const noEol = await load(writeFile('no-eol.csv', yearsCsv(2024).trimEnd()));
    expect(noEol.code).not.toBe(1);
    expect(files()[2]).toMatchObject({ status: 'loaded' });
  });
});

describe('gzip-compressed CSV cut off or damaged', () => {
  it('a .csv.gz cut mid-stream fails with truncated_file, one with a bad checksum with damaged_file', async () => {
    const gz = gzipSync(bigCsv());
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const flipped = Buffer.from(gz);
    // The CRC-32 in the trailer: every block decodes, the check at the end fails.
    flipped[flipped.length - 6]! ^= 0x01;
    const run = await load(writeFile('cut.csv.gz', cut), writeFile('flipped.csv.gz', flipped));

    expectCleanFailure(run);
    const [first, second] = files();
    expect(first).toMatchObject({ status: 'failed', error_code: 'truncated_file' });
    expect(first?.error_message).toMatch(
      /cut\.csv\.gz looks cut off: its gzip stream ends after [\d,]+ compressed bytes/,
    );
    expect(second).toMatchObject({ status: 'failed', error_code: 'damaged_file' });
    expect(second?.error_message).toMatch(
      /flipped\.csv\.gz looks damaged: its gzip stream does not decompress/,
    );
    expect(flowCount()).toBe(0);
  });
});

/** A Comtrade API reply of `n` records, pretty-printed so that lines mean something. */
function comtradeJson(n: number): string {
  const header = PLUS_HEADER as readonly string[];
  const data = Array.from({ length: n }, (_, i) => {
    const row = plusRow({ refYear: 2000 + i, period: String(2000 + i), primaryValue: 10 + i });
    return Object.fromEntries(header.map((h, k) => [h, row[k]]));
  });
  return JSON.stringify({ elements: [], count: n, data }, null, 1);
}

describe('Comtrade JSON that does not parse to the end', () => {
  it('a reply cut off fails with truncated_file at its end; nothing of it loads', async () => {
    const json = comtradeJson(20);
    const cut = json.slice(0, Math.floor(json.length * 0.7));
    const run = await load(writeFile('reply.json', cut), writeFile('next.csv', yearsCsv(2022)));

    expectCleanFailure(run);
    const [file, next] = files();
    expect(file).toMatchObject({ status: 'failed', error_code: 'truncated_file' });
    const lines = cut.trimEnd().split('\n').length;
    expect(file?.error_message).toContain(
      `the JSON ends at byte ${cut.trimEnd().length.toLocaleString('en-US')} (line ${lines})`,
    );
    expect(next).toMatchObject({ status: 'loaded' });
    expect(query(db(), 'select period from trade_flows')).toEqual([{ period: '2022' }]);
  });

  it('a reply damaged in the middle fails with bad_json naming the line', async () => {
    const json = comtradeJson(20);
    const at = json.indexOf('"period"', json.length / 2);
    const damaged = `${json.slice(0, at)}"period"}${json.slice(at + '"period"'.length)}`;
    const run = await load(writeFile('reply.json', damaged));

    expectCleanFailure(run);
    const line = json.slice(0, at).split('\n').length;
    expect(files()[0]).toMatchObject({ status: 'failed', error_code: 'bad_json' });
    expect(files()[0]?.error_message).toMatch(
      new RegExp(`looks damaged: it is not valid JSON at byte [\\d,]+ \\(line ${line}\\)`),
    );
    expect(flowCount()).toBe(0);
  });
});

/** Some 450 KB of CSV: past the sniffer's 64 KiB and the text stream's first read. */
const bigCsv = () => yearsCsv(...Array.from({ length: 4000 }, (_, i) => 1901 + (i % 199)));

describe('bytes that are not the text they claim to be', () => {
  it('an invalid UTF-8 byte past the first 64 KiB fails with bad_encoding at its exact byte and line', async () => {
    const text = bigCsv();
    // Past the first read (256 KiB) too: found where the stream carries bytes between chunks.
    const at = text.indexOf('\n', 300_000) + 1;
    expect(at).toBeGreaterThan(300_000);
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xe9]),
      Buffer.from(text.slice(at)),
    ]);
    const run = await load(writeFile('latin.csv', bytes), writeFile('next.csv', yearsCsv(2022)));

    expectCleanFailure(run);
    const line = text.slice(0, at).split('\n').length;
    expect(files()[0]).toMatchObject({ status: 'failed', error_code: 'bad_encoding' });
    expect(files()[0]?.error_message).toContain(
      `not valid UTF-8 at byte ${at.toLocaleString('en-US')} (line ${line.toLocaleString('en-US')})`,
    );
    expect(files()[0]?.error_message).toContain('--encoding latin1');
    expect(files()[1]).toMatchObject({ status: 'loaded' });
  });

  it('places a bad byte right after a character split between two reads', async () => {
    const bytes = Buffer.from(bigCsv());
    const boundary = 256 * 1024; // the text stream's read size
    // "П" (D0 9F) across the boundary, then a byte no UTF-8 character starts with.
    bytes.set([0xd0, 0x9f, 0xff], boundary - 1);
    const run = await load(writeFile('split.csv', bytes));

    expectCleanFailure(run);
    const line = bytes
      .subarray(0, boundary + 1)
      .toString('latin1')
      .split('\n').length;
    expect(files()[0]?.error_message).toContain(
      `at byte ${(boundary + 1).toLocaleString('en-US')} (line ${line.toLocaleString('en-US')})`,
    );
  });

  it('UTF-8 text with a stray byte in its head is UTF-8 with damage, not silently Windows-1252', async () => {
    const text = yearsCsv(2021).replace('Pakistan', 'Пакистан');
    const broken = Buffer.from(text.replace('Пакистан', 'Пак\uFFFDистан'));
    // Replace the 3-byte U+FFFD with one byte that no UTF-8 character starts with.
    const bad = broken.indexOf(Buffer.from('\uFFFD'));
    const bytes = Buffer.concat([broken.subarray(0, bad), Buffer.from([0xff]), broken.subarray(bad + 3)]);
    const run = await load(writeFile('mixed.csv', bytes));

    expectCleanFailure(run);
    expect(files()[0]).toMatchObject({ error_code: 'bad_encoding' });
    expect(files()[0]?.error_message).toContain(`at byte ${bad.toLocaleString('en-US')} (line 2)`);
  });

  it('UTF-16 without a byte-order mark loads', async () => {
    const run = await load(writeFile('utf16.csv', Buffer.from(yearsCsv(2021), 'utf16le')));
    expect(run.code).toBe(0);
    expect(flowCount()).toBe(1);
  });

  it('NUL bytes past the head fail with damaged_file at their byte and line', async () => {
    const text = bigCsv();
    const at = text.indexOf('\n', 80_000) + 5;
    expect(at).toBeGreaterThan(80_000);
    const bytes = Buffer.from(text);
    bytes.fill(0, at, at + 64);
    const run = await load(writeFile('zeros.csv', bytes));

    expectCleanFailure(run);
    expect(files()[0]).toMatchObject({ status: 'failed', error_code: 'damaged_file' });
    const line = text.slice(0, at).split('\n').length;
    expect(files()[0]?.error_message).toContain(
      `NUL byte at byte ${at.toLocaleString('en-US')} (line ${line.toLocaleString('en-US')})`,
    );
    expect(flowCount()).toBe(0);
  });
});

describe('bit flips in CSV and JSON', () => {
  it('every mutation loads, rejects rows or fails its file with a stable code; never internal_error', async () => {
    // Seeded, so a failing mutation can be replayed.
    const random = mulberry32(20_07);
    const originals = {
      json: Buffer.from(comtradeJson(6)),
      csv: Buffer.from(yearsCsv(2019, 2020, 2021, 2022)),
    };
    const paths: string[] = [];
    for (let i = 0; i < 30; i++) {
      for (const [ext, original] of Object.entries(originals)) {
        const bytes = Buffer.from(original);
        const flips = 1 + Math.floor(random() * 3);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(random() * bytes.length);
          bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
        }
        paths.push(writeFile(`flip-${i}.${ext}`, bytes));
      }
    }

    const run = await load(...paths);

    expect(run.stderr).not.toContain('    at ');
    expect(run.stderr).not.toMatch(/internal error/i);
    const rows = files();
    expect(rows).toHaveLength(paths.length);
    const codes = new Set(rows.map((r) => r.error_code ?? r.status));
    for (const row of rows) {
      expect(row.status, `${row.file_name}: ${row.error_message}`).toMatch(/^(loaded|failed)$/);
      if (row.status === 'failed') expect(row.error_code).not.toBe('internal_error');
    }
    // The flips hit structure often enough that the damage codes are seen, not only loads.
    expect(codes.has('loaded')).toBe(true);
    expect([...codes].some((c) => c === 'bad_json' || c === 'truncated_file')).toBe(true);
    expect(lastRunStatus()).not.toBe('running');
  });
});
