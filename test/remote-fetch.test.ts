/**
 * Downloading into the landing folder, against a real HTTP server that fails, stalls, rate-limits
 * and answers 304 on cue. Timeouts and backoffs are small so the whole file stays quick, but every
 * wait is a real one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { landingExtension } from '../src/extract/landing-area.ts';
import {
  FetchError,
  type FetchOptions,
  type FetchPolicy,
  fetchToLanding,
  type KnownCopy,
} from '../src/extract/remote-fetch.ts';
import { backoffDelay, isRetryable, parseRetryAfter, retryDelay } from '../src/extract/retry-policy.ts';
import type { TransferProgress } from '../src/extract/transfer-progress.ts';
import { type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();
/** A folder that does not exist yet: fetchToLanding must create it. */
const landing = () => join(tmp(), 'landing', 'kaz');

/**
 * Short waits keep the file quick. The timeout is generous so that a busy machine never turns a
 * test about something else into a retry; the timeout tests set `STALL_MS` themselves.
 */
const POLICY: FetchPolicy = {
  timeoutMs: 5_000,
  retries: 2,
  backoffMs: 20,
  maxBackoffMs: 2_000,
  maxBytes: 1_000_000,
};

const STALL_MS = 300;

const CSV = 'period,reporterISO,partnerISO,cmdCode,primaryValue\n2024,KAZ,PAK,8703,125000\n';
const LAST_MODIFIED = 'Tue, 04 Mar 2025 08:00:00 GMT';

let server: FlakyServer;
beforeEach(async () => {
  server = await startFlakyServer();
});
afterEach(async () => {
  await server.close();
});

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const landingFiles = () => (existsSync(landing()) ? readdirSync(landing()).sort() : []);

function fetchWith(
  path: string,
  extra: Omit<Partial<FetchOptions>, 'policy'> & { policy?: Partial<FetchPolicy> } = {},
) {
  return fetchToLanding(server.url(path), {
    ...extra,
    landingDir: landing(),
    policy: { ...POLICY, ...extra.policy },
  });
}

/** The FetchError a promise rejects with; fails the test when it resolves or throws something else. */
async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a FetchError, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

/** The gaps between consecutive requests to a path, in ms. */
function gaps(path: string): number[] {
  const times = server.requestsTo(path).map((r) => r.at);
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

describe('fetchToLanding', () => {
  it('lands the body as <sha256><ext>, with its validators, creating the landing folder', async () => {
    server.route('/data/Trade_2024.CSV', { body: CSV, etag: '"v1"', lastModified: LAST_MODIFIED });

    const outcome = await fetchWith('/data/Trade_2024.CSV?format=full', {
      policy: { headers: { Authorization: 'Bearer abc' } },
    });

    const expectedPath = join(landing(), `${sha256(CSV)}.csv`);
    expect(outcome).toMatchObject({
      status: 'fetched',
      url: server.url('/data/Trade_2024.CSV?format=full'),
      path: expectedPath,
      sha256: sha256(CSV),
      sizeBytes: Buffer.byteLength(CSV),
      etag: '"v1"',
      lastModified: LAST_MODIFIED,
      httpStatus: 200,
      attempts: 1,
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(readFileSync(expectedPath, 'utf8')).toBe(CSV);
    expect(landingFiles()).toEqual([`${sha256(CSV)}.csv`]);
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe('Bearer abc');
    expect(request?.headers['if-none-match']).toBeUndefined();
  });

  it('names files by the extensions Corridor reads, and no other', () => {
    expect(landingExtension('https://x.org/a/b/Trade.XLSX')).toBe('.xlsx');
    expect(landingExtension('https://x.org/trade.xls?x=1.csv')).toBe('.xls');
    expect(landingExtension('https://x.org/dump.json#part.csv')).toBe('.json');
    expect(landingExtension('https://x.org/bulk.zip')).toBe('.zip');
    expect(landingExtension('https://x.org/notes.txt')).toBe('.txt');
    expect(landingExtension('https://x.org/download.php?id=7')).toBe('');
    expect(landingExtension('https://x.org/download')).toBe('');
    expect(landingExtension('https://x.org/.csv')).toBe('');
    expect(landingExtension('https://x.org/')).toBe('');
  });

  it('answers a 304 with the known copy, having sent If-None-Match and If-Modified-Since', async () => {
    server.route('/trade.csv', { body: CSV, etag: '"v1"', lastModified: LAST_MODIFIED });
    const first = await fetchWith('/trade.csv');
    const known: KnownCopy = {
      etag: first.etag,
      lastModified: first.lastModified,
      sha256: first.sha256,
      path: first.path,
    };

    const second = await fetchWith('/trade.csv', { known });

    expect(second).toMatchObject({
      status: 'not_modified',
      path: first.path,
      sha256: sha256(CSV),
      sizeBytes: Buffer.byteLength(CSV),
      etag: '"v1"',
      lastModified: LAST_MODIFIED,
      httpStatus: 304,
      attempts: 1,
    });
    const conditional = server.requestsTo('/trade.csv')[1];
    expect(conditional?.headers['if-none-match']).toBe('"v1"');
    expect(conditional?.headers['if-modified-since']).toBe(LAST_MODIFIED);
    expect(landingFiles()).toEqual([`${sha256(CSV)}.csv`]);
  });

  it('answers a 304 on Last-Modified alone when the server sends no ETag', async () => {
    server.route('/trade.csv', { body: CSV, lastModified: LAST_MODIFIED });
    const first = await fetchWith('/trade.csv');
    expect(first.etag).toBeNull();

    const second = await fetchWith('/trade.csv', { known: { ...first } });

    expect(second.status).toBe('not_modified');
    const conditional = server.requestsTo('/trade.csv')[1];
    expect(conditional?.headers['if-none-match']).toBeUndefined();
    expect(conditional?.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('lands a new file when the ETag changed', async () => {
    server.route('/trade.csv', { body: CSV, etag: '"v1"' });
    const first = await fetchWith('/trade.csv');
    const revised = `${CSV}2024,KAZ,PAK,8704,9000\n`;
    server.route('/trade.csv', { body: revised, etag: '"v2"' });

    const second = await fetchWith('/trade.csv', { known: { ...first } });

    expect(server.requestsTo('/trade.csv')[1]?.headers['if-none-match']).toBe('"v1"');
    expect(second).toMatchObject({
      status: 'fetched',
      etag: '"v2"',
      sha256: sha256(revised),
      httpStatus: 200,
    });
    expect(second.path).not.toBe(first.path);
    expect(readFileSync(second.path, 'utf8')).toBe(revised);
    expect(readFileSync(first.path, 'utf8')).toBe(CSV);
    expect(landingFiles()).toEqual([`${sha256(CSV)}.csv`, `${sha256(revised)}.csv`].sort());
  });

  it('fetches without conditions when the known copy is gone from disk', async () => {
    server.route('/trade.csv', { body: CSV, etag: '"v1"' });
    const first = await fetchWith('/trade.csv');
    rmSync(first.path);

    const second = await fetchWith('/trade.csv', { known: { ...first } });

    expect(second.status).toBe('fetched');
    expect(server.requestsTo('/trade.csv')[1]?.headers['if-none-match']).toBeUndefined();
    expect(readFileSync(second.path, 'utf8')).toBe(CSV);
  });

  it('keeps one file when the same bytes are fetched again without conditions', async () => {
    server.route('/a.csv', { body: CSV });
    server.route('/b.csv', { body: CSV });

    const a = await fetchWith('/a.csv');
    const b = await fetchWith('/b.csv');

    expect(b.path).toBe(a.path);
    expect(landingFiles()).toEqual([`${sha256(CSV)}.csv`]);
  });

  it('retries 500s and succeeds on the third attempt', async () => {
    server.route('/trade.csv', [{ status: 500 }, { status: 503 }, { body: CSV }]);

    const outcome = await fetchWith('/trade.csv');

    expect(outcome).toMatchObject({ status: 'fetched', attempts: 3, httpStatus: 200 });
    expect(server.requestsTo('/trade.csv')).toHaveLength(3);
    expect(readFileSync(outcome.path, 'utf8')).toBe(CSV);
  });

  it('gives up with http_server_error after retries + 1 attempts of 500', async () => {
    server.route('/trade.csv', {
      status: 500,
      body: '<html><body><h1>Database unavailable</h1></body></html>',
    });

    const error = await fetchError(fetchWith('/trade.csv'));

    expect(error.code).toBe('http_server_error');
    expect(error.attempts).toBe(3);
    expect(error.httpStatus).toBe(500);
    expect(error.url).toBe(server.url('/trade.csv'));
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      `${server.url('/trade.csv')} answered 500 Internal Server Error after 3 attempts: the server is failing, not the request. Try again later, or give it longer with fetch.retries and fetch.maxBackoffSeconds. The server said: "Database unavailable"`,
    );
    expect(server.requestsTo('/trade.csv')).toHaveLength(3);
    expect(landingFiles()).toEqual([]);
  });

  it('waits as long as Retry-After says before retrying a 429', async () => {
    server.route('/trade.csv', [{ status: 429, headers: { 'retry-after': '1' } }, { body: CSV }]);

    const outcome = await fetchWith('/trade.csv');

    expect(outcome).toMatchObject({ status: 'fetched', attempts: 2 });
    const [gap] = gaps('/trade.csv');
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(1_800);
  });

  it('caps a long Retry-After at maxBackoffMs, and says so when the server keeps refusing', async () => {
    server.route('/trade.csv', { status: 429, headers: { 'retry-after': '3600' } });

    const error = await fetchError(fetchWith('/trade.csv', { policy: { retries: 1, maxBackoffMs: 250 } }));

    expect(error.code).toBe('http_rate_limited');
    expect(error.attempts).toBe(2);
    expect(error.httpStatus).toBe(429);
    expect(error.message).toContain('answered 429 Too Many Requests after 2 attempts');
    expect(error.message).toContain(
      'It asked to wait 60m00s; Corridor waits at most fetch.maxBackoffSeconds (250ms).',
    );
    const [gap] = gaps('/trade.csv');
    expect(gap).toBeGreaterThanOrEqual(230);
    expect(gap).toBeLessThan(900);
  });

  it('times out an attempt that gets no headers, and succeeds on the next', async () => {
    server.route('/trade.csv', [{ stall: 'before-headers' }, { body: CSV }]);

    const started = performance.now();
    const outcome = await fetchWith('/trade.csv', { policy: { timeoutMs: STALL_MS } });
    const elapsed = performance.now() - started;

    expect(outcome).toMatchObject({ status: 'fetched', attempts: 2 });
    expect(readFileSync(outcome.path, 'utf8')).toBe(CSV);
    // The first attempt waited out its limit. Measured on the client's clock: the gap between the
    // server's two arrivals shrinks when a busy machine is slow to open the first connection.
    expect(elapsed).toBeGreaterThanOrEqual(STALL_MS - 5);
  });

  it('fails with fetch_timeout when every attempt stalls, and hangs up on each', async () => {
    server.route('/trade.csv', { stall: 'before-headers' });

    const error = await fetchError(fetchWith('/trade.csv', { policy: { retries: 1, timeoutMs: STALL_MS } }));

    expect(error.code).toBe('fetch_timeout');
    expect(error.attempts).toBe(2);
    expect(error.httpStatus).toBeNull();
    expect(error.message).toBe(
      `${server.url('/trade.csv')} sent no response within 300ms, on the last of 2 attempts. The server is slow or stuck: try later, or raise the pipeline's fetch.timeoutSeconds.`,
    );
    await expect.poll(() => server.openConnections, { timeout: 1_000 }).toBe(0);
  });

  it('times out a body that stops mid-way, deletes the partial file, and retries', async () => {
    const body = 'x'.repeat(40_000);
    server.route('/big.csv', [{ body, stall: 'mid-body', stallAfterBytes: 10_000 }, { body }]);

    const outcome = await fetchWith('/big.csv', { policy: { timeoutMs: STALL_MS } });

    expect(outcome).toMatchObject({ status: 'fetched', attempts: 2, sizeBytes: 40_000 });
    expect(readFileSync(outcome.path, 'utf8')).toBe(body);
    expect(landingFiles()).toEqual([`${sha256(body)}.csv`]);
  });

  it('reports how far a stalled body got when it gives up', async () => {
    server.route('/big.csv', { body: 'x'.repeat(40_000), stall: 'mid-body', stallAfterBytes: 10_000 });

    const error = await fetchError(fetchWith('/big.csv', { policy: { retries: 0, timeoutMs: STALL_MS } }));

    expect(error.code).toBe('fetch_timeout');
    expect(error.httpStatus).toBe(200);
    expect(error.message).toContain(
      'stopped sending for 300ms after 10,000 bytes of the body, on the last of 1 attempt',
    );
    expect(landingFiles()).toEqual([]);
    await expect.poll(() => server.openConnections, { timeout: 1_000 }).toBe(0);
  });

  it('lets a slow download that keeps moving run past the timeout, reporting progress', async () => {
    const body = 'y'.repeat(9 * 1_000);
    // 9 chunks 100 ms apart: ~800 ms in all, over twice the 350 ms timeout, never idle that long.
    server.route('/slow.csv', { body, chunkBytes: 1_000, chunkDelayMs: 100 });
    const progress: TransferProgress[] = [];

    const outcome = await fetchWith('/slow.csv', {
      policy: { timeoutMs: 350 },
      onProgress: (p) => progress.push(p),
    });

    expect(outcome).toMatchObject({ status: 'fetched', attempts: 1, sizeBytes: 9_000 });
    expect(outcome.durationMs).toBeGreaterThan(750);
    expect(progress.at(-1)).toMatchObject({
      shown: server.url('/slow.csv'),
      bytes: 9_000,
      totalBytes: 9_000,
    });
    // Throttled: 9 chunks, but at most one call per 200 ms plus the final one.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(Math.floor(outcome.durationMs / 200) + 1);
    const ticks = progress.slice(0, -1).map((p) => p.elapsedMs);
    for (let i = 1; i < ticks.length; i++) {
      expect((ticks[i] as number) - (ticks[i - 1] as number)).toBeGreaterThanOrEqual(190);
    }
  });

  it('refuses a body whose Content-Length is over the cap before downloading it', async () => {
    // Megabytes, so the body is still on its way when the client decides: it must hang up.
    server.route('/huge.csv', { body: 'z'.repeat(4_000_000) });

    const error = await fetchError(fetchWith('/huge.csv', { policy: { maxBytes: 1_000 } }));

    expect(error.code).toBe('fetch_too_large');
    expect(error.attempts).toBe(1);
    expect(error.message).toBe(
      `${server.url('/huge.csv')} is 4,000,000 bytes (its Content-Length), over the 1,000 byte cap, so it was not downloaded (after 1 attempt). If the file is expected to be this large, raise the pipeline's fetch.maxMegabytes.`,
    );
    expect(server.requestsTo('/huge.csv')).toHaveLength(1);
    expect(landingFiles()).toEqual([]);
    await expect.poll(() => server.openConnections, { timeout: 1_000 }).toBe(0);
  });

  it('drops a chunked body once it passes the cap, leaving no partial file', async () => {
    server.route('/huge.csv', { body: 'z'.repeat(4_000_000), contentLength: false });

    const error = await fetchError(fetchWith('/huge.csv', { policy: { maxBytes: 10_000 } }));

    expect(error.code).toBe('fetch_too_large');
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('passed the 10,000 byte cap while downloading');
    expect(server.requestsTo('/huge.csv')).toHaveLength(1);
    expect(existsSync(landing())).toBe(true);
    expect(landingFiles()).toEqual([]);
    await expect.poll(() => server.openConnections, { timeout: 1_000 }).toBe(0);
  });

  it('fails a 404 at once with http_not_found', async () => {
    const error = await fetchError(fetchWith('/missing_2024.csv'));

    expect(error.code).toBe('http_not_found');
    expect(error.attempts).toBe(1);
    expect(error.httpStatus).toBe(404);
    expect(error.message).toBe(
      `${server.url('/missing_2024.csv')} answered 404 Not Found (after 1 attempt): no file is published at that URL, or the URL is wrong. Open it in a browser, and check the URL in the pipeline (and the period filled into it).`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('fails a 403 at once with http_error, pointing at the credentials and quoting the server', async () => {
    server.route('/trade.csv', {
      status: 403,
      body: `{"error":"invalid subscription key"}${' '.repeat(300)}tail`,
    });

    const error = await fetchError(fetchWith('/trade.csv?subscription-key=s3cr3t'));

    expect(error.code).toBe('http_error');
    expect(error.attempts).toBe(1);
    expect(error.httpStatus).toBe(403);
    expect(error.message).toContain(
      'answered 403 Forbidden (after 1 attempt): the server refused the credentials',
    );
    expect(error.message).toContain(
      'fetch.headers. The server said: "{"error":"invalid subscription key"} tail"',
    );
    // The key stays out of the message, which ends up in logs and alerts.
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toContain('subscription-key=***');
    expect(server.requests).toHaveLength(1);
  });

  it('cuts a long error body to 200 characters in the message', async () => {
    server.route('/trade.csv', { status: 400, body: 'b'.repeat(1_000) });

    const error = await fetchError(fetchWith('/trade.csv'));

    expect(error.code).toBe('http_error');
    expect(error.message).toContain(`The server said: "${'b'.repeat(200)}…"`);
  });

  it('fails with network_error, naming the cause, when nothing listens', async () => {
    const url = server.url('/trade.csv');
    await server.close();

    const error = await fetchError(
      fetchToLanding(url, { landingDir: landing(), policy: { ...POLICY, retries: 1 } }),
    );

    expect(error.code).toBe('network_error');
    expect(error.attempts).toBe(2);
    expect(error.httpStatus).toBeNull();
    expect(error.message).toContain(`${url} could not be reached (after 2 attempts): `);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('stops mid-download when aborted, and keeps nothing', async () => {
    server.route('/big.csv', { body: 'x'.repeat(40_000), stall: 'mid-body' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();

    const error = await fetchError(
      fetchWith('/big.csv', { signal: controller.signal, policy: { timeoutMs: 10_000 } }),
    );

    expect(error.code).toBe('fetch_aborted');
    expect(error.attempts).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(existsSync(landing())).toBe(true);
    expect(landingFiles()).toEqual([]);
    await expect.poll(() => server.openConnections, { timeout: 1_000 }).toBe(0);
  });

  it('stops a wait between attempts when aborted', async () => {
    server.route('/trade.csv', { status: 503 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();

    const error = await fetchError(
      fetchWith('/trade.csv', {
        signal: controller.signal,
        policy: { backoffMs: 10_000, maxBackoffMs: 10_000 },
      }),
    );

    expect(error.code).toBe('fetch_aborted');
    expect(error.attempts).toBe(1);
    expect(error.httpStatus).toBe(503);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('does not start when the signal is already aborted', async () => {
    server.route('/trade.csv', { body: CSV });

    const error = await fetchError(fetchWith('/trade.csv', { signal: AbortSignal.abort() }));

    expect(error.code).toBe('fetch_aborted');
    expect(error.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['ftp://example.org/trade.csv', 'is a ftp: URL'],
    ['file:///etc/passwd', 'is a file: URL'],
    ['downloads/trade.csv', 'is not a valid URL'],
  ])('refuses %s with bad_url', async (url, said) => {
    const error = await fetchError(fetchToLanding(url, { landingDir: landing(), policy: POLICY }));

    expect(error.code).toBe('bad_url');
    expect(error.attempts).toBe(0);
    expect(error.message).toContain(`"${url}" ${said}`);
    expect(existsSync(landing())).toBe(false);
  });
});

describe('retry policy', () => {
  const settings = { backoffMs: 100, maxBackoffMs: 1_000 };

  it('retries what may pass, and not what will not', () => {
    const http = (status: number) => ({ kind: 'http', status, retryAfterMs: null, bodyHint: '' }) as const;
    expect([429, 500, 502, 503, 504].map((s) => isRetryable(http(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 410, 304].map((s) => isRetryable(http(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isRetryable({ kind: 'timeout', phase: 'body', bytes: 5 })).toBe(true);
    expect(isRetryable({ kind: 'network', detail: 'ECONNRESET', cause: null })).toBe(true);
    expect(isRetryable({ kind: 'too_large', declaredBytes: 10, receivedBytes: 0 })).toBe(false);
  });

  it('doubles the backoff per retry, with equal jitter, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 0.999999))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
    expect(backoffDelay(5_000, settings, () => 0.5)).toBe(750);
  });

  it('honours Retry-After as a floor, capped at maxBackoffMs', () => {
    expect(retryDelay(1, settings, 700, () => 0)).toBe(700);
    expect(retryDelay(1, settings, 0, () => 0)).toBe(50);
    expect(retryDelay(1, settings, 3_600_000, () => 0)).toBe(1_000);
    expect(retryDelay(3, settings, null, () => 0)).toBe(200);
  });

  it('reads Retry-After as delta-seconds or an HTTP-date', () => {
    const now = Date.parse('2025-03-04T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 04 Mar 2025 08:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Tue, 04 Mar 2025 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
