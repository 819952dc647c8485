/**
 * Connecting to a PostgreSQL warehouse, with failures a user can act on: the server down or
 * unreachable, a wrong password, a database that does not exist. A server that is down or
 * starting may be back in a moment, so those are retried with backoff (a nightly run should
 * survive a database restart); the others fail at once, since retrying cannot fix them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, WarehouseError } from '../../errors.ts';
import { newPgClient, type PgClient } from './pg-driver.ts';

export interface ConnectOptions {
  /** Attempts after the first when the server cannot be reached; `CORRIDOR_PG_RETRIES`, else 0. */
  readonly retries?: number;
  /** The first wait between attempts, doubled each time up to 30 s; `CORRIDOR_PG_RETRY_MS`, else 1,000. */
  readonly retryDelayMs?: number;
  readonly applicationName?: string;
  /** Told of each failed attempt that will be retried. */
  readonly onRetry?: (attempt: number, waitMs: number, reason: string) => void;
}

const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P03',
]);

/** Server error codes (SQLSTATE) and socket errors, as the failure a user sees. */
export function connectionFailure(cause: unknown, label: string): WarehouseError {
  const code = (cause as { code?: string }).code ?? '';
  const message = (cause as Error).message ?? String(cause);
  if (
    code === '28P01' ||
    code === '28000' ||
    /password authentication failed|no pg_hba\.conf entry/i.test(message)
  ) {
    return new WarehouseError(
      `PostgreSQL refused the login for ${label}: ${message}. Check the user name and password in the URL (or PGPASSWORD), and that pg_hba.conf admits this host.`,
      { code: 'database_login_refused', exitCode: ExitCode.Usage, cause },
    );
  }
  if (code === '3D000') {
    return new WarehouseError(
      `The database of ${label} does not exist: ${message}. Create it first (createdb NAME, or CREATE DATABASE NAME as a superuser), then run "corridor init --db ${label}".`,
      { code: 'database_missing', exitCode: ExitCode.Usage, cause },
    );
  }
  if (code === 'ENOTFOUND') {
    return new WarehouseError(
      `The host of ${label} is not known (${message}). Check the host name in the URL.`,
      { code: 'database_unreachable', exitCode: ExitCode.RunFailed, cause },
    );
  }
  return new WarehouseError(
    `Cannot reach the PostgreSQL server of ${label}: ${message}. Check that the server is running and listens on that host and port (pg_isready -d URL tells); a nightly run retries with CORRIDOR_PG_RETRIES attempts.`,
    { code: 'database_unreachable', exitCode: ExitCode.RunFailed, cause },
  );
}

const isTransient = (cause: unknown): boolean => {
  const code = (cause as { code?: string }).code ?? '';
  return TRANSIENT.has(code) || /timeout|Connection terminated/i.test((cause as Error).message ?? '');
};

const envNumber = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** A connected client; throws a WarehouseError that says what to fix. */
export async function connectPostgres(
  url: string,
  label: string,
  options: ConnectOptions = {},
): Promise<PgClient> {
  const retries = options.retries ?? envNumber('CORRIDOR_PG_RETRIES') ?? 0;
  let wait = options.retryDelayMs ?? envNumber('CORRIDOR_PG_RETRY_MS') ?? 1_000;
  for (let attempt = 0; ; attempt++) {
    const client = await newPgClient(
      url,
      options.applicationName === undefined ? {} : { applicationName: options.applicationName },
    );
    // An error event on an idle client (the server went away) must not crash the process: the
    // next query fails with it instead, and the caller reports that.
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (cause) {
      await client.end().catch(() => {});
      if (attempt >= retries || !isTransient(cause)) throw connectionFailure(cause, label);
      options.onRetry?.(attempt + 1, wait, (cause as Error).message);
      await sleep(wait);
      wait = Math.min(wait * 2, 30_000);
    }
  }
}
