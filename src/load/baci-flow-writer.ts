/**
 * The bulk row path into `baci_flows` (trade-flow-storage.ts explains the table). Rows arrive
 * packed as numbers, seven a row, and go through prepared 100-row INSERT statements with the
 * file's HS edition and load id written in as literals: about 1 µs a row in SQLite.
 *
 * Country codes are BACI's own; the first time a file uses one, the writer records which ISO
 * code it stands for in `baci_country_codes`, and refuses a file that says a code stands for
 * another country than the warehouse already holds under it. Slices are (reporter, year, HS
 * edition) by ISO code, so a release that renumbers a country still replaces its rows.
 *
 * It runs inside the caller's transaction and never commits; the caller owns atomicity.
 */
import type Database from 'better-sqlite3';
import { CorridorError } from '../errors.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import type { Duplicate, FlowWriter } from './flow-writer.ts';
import { SliceReplacer } from './slice-replacer.ts';
import { BACI_WIDTH, type PackedBaciRows, unpackBaciRow } from './trade-flow-storage.ts';

const ROWS_PER_STATEMENT = 100;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class BaciFlowWriter implements FlowWriter {
  readonly #sqlite: Database.Database;
  readonly #loadId: number;
  readonly replacer: SliceReplacer;
  readonly sliceKey = 'reporter, year and HS edition';
  readonly #statements = new Map<string, Database.Statement>();
  readonly #findKey: Database.Statement;
  readonly #knownCode: Database.Statement;
  readonly #addCode: Database.Statement;
  /** ISO code of each BACI code this file used. */
  readonly #isoOf = new Map<number, string>();
  /** Parameter arrays reused across statements of the same size. */
  readonly #params = new Map<number, number[]>();
  #lastReporter = Number.NaN;
  #lastPeriod = Number.NaN;
  rowsInserted = 0;

  constructor(sqlite: Database.Database, loadId: number) {
    this.#sqlite = sqlite;
    this.#loadId = loadId;
    const sliceWhere =
      'reporter_code in (select code from baci_country_codes where iso3 = ?) and period = ? and hs_edition = ?';
    this.replacer = new SliceReplacer(sqlite, loadId, {
      count: sqlite.prepare(
        `select load_id, count(*) as n from baci_flows where ${sliceWhere} group by load_id`,
      ),
      remove: sqlite.prepare(`delete from baci_flows where ${sliceWhere}`),
    });
    this.#findKey = sqlite.prepare(
      'select source_row from baci_flows where reporter_code = ? and period = ? and partner_code = ? and hs_edition = ? and hs_code = ?',
    );
    this.#knownCode = sqlite.prepare('select iso3 from baci_country_codes where code = ?').pluck();
    this.#addCode = sqlite.prepare('insert into baci_country_codes (code, iso3) values (?, ?)');
  }

  write(batch: MappedBatch): Duplicate[] {
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
      this.replacer.claim({ reporter: iso3, period: String(period), hs_edition: hsEdition }, [
        iso3,
        period,
        hsEdition,
      ]);
    }
    const duplicates: Duplicate[] = [];
    for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
      const rows = Math.min(ROWS_PER_STATEMENT, count - start);
      const params = this.#paramsFor(rows);
      const from = start * BACI_WIDTH;
      for (let k = 0; k < params.length; k++) params[k] = values[from + k]!;
      const inserted = this.#statementFor(rows, hsEdition).run(params).changes;
      this.rowsInserted += inserted;
      if (inserted < rows) duplicates.push(...this.#findDuplicates(packed, start, rows));
    }
    return duplicates;
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

  #statementFor(rows: number, hsEdition: string): Database.Statement {
    const key = `${hsEdition}\u0000${rows}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const tuple = `(?,?,?,${literal(hsEdition)},?,?,?,?,${this.#loadId})`;
      statement = this.#sqlite.prepare(
        `insert into baci_flows (reporter_code,period,partner_code,hs_edition,hs_code,value_usd,net_weight_kg,source_row,load_id) values ${Array.from({ length: rows }, () => tuple).join(',')} on conflict do nothing`,
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
      const firstRow = this.#findKey
        .pluck()
        .get(values[at], values[at + 1], values[at + 2], hsEdition, values[at + 3]) as number | undefined;
      if (firstRow === undefined) {
        throw new CorridorError(
          'internal_error',
          `row ${sourceRow} was neither inserted nor found by its key`,
        );
      }
      if (firstRow !== sourceRow) {
        found.push({
          sourceRow,
          firstRow,
          row: () => unpackBaciRow(values, i, hsEdition, (code) => this.#isoOf.get(code)),
        });
      }
    }
    return found;
  }
}
