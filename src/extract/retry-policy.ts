/**
 * When a failed download is worth another attempt, and how long to wait first. Pure functions
 * (the random source and the clock are parameters), so the rules are tested without a server.
 *
 * Retried: whatever may go away on its own, namely network errors, timeouts, a body cut short,
 * 429 and 5xx.
 * Not retried: other 4xx (the same request gets the same answer) and a body over the size cap.
 */

/** Why one attempt failed, as the retry rules and the final error message need it. */
export type AttemptFailure =
  | {
      readonly kind: 'http';
      readonly status: number;
      /** The wait the server asked for (Retry-After), in ms, or null when it did not say. */
      readonly retryAfterMs: number | null;
      /** The start of the response body, for the message: servers often say there what is wrong. */
      readonly bodyHint: string;
    }
  | {
      readonly kind: 'timeout';
      /** `headers`: no response at all; `body`: the body stopped coming after `bytes` bytes. */
      readonly phase: 'headers' | 'body';
      readonly bytes: number;
    }
  | { readonly kind: 'network'; readonly detail: string; readonly cause: unknown }
  | {
      /**
       * The connection ended before the body did: fewer bytes than its Content-Length, or a
       * chunked body without its final chunk. What arrived is never kept.
       */
      readonly kind: 'truncated';
      readonly receivedBytes: number;
      /** The Content-Length, or null for a chunked body. */
      readonly declaredBytes: number | null;
      readonly detail: string;
    }
  | {
      readonly kind: 'too_large';
      /** The Content-Length the server announced, or null when the cap was passed while downloading. */
      readonly declaredBytes: number | null;
      readonly receivedBytes: number;
    };

/** The part of a fetch policy that sets the waits. */
export interface BackoffSettings {
  /** Base delay of the exponential backoff, in ms. */
  readonly backoffMs: number;
  /** Longest wait between attempts, Retry-After included, in ms. */
  readonly maxBackoffMs: number;
}

/**
 * Whether another attempt may succeed where this one failed.
 *
 * @example
 * isRetryable({ kind: 'http', status: 503, retryAfterMs: null, bodyHint: '' }); // true
 * isRetryable({ kind: 'http', status: 403, retryAfterMs: null, bodyHint: '' }); // false
 */
export function isRetryable(failure: AttemptFailure): boolean {
  switch (failure.kind) {
    case 'http':
      return isRetryableStatus(failure.status);
    case 'timeout':
    case 'network':
    case 'truncated':
      return true;
    case 'too_large':
      // The same file is as large on the next attempt.
      return false;
  }
}

/**
 * 429 and 5xx may pass; any other status is the server's considered answer to this request.
 *
 * @example
 * isRetryableStatus(429); // true
 * isRetryableStatus(404); // false
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * The wait before retry number `retry` (1 for the second attempt), without Retry-After.
 *
 * Exponential (`backoffMs · 2^(retry-1)`, capped at `maxBackoffMs`) with *equal* jitter: half the
 * delay is fixed, the other half random. Full jitter spreads clients a little better under heavy
 * contention (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), but it
 * may draw a wait near zero, and our callers are a few scheduled jobs hitting a statistics
 * office that is down or overloaded: there the guaranteed floor (a real pause before hitting a
 * failing server again) matters more, while the random half still keeps the downloads of one
 * pipeline, started in the same cron minute, from retrying in lockstep.
 *
 * @param random a source of numbers in [0, 1); `Math.random` outside tests
 * @example
 * backoffDelay(3, { backoffMs: 1000, maxBackoffMs: 30_000 }, () => 0.5); // 3000: 4000 / 2 + 0.5 · 2000
 */
export function backoffDelay(retry: number, settings: BackoffSettings, random: () => number): number {
  // Cap the exponent too: 2 ** 1100 is Infinity, and Infinity · 0 would be NaN.
  const exponential = settings.backoffMs * 2 ** Math.min(Math.max(retry - 1, 0), 52);
  const ceiling = Math.min(exponential, settings.maxBackoffMs);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

/**
 * The wait before retry number `retry`, honouring the server's Retry-After when it gave one.
 *
 * Retry-After is a floor (waiting less would earn another 429), but it is capped at
 * `maxBackoffMs` like any other wait, so a server answering "Retry-After: 86400" cannot park a
 * nightly job for a day: Corridor retries at the cap, and if the server still refuses, the error
 * says what it asked for.
 *
 * @example
 * retryDelay(1, { backoffMs: 20, maxBackoffMs: 5000 }, 1000, () => 0); // 1000
 * retryDelay(1, { backoffMs: 20, maxBackoffMs: 5000 }, 3_600_000, () => 0); // 5000
 */
export function retryDelay(
  retry: number,
  settings: BackoffSettings,
  retryAfterMs: number | null,
  random: () => number,
): number {
  const backoff = backoffDelay(retry, settings, random);
  if (retryAfterMs === null) return backoff;
  return Math.min(Math.max(retryAfterMs, backoff), settings.maxBackoffMs);
}

/**
 * Reads a Retry-After header: delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`), per RFC 9110 §10.2.3
 * (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3).
 *
 * @param nowMs the current time (`Date.now()`), which an HTTP-date is measured from
 * @returns the wait in ms (0 for a date already past), or null when absent or unreadable
 * @example
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')); // 60000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only a date with letters in it: Date.parse also accepts "-5" or "1.5", which are not HTTP-dates.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
