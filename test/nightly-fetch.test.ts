/**
 * `corridor run` on a pipeline that names http(s) URLs, end to end: a real HTTP server on
 * 127.0.0.1 that fails, rate-limits and answers 304 on cue, a temp project with a pipeline
 * file, the CLI run in this process, and the warehouse and landing folder read back directly.
 * Fetch timings are small (0.5 s timeouts, 20 ms backoff) but every wait is a real one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
import { usePreparedWarehouse, writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
/** `landing/` beside the warehouse file. */
const landing = () => join(tmp(), 'landing');

const warehouseAt = usePreparedWarehouse();

let server: FlakyServer;
beforeEach(async () => {
  warehouseAt(db());
  server = await startFlakyServer();
});
afterEach(async () => {
  await server.close();
});

/** Quick but real: 3 attempts, 0.5 s idle timeout, 20 ms first backoff. */
const FAST_FETCH = { timeoutSeconds: 0.5, backoffSeconds: 0.02, retries: 2 };

/** A comtrade pipeline over `files`; its fetch settings are FAST_FETCH, overridden by `extra.fetch`. */
function writePipeline(name: string, files: readonly string[], extra: Record<string, unknown> = {}): void {
  const fetch = { ...FAST_FETCH, ...(extra.fetch as object | undefined) };
  writePipelineProject(tmp(), { name, sources: [{ source: 'comtrade', files }], ...extra, fetch });
}

const run = (name: string, ...flags: string[]) => cli(['run', name, '--db', db(), ...flags], tmp());

/** A Comtrade+ extract of PAK's exports to KAZ in one year. */
const yearCsv = (year: number, value = 1000) =>
  csvText(PLUS_HEADER, [
    plusRow({ refYear: year, period: String(year), primaryValue: value, fobvalue: value }),
  ]);

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const landingFiles = () => (existsSync(landing()) ? readdirSync(landing()).sort() : []);
const flowsByYear = () =>
  query<{ period: string; value_usd: number }>(
    db(),
    "select period, value_usd from trade_flows where reporter_iso3 = 'PAK' order by period",
  );

interface LoadFileRow {
  run_id: number;
  origin: string | null;
  status: string;
  error_code: string | null;
}
const loadFiles = (runId?: number) =>
  query<LoadFileRow>(
    db(),
    `select run_id, origin, status, error_code from load_files ${runId === undefined ? '' : 'where run_id = ?'} order by load_id`,
    ...(runId === undefined ? [] : [runId]),
  );
const lastRunId = () => scalar<number>(db(), 'select max(run_id) from load_runs');

describe('corridor run: downloading the files a pipeline names', () => {
  it('downloads two URLs into the landing folder under their sha256 and loads both', async () => {
    const a = yearCsv(2021, 1000);
    const b = yearCsv(2022, 2000);
    server.route('/pak_2021.csv', { body: a, etag: '"a1"' });
    server.route('/pak_2022.csv', { body: b, etag: '"b1"', lastModified: 'Tue, 04 Mar 2025 08:00:00 GMT' });
    writePipeline('pak', [server.url('/pak_2021.csv'), server.url('/pak_2022.csv')]);

    const r = await run('pak');

    expect(r.stderr).not.toMatch(/FAIL/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Loaded 2 rows \(0 rejected\) from 2 files into trade_flows/);
    expect(flowsByYear()).toEqual([
      { period: '2021', value_usd: 1000 },
      { period: '2022', value_usd: 2000 },
    ]);
    expect(landingFiles()).toEqual([`${sha256(a)}.csv`, `${sha256(b)}.csv`].sort());
    for (const name of landingFiles())
      expect(sha256(readFileSync(join(landing(), name)))).toBe(name.slice(0, -'.csv'.length));
    expect(
      query(
        db(),
        'select url, etag, last_modified, sha256, landing_path, size_bytes, last_status from remote_files order by url',
      ),
    ).toEqual([
      {
        url: server.url('/pak_2021.csv'),
        etag: '"a1"',
        last_modified: null,
        sha256: sha256(a),
        landing_path: join(landing(), `${sha256(a)}.csv`),
        size_bytes: Buffer.byteLength(a),
        last_status: 'fetched',
      },
      {
        url: server.url('/pak_2022.csv'),
        etag: '"b1"',
        last_modified: 'Tue, 04 Mar 2025 08:00:00 GMT',
        sha256: sha256(b),
        landing_path: join(landing(), `${sha256(b)}.csv`),
        size_bytes: Buffer.byteLength(b),
        last_status: 'fetched',
      },
    ]);
    expect(loadFiles().map((f) => [f.origin, f.status])).toEqual([
      [server.url('/pak_2021.csv'), 'loaded'],
      [server.url('/pak_2022.csv'), 'loaded'],
    ]);
  });

  it('asks again with If-None-Match: an unchanged file (304) is neither downloaded nor loaded twice, a revised one is', async () => {
    server.route('/pak_2021.csv', { body: yearCsv(2021), etag: '"a1"' });
    server.route('/pak_2022.csv', { body: yearCsv(2022), etag: '"b1"' });
    writePipeline('pak', [server.url('/pak_2021.csv'), server.url('/pak_2022.csv')]);
    expect((await run('pak')).code).toBe(0);
    const landedBefore = landingFiles();

    const again = await run('pak');

    expect(again.code).toBe(0);
    expect(server.requestsTo('/pak_2021.csv').map((q) => q.headers['if-none-match'])).toEqual([
      undefined,
      '"a1"',
    ]);
    expect(server.requestsTo('/pak_2022.csv').map((q) => q.headers['if-none-match'])).toEqual([
      undefined,
      '"b1"',
    ]);
    expect(again.stderr).toMatch(/SAME {2}\S+\/pak_2021\.csv: unchanged on the server \(HTTP 304\)/);
    expect(again.stdout).toMatch(/^Nothing new: 2 unchanged files skipped/m);
    expect(landingFiles()).toEqual(landedBefore);
    expect(query(db(), 'select last_status from remote_files')).toEqual([
      { last_status: 'not_modified' },
      { last_status: 'not_modified' },
    ]);
    expect(loadFiles(lastRunId()).map((f) => [f.origin, f.status])).toEqual([
      [server.url('/pak_2021.csv'), 'skipped'],
      [server.url('/pak_2022.csv'), 'skipped'],
    ]);
    expect(flowsByYear()).toEqual([
      { period: '2021', value_usd: 1000 },
      { period: '2022', value_usd: 1000 },
    ]);

    // The publisher revises 2021: a new ETag, new bytes, which replace the year's rows.
    const revised = yearCsv(2021, 1500);
    server.route('/pak_2021.csv', { body: revised, etag: '"a2"' });
    const third = await run('pak');

    expect(third.code).toBe(0);
    expect(server.requestsTo('/pak_2021.csv').at(-1)?.headers['if-none-match']).toBe('"a1"');
    expect(third.stdout).toMatch(
      /Loaded 1 rows \(0 rejected\) from 1 file into trade_flows .*; 1 unchanged file skipped\./,
    );
    expect(flowsByYear()).toEqual([
      { period: '2021', value_usd: 1500 },
      { period: '2022', value_usd: 1000 },
    ]);
    expect(landingFiles()).toEqual([...landedBefore, `${sha256(revised)}.csv`].sort());
    expect(
      query(
        db(),
        'select etag, sha256, last_status from remote_files where url = ?',
        server.url('/pak_2021.csv'),
      ),
    ).toEqual([{ etag: '"a2"', sha256: sha256(revised), last_status: 'fetched' }]);
  });

  it('rides out a 500 and a 429 with Retry-After, waiting as long as the server asked', async () => {
    server.route('/pak_2021.csv', [
      { status: 500, body: 'database restarting' },
      { status: 429, headers: { 'retry-after': '1' } },
      { body: yearCsv(2021), etag: '"a1"' },
    ]);
    writePipeline('pak', [server.url('/pak_2021.csv')]);

    const started = performance.now();
    const r = await run('pak');
    const took = performance.now() - started;

    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/GET +\S+\/pak_2021\.csv: downloaded \d+ bytes after 3 attempts/);
    const [first, second, third] = server.requestsTo('/pak_2021.csv');
    expect(server.requestsTo('/pak_2021.csv')).toHaveLength(3);
    expect(second!.at - first!.at).toBeLessThan(900);
    // Retry-After: 1 is a floor: the third request comes a second after the 429, not 40 ms.
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(990);
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(flowsByYear()).toEqual([{ period: '2021', value_usd: 1000 }]);
    expect(loadFiles().map((f) => [f.origin, f.status])).toEqual([[server.url('/pak_2021.csv'), 'loaded']]);
  });
});

describe('corridor run: what a downloaded file is called', () => {
  // BUG (left open: the fix belongs in src/load/file-loader.ts and the reject placement, outside
  // this change): a downloaded file is loaded from its landing copy, and loadFile names it by
  // basename(file.path), so load_files.file_name, rejects.file and every reject line (`corridor
  // rejects`, the run's progress) say `1f3393…2482.csv › row 3` instead of `pak_2021.csv › row 3`.
  // A download that fails is named by its URL (recordUnfetchedFile), so the two disagree. The
  // name should come from the URL (file.origin) when there is one.
  it('names a downloaded file after its URL in the journal and in reject messages', async () => {
    server.route('/pak_2021.csv', {
      body: csvText(PLUS_HEADER, [plusRow({ cmdCode: '520512' }), plusRow({ cmdCode: '8703.2' })]),
    });
    writePipeline('pak', [server.url('/pak_2021.csv')]);
    expect((await run('pak')).code).toBe(3);

    const rejects = await cli(['rejects', '--run', String(lastRunId()), '--db', db()], tmp());

    expect(rejects.stdout).toMatch(/^pak_2021\.csv › row 3, column "cmdCode" \[bad_hs_code\]/m);
    expect(scalar(db(), 'select file_name from load_files')).toBe('pak_2021.csv');
  });
});

describe('corridor run: a download that fails for good, and --only-failed', () => {
  it('loads the good URL, journals the failed one and exits 1; --only-failed then fetches only that one', async () => {
    server.route('/pak_2021.csv', { body: yearCsv(2021), etag: '"a1"' });
    server.route('/pak_2022.csv', { status: 500, body: 'Internal Server Error' });
    writePipeline('pak', [server.url('/pak_2021.csv'), server.url('/pak_2022.csv')]);

    const failed = await run('pak');

    expect(failed.code).toBe(1);
    expect(server.requestsTo('/pak_2022.csv')).toHaveLength(3);
    expect(failed.stderr).toMatch(
      /FAIL {2}\S+\/pak_2022\.csv: \S+ answered 500 Internal Server Error after 3 attempts/,
    );
    expect(failed.stdout).toMatch(/Loaded 1 rows .* from 1 file into trade_flows .*; 1 file failed\./);
    expect(flowsByYear()).toEqual([{ period: '2021', value_usd: 1000 }]);
    const firstRun = lastRunId();
    expect(loadFiles(firstRun)).toEqual([
      {
        run_id: firstRun,
        origin: server.url('/pak_2022.csv'),
        status: 'failed',
        error_code: 'http_server_error',
      },
      { run_id: firstRun, origin: server.url('/pak_2021.csv'), status: 'loaded', error_code: null },
    ]);
    expect(scalar(db(), 'select status from load_runs where run_id = ?', firstRun)).toBe('failed');

    // The server is fixed; the retry asks for the failed file only.
    server.route('/pak_2022.csv', { body: yearCsv(2022, 2000), etag: '"b1"' });
    const goodRequestsBefore = server.requestsTo('/pak_2021.csv').length;
    const retried = await run('pak', '--only-failed');

    expect(retried.code).toBe(0);
    expect(server.requestsTo('/pak_2021.csv')).toHaveLength(goodRequestsBefore);
    expect(server.requestsTo('/pak_2022.csv')).toHaveLength(4);
    expect(retried.stdout).toMatch(/Loaded 1 rows \(0 rejected\) from 1 file into trade_flows/);
    const retryRun = lastRunId();
    expect(loadFiles(retryRun)).toEqual([
      { run_id: retryRun, origin: server.url('/pak_2022.csv'), status: 'loaded', error_code: null },
    ]);
    expect(flowsByYear()).toEqual([
      { period: '2021', value_usd: 1000 },
      { period: '2022', value_usd: 2000 },
    ]);

    const nothing = await run('pak', '--only-failed');

    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(
      /^Nothing to retry: the last run of pak \(run \d+\) succeeded with no failed file\./m,
    );
    expect(server.requests).toHaveLength(5);
    expect(lastRunId()).toBe(retryRun);
  });

  it('refuses a file over maxMegabytes without keeping any of it', async () => {
    const big = yearCsv(2021);
    expect(Buffer.byteLength(big)).toBeGreaterThan(100);
    server.route('/announced.csv', { body: big });
    server.route('/unannounced.csv', { body: yearCsv(2022), contentLength: false });
    writePipeline('pak', [server.url('/announced.csv'), server.url('/unannounced.csv')], {
      fetch: { maxMegabytes: 0.0001 },
    });

    const r = await run('pak');

    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/announced\.csv is [\d,]+ bytes \(its Content-Length\), over the 100 byte cap/);
    expect(r.stderr).toMatch(/unannounced\.csv passed the 100 byte cap while downloading/);
    // Not retried: the file is as large on the next attempt.
    expect(server.requestsTo('/announced.csv')).toHaveLength(1);
    expect(server.requestsTo('/unannounced.csv')).toHaveLength(1);
    expect(loadFiles().map((f) => [f.origin, f.status, f.error_code])).toEqual([
      [server.url('/announced.csv'), 'failed', 'fetch_too_large'],
      [server.url('/unannounced.csv'), 'failed', 'fetch_too_large'],
    ]);
    expect(landingFiles()).toEqual([]);
    expect(scalar(db(), 'select count(*) from remote_files')).toBe(0);
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);
  });
});

describe('corridor run: {year} templates over a period range', () => {
  it('fills {year} for every year of --from/--to, and a year not published (404) is MISS, not a failure', async () => {
    server.route('/trade_2021.csv', { body: yearCsv(2021, 1000) });
    // No route for 2022: the server answers 404.
    server.route('/trade_2023.csv', { body: yearCsv(2023, 3000) });
    writePipeline('pak', [server.url('/trade_{year}.csv')]);

    const r = await run('pak', '--from', '2021', '--to', '2023');

    expect(server.requests.map((q) => q.path).sort()).toEqual([
      '/trade_2021.csv',
      '/trade_2022.csv',
      '/trade_2023.csv',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^MISS {2}\S+\/trade_2022\.csv: not published \(HTTP 404\)/m);
    expect(r.stdout).toMatch(/Loaded 2 rows \(0 rejected\) from 2 files/);
    expect(flowsByYear()).toEqual([
      { period: '2021', value_usd: 1000 },
      { period: '2023', value_usd: 3000 },
    ]);
    expect(loadFiles().map((f) => [f.origin, f.status])).toEqual([
      [server.url('/trade_2021.csv'), 'loaded'],
      [server.url('/trade_2023.csv'), 'loaded'],
    ]);
  });

  // BUG (left open: the fix belongs in progressHooks, src/cli/run-report.ts): fetchOne in
  // src/extract/remote-files.ts reports a templated 404 to onFetchDone as 'failed' before it
  // turns it into 'missing', so progressHooks prints `FAIL  …/trade_2022.csv: … answered 404 Not
  // Found …` as a message (it survives --quiet) next to the MISS line, for what is not a failure.
  // A fix needs a 'missing' fetch outcome that progressHooks (FETCH_FLAGS) knows how to print.
  it('prints no FAIL line for a year that is only missing', async () => {
    server.route('/trade_2021.csv', { body: yearCsv(2021, 1000) });
    writePipeline('pak', [server.url('/trade_{year}.csv')]);

    const r = await run('pak', '--from', '2021', '--to', '2022');

    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^MISS {2}\S+\/trade_2022\.csv/m);
    expect(r.stderr).not.toMatch(/FAIL/);
  });

  it("uses the pipeline's own periods when no --from/--to is given", async () => {
    server.route('/trade_2021.csv', { body: yearCsv(2021, 1000) });
    server.route('/trade_2022.csv', { body: yearCsv(2022, 2000) });
    writePipeline('pak', [server.url('/trade_{year}.csv')], { periods: { from: '2021', to: '2022' } });

    const r = await run('pak');

    expect(r.code).toBe(0);
    expect(server.requests.map((q) => q.path).sort()).toEqual(['/trade_2021.csv', '/trade_2022.csv']);
    expect(flowsByYear()).toEqual([
      { period: '2021', value_usd: 1000 },
      { period: '2022', value_usd: 2000 },
    ]);
  });

  it('rejects a range that runs backwards as a usage error, asking nothing', async () => {
    writePipeline('pak', [server.url('/trade_{year}.csv')]);

    const r = await run('pak', '--from', '2023', '--to', '2021');

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The period range 2023 to 2021 runs backwards: --from must come before --to\./);
    expect(server.requests).toHaveLength(0);
  });
});

describe('corridor run --offline', () => {
  it('loads from the landing copies without asking the server, even once it is gone', async () => {
    server.route('/pak_2021.csv', { body: yearCsv(2021), etag: '"a1"' });
    writePipeline('pak', [server.url('/pak_2021.csv')]);
    expect((await run('pak')).code).toBe(0);
    const requests = server.requests.length;
    await server.close();

    const r = await run('pak', '--offline', '--force');

    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(requests);
    expect(r.stdout).toMatch(/Loaded 1 rows \(0 rejected\) from 1 file into trade_flows/);
    const offlineRun = lastRunId();
    expect(loadFiles(offlineRun)).toEqual([
      { run_id: offlineRun, origin: server.url('/pak_2021.csv'), status: 'loaded', error_code: null },
    ]);
    expect(flowsByYear()).toEqual([{ period: '2021', value_usd: 1000 }]);
  });

  it('replays a templated range offline: a year that was missing stays MISS, the run still exits 0', async () => {
    server.route('/trade_2021.csv', { body: yearCsv(2021, 1000) });
    writePipeline('pak', [server.url('/trade_{year}.csv')]);
    expect((await run('pak', '--from', '2021', '--to', '2022')).code).toBe(0);
    const requests = server.requests.length;

    const r = await run('pak', '--from', '2021', '--to', '2022', '--offline');

    expect(server.requests).toHaveLength(requests);
    expect(r.stderr).toMatch(/^MISS {2}\S+\/trade_2022\.csv: .*--offline/m);
    expect(r.code).toBe(0);
    expect(loadFiles(lastRunId()).map((f) => [f.origin, f.status])).toEqual([
      [server.url('/trade_2021.csv'), 'skipped'],
    ]);
  });

  it('fails a URL that was never downloaded, saying to run once without --offline', async () => {
    server.route('/pak_2021.csv', { body: yearCsv(2021) });
    writePipeline('pak', [server.url('/pak_2021.csv')]);

    const r = await run('pak', '--offline');

    expect(r.code).toBe(1);
    expect(server.requests).toHaveLength(0);
    expect(r.stderr).toMatch(
      /pak_2021\.csv has no copy in the landing area .*Run once without --offline to download it\./,
    );
    expect(loadFiles().map((f) => [f.origin, f.status, f.error_code])).toEqual([
      [server.url('/pak_2021.csv'), 'failed', 'not_landed'],
    ]);
  });
});

describe('corridor run: fetch headers from the environment', () => {
  const VARIABLE = 'CORRIDOR_TEST_TRADE_API_KEY';
  afterEach(() => {
    delete process.env[VARIABLE];
  });

  it(`sends \${NAME} in a header as the environment variable's value`, async () => {
    process.env[VARIABLE] = 'k-31337';
    server.route('/pak_2021.csv', { body: yearCsv(2021) });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      fetch: { headers: { 'Ocp-Apim-Subscription-Key': `\${${VARIABLE}}`, 'X-Client': 'corridor-${' } },
    });

    const r = await run('pak');

    expect(r.code).toBe(0);
    expect(server.requestsTo('/pak_2021.csv')[0]?.headers).toMatchObject({
      'ocp-apim-subscription-key': 'k-31337',
      'x-client': 'corridor-${',
    });
  });

  it('stops with a usage error naming the variable when it is not set, asking nothing', async () => {
    server.route('/pak_2021.csv', { body: yearCsv(2021) });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      fetch: { headers: { 'Ocp-Apim-Subscription-Key': `\${${VARIABLE}}` } },
    });

    const r = await run('pak');

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the environment variable ${VARIABLE} is not set`);
    expect(server.requests).toHaveLength(0);
    expect(scalar(db(), 'select count(*) from load_runs')).toBe(0);
  });

  it('does not need the variable with --offline, which sends no request', async () => {
    process.env[VARIABLE] = 'k-31337';
    server.route('/pak_2021.csv', { body: yearCsv(2021) });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      fetch: { headers: { 'Ocp-Apim-Subscription-Key': `\${${VARIABLE}}` } },
    });
    expect((await run('pak')).code).toBe(0);
    delete process.env[VARIABLE];

    const r = await run('pak', '--offline', '--force');

    expect(r.stderr).not.toContain(VARIABLE);
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(loadFiles(lastRunId()).map((f) => f.status)).toEqual(['loaded']);
  });
});
