/**
 * Brings a run's http(s) files into the landing area before any of them loads: several at
 * once (p-limit, the pipeline's `fetch.concurrency`), each asked with the validators of its
 * last download so that an unchanged file costs a 304 and no bytes, and each recorded in
 * `remote_files` so that the next run can ask again, or `--offline` can replay the landing copy.
 */

import { existsSync, statSync } from 'node:fs';
import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import type { DB } from '../../warehouse/schema.ts';
import type { ErrorCode } from '../error-codes.ts';
import { describeError } from '../errors.ts';
import type { LocatedFile } from './file-locator.ts';
import { FetchError, type FetchOutcome, type FetchPolicy, fetchToLanding } from './remote-fetch.ts';
import type { TransferProgress } from './transfer-progress.ts';

/** How a download ended: new bytes, unchanged (304), a templated period not published (404), or failed. */
export type FetchDoneOutcome = 'fetched' | 'not_modified' | 'missing' | 'failed';

export interface RemoteRequest {
  readonly url: string;
  /** Filled in from a template: a 404 means "not published (yet)", not a broken pipeline. */
  readonly templated: boolean;
}

export type RemoteResult =
  | {
      readonly status: 'ready';
      readonly file: LocatedFile;
      /** `fetched` new bytes, `not_modified` (304), or `offline` (the landing copy, no request). */
      readonly how: 'fetched' | 'not_modified' | 'offline';
      readonly attempts: number;
    }
  | { readonly status: 'missing'; readonly url: string; readonly message: string }
  | { readonly status: 'failed'; readonly url: string; readonly code: ErrorCode; readonly message: string };

export interface RemoteFetchOptions {
  readonly landingDir: string;
  readonly policy: FetchPolicy;
  readonly concurrency: number;
  /** Record each download in `remote_files` (not for a dry run). @default true */
  readonly remember?: boolean;
  /** Use the landing copies only; a URL never downloaded fails. */
  readonly offline?: boolean;
  readonly signal?: AbortSignal;
  readonly onStart?: (url: string) => void;
  readonly onProgress?: (progress: TransferProgress) => void;
  readonly onDone?: (url: string, outcome: FetchDoneOutcome, detail: string) => void;
}

/**
 * Codes that say the landing copy itself is cut off or damaged. A body framed only by the end of
 * its connection can land cut (docs/hostile-input.md); asked for with its validators, the server
 * would answer 304 and the same cut copy would fail on every run.
 */
const DAMAGED_COPY_CODES = ['truncated_file', 'bad_json', 'damaged_file', 'bad_encoding'];

async function knownCopy(db: Kysely<DB>, url: string) {
  const row = await db.selectFrom('remote_files').selectAll().where('url', '=', url).executeTakeFirst();
  if (row === undefined) return null;
  const damaged = await db
    .selectFrom('load_files')
    .select('load_id')
    .where('origin', '=', url)
    .where('sha256', '=', row.sha256)
    .where('status', '=', 'failed')
    .where('error_code', 'in', DAMAGED_COPY_CODES)
    .executeTakeFirst();
  // Ask for the whole file again, unconditionally.
  if (damaged !== undefined) return null;
  return { etag: row.etag, lastModified: row.last_modified, sha256: row.sha256, path: row.landing_path };
}

async function remember(db: Kysely<DB>, outcome: FetchOutcome): Promise<void> {
  const now = new Date().toISOString();
  const checked = {
    etag: outcome.etag,
    last_modified: outcome.lastModified,
    sha256: outcome.sha256,
    landing_path: outcome.path,
    size_bytes: outcome.sizeBytes,
    checked_at: now,
    last_status: outcome.status,
  };
  const fetched = outcome.status === 'fetched' ? { fetched_at: now } : {};
  await db
    .insertInto('remote_files')
    .values({ url: outcome.url, ...checked, fetched_at: now })
    .onConflict((oc) => oc.column('url').doUpdateSet({ ...checked, ...fetched }))
    .execute();
}

const located = (url: string, path: string): LocatedFile => ({
  path,
  shown: url,
  origin: url,
  sizeBytes: statSync(path).size,
});

async function fetchOne(
  db: Kysely<DB>,
  request: RemoteRequest,
  options: RemoteFetchOptions,
): Promise<RemoteResult> {
  const { url } = request;
  const known = await knownCopy(db, url);
  if (options.offline) {
    if (known !== null && existsSync(known.path))
      return { status: 'ready', file: located(url, known.path), how: 'offline', attempts: 0 };
    // A period filled into a template that has no copy was, most often, not published yet (a
    // 404 online is "missing", never recorded): replaying a range offline must not fail on it.
    if (request.templated)
      return {
        status: 'missing',
        url,
        message: `${url}: no copy in the landing area for this period, and --offline asks no server`,
      };
    return {
      status: 'failed',
      url,
      code: 'not_landed',
      message: `${url} has no copy in the landing area (${options.landingDir}), so it cannot be loaded offline. Run once without --offline to download it.`,
    };
  }
  options.onStart?.(url);
  try {
    const outcome = await fetchToLanding(url, {
      landingDir: options.landingDir,
      policy: options.policy,
      known,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (options.remember ?? true) await remember(db, outcome);
    const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : '';
    options.onDone?.(
      url,
      outcome.status,
      outcome.status === 'fetched'
        ? `downloaded ${outcome.sizeBytes} bytes${tries}`
        : `unchanged on the server (HTTP 304)${tries}; using the landing copy`,
    );
    return {
      status: 'ready',
      file: located(url, outcome.path),
      how: outcome.status,
      attempts: outcome.attempts,
    };
  } catch (cause) {
    const error: { readonly code: ErrorCode; readonly message: string } =
      cause instanceof FetchError
        ? { code: cause.code, message: cause.message }
        : { code: 'fetch_failed', message: `${url} could not be downloaded: ${describeError(cause)}.` };
    if (request.templated && error.code === 'http_not_found') {
      const message = `${url}: not published (HTTP 404); asked again on the next run`;
      options.onDone?.(url, 'missing', 'not published (HTTP 404); asked again on the next run');
      return { status: 'missing', url, message };
    }
    options.onDone?.(url, 'failed', error.message);
    return { status: 'failed', url, ...error };
  }
}

/**
 * @returns one result per request, in the order given
 * @example
 * const results = await fetchRemoteFiles(warehouse.db, [{ url, templated: false }], { landingDir, policy, concurrency: 4 });
 */
export async function fetchRemoteFiles(
  db: Kysely<DB>,
  requests: readonly RemoteRequest[],
  options: RemoteFetchOptions,
): Promise<RemoteResult[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  return Promise.all(requests.map((request) => limit(() => fetchOne(db, request, options))));
}
