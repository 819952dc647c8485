/**
 * Whether an error means the warehouse's connection itself is gone (PostgreSQL: the server
 * restarted, the session was terminated, the network dropped), whichever layer saw it first:
 * the SQL session reports `connection_lost`, while kysely on the same client passes the
 * driver's own error through. A SQLite file has no connection to lose.
 */
import type { WarehouseError } from '../errors.ts';
import { connectionLost, isConnectionLoss } from './postgres/pg-session.ts';

/** The error as `connection_lost`, or null when it is about something else. */
export function asConnectionLost(error: unknown, label: string): WarehouseError | null {
  if ((error as { code?: string } | null)?.code === 'connection_lost') return error as WarehouseError;
  return isConnectionLoss(error) ? connectionLost(error, label) : null;
}
