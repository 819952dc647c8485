/**
 * What a run does when the warehouse's connection is lost under it (PostgreSQL): the file in
 * flight has failed and the server rolled it back; a new connection, with the pipeline's lock
 * taken again (the old connection took the lock with it), goes on with the next file, and the
 * journal is told that file failed. When no new connection can be had, or another run took the
 * lock meanwhile, the run stops with a message that says so.
 */
import type { Warehouse } from '../db/warehouse.ts';
import { CorridorError, describeError, ExitCode, WarehouseError } from '../errors.ts';
import type { RunOptions } from './run-pipeline.ts';

/** A new connection (and lock) after one was lost, or the run fails saying why it cannot go on. */
export async function reconnected(
  lost: Warehouse,
  options: RunOptions,
  shown: string,
  why: string,
): Promise<Warehouse> {
  if (options.reconnect === undefined)
    throw new WarehouseError(`${why} The run stopped at ${shown}.`, {
      code: 'connection_lost',
      exitCode: ExitCode.RunFailed,
    });
  try {
    return await options.reconnect();
  } catch (cause) {
    await lost.close().catch(() => {});
    throw new WarehouseError(
      `The connection to ${lost.path} was lost while loading ${shown} (that file loaded nothing), and the run could not go on: ${describeError(cause)}`,
      {
        code: cause instanceof CorridorError ? cause.code : 'connection_lost',
        exitCode: cause instanceof CorridorError ? cause.exitCode : ExitCode.RunFailed,
        cause,
      },
    );
  }
}

/**
 * Marks the files the lost connection left `running` in the journal as failed: their rows
 * rolled back with the connection, but their journal rows were committed when they started.
 */
export async function failFilesInFlight(warehouse: Warehouse, runId: number, message: string): Promise<void> {
  if (runId === 0) return;
  await warehouse.db
    .updateTable('load_files')
    .set({
      status: 'failed',
      finished_at: new Date().toISOString(),
      error_code: 'connection_lost',
      error_message: `${message} Nothing from this file was loaded.`,
    })
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}
