/**
 * A download that did not land: the server refused it, never answered, sent too much, or the
 * run was cancelled. One class, told apart by `code`, so the scheduler and alerts can branch on
 * the code while people read the message.
 */
import { CorridorError, ExitCode } from '../errors.ts';

/**
 * Stable codes, one per way a download fails. Codes that are retried (`http_server_error`,
 * `http_rate_limited`, `fetch_timeout`, `network_error`, `fetch_truncated`) are only thrown once the retries are used up.
 */
export type FetchErrorCode =
  /** The URL is not http: or https:. */
  | 'bad_url'
  /** 404 or 410: the file is not published at that URL. Not retried. */
  | 'http_not_found'
  /** Any other 4xx (401 and 403 included), or a status Corridor cannot use. Not retried. */
  | 'http_error'
  /** 5xx on every attempt. */
  | 'http_server_error'
  /** 429 on every attempt. */
  | 'http_rate_limited'
  /** No response headers, or no body bytes, for the policy's `timeoutMs`. */
  | 'fetch_timeout'
  /** DNS failure, connection refused or reset. */
  | 'network_error'
  /** The connection ended before the body did (short of its Content-Length, or a chunked body cut), on every attempt. */
  | 'fetch_truncated'
  /** The body is larger than the policy's `maxBytes`. Not retried. */
  | 'fetch_too_large'
  /** The caller's AbortSignal fired. */
  | 'fetch_aborted';

export class FetchError extends CorridorError {
  override readonly name = 'FetchError';
  declare readonly code: FetchErrorCode;
  /** The URL as given to `fetchToLanding`. */
  readonly url: string;
  /** The last HTTP status received, or null when no response came (timeout, network, bad URL). */
  readonly httpStatus: number | null;
  /** Attempts made before giving up; 0 when none was started (a bad URL, an abort before the first). */
  readonly attempts: number;

  constructor(
    code: FetchErrorCode,
    message: string,
    details: { url: string; httpStatus: number | null; attempts: number; cause?: unknown },
  ) {
    super(code, message, { exitCode: ExitCode.RunFailed, cause: details.cause });
    this.url = details.url;
    this.httpStatus = details.httpStatus;
    this.attempts = details.attempts;
  }
}
