/**
 * `--only-failed`: which of a pipeline's files the last run left undone. After a run that
 * failed, the files that failed; after one that was stopped or interrupted, every file it did
 * not load or find unchanged (the ones it never reached included). Files are matched by origin:
 * the URL of a download, the absolute path of a local file.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';

export interface RetrySelection {
  readonly lastRunId: number;
  readonly lastStatus: string;
  /** Whether a file of this origin is retried; null when the last run left nothing undone. */
  readonly retries: ((origin: string) => boolean) | null;
}

const DONE = ['loaded', 'skipped'];

/** @returns null when the pipeline has never run */
export async function selectRetries(db: Kysely<DB>, pipeline: string): Promise<RetrySelection | null> {
  const last = await db
    .selectFrom('load_runs')
    .select(['run_id', 'status'])
    .where('pipeline', '=', pipeline)
    .where('status', '!=', 'running')
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last === undefined) return null;
  const files = await db
    .selectFrom('load_files')
    .select(['origin', 'path', 'status'])
    .where('run_id', '=', last.run_id)
    .execute();
  const originOf = (f: (typeof files)[number]) => f.origin ?? f.path;
  if (last.status === 'stopped' || last.status === 'interrupted') {
    const done = new Set(files.filter((f) => DONE.includes(f.status)).map(originOf));
    return { lastRunId: last.run_id, lastStatus: last.status, retries: (origin) => !done.has(origin) };
  }
  const failed = new Set(files.filter((f) => !DONE.includes(f.status)).map(originOf));
  return {
    lastRunId: last.run_id,
    lastStatus: last.status,
    retries: failed.size === 0 ? null : (origin) => failed.has(origin),
  };
}
