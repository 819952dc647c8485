/**
 * Downloads one URL into a landing folder, the way a nightly job needs it: a conditional request
 * when a copy is already there (so an unchanged file costs one 304), retries with backoff for
 * what may pass (5xx, 429, timeouts, network errors, a body cut short), none for what will not (other 4xx, a body
 * over the size cap), and a FetchError with a stable code and a message that says what to do
 * when it gives up. Nothing half-downloaded is ever left in the landing folder.
 *
 * Uses Node's global fetch (undici). Each attempt has its own AbortController, fired by an idle
 * timer (see `FetchPolicy.timeoutMs`) or by the caller's signal; aborting it also closes the
 * socket, so a stalled server cannot keep the process alive.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { FetchError } from './fetch-error.ts';
import { abortedError, failureError } from './fetch-failure-message.ts';
import { LandingArea, landingExtension } from './landing-area.ts';
import { maskUrl } from './masked-url.ts';
import { bodyCutFailure, networkFailure } from './network-failure.ts';
import { type AttemptFailure, isRetryable, parseRetryAfter, retryDelay } from './retry-policy.ts';
import type { TransferProgress } from './transfer-progress.ts';

export { FetchError, type FetchErrorCode } from './fetch-error.ts';

export interface FetchPolicy {
  /**
   * Per attempt, in ms: no response headers, or no body bytes, for this long fails the attempt
   * (retryable). An idle limit, not a total: a slow download that keeps moving is never cut.
   */
  readonly timeoutMs: number;
  /** Attempts after the first. */
  readonly retries: number;
  /** Base delay of the exponential backoff, in ms. */
  readonly backoffMs: number;
  /** Longest wait between attempts, Retry-After included, in ms. */
  readonly maxBackoffMs: number;
  /** Largest body accepted, in bytes; larger fails at once (not retried), before or while downloading. */
  readonly maxBytes: number;
  /** Extra request headers (an API key, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the landing area already holds for this URL, from the last successful fetch. */
export interface KnownCopy {
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly sha256: string;
  readonly path: string;
}

export interface FetchOutcome {
  readonly status: 'fetched' | 'not_modified';
  readonly url: string;
  /** Landing copy: `<landingDir>/<sha256><ext>`. For not_modified, the known copy's path. */
  readonly path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly httpStatus: number;
  /** Attempts made, 1 when the first succeeded. */
  readonly attempts: number;
  readonly durationMs: number;
}

export interface FetchOptions {
  readonly landingDir: string;
  readonly policy: FetchPolicy;
  /** The copy from the last successful fetch: its ETag and Last-Modified make the request conditional. */
  readonly known?: KnownCopy | null;
  /** Aborting stops at once (mid-download or mid-wait), deletes the partial file and throws `fetch_aborted`. */
  readonly signal?: AbortSignal;
  /**
   * Called at most every 200 ms while the body arrives, and once when it is complete. Bytes count
   * from zero again on each attempt; not called for a 304.
   */
  readonly onProgress?: (progress: TransferProgress) => void;
}

/** Often enough for a live line, rarely enough that a fast download is not slowed by its display. */
const PROGRESS_INTERVAL_MS = 200;
/** Enough of an error page to carry the server's reason, short enough for one line. */
const BODY_HINT_CHARS = 200;
/** setTimeout's limit: a longer delay overflows and fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The most of an error body read for the hint: error pages are small, and this one is not wanted. */
const BODY_HINT_BYTES = 16 * 1024;

/**
 * Downloads `url` into `options.landingDir` as `<sha256><ext>`, or confirms with a 304 that the
 * known copy is current.
 *
 * @throws FetchError with a stable `code` (see FetchErrorCode) when the download fails for good
 * @throws FileAccessError (`landing_not_writable`, `landing_write_failed`) when the landing folder cannot be written
 * @example
 * const outcome = await fetchToLanding('https://example.org/kaz/trade_2024.csv', {
 *   landingDir: 'landing/kaz',
 *   policy: { timeoutMs: 30_000, retries: 4, backoffMs: 2_000, maxBackoffMs: 60_000, maxBytes: 500e6 },
 *   known: lastOutcome, // { etag, lastModified, sha256, path } of the previous fetch, or null
 * });
 * if (outcome.status === 'fetched') await load(outcome.path);
 */
export async function fetchToLanding(url: string, options: FetchOptions): Promise<FetchOutcome> {
  const started = Date.now();
  const shown = maskUrl(url);
  const target = parseHttpUrl(url, shown);
  const { policy, signal } = options;
  const known = await presentCopy(options.known ?? null);
  const attempt: AttemptContext = {
    url,
    target,
    shown,
    policy,
    known,
    headers: requestHeaders(policy, known),
    area: new LandingArea(options.landingDir),
    signal: signal ?? null,
    onProgress: options.onProgress ?? null,
  };

  let attempts = 0;
  for (;;) {
    if (signal?.aborted) throw abortedError(attempt, attempts, null);
    attempts += 1;
    const result = await attemptOnce(attempt);
    const done = { attempts, durationMs: Date.now() - started };
    switch (result.kind) {
      case 'fetched':
      case 'not_modified':
        return { ...result.outcome, ...done };
      case 'aborted':
        throw abortedError(attempt, attempts, result.httpStatus);
      case 'failed': {
        const { failure } = result;
        if (!isRetryable(failure) || attempts > policy.retries) {
          throw failureError(attempt, failure, attempts, result.httpStatus);
        }
        const retryAfterMs = failure.kind === 'http' ? failure.retryAfterMs : null;
        const wait = retryDelay(attempts, policy, retryAfterMs, Math.random);
        try {
          await sleep(wait, undefined, signal === undefined ? {} : { signal });
        } catch {
          throw abortedError(attempt, attempts, result.httpStatus);
        }
      }
    }
  }
}

interface AttemptContext {
  readonly url: string;
  readonly target: URL;
  readonly shown: string;
  readonly policy: FetchPolicy;
  readonly known: PresentCopy | null;
  readonly headers: Headers;
  readonly area: LandingArea;
  readonly signal: AbortSignal | null;
  readonly onProgress: ((progress: TransferProgress) => void) | null;
}

type Landed = Omit<FetchOutcome, 'attempts' | 'durationMs'>;

type AttemptResult =
  | { readonly kind: 'fetched' | 'not_modified'; readonly outcome: Landed }
  | { readonly kind: 'failed'; readonly failure: AttemptFailure; readonly httpStatus: number | null }
  | { readonly kind: 'aborted'; readonly httpStatus: number | null };

/** One request, start to finish. Never throws for network or HTTP trouble: that is a result. */
async function attemptOnce(ctx: AttemptContext): Promise<AttemptResult> {
  const { policy } = ctx;
  const attemptStarted = Date.now();
  const controller = new AbortController();
  let timedOut = false;
  // The idle timer: armed for the headers, re-armed by every body chunk.
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort(new Error(`no data for ${policy.timeoutMs} ms`));
    },
    Math.min(policy.timeoutMs, MAX_TIMER_MS),
  );
  const touch = () => {
    // refresh() would re-arm a timer that already fired.
    if (!timedOut) timer.refresh();
  };
  const onCallerAbort = () => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let bodyConsumed = false;

  /** The caller's abort or our timer, when either is why a read or the request failed. */
  const interruption = (phase: 'headers' | 'body', bytes: number, httpStatus: number | null) => {
    if (ctx.signal?.aborted) return { kind: 'aborted', httpStatus } as const;
    if (timedOut) return { kind: 'failed', failure: { kind: 'timeout', phase, bytes }, httpStatus } as const;
    return null;
  };

  try {
    let response: Response;
    try {
      response = await fetch(ctx.target, {
        headers: ctx.headers,
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (cause) {
      return (
        interruption('headers', 0, null) ?? {
          kind: 'failed',
          failure: networkFailure(cause, 'headers', 0),
          httpStatus: null,
        }
      );
    }
    touch();
    const status = response.status;

    if (status === 304 && ctx.known !== null) {
      bodyConsumed = true;
      const { copy, sizeBytes } = ctx.known;
      return {
        kind: 'not_modified',
        outcome: {
          status: 'not_modified',
          url: ctx.url,
          path: copy.path,
          sha256: copy.sha256,
          sizeBytes,
          etag: response.headers.get('etag') ?? copy.etag,
          lastModified: response.headers.get('last-modified') ?? copy.lastModified,
          httpStatus: status,
        },
      };
    }

    if (status < 200 || status > 299) {
      let bodyHint: string;
      try {
        bodyHint = await readHint(response, touch);
      } catch {
        // The status is what matters; a hint that cannot be read is left out, unless the read
        // failed because the caller aborted.
        if (ctx.signal?.aborted) return { kind: 'aborted', httpStatus: status };
        bodyHint = '';
      }
      // Read now: an HTTP-date counts from when the answer came, not from when we retry.
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return {
        kind: 'failed',
        failure: { kind: 'http', status, retryAfterMs, bodyHint },
        httpStatus: status,
      };
    }

    const declared = declaredLength(response);
    if (declared !== null && declared > policy.maxBytes) {
      return {
        kind: 'failed',
        failure: { kind: 'too_large', declaredBytes: declared, receivedBytes: 0 },
        httpStatus: status,
      };
    }

    const incoming = await ctx.area.receive();
    try {
      const progress = progressReporter(ctx, attemptStarted, declared);
      // No body at all (a 204, say) lands as an empty file, like an empty body would.
      const reader = response.body?.getReader();
      while (reader !== undefined) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (cause) {
          return (
            interruption('body', incoming.bytes, status) ?? {
              kind: 'failed',
              failure: bodyCutFailure(
                networkFailure(cause, 'body', incoming.bytes),
                incoming.bytes,
                declared,
              ),
              httpStatus: status,
            }
          );
        }
        if (next.done) break;
        touch();
        const received = incoming.bytes + next.value.byteLength;
        if (received > policy.maxBytes) {
          return {
            kind: 'failed',
            failure: { kind: 'too_large', declaredBytes: null, receivedBytes: received },
            httpStatus: status,
          };
        }
        await incoming.write(next.value);
        touch();
        progress.tick(incoming.bytes);
      }
      bodyConsumed = true;
      // undici already fails a body short of its Content-Length; this check keeps that promise
      // whatever the client library does.
      if (declared !== null && incoming.bytes !== declared) {
        return {
          kind: 'failed',
          failure: {
            kind: 'truncated',
            receivedBytes: incoming.bytes,
            declaredBytes: declared,
            detail: 'the body ended early',
          },
          httpStatus: status,
        };
      }
      // The body is in: flushing a large file to disk may take longer than the idle limit.
      clearTimeout(timer);
      // An abort that landed between the last chunk and here still wins: the caller asked for nothing.
      if (ctx.signal?.aborted) return { kind: 'aborted', httpStatus: status };
      // The URL as named first; failing that, where a redirect led (`/download?id=7` → `/files/trade.csv`).
      const ext = landingExtension(ctx.target) || landingExtension(response.url);
      const landed = await incoming.finish(ext);
      progress.done(landed.sizeBytes);
      return {
        kind: 'fetched',
        outcome: {
          status: 'fetched',
          url: ctx.url,
          path: landed.path,
          sha256: landed.sha256,
          sizeBytes: landed.sizeBytes,
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
          httpStatus: status,
        },
      };
    } finally {
      await incoming.discard();
    }
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onCallerAbort);
    // A body left unread (an error page, a cap passed, a throw) would hold its socket open;
    // aborting the attempt closes it.
    if (!bodyConsumed) controller.abort(new Error('attempt ended'));
  }
}

/** The known copy, when its file is still there to fall back on; otherwise fetch unconditionally. */
interface PresentCopy {
  readonly copy: KnownCopy;
  readonly sizeBytes: number;
}

async function presentCopy(known: KnownCopy | null): Promise<PresentCopy | null> {
  if (known === null || (known.etag === null && known.lastModified === null)) return null;
  try {
    const info = await stat(known.path);
    return info.isFile() ? { copy: known, sizeBytes: info.size } : null;
  } catch {
    // Deleted or unreadable: a 304 would point at nothing, so ask for the whole file.
    return null;
  }
}

function requestHeaders(policy: FetchPolicy, known: PresentCopy | null): Headers {
  // Headers, not a plain object: names are case-insensitive, so `set` replaces a caller's
  // `If-None-Match` instead of sending two.
  const headers = new Headers(policy.headers);
  if (known?.copy.etag) headers.set('if-none-match', known.copy.etag);
  if (known?.copy.lastModified) headers.set('if-modified-since', known.copy.lastModified);
  return headers;
}

function parseHttpUrl(url: string, shown: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch (cause) {
    throw new FetchError(
      'bad_url',
      `"${shown}" is not a valid URL, so nothing was downloaded (0 attempts). Write it in full, such as https://example.org/trade_2024.csv.`,
      { url, httpStatus: null, attempts: 0, cause },
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError(
      'bad_url',
      `"${shown}" is a ${target.protocol} URL; Corridor downloads only http: and https: URLs, so nothing was downloaded (0 attempts). Use an http(s) URL, or name a local file by its path in the source's files.`,
      { url, httpStatus: null, attempts: 0 },
    );
  }
  return target;
}

/** Content-Length, when it is the size of the bytes we will store (not of a compressed transfer). */
function declaredLength(response: Response): number | null {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.toLowerCase() !== 'identity') return null;
  const value = response.headers.get('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** The first words of an error body, tags and runs of blanks removed. */
async function readHint(response: Response, touch: () => void): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < BODY_HINT_BYTES) {
    const next = await reader.read();
    if (next.done) break;
    touch();
    chunks.push(next.value);
    size += next.value.byteLength;
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > BODY_HINT_CHARS ? `${text.slice(0, BODY_HINT_CHARS)}…` : text;
}

function progressReporter(ctx: AttemptContext, attemptStarted: number, totalBytes: number | null) {
  let last = attemptStarted;
  const emit = (bytes: number, now: number) => {
    last = now;
    ctx.onProgress?.({ shown: ctx.shown, bytes, totalBytes, elapsedMs: now - attemptStarted });
  };
  return {
    tick(bytes: number) {
      const now = Date.now();
      if (ctx.onProgress !== null && now - last >= PROGRESS_INTERVAL_MS) emit(bytes, now);
    },
    done(bytes: number) {
      emit(bytes, Date.now());
    },
  };
}
