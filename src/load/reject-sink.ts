/**
 * Where a file's rejected rows go: the `rejects` table, inside the file's transaction, up to a
 * cap per file. Past the cap rows are still counted as rejected, and the journal says how many
 * were kept, so a cap never hides anything.
 */
import type { SqliteDatabase, SqliteStatement } from '../db/driver.ts';
import type { RawRecord } from '../read/raw-table.ts';
import type { PlacedRowIssue, RowIssue } from '../validate/row-issue.ts';

/** How many issues to keep in memory for the summary and the CLI. */
const FIRST_ISSUES = 5;

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
  readonly #options: RejectSinkOptions;
  readonly #insert: SqliteStatement | null;
  rowsRejected = 0;
  issuesSeen = 0;
  stored = 0;
  readonly first: PlacedRowIssue[] = [];
  readonly byCode = new Map<string, number>();

  constructor(sqlite: SqliteDatabase, options: RejectSinkOptions) {
    this.#options = options;
    this.#insert = options.write
      ? sqlite.prepare(
          `insert into rejects (run_id, load_id, source, file, sheet, row_number, column_name, code, message, value, raw)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
      : null;
  }

  /** Records one rejected row of the file, with its cells in header order. */
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
      this.#insert?.run(
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
