/**
 * Where a file's rejected rows go: the `rejects` table, inside the file's transaction, up to a
 * cap per file. Past the cap rows are still counted as rejected, and the journal says how many
 * were kept, so a cap never hides anything.
 *
 * Rejects are kept in memory until the loader flushes them (once a batch), then written as
 * multi-row inserts: a hostile file with a reject on every row costs one statement per
 * REJECTS_PER_INSERT rows on either backend, not one round trip a row, and memory holds at most
 * one batch's rejects.
 */
import type { SqlSession } from '../db/sql-session.ts';
import type { RawRecord } from '../read/raw-table.ts';
import type { PlacedRowIssue, RowIssue } from '../validate/row-issue.ts';

/** How many issues to keep in memory for the summary and the CLI. */
const FIRST_ISSUES = 5;

const COLUMNS = [
  'run_id',
  'load_id',
  'source',
  'file',
  'sheet',
  'row_number',
  'column_name',
  'code',
  'message',
  'value',
  'raw',
] as const;

/** Rows a single insert carries: 11 parameters each, far below either backend's limit. */
const REJECTS_PER_INSERT = 500;

const insertOf = (rows: number) =>
  `insert into rejects (${COLUMNS.join(', ')}) values ${Array.from(
    { length: rows },
    () => `(${COLUMNS.map(() => '?').join(', ')})`,
  ).join(', ')}`;

/** The full-size statement, built once: its text is the prepared-statement cache's key on SQLite. */
const FULL_INSERT = insertOf(REJECTS_PER_INSERT);

export interface RejectSinkOptions {
  readonly runId: number;
  readonly loadId: number;
  readonly source: string;
  /** The file as the journal names it. */
  readonly file: string;
  readonly sheet: string | null;
  readonly rowUnit: 'row' | 'record';
  readonly header: readonly string[];
  /** Most rejects stored for one file. */
  readonly cap: number;
  /** In a dry run nothing is written. */
  readonly write: boolean;
}

export class RejectSink {
  readonly #sql: SqlSession;
  readonly #options: RejectSinkOptions;
  /** Parameters of the rejects not yet written, COLUMNS.length per reject. */
  #pending: unknown[] = [];
  rowsRejected = 0;
  issuesSeen = 0;
  stored = 0;
  readonly first: PlacedRowIssue[] = [];
  readonly byCode = new Map<string, number>();

  constructor(sql: SqlSession, options: RejectSinkOptions) {
    this.#sql = sql;
    this.#options = options;
  }

  /** Records one rejected row of the file, with its cells in header order. Written at the next flush. */
  reject(record: RawRecord, issues: readonly RowIssue[]): void {
    const header = this.#options.header;
    this.#record(
      record.row,
      issues,
      () => JSON.stringify(Object.fromEntries(header.map((h, i) => [h, record.cells[i] ?? null]))),
      record.sheet,
    );
  }

  /** Records a row known only by its canonical values (a duplicate found at insert time). */
  rejectCanonical(row: number, raw: Readonly<Record<string, unknown>>, issues: readonly RowIssue[]): void {
    this.#record(row, issues, () => JSON.stringify(raw));
  }

  /** Writes the rejects recorded since the last flush. Call once a batch and before the file commits. */
  async flush(): Promise<void> {
    const width = COLUMNS.length;
    const perInsert = REJECTS_PER_INSERT * width;
    const pending = this.#pending;
    this.#pending = [];
    for (let at = 0; at < pending.length; at += perInsert) {
      const params = pending.slice(at, at + perInsert);
      await this.#sql.run(
        params.length === perInsert ? FULL_INSERT : insertOf(params.length / width),
        params,
      );
    }
  }

  #record(
    row: number,
    issues: readonly RowIssue[],
    rawJson: () => string,
    recordSheet?: string | null,
  ): void {
    this.rowsRejected++;
    const o = this.#options;
    // A table read from several sheets names each record's own.
    const sheet = recordSheet === undefined ? o.sheet : recordSheet;
    const place = { file: o.file, sheet, row, unit: o.rowUnit };
    let raw: string | null = null;
    for (const issue of issues) {
      this.issuesSeen++;
      this.byCode.set(issue.code, (this.byCode.get(issue.code) ?? 0) + 1);
      // A wide table's row gives one record per year: the same problem of the same row is shown once.
      const repeated = this.first.some(
        (f) =>
          f.place.row === row &&
          f.place.sheet === sheet &&
          f.code === issue.code &&
          f.column === issue.column &&
          f.message === issue.message,
      );
      if (this.first.length < FIRST_ISSUES && !repeated) this.first.push({ ...issue, place });
      if (this.stored >= o.cap) continue;
      raw ??= rawJson();
      if (o.write)
        this.#pending.push(
          o.runId,
          o.loadId,
          o.source,
          o.file,
          sheet,
          row,
          issue.column,
          issue.code,
          issue.message,
          issue.value,
          raw,
        );
      this.stored++;
    }
  }

  get capped(): boolean {
    return this.issuesSeen > this.stored;
  }
}
