/**
 * How each fact table's rows become COPY text (copy-text.ts) on PostgreSQL, and back: the
 * PostgreSQL counterpart of the SQLite writers' statements (src/load/*-writer.ts). A codec
 * writes a batch's rows in the order of the table's stored columns, with the file's source and
 * load id filled in, and notes for each row the slice it touched, the coverage scope it falls in
 * and the year (the partition) it lands in. The writer (copy-flow-writer.ts) does the rest.
 */
import {
  BACI_FLOWS,
  type FactTable,
  PORT_THROUGHPUT_ROWS,
  TRADE_FLOW_ROWS,
  WORLD_TRADE_TOTALS,
} from '../../../warehouse/fact-tables.ts';
import { BinaryTuples } from '../../db/postgres/copy-binary.ts';
import { copyField } from '../../db/postgres/copy-text.ts';
import type { SqlSession } from '../../db/sql-session.ts';
import { CorridorError } from '../../errors.ts';
import type { MappedBatch } from '../../validate/map-stage.ts';
import type { KeyedRowTable } from '../keyed-row-writer.ts';
import { PORT_ROWS } from '../port-throughput-writer.ts';
import type { Slice } from '../touched-slices.ts';
import {
  BACI_PACKED_COLUMNS,
  BACI_WIDTH,
  type PackedBaciRows,
  unpackBaciRow,
} from '../trade-flow-storage.ts';
import { AT, ROW_COLUMNS, type RowValues, rowValuesAsObject } from '../trade-flow-values.ts';
import { WORLD_TOTAL_ROWS } from '../world-totals-writer.ts';

/** What a codec tells the writer about each row it encodes. */
export interface RowNotes {
  slice(slice: Slice, key: readonly unknown[]): void;
  /** The row's coverage scope, as values of the codec's `scopeColumns`. */
  scope(values: readonly unknown[]): void;
  /** The year the row is stored under (its partition). */
  year(year: number): void;
}

export interface CopyRows {
  readonly table: FactTable;
  /** The columns a coverage scope is matched on, or null when the file merges only. */
  readonly scopeColumns: readonly string[] | null;
  /** Work that needs the database before the batch's rows go in (BACI's country codes). */
  prepare(batch: MappedBatch, sql: SqlSession): Promise<void>;
  /** How `encode` writes rows: COPY's text format, or its binary one (copy-binary.ts). */
  readonly format: 'text' | 'binary';
  /** The batch's rows as COPY data of `table.columns`, and how many there are. */
  encode(batch: MappedBatch, notes: RowNotes): { readonly data: string | Buffer; readonly rows: number };
  /**
   * A condition (and its parameters) that holds for stored rows near the batch's first row,
   * along the key's index: when no row matches, the file very likely starts on new ground and
   * the writer copies straight into the table. Null for an empty batch.
   */
  probe(batch: MappedBatch): { readonly where: string; readonly params: readonly unknown[] } | null;
  /** A row of the table (as the server returns it) as `trade_flows` shows it, for a reject. */
  canonical(row: Record<string, unknown>): Record<string, unknown>;
}

const line = (fields: string[]): string => `${fields.join('\t')}\n`;

/** `trade_flow_rows`: every column, a row's values in ROW_COLUMNS order (trade-flow-values.ts). */
export class TradeRowsCodec implements CopyRows {
  readonly table = TRADE_FLOW_ROWS;
  readonly format = 'text' as const;
  readonly scopeColumns: readonly string[] | null;
  readonly #head: string;
  readonly #tail: string;
  readonly #source: string;
  readonly #scopeAt: readonly number[];

  constructor(source: string, loadId: number, coverageColumns: readonly string[] | null) {
    this.#source = source;
    this.#head = `${copyField(source)}\t`;
    this.#tail = `\t${loadId}\n`;
    this.scopeColumns = coverageColumns === null ? null : ['source', ...coverageColumns];
    this.#scopeAt = (coverageColumns ?? []).map((c) => AT[c as keyof typeof AT]);
  }

  async prepare(): Promise<void> {}

  encode(batch: MappedBatch, notes: RowNotes) {
    let text = '';
    for (const r of batch.rows) {
      const reporter = r[AT.reporter_iso3] as string;
      const period = r[AT.period] as string;
      notes.slice({ reporter, period }, [reporter, period]);
      notes.year(r[AT.year] as number);
      if (this.scopeColumns !== null) notes.scope([this.#source, ...this.#scopeAt.map((i) => r[i])]);
      text += this.#head + r.map(copyField).join('\t') + this.#tail;
    }
    return { data: text, rows: batch.rows.length };
  }

  probe(batch: MappedBatch) {
    const first: RowValues | undefined = batch.rows[0];
    if (first === undefined) return null;
    return {
      where: 'source = ? and reporter_iso3 = ? and period = ?',
      params: [this.#source, first[AT.reporter_iso3], first[AT.period]],
    };
  }

  canonical(row: Record<string, unknown>): Record<string, unknown> {
    return rowValuesAsObject(ROW_COLUMNS.map((c) => row[c]));
  }
}

/**
 * `baci_flows`: packed numbers (trade-flow-storage.ts), in COPY's binary format, which spares
 * formatting and parsing seven numbers a row. The first time a file uses a BACI country code,
 * the ISO code it stands for goes into `baci_country_codes`, as on SQLite, and a file that says
 * a code stands for another country than the warehouse holds is refused.
 */
export class BaciRowsCodec implements CopyRows {
  readonly table = BACI_FLOWS;
  readonly scopeColumns: readonly string[] | null;
  /** Binary once the table's column types are checked to be those the encoder writes. */
  format: 'text' | 'binary' = 'text';
  #typesChecked = false;
  readonly #loadId: number;
  readonly #byReporter: boolean;
  /** ISO code of each BACI code this file used. */
  readonly #isoOf = new Map<number, string>();

  /** @param coverage the coverage's dimensions (`edition`, `period`, `reporter`), or null to merge only. */
  constructor(loadId: number, coverage: readonly string[] | null) {
    this.#loadId = loadId;
    this.#byReporter = coverage?.includes('reporter') ?? false;
    // A whole edition-year retires every reporter's rows of that year: one scope a year.
    this.scopeColumns =
      coverage === null
        ? null
        : this.#byReporter
          ? ['reporter_code', 'period', 'hs_edition']
          : ['period', 'hs_edition'];
  }

  async prepare(batch: MappedBatch, sql: SqlSession): Promise<void> {
    if (!this.#typesChecked) {
      this.#typesChecked = true;
      const types = await sql.all<{ column_name: string; data_type: string }>(
        `select column_name, data_type from information_schema.columns
         where table_schema = current_schema() and table_name = 'baci_flows'`,
      );
      const typeOf = new Map(types.map((t) => [t.column_name, t.data_type]));
      // A schema whose types differ (an older or hand-made one) still loads, as text.
      this.format = BACI_FLOWS.columns.every((c) => typeOf.get(c) === BACI_BINARY_TYPES[c])
        ? 'binary'
        : 'text';
    }
    const newCodes = batch.packed?.newCodes ?? [];
    if (newCodes.length === 0) return;
    const codes = newCodes.map(([code]) => code);
    const known = await sql.all<{ code: number; iso3: string }>(
      `select code, iso3 from baci_country_codes where code in (${codes.map(() => '?').join(',')})`,
      codes,
    );
    const knownIso = new Map(known.map((k) => [Number(k.code), k.iso3]));
    const missing: [number, string][] = [];
    for (const [code, iso3] of newCodes) {
      const held = knownIso.get(code);
      if (held === undefined) missing.push([code, iso3]);
      else if (held !== iso3) {
        throw new CorridorError(
          'inconsistent_country',
          `this file's country list says BACI code ${code} is ${iso3}, but the warehouse already holds BACI rows where it is ${held}. Check that the country_codes file beside the data belongs to this BACI release; if BACI did renumber, delete the older BACI rows first.`,
        );
      }
      this.#isoOf.set(code, iso3);
    }
    if (missing.length > 0)
      await sql.run(
        `insert into baci_country_codes (code, iso3) values ${missing.map(() => '(?, ?)').join(', ')}`,
        missing.flat(),
      );
  }

  encode(batch: MappedBatch, notes: RowNotes) {
    const packed = batch.packed;
    if (packed === undefined || packed === null) return { data: '', rows: 0 };
    const { values, count, hsEdition } = packed;
    let lastReporter = Number.NaN;
    let lastPeriod = Number.NaN;
    for (let i = 0; i < count; i++) {
      const at = i * BACI_WIDTH;
      const reporter = values[at]!;
      const period = values[at + 1]!;
      if (reporter === lastReporter && period === lastPeriod) continue;
      lastReporter = reporter;
      lastPeriod = period;
      const iso3 = this.#isoOf.get(reporter)!;
      notes.slice({ reporter: iso3, period: String(period), hs_edition: hsEdition }, [
        iso3,
        period,
        hsEdition,
      ]);
      notes.year(period);
      if (this.scopeColumns !== null)
        notes.scope(this.#byReporter ? [reporter, period, hsEdition] : [period, hsEdition]);
    }
    return { data: this.format === 'binary' ? this.#binary(packed) : this.#text(packed), rows: count };
  }

  /** Columns in table order: reporter, period, partner, edition, product, value, weight, row, load. */
  #binary({ values, count, hsEdition }: PackedBaciRows): Buffer {
    const edition = Buffer.from(hsEdition, 'utf8');
    const out = new BinaryTuples(count * (110 + edition.length));
    for (let i = 0; i < count; i++) {
      const at = i * BACI_WIDTH;
      out.tuple(9);
      out.int8(values[at]!);
      out.int8(values[at + 1]!);
      out.int8(values[at + 2]!);
      out.bytes(edition);
      out.int8(values[at + 3]!);
      out.float8(values[at + 4]!);
      out.float8(values[at + 5]!);
      out.int8(values[at + 6]!);
      out.int8(this.#loadId);
    }
    return out.take();
  }

  #text({ values, count, hsEdition }: PackedBaciRows): string {
    const edition = `\t${copyField(hsEdition)}\t`;
    const tail = `\t${this.#loadId}\n`;
    let text = '';
    for (let i = 0; i < count; i++) {
      const at = i * BACI_WIDTH;
      const weight = values[at + 5]!;
      text += `${values[at]}\t${values[at + 1]}\t${values[at + 2]}${edition}${values[at + 3]}\t${values[at + 4]}\t${Number.isNaN(weight) ? '\\N' : weight}\t${values[at + 6]}${tail}`;
    }
    return text;
  }

  probe(batch: MappedBatch) {
    const packed = batch.packed;
    if (packed === undefined || packed === null || packed.count === 0) return null;
    return { where: 'reporter_code = ? and period = ?', params: [packed.values[0], packed.values[1]] };
  }

  canonical(row: Record<string, unknown>): Record<string, unknown> {
    const values = new Float64Array(BACI_WIDTH);
    BACI_PACKED_COLUMNS.forEach((c, i) => {
      values[i] = row[c] === null ? Number.NaN : Number(row[c]);
    });
    return unpackBaciRow(values, 0, String(row.hs_edition), (code) => this.#isoOf.get(code));
  }
}

/** The types the binary encoder writes each `baci_flows` column as. */
const BACI_BINARY_TYPES: Readonly<Record<string, string>> = {
  reporter_code: 'bigint',
  period: 'bigint',
  partner_code: 'bigint',
  hs_edition: 'text',
  hs_code: 'bigint',
  value_usd: 'double precision',
  net_weight_kg: 'double precision',
  source_row: 'bigint',
  load_id: 'bigint',
};

/** The small fact tables (ports, world totals), through the same spec as their SQLite writer. */
export class KeyedRowsCodec<R> implements CopyRows {
  readonly table: FactTable;
  readonly format = 'text' as const;
  readonly scopeColumns: readonly string[] | null;
  readonly #spec: KeyedRowTable<R>;
  readonly #source: string;
  readonly #loadId: number;
  readonly #coverage: readonly string[];

  constructor(
    spec: KeyedRowTable<R>,
    source: string,
    loadId: number,
    coverageColumns: readonly string[] | null,
  ) {
    this.table = spec.table;
    this.#spec = spec;
    this.#source = source;
    this.#loadId = loadId;
    this.#coverage = coverageColumns ?? [];
    this.scopeColumns = coverageColumns === null ? null : ['source', ...coverageColumns];
  }

  async prepare(): Promise<void> {}

  encode(batch: MappedBatch, notes: RowNotes) {
    const rows = this.#spec.rowsOf(batch);
    let text = '';
    for (const { row, sourceRow } of rows) {
      const { slice, key } = this.#spec.sliceOf(row);
      notes.slice(slice, key);
      notes.year(Number(this.#spec.valueOf(row, 'year')));
      if (this.scopeColumns !== null)
        notes.scope([this.#source, ...this.#coverage.map((c) => this.#spec.valueOf(row, c))]);
      text += line(
        this.table.columns.map((c) =>
          copyField(
            c === 'source'
              ? this.#source
              : c === 'load_id'
                ? this.#loadId
                : c === 'source_row'
                  ? sourceRow
                  : this.#spec.valueOf(row, c),
          ),
        ),
      );
    }
    return { data: text, rows: rows.length };
  }

  probe(batch: MappedBatch) {
    const first = this.#spec.rowsOf(batch)[0];
    if (first === undefined) return null;
    const [, second] = this.table.key;
    return {
      where: `source = ? and ${second} = ?`,
      params: [this.#source, this.#spec.valueOf(first.row, second!)],
    };
  }

  canonical(row: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      this.table.columns.filter((c) => c !== 'source' && c !== 'load_id').map((c) => [c, row[c] ?? null]),
    );
  }
}

/** The codec of a fact table. */
export function copyRowsFor(
  table: FactTable,
  spec: { readonly source: string; readonly loadId: number },
  coverage: readonly string[] | null,
  coverageColumns: readonly string[] | null,
): CopyRows {
  if (table === BACI_FLOWS) return new BaciRowsCodec(spec.loadId, coverage);
  if (table === TRADE_FLOW_ROWS) return new TradeRowsCodec(spec.source, spec.loadId, coverageColumns);
  if (table === PORT_THROUGHPUT_ROWS)
    return new KeyedRowsCodec(PORT_ROWS, spec.source, spec.loadId, coverageColumns);
  if (table === WORLD_TRADE_TOTALS)
    return new KeyedRowsCodec(WORLD_TOTAL_ROWS, spec.source, spec.loadId, coverageColumns);
  throw new Error(`no COPY codec for ${table.name}`);
}
