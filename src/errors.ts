/**
 * Run failures: whole-file or whole-run problems that stop a file (or the run) from loading.
 * Row problems are not errors but data: see `src/validate/row-issue.ts`.
 *
 * Every error names the thing, the place and the fix in `message`, carries a stable `code` for
 * machines, and the exit code the CLI should end with. Only `src/cli` turns them into output.
 */

import type { ErrorCode } from './error-codes.ts';

export type { ErrorCode } from './error-codes.ts';

/** Exit codes, documented in docs/statistician.md ("Exit codes"). */
export const ExitCode = {
  Success: 0,
  /** The run failed: at least one file loaded nothing. */
  RunFailed: 1,
  /** Usage or configuration error: nothing was loaded. */
  Usage: 2,
  /** Everything loaded, but some file's rejects passed the pipeline's threshold. */
  RejectsOverThreshold: 3,
  /** Everything loaded (or was checked), but a data-quality finding of severity `error` is open. */
  DataQualityErrors: 3,
  /** Another run of the same pipeline holds its lock: nothing was done. */
  LockHeld: 4,
  /** Corridor itself failed (an uncaught exception, a step that never settled): a bug to report. */
  Crashed: 70,
  /** Stopped by SIGINT (Ctrl-C): the file in flight rolled back; 128 + 2, as shells report it. */
  Sigint: 130,
  /** Stopped by SIGTERM: the file in flight rolled back; 128 + 15, as shells report it. */
  Sigterm: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CorridorError extends Error {
  override readonly name: string = 'CorridorError';
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.RunFailed;
  }
}

/** Bad command-line arguments, pipeline files or options. */
export class ConfigError extends CorridorError {
  override readonly name = 'ConfigError';
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(options.code ?? 'config_error', message, { exitCode: ExitCode.Usage, cause: options.cause });
  }
}

/** A path that does not exist or cannot be read. */
export class FileAccessError extends CorridorError {
  override readonly name = 'FileAccessError';
  readonly path: string;
  constructor(
    path: string,
    message: string,
    options: { code?: ErrorCode; cause?: unknown; exitCode?: ExitCode } = {},
  ) {
    super(options.code ?? 'file_not_readable', message, {
      exitCode: options.exitCode ?? ExitCode.Usage,
      cause: options.cause,
    });
    this.path = path;
  }
}

/** A file that is not in the format its source reads: binary, empty, undecodable, not CSV or JSON. */
export class SourceFormatError extends CorridorError {
  override readonly name = 'SourceFormatError';
  readonly file: string;
  constructor(file: string, code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { exitCode: ExitCode.RunFailed, cause: options.cause });
    this.file = file;
  }
}

/** The file's columns do not carry what the source needs (a required column is missing). */
export class SchemaDriftError extends CorridorError {
  override readonly name = 'SchemaDriftError';
  readonly file: string;
  readonly missing: readonly string[];
  constructor(file: string, missing: readonly string[], message: string, code: ErrorCode = 'missing_column') {
    super(code, message, { exitCode: ExitCode.RunFailed });
    this.file = file;
    this.missing = missing;
  }
}

/** The warehouse cannot be opened, migrated or written. */
export class WarehouseError extends CorridorError {
  override readonly name = 'WarehouseError';
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown; exitCode?: ExitCode } = {}) {
    super(options.code ?? 'warehouse_error', message, {
      exitCode: options.exitCode ?? ExitCode.RunFailed,
      cause: options.cause,
    });
  }
}

/** Another run holds the pipeline's lease lock: this one did nothing. */
export class LockHeldError extends CorridorError {
  override readonly name = 'LockHeldError';
  readonly pipeline: string;
  constructor(pipeline: string, message: string) {
    super('lock_held', message, { exitCode: ExitCode.LockHeld });
    this.pipeline = pipeline;
  }
}

/** A query that `corridor sql` refuses: it would write, or it is not valid SQL. */
export class QueryRefusedError extends CorridorError {
  override readonly name = 'QueryRefusedError';
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(options.code ?? 'query_refused', message, { exitCode: ExitCode.Usage, cause: options.cause });
  }
}

/** A short description of an unknown thrown value, for messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
