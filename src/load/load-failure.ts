/**
 * What the journal and the run summary say about a file's rows or a file that did not load:
 * a row repeating an earlier row's key, and why the file failed (a stop signal, a problem of
 * the file, a busy warehouse, or a bug to report).
 */
import type { ErrorCode } from '../error-codes.ts';
import { CorridorError, describeError } from '../errors.ts';
import type { RowIssue } from '../validate/row-issue.ts';
import type { Duplicate } from './flow-writer.ts';
import type { Interrupted } from './interruption.ts';

export interface FileFailure {
  readonly code: ErrorCode;
  readonly message: string;
}

/** The reject of a row whose key an earlier row of the same file holds. */
export function duplicateIssue(target: string, rowUnit: 'row' | 'record', dup: Duplicate): RowIssue {
  const message =
    target === 'port_throughput'
      ? `repeats the figure of ${rowUnit} ${dup.firstRow} (same port, period, direction, cargo group, commodity label and unit). Remove one of the two, or check the file was not appended to itself.`
      : target === 'world_trade_totals'
        ? `repeats the world total of ${rowUnit} ${dup.firstRow} (same year, HS edition, flow and code). Keep one row a code: remove one of the two.`
        : `repeats the flow of ${rowUnit} ${dup.firstRow} (same reporter, partner, flow, period, commodity, transport mode and customs procedure). Remove one of the two, or check the file was not appended to itself.`;
  return { code: 'duplicate_key', column: null, value: null, message };
}

/** Why a file failed, for its journal row; its transaction has been rolled back. */
export function failureOf(cause: unknown, fileName: string, interrupted: Interrupted | null): FileFailure {
  if (interrupted !== null)
    return {
      code: 'interrupted',
      message: `${fileName}: stopped by ${interrupted.signalName}; nothing from this file was loaded.`,
    };
  if (cause instanceof CorridorError) return { code: cause.code, message: cause.message };
  if ((cause as { code?: string }).code === 'SQLITE_BUSY')
    return {
      code: 'warehouse_busy',
      message: `${fileName}: the warehouse is busy: another load has been writing to it for more than 5 s. Nothing from this file was loaded; run again when the other load has finished.`,
    };
  // PostgreSQL: another writer held rows this file needed (a derive, or a tool outside Corridor).
  if ((cause as { code?: string }).code === '40P01')
    return {
      code: 'warehouse_busy',
      message: `${fileName}: another writer changed the same rows of the warehouse at the same time (${describeError(cause)}). Nothing from this file was loaded; run again.`,
    };
  return {
    code: 'internal_error',
    message: `${fileName}: unexpected failure while loading (${describeError(cause)}). Nothing from this file was loaded.`,
  };
}
