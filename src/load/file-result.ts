/**
 * What loading one file gave: its status, the counts the journal keeps (figures read, rejected,
 * inserted, changed, unchanged, retired), its notes and warnings, as the run report, the alerts
 * and the progress display read them.
 */

import type { FactTarget } from '../../warehouse/fact-tables.ts';
import type { ErrorCode } from '../error-codes.ts';
import type { LocatedFile } from '../extract/file-locator.ts';
import type { PlacedRowIssue } from '../validate/row-issue.ts';

export type FileStatus = 'loaded' | 'skipped' | 'failed';

export interface FileResult {
  readonly path: string;
  readonly shown: string;
  readonly source: string;
  /** The fact table the source fills. */
  readonly target: FactTarget;
  readonly status: FileStatus;
  readonly loadId: number | null;
  readonly sha256: string | null;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  /** Figures on total and subtotal rows of a laid-out table: checked, not loaded. */
  readonly rowsAggregate: number;
  readonly rejectsStored: number;
  readonly rejectsCapped: boolean;
  /** Keys new to the warehouse. */
  readonly rowsInserted: number;
  /** Keys an earlier load held, given new values (the old ones stay in the history). */
  readonly rowsChanged: number;
  /** Keys an earlier load held with the same values. */
  readonly rowsUnchanged: number;
  /** Rows of earlier loads inside the file's coverage that it no longer holds, now closed. */
  readonly rowsRetired: number;
  /** The coverage the file retired within, in words; null when it merged only. */
  readonly coverage: string | null;
  readonly slices: number;
  readonly overThreshold: boolean;
  readonly durationMs: number;
  /** For a skipped file, the load that already holds its rows. */
  readonly sameAsLoadId: number | null;
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
  readonly firstIssues: readonly PlacedRowIssue[];
  readonly rejectsByCode: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  /** For a publisher's answer that nothing matched, loaded as 0 rows: its note (also in `notes`). */
  readonly noData?: string;
  /** Notes worth a user's attention at once (rows of another file replaced); also in `notes`. */
  readonly warnings: readonly string[];
  /** Warnings kept in `load_warnings` (subtotals that do not match their rows). */
  readonly warningsRecorded: number;
}

export interface FileProgress {
  readonly shown: string;
  readonly rowsRead: number;
  readonly rowsRejected: number;
  readonly elapsedMs: number;
  /** Bytes of the file read so far, where the reader can tell; null when it cannot. */
  readonly bytesRead: number | null;
  /** The file's size in bytes. */
  readonly totalBytes: number;
}

/** A file's result before anything was read: every count 0. */
export function emptyResult(
  file: LocatedFile,
  source: { readonly name: string; readonly target: FileResult['target'] },
  started: number,
): Omit<FileResult, 'status' | 'loadId'> {
  return {
    path: file.path,
    shown: file.shown,
    source: source.name,
    target: source.target,
    sha256: null,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    rowsAggregate: 0,
    rejectsStored: 0,
    rejectsCapped: false,
    rowsInserted: 0,
    rowsChanged: 0,
    rowsUnchanged: 0,
    rowsRetired: 0,
    coverage: null,
    slices: 0,
    overThreshold: false,
    durationMs: Date.now() - started,
    sameAsLoadId: null,
    error: null,
    firstIssues: [],
    rejectsByCode: {},
    notes: [],
    warnings: [],
    warningsRecorded: 0,
  };
}
