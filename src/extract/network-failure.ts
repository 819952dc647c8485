/**
 * What a failed request or body read means, from the error Node's fetch (undici) threw: a
 * timeout of its own, a server that cannot be reached, or a body cut short. Kept apart from the
 * transfer (remote-fetch.ts), which only catches.
 */
import type { AttemptFailure } from './retry-policy.ts';

/** A fetch or body read that threw, as an attempt's failure. */
export function networkFailure(cause: unknown, phase: 'headers' | 'body', bytes: number): AttemptFailure {
  // undici wraps the real error: TypeError("fetch failed", { cause: Error("connect ECONNREFUSED ...") }).
  const inner = (cause as { cause?: unknown } | null)?.cause ?? cause;
  const code = (inner as { code?: unknown } | null)?.code;
  // undici's own timers (connect 10 s, headers and body 300 s) are timeouts too, whichever fires first.
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return { kind: 'timeout', phase, bytes };
  }
  return { kind: 'network', detail: networkDetail(inner), cause };
}

/**
 * A connection lost once the headers came is a body cut short (undici: "terminated", caused by
 * "other side closed"), not an unreachable server: said as such, so the message is about what
 * happened. A body framed by the connection's end alone (no Content-Length, not chunked) cannot be
 * told cut from whole here: undici takes even a reset as its end. The readers catch those
 * (docs/hostile-input.md).
 */
export function bodyCutFailure(
  failure: AttemptFailure,
  receivedBytes: number,
  declaredBytes: number | null,
): AttemptFailure {
  if (failure.kind !== 'network') return failure;
  return { kind: 'truncated', receivedBytes, declaredBytes, detail: failure.detail };
}

function networkDetail(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    // Node's happy-eyeballs connect fails with one error per address and an empty message.
    return error.errors.map((e) => networkDetail(e)).join('; ');
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && !message.includes(code)) return message ? `${message} (${code})` : code;
  return message || 'unknown network error';
}
