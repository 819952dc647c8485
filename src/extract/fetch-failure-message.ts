/**
 * What a failed download says: the URL (credentials masked), what happened over how many
 * attempts, and which pipeline key to change. Kept apart from the transfer itself
 * (remote-fetch.ts), which only decides when an attempt has failed.
 */
import { STATUS_CODES } from 'node:http';
import { formatCount, formatDuration } from '../human-format.ts';
import { FetchError } from './fetch-error.ts';
import type { FetchPolicy } from './remote-fetch.ts';
import type { AttemptFailure } from './retry-policy.ts';

/** The download a message is about. */
export interface FailedFetch {
  readonly url: string;
  /** The URL as messages show it. */
  readonly shown: string;
  readonly policy: FetchPolicy;
  readonly signal: AbortSignal | null;
}

export function abortedError(ctx: FailedFetch, attempts: number, httpStatus: number | null): FetchError {
  return new FetchError(
    'fetch_aborted',
    `The download of ${ctx.shown} was cancelled after ${attemptsText(attempts)}; no partial file was kept. Run it again to fetch the file.`,
    { url: ctx.url, httpStatus, attempts, cause: ctx.signal?.reason },
  );
}

export function failureError(
  ctx: FailedFetch,
  failure: AttemptFailure,
  attempts: number,
  httpStatus: number | null,
): FetchError {
  const { shown, policy } = ctx;
  const after = `after ${attemptsText(attempts)}`;
  const details = { url: ctx.url, httpStatus, attempts };
  switch (failure.kind) {
    case 'http': {
      const { status } = failure;
      const answered = `${shown} answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
      const said = failure.bodyHint ? ` The server said: "${failure.bodyHint}"` : '';
      if (status === 404 || status === 410) {
        return new FetchError(
          'http_not_found',
          `${answered} (${after}): no file is published at that URL, or the URL is wrong. Open it in a browser, and check the URL in the pipeline (and the period filled into it).`,
          details,
        );
      }
      if (status === 429) {
        return new FetchError(
          'http_rate_limited',
          `${answered} ${after}: the server is limiting how often this client may ask.${rateLimitNote(failure.retryAfterMs, policy)} Run the pipeline less often, or raise fetch.retries and fetch.maxBackoffSeconds.${said}`,
          details,
        );
      }
      if (status >= 500) {
        return new FetchError(
          'http_server_error',
          `${answered} ${after}: the server is failing, not the request. Try again later, or give it longer with fetch.retries and fetch.maxBackoffSeconds.${said}`,
          details,
        );
      }
      if (status === 401 || status === 403) {
        return new FetchError(
          'http_error',
          `${answered} (${after}): the server refused the credentials, or needs some. Check the API key and other headers in the pipeline's fetch.headers.${said}`,
          details,
        );
      }
      if (status === 304) {
        return new FetchError(
          'http_error',
          `${answered} (${after}) to a request that had no conditions: the server or a proxy in between is misbehaving. Retry later, or ask the publisher.`,
          details,
        );
      }
      return new FetchError(
        'http_error',
        `${answered} (${after}); asking again would get the same answer. Check the URL, its query parameters and the pipeline's fetch.headers.${said}`,
        details,
      );
    }
    case 'timeout': {
      const idle = formatDuration(policy.timeoutMs);
      const what =
        failure.phase === 'headers'
          ? `sent no response within ${idle}`
          : `stopped sending for ${idle} after ${formatCount(failure.bytes)} bytes of the body`;
      return new FetchError(
        'fetch_timeout',
        `${shown} ${what}, on the last of ${attemptsText(attempts)}. The server is slow or stuck: try later, or raise the pipeline's fetch.timeoutSeconds.`,
        details,
      );
    }
    case 'network':
      return new FetchError(
        'network_error',
        `${shown} could not be reached (${after}): ${failure.detail}. Check the host name, the network connection and any proxy or firewall.`,
        { ...details, cause: failure.cause },
      );
    case 'truncated': {
      const expected =
        failure.declaredBytes !== null
          ? `${formatCount(failure.receivedBytes)} of the ${formatCount(failure.declaredBytes)} bytes its Content-Length announced`
          : `${formatCount(failure.receivedBytes)} bytes, before the end of a body sent chunked or compressed`;
      return new FetchError(
        'fetch_truncated',
        `${shown} was cut short on the last of ${attemptsText(attempts)}: the connection ended after ${expected} (${failure.detail}). Nothing of it was kept or loaded. The server or a proxy is dropping the connection: try later, or raise fetch.retries.`,
        details,
      );
    }
    case 'too_large': {
      const cap = `the ${formatCount(policy.maxBytes)} byte cap`;
      const what =
        failure.declaredBytes !== null
          ? `is ${formatCount(failure.declaredBytes)} bytes (its Content-Length), over ${cap}, so it was not downloaded`
          : `passed ${cap} while downloading (the server did not announce the size), so the download was dropped`;
      return new FetchError(
        'fetch_too_large',
        `${shown} ${what} (${after}). If the file is expected to be this large, raise the pipeline's fetch.maxMegabytes.`,
        details,
      );
    }
  }
}

function rateLimitNote(retryAfterMs: number | null, policy: FetchPolicy): string {
  if (retryAfterMs === null) return '';
  const asked = formatDuration(retryAfterMs);
  return retryAfterMs > policy.maxBackoffMs
    ? ` It asked to wait ${asked}; Corridor waits at most fetch.maxBackoffSeconds (${formatDuration(policy.maxBackoffMs)}).`
    : ` It asked to wait ${asked} between attempts.`;
}

function attemptsText(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}
