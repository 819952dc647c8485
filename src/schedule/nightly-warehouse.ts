/**
 * The warehouse connection of an unattended run (`corridor run`, `corridor schedule`): a
 * database server that is restarting at 2 a.m. should cost the run a few seconds, not the
 * night's load. So the connection is retried with backoff before the run fails, and a
 * connection lost mid-run is made again, with its pipeline lock taken again, before the run
 * goes on to the next file. Nothing here knows the backend: a SQLite file ignores the retries.
 */
import { acquirePipelineLock, type PipelineLock, type PipelineLockOptions } from '../db/pipeline-lock.ts';
import type { ConnectOptions } from '../db/postgres/connect.ts';
import { openWarehouse, type Warehouse } from '../db/warehouse.ts';
import { openReadyWarehouse } from '../load/prepare-warehouse.ts';

/** Attempts after the first when a nightly run cannot reach the server (CORRIDOR_PG_RETRIES overrides). */
export const NIGHTLY_CONNECT_RETRIES = 5;

/** How a nightly run connects: 5 retries from 1 s, doubling, unless CORRIDOR_PG_RETRIES(_MS) say otherwise. */
export function nightlyConnectOptions(onRetry?: (message: string) => void): ConnectOptions {
  const fromEnv = process.env.CORRIDOR_PG_RETRIES;
  return {
    ...(fromEnv === undefined || fromEnv.trim() === '' ? { retries: NIGHTLY_CONNECT_RETRIES } : {}),
    ...(onRetry
      ? {
          onRetry: (attempt, waitMs, reason) =>
            onRetry(`cannot reach the warehouse server (${reason}); attempt ${attempt + 1} in ${waitMs} ms`),
        }
      : {}),
  };
}

/**
 * Opens the warehouse for a run, migrated and with its reference data. A dry run against a
 * SQLite file that does not exist yet validates against a throwaway in-memory warehouse.
 */
export async function openNightlyWarehouse(
  location: string,
  options: { readonly dryRun?: boolean; readonly connect?: ConnectOptions } = {},
): Promise<Warehouse> {
  return openReadyWarehouse(location, options);
}

/**
 * A new connection to a warehouse whose connection was lost, with the pipeline's lock taken
 * again on it (the lost connection took the old lock with it). Throws LockHeldError when another
 * run took the lock in between, and the connection failure when the server stays away.
 */
export async function reconnectWithLock(
  location: string,
  pipeline: string,
  options: PipelineLockOptions & { readonly connect?: ConnectOptions },
): Promise<{ warehouse: Warehouse; lock: PipelineLock }> {
  const warehouse = await openWarehouse(location, {
    ...(options.connect ? { connect: options.connect } : {}),
  });
  try {
    const lock = await acquirePipelineLock(warehouse, pipeline, { ...options, force: false });
    return { warehouse, lock };
  } catch (error) {
    await warehouse.close();
    throw error;
  }
}
