/**
 * The bulk row path into `baci_flows` (trade-flow-storage.ts explains the table). Rows arrive
 * packed as numbers, seven a row, and go through prepared 100-row statements with the file's HS
 * edition and load id written in as literals: about 1 µs a row in SQLite. They merge by natural
 * key (src/db/merge-lane.ts): a revised release changes only the figures that changed.
 *
 * Country codes are BACI's own; the first time a file uses one, the writer records which ISO
 * code it stands for in `baci_country_codes`, and refuses a file that says a code stands for
 * another country than the warehouse already holds under it.
 *
 * A BACI file covers its edition-year completely (every pair and product), so by default the
 * rows of that edition-year that it no longer holds are retired, reporter by reporter along the
 * table's key. A user's `--replace-scope` may narrow that to the reporters the file holds.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */

import { BACI_FLOWS } from '../../warehouse/fact-tables.ts';
import { ScopeRetirer } from '../db/coverage.ts';
import type { SqliteDatabase, SqliteStatement } from '../db/driver.ts';
import { MergeLane, mergeClause } from '../db/merge-lane.ts';
import { CorridorError } from '../errors.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import type { Duplicate, FlowWriter, FlowWriterOutcome } from './flow-writer.ts';
import { TouchedSlices } from './touched-slices.ts';
import { BACI_WIDTH, type PackedBaciRows, unpackBaciRow } from './trade-flow-storage.ts';

const ROWS_PER_STATEMENT = 100;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class BaciFlowWriter implements FlowWriter {
  readonly kind = 'baci_flows' as const;
  readonly #sqlite: SqliteDatabase;
  readonly #loadId: number;
  readonly #touched = new TouchedSlices();
  readonly #lane: MergeLane;
  /** Retires by (reporter code, year, edition): the table's key order, so each scope is a range. */
  readonly #retirer: ScopeRetirer | null;
  /** Whether the coverage names reporters (only those the file holds) or all of them. */
  readonly #byReporter: boolean;
  readonly #yearsClaimed = new Set<string>();
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #findKey: SqliteStatement;
  readonly #knownCode: SqliteStatement;
  readonly #addCode: SqliteStatement;
  /** ISO code of each BACI code this file used. */
  readonly #isoOf = new Map<number, string>();
  /** Parameter arrays reused across statements of the same size. */
  readonly #params = new Map<number, number[]>();
  #lastReporter = Number.NaN;
  #lastPeriod = Number.NaN;

  /** @param coverage the coverage's dimensions (`edition`, `period`, `reporter`), or null to merge only. */
  constructor(sqlite: SqliteDatabase, loadId: number, coverage: readonly string[] | null) {
    this.#sqlite = sqlite;
    this.#loadId = loadId;
    this.#lane = new MergeLane(sqlite, BACI_FLOWS, loadId);
    this.#byReporter = coverage?.includes('reporter') ?? false;
    this.#retirer =
      coverage === null
        ? null
        : new ScopeRetirer(sqlite, BACI_FLOWS, loadId, ['reporter_code', 'period', 'hs_edition'], [], []);
    this.#findKey = sqlite
      .prepare(
        'select coalesce(seen_row, source_row) from baci_flows where reporter_code = ? and period = ? and partner_code = ? and hs_edition = ? and hs_code = ?',
      )
      .pluck();
    this.#knownCode = sqlite.prepare('select iso3 from baci_country_codes where code = ?').pluck();
    this.#addCode = sqlite.prepare('insert into baci_country_codes (code, iso3) values (?, ?)');
  }

  get rowsWritten(): number {
    return this.#lane.inserted + this.#lane.merged;
  }

  get slices() {
    return this.#touched.slices;
  }

  async write(batch: MappedBatch): Promise<Duplicate[]> {
    return this.#write(batch);
  }

  /** Synchronous, as the SQLite bulk path must stay: the promise is only the interface's. */
  #write(batch: MappedBatch): Duplicate[] {
    const packed = batch.packed;
    if (packed === undefined || packed === null) return [];
    for (const [code, iso3] of packed.newCodes) this.#recordCode(code, iso3);
    const { values, count, hsEdition } = packed;
    for (let i = 0; i < count; i++) {
      const reporter = values[i * BACI_WIDTH]!;
      const period = values[i * BACI_WIDTH + 1]!;
      if (reporter === this.#lastReporter && period === this.#lastPeriod) continue;
      this.#lastReporter = reporter;
      this.#lastPeriod = period;
      const iso3 = this.#isoOf.get(reporter)!;
      this.#touched.note({ reporter: iso3, period: String(period), hs_edition: hsEdition }, [
        iso3,
        period,
        hsEdition,
      ]);
      this.#claim(reporter, period, hsEdition);
    }
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
      const rows = Math.min(ROWS_PER_STATEMENT, count - start);
      const params = this.#paramsFor(rows);
      const from = start * BACI_WIDTH;
      for (let k = 0; k < params.length; k++) params[k] = values[from + k]!;
      const outcome = this.#lane.run(
        this.#statementFor(rows, hsEdition, false),
        this.#statementFor(rows, hsEdition, true),
        params,
        rows,
      );
      if (outcome.duplicates > 0) duplicates.push(...this.#findDuplicates(packed, start, rows));
    }
    return duplicates;
  }

  /**
   * The scopes a row's reporter and year open: that reporter's, or, when the coverage is the
   * whole edition-year, every reporter the warehouse knows a BACI code for.
   */
  #claim(reporter: number, period: number, hsEdition: string): void {
    if (this.#retirer === null) return;
    if (this.#byReporter) {
      this.#retirer.claim([reporter, period, hsEdition]);
      return;
    }
    const year = `${period}\u0000${hsEdition}`;
    if (this.#yearsClaimed.has(year)) return;
    this.#yearsClaimed.add(year);
    const codes = this.#sqlite
      .prepare('select code from baci_country_codes order by code')
      .pluck()
      .all() as number[];
    for (const code of codes) this.#retirer.claim([code, period, hsEdition]);
  }

  async finish(): Promise<FlowWriterOutcome> {
    const retired = this.#retirer?.retire() ?? 0;
    const outcome = this.#lane.outcome(
      retired,
      this.#byReporter ? (this.#retirer?.scopes ?? 0) : this.#yearsClaimed.size,
    );
    return { ...outcome, lateDuplicates: [] };
  }

  #recordCode(code: number, iso3: string): void {
    const known = this.#knownCode.get(code) as string | undefined;
    if (known === undefined) this.#addCode.run(code, iso3);
    else if (known !== iso3) {
      throw new CorridorError(
        'inconsistent_country',
        `this file's country list says BACI code ${code} is ${iso3}, but the warehouse already holds BACI rows where it is ${known}. Check that the country_codes file beside the data belongs to this BACI release; if BACI did renumber, delete the older BACI rows first.`,
      );
    }
    this.#isoOf.set(code, iso3);
  }

  #paramsFor(rows: number): number[] {
    let params = this.#params.get(rows);
    if (params === undefined) {
      params = new Array<number>(rows * BACI_WIDTH).fill(0);
      this.#params.set(rows, params);
    }
    return params;
  }

  #statementFor(rows: number, hsEdition: string, merge: boolean): SqliteStatement {
    const key = `${hsEdition}\u0000${rows}\u0000${merge}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(?,?,?,${literal(hsEdition)},?,?,?,?,${this.#loadId})`;
      statement = this.#sqlite.prepare(
        `insert into baci_flows (reporter_code,period,partner_code,hs_edition,hs_code,value_usd,net_weight_kg,source_row,load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} ${merge ? mergeClause(BACI_FLOWS, this.#loadId) : 'on conflict do nothing'}`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /**
   * The slow path, taken only when a chunk lost rows to the key: look each row's key up; a row
   * whose key holds another row number was a duplicate.
   */
  #findDuplicates(packed: PackedBaciRows, start: number, rows: number): Duplicate[] {
    const { values, hsEdition } = packed;
    const found: Duplicate[] = [];
    for (let i = start; i < start + rows; i++) {
      const at = i * BACI_WIDTH;
      const sourceRow = values[at + 6]!;
      const firstRow = this.#findKey.get(
        values[at],
        values[at + 1],
        values[at + 2],
        hsEdition,
        values[at + 3],
      ) as number | undefined;
      if (firstRow === undefined) {
        throw new CorridorError(
          'internal_error',
          `row ${sourceRow} was neither inserted nor found by its key`,
        );
      }
      if (firstRow !== sourceRow) {
        // A copy: the batch's buffer goes back to the reader thread once written.
        const kept = values.slice(at, at + BACI_WIDTH);
        found.push({
          sourceRow,
          firstRow,
          row: () => unpackBaciRow(kept, 0, hsEdition, (code) => this.#isoOf.get(code)),
        });
      }
    }
    return found;
  }
}
