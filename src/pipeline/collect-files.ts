/**
 * The files a run loads, from what its pipeline names: local paths and globs are found and
 * checked, http(s) URLs are downloaded into the landing area, and `{year}`/`{month}` templates
 * are filled in for the run's period range first. Nothing loads until every file is at hand,
 * so a typo in a path fails the run before it changes the warehouse.
 */

import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import type { ErrorCode } from '../error-codes.ts';
import { ConfigError, FileAccessError } from '../errors.ts';
import { type LocatedFile, locateFiles } from '../extract/file-locator.ts';
import {
  expandTemplate,
  type FilledTemplate,
  hasPlaceholders,
  type PeriodRange,
} from '../extract/period-template.ts';
import type { FetchPolicy } from '../extract/remote-fetch.ts';
import { fetchRemoteFiles, type RemoteFetchOptions, type RemoteRequest } from '../extract/remote-files.ts';
import { PortResolver } from '../normalize/port-resolver.ts';
import type { Pipeline } from './define-pipeline.ts';
import { sourceOfEntry } from './source-registry.ts';

type SourceEntry = Pipeline['sources'][number];

/** A file that could not be brought in: a failed download. It counts as a failed file. */
export interface UnfetchedFile {
  readonly entry: SourceEntry;
  readonly url: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface CollectedFiles {
  readonly work: readonly {
    readonly entry: SourceEntry;
    readonly source: ReturnType<typeof sourceOfEntry>;
    readonly files: readonly LocatedFile[];
  }[];
  readonly unfetched: readonly UnfetchedFile[];
  /** Periods a template names that are not there (yet): HTTP 404, or no local file. Not failures. */
  readonly missing: readonly { readonly shown: string; readonly message: string }[];
}

export interface CollectOptions {
  /** Folder that relative paths start from. */
  readonly base: string;
  /** Range that fills period placeholders; the pipeline's `periods` when not given. */
  readonly periods: PeriodRange | null;
  /** Collects only the files whose origin (URL, or absolute path) passes: `--only-failed`. */
  readonly only: ((origin: string) => boolean) | null;
  readonly landingDir: string;
  readonly offline: boolean;
  /** Record downloads in `remote_files`; a dry run does not. */
  readonly remember: boolean;
  readonly signal?: AbortSignal;
  readonly hooks: Pick<RemoteFetchOptions, 'onStart' | 'onProgress' | 'onDone'>;
  /**
   * Called once local files are found and before downloads start: the run opens its journal
   * entry here, so a run that hangs or dies while downloading shows in the journal.
   */
  readonly beforeDownloads?: () => Promise<void>;
}

const isUrl = (name: string) => /^https?:\/\//i.test(name);

/** The landing area: `landing/` beside the warehouse file (`warehouse/landing/` by default). */
export function landingDirOf(warehousePath: string): string {
  return join(dirname(warehousePath), 'landing');
}

/** `${NAME}` in a header value becomes the environment variable NAME; an unset one is an error. */
function headersFromEnvironment(headers: Readonly<Record<string, string>>): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    filled[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
      const found = process.env[variable];
      if (found === undefined)
        throw new ConfigError(
          `The pipeline's fetch header "${name}" uses \${${variable}}, but the environment variable ${variable} is not set. Set it for the process that runs corridor (for a scheduler, in its service file).`,
          { code: 'missing_environment' },
        );
      return found;
    });
  }
  return filled;
}

/**
 * @param options.headers fill in the request headers (reading the environment); off for
 *   `--offline`, which sends no request and so needs no API key.
 */
export function fetchPolicyOf(pipeline: Pipeline, options: { headers?: boolean } = {}): FetchPolicy {
  const f = pipeline.fetch;
  return {
    timeoutMs: f.timeoutSeconds * 1000,
    retries: f.retries,
    backoffMs: f.backoffSeconds * 1000,
    maxBackoffMs: f.maxBackoffSeconds * 1000,
    maxBytes: Math.round(f.maxMegabytes * 1_000_000),
    headers: (options.headers ?? true) ? headersFromEnvironment(f.headers) : {},
  };
}

/** A templated local name that matches nothing is a period not delivered yet, not a typo. */
function locateFilled(filled: FilledTemplate, templated: boolean, base: string) {
  try {
    return { files: locateFiles([filled.name], base), missing: null };
  } catch (error) {
    if (
      templated &&
      error instanceof FileAccessError &&
      (error.code === 'no_match' || error.code === 'file_not_found')
    ) {
      return {
        files: [],
        missing: { shown: filled.name, message: `${filled.name}: not there (yet) for ${filled.period}` },
      };
    }
    throw error;
  }
}

/**
 * @example
 * const { work, unfetched } = await collectFiles(warehouse.db, pipeline, { base: process.cwd(), periods: null, only: null, landingDir, offline: false, hooks: {} });
 */
export async function collectFiles(
  db: Kysely<DB>,
  pipeline: Pipeline,
  options: CollectOptions,
): Promise<CollectedFiles> {
  const range = options.periods ?? pipeline.periods ?? null;
  const wanted = (origin: string) => options.only === null || options.only(origin);
  const missing: { shown: string; message: string }[] = [];

  // A port table may name any port the warehouse knows, with those users added (corridor ports).
  const ports = await PortResolver.load(db);
  // First pass: what each entry names, in order; URLs are gathered to download together.
  const planned = pipeline.sources.map((entry) => {
    // The source first: a layout that names an unknown port is reported before a missing file.
    const source = sourceOfEntry(entry, ports);
    const items: (
      | { kind: 'local'; files: LocatedFile[] }
      | { kind: 'remote'; url: string; templated: boolean }
    )[] = [];
    for (const pattern of entry.files) {
      const templated = hasPlaceholders(pattern);
      for (const filled of expandTemplate(pattern, range)) {
        if (isUrl(filled.name)) {
          if (wanted(filled.name)) items.push({ kind: 'remote', url: filled.name, templated });
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filled.name)) {
          throw new ConfigError(
            `"${filled.name}" in pipeline "${pipeline.name}": only http:// and https:// addresses can be downloaded. Download it yourself and name the local file.`,
            { code: 'bad_url' },
          );
        }
        const found = locateFilled(filled, templated, options.base);
        if (found.missing !== null) missing.push(found.missing);
        items.push({ kind: 'local', files: found.files.filter((f) => wanted(f.path)) });
      }
    }
    return { entry, source, items };
  });

  const requests: RemoteRequest[] = [];
  for (const { items } of planned)
    for (const item of items)
      if (item.kind === 'remote') requests.push({ url: item.url, templated: item.templated });
  // A header naming an unset variable is a configuration error: found before the run opens.
  const policy = requests.length > 0 ? fetchPolicyOf(pipeline, { headers: !options.offline }) : null;
  await options.beforeDownloads?.();
  const fetched = new Map<string, Awaited<ReturnType<typeof fetchRemoteFiles>>[number]>();
  if (policy !== null) {
    const results = await fetchRemoteFiles(db, requests, {
      landingDir: options.landingDir,
      policy,
      concurrency: pipeline.fetch.concurrency,
      offline: options.offline,
      remember: options.remember,
      ...(options.signal ? { signal: options.signal } : {}),
      ...options.hooks,
    });
    requests.forEach((r, i) => {
      fetched.set(r.url, results[i]!);
    });
  }

  const unfetched: UnfetchedFile[] = [];
  const work = planned.map(({ entry, source, items }) => {
    const files: LocatedFile[] = [];
    const seen = new Set<string>();
    const add = (file: LocatedFile) => {
      // The same bytes named twice (two URLs serving one file) load once.
      if (seen.has(file.path)) return;
      seen.add(file.path);
      files.push(file);
    };
    for (const item of items) {
      if (item.kind === 'local') {
        item.files.forEach(add);
        continue;
      }
      const result = fetched.get(item.url)!;
      if (result.status === 'ready') add(result.file);
      else if (result.status === 'missing') missing.push({ shown: result.url, message: result.message });
      else unfetched.push({ entry, url: result.url, code: result.code, message: result.message });
    }
    return { entry, source, files };
  });
  return { work, unfetched, missing };
}
