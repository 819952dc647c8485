/**
 * Where trade rows are physically kept. Analysts read one view, `trade_flows`; behind it are
 * two tables (migration 0002):
 *
 * - `trade_flow_rows`: every column, for sources whose rows vary in every way (Comtrade).
 * - `baci_flows`: BACI only. A BACI year is about ten million rows that are all exports,
 *   annual, FOB, all transport modes and customs procedures, of HS subheadings between two
 *   countries with BACI's numeric codes. So the table keeps seven numbers a row (exporter,
 *   year, importer, product, value, weight, row number), clustered on its key in the order BACI
 *   files come sorted, and the view supplies the rest: ISO codes through `baci_country_codes`,
 *   text periods and zero-padded HS codes. SQLite's work per row falls from about 6 µs (27
 *   columns, a 10-column unique text index and a partner index) to under 1 µs, and the rows
 *   cross from the reader thread as one Float64Array per batch instead of JSON.
 *
 * A storage names what the writer and the map stage need to agree on; the view's SQL lives in
 * the migration, which a test compares with what these packers store.
 */
import { CorridorError } from '../errors.ts';
import type { TradeFlowRow } from '../validate/trade-source.ts';

export type StorageName = 'trade_flow_rows' | 'baci_flows';

/** BACI rows as numbers, in this order, one batch per Float64Array. */
export const BACI_PACKED_COLUMNS = [
  'reporter_code',
  'period',
  'partner_code',
  'hs_code',
  'value_usd',
  'net_weight_kg',
  'source_row',
] as const;
export const BACI_WIDTH = BACI_PACKED_COLUMNS.length;

/** A batch of BACI rows packed for `baci_flows`. */
export interface PackedBaciRows {
  /** BACI_WIDTH numbers per row; NaN for a missing weight (SQLite stores NaN as NULL). */
  readonly values: Float64Array<ArrayBuffer>;
  readonly count: number;
  /** The file's HS edition; every row of a file has the same. */
  readonly hsEdition: string;
  /** Country codes first used in this batch, with the ISO code each stands for. */
  readonly newCodes: readonly (readonly [number, string])[];
}

/** What `trade_flows` shows for every BACI row; the packer checks each row agrees. */
const BACI_CONSTANTS = {
  partner2_iso3: 'W00',
  flow: 'X',
  freq: 'A',
  month: null,
  hs_level: 6,
  cif_value_usd: null,
  net_weight_estimated: null,
  gross_weight_kg: null,
  qty: null,
  qty_unit_code: null,
  qty_unit: null,
  mode_of_transport: '0',
  customs_procedure: 'C00',
} as const satisfies Partial<Record<keyof TradeFlowRow, string | number | null>>;

/** BACI_CONSTANTS as one expression: this runs on every row, and a loop over keys costs more than the rest of packing. */
const fitsBaciFlows = (r: TradeFlowRow): boolean =>
  r.partner2_iso3 === 'W00' &&
  r.flow === 'X' &&
  r.freq === 'A' &&
  r.month === null &&
  r.hs_level === 6 &&
  r.cif_value_usd === null &&
  r.net_weight_estimated === null &&
  r.gross_weight_kg === null &&
  r.qty === null &&
  r.qty_unit_code === null &&
  r.qty_unit === null &&
  r.mode_of_transport === '0' &&
  r.customs_procedure === 'C00' &&
  r.fob_value_usd === r.value_usd &&
  r.year === Number(r.period);

/** Says which column broke fitsBaciFlows. */
function misfit(r: TradeFlowRow): string {
  for (const [column, value] of Object.entries(BACI_CONSTANTS)) {
    const actual = r[column as keyof TradeFlowRow];
    if (actual !== value)
      return `${column} is ${JSON.stringify(actual)}; the table holds only ${JSON.stringify(value)}`;
  }
  return r.fob_value_usd !== r.value_usd
    ? 'its FOB value differs from its value'
    : 'its year differs from its period';
}

/**
 * A code of digits as a number the view prints back exactly as the source's text: country
 * codes without leading zeros (`586`), periods of 4 digits, HS codes of 6 (`010121` → 10121 →
 * `%06d`). A character loop rather than a regular expression or a cache: it runs on every row.
 */
function codeNumber(text: string | null, what: string, digits: number | null): number {
  let ok = text !== null && text.length > 0 && text.length <= 15;
  if (ok && digits !== null) ok = text!.length === digits;
  else if (ok) ok = text!.length === 1 || text!.charCodeAt(0) !== 48; // no leading zero
  for (let i = 0; ok && i < text!.length; i++) {
    const c = text!.charCodeAt(i);
    ok = c >= 48 && c <= 57;
  }
  if (!ok)
    throw new Error(
      `a BACI row has ${what} ${JSON.stringify(text)}, which baci_flows cannot keep as a number`,
    );
  return Number(text);
}

/**
 * Buffers of packed batches that the writing thread is done with and handed back
 * (map-in-worker.ts): the reader thread's packer fills them again. Each batch's buffer crosses
 * to the writer without a copy, but there it lived until a collection of the writer's heap, and
 * the collector hardly feels memory allocated outside it: up to 64 MB of spent batches were
 * waiting at once in a 5,000,000-row load (issue 22). A few buffers now go round instead.
 */
const spareBuffers: ArrayBuffer[] = [];
const MAX_SPARE_BUFFERS = 8;

/** Hands a spent batch's buffer back for the next batches (map-worker.ts, in the reader thread). */
export function recyclePackedBuffer(buffer: ArrayBuffer): void {
  if (spareBuffers.length < MAX_SPARE_BUFFERS && buffer.byteLength > 0) spareBuffers.push(buffer);
}

/** A buffer for `length` numbers: a spare one when it is large enough, else a new one. */
function packedValues(length: number): Float64Array<ArrayBuffer> {
  const spare = spareBuffers.pop();
  if (spare !== undefined && spare.byteLength >= length * Float64Array.BYTES_PER_ELEMENT)
    return new Float64Array(spare);
  return new Float64Array(length);
}

/**
 * Packs one file's mapped BACI rows. A row that does not fit the table is a bug in the source,
 * not in the data, so it stops the file rather than being stored wrongly; so does a country
 * code that stands for two ISO codes, or two codes for one ISO code, within a file.
 */
export class BaciRowPacker {
  readonly #capacity: number;
  #values: Float64Array<ArrayBuffer>;
  #count = 0;
  #hsEdition: string | null = null;
  readonly #codes = new Map<number, string>();
  readonly #codeOfIso = new Map<string, number>();
  #newCodes: [number, string][] = [];

  constructor(capacity: number) {
    this.#capacity = capacity * BACI_WIDTH;
    this.#values = packedValues(this.#capacity);
  }

  add(row: TradeFlowRow, sourceRow: number): void {
    if (!fitsBaciFlows(row)) throw new Error(`a BACI row does not fit baci_flows: ${misfit(row)}`);
    if (this.#hsEdition === null) this.#hsEdition = row.hs_edition;
    else if (row.hs_edition !== this.#hsEdition)
      throw new Error(`a BACI file has rows of two HS editions (${this.#hsEdition}, ${row.hs_edition})`);

    this.#put(
      this.#code(codeNumber(row.reporter_code, 'country code', null), row.reporter_iso3),
      codeNumber(row.period, 'period', 4),
      this.#code(codeNumber(row.partner_code, 'country code', null), row.partner_iso3),
      codeNumber(row.hs_code, 'HS code', 6),
      row.value_usd,
      row.net_weight_kg ?? Number.NaN,
      sourceRow,
    );
  }

  /**
   * A row given as its numbers, by a source's fast line reader (src/validate/fast-line-stage.ts),
   * which has already checked what `add` checks: exporter and importer codes with their ISO
   * codes, a 4-digit year, a 6-digit HS code as a number, dollars, kilograms or NaN.
   */
  addNumbers(
    hsEdition: string,
    reporterCode: number,
    reporterIso3: string,
    year: number,
    partnerCode: number,
    partnerIso3: string,
    hsCode: number,
    valueUsd: number,
    netWeightKg: number,
    sourceRow: number,
  ): void {
    if (this.#hsEdition === null) this.#hsEdition = hsEdition;
    else if (hsEdition !== this.#hsEdition)
      throw new Error(`a BACI file has rows of two HS editions (${this.#hsEdition}, ${hsEdition})`);
    this.#put(
      this.#code(reporterCode, reporterIso3),
      year,
      this.#code(partnerCode, partnerIso3),
      hsCode,
      valueUsd,
      netWeightKg,
      sourceRow,
    );
  }

  #put(
    reporter: number,
    year: number,
    partner: number,
    hsCode: number,
    value: number,
    weight: number,
    sourceRow: number,
  ): void {
    if (this.#count * BACI_WIDTH >= this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    const v = this.#values;
    const at = this.#count * BACI_WIDTH;
    v[at] = reporter;
    v[at + 1] = year;
    v[at + 2] = partner;
    v[at + 3] = hsCode;
    v[at + 4] = value;
    v[at + 5] = weight;
    v[at + 6] = sourceRow;
    this.#count++;
  }

  /** Packed rows waiting for `take`. */
  get count(): number {
    return this.#count;
  }

  #code(code: number, iso3: string): number {
    const known = this.#codes.get(code);
    if (known === iso3) return code;
    if (known !== undefined)
      throw new Error(`BACI country code ${code} stands for both ${known} and ${iso3} in one file`);
    // Two codes for one country would put two rows under one key in trade_flows.
    const other = this.#codeOfIso.get(iso3);
    if (other !== undefined) {
      throw new CorridorError(
        'inconsistent_country',
        `BACI country codes ${other} and ${code} both stand for ${iso3} in this file, so its flows would be counted twice. Correct the country_codes file beside the data so that each ISO code has one BACI code.`,
      );
    }
    this.#codes.set(code, iso3);
    this.#codeOfIso.set(iso3, code);
    this.#newCodes.push([code, iso3]);
    return code;
  }

  /** The rows packed since the last call, or null when there are none. */
  take(): PackedBaciRows | null {
    if (this.#count === 0 && this.#newCodes.length === 0) return null;
    // The batch keeps this buffer (a view of its filled part); the next rows go into another.
    const packed: PackedBaciRows = {
      values: new Float64Array(this.#values.buffer, 0, this.#count * BACI_WIDTH),
      count: this.#count,
      hsEdition: this.#hsEdition ?? '',
      newCodes: this.#newCodes,
    };
    // As large as this batch grew: a batch runs past its size by up to a chunk of lines.
    this.#values = packedValues(Math.max(this.#capacity, this.#values.length));
    this.#count = 0;
    this.#newCodes = [];
    return packed;
  }
}

/** A packed BACI row as `trade_flows` shows it (for a reject's raw row), given its ISO codes. */
export function unpackBaciRow(
  values: Float64Array,
  index: number,
  hsEdition: string,
  isoOf: (code: number) => string | undefined,
): Record<string, unknown> {
  const at = index * BACI_WIDTH;
  const value = (i: number) => (Number.isNaN(values[at + i]!) ? null : values[at + i]!);
  const reporter = values[at]!;
  const partner = values[at + 2]!;
  return {
    reporter_iso3: isoOf(reporter) ?? null,
    reporter_code: String(reporter),
    partner_iso3: isoOf(partner) ?? null,
    partner_code: String(partner),
    ...BACI_CONSTANTS,
    period: String(values[at + 1]),
    year: values[at + 1],
    hs_edition: hsEdition,
    hs_code: String(values[at + 3]).padStart(6, '0'),
    value_usd: value(4),
    fob_value_usd: value(4),
    net_weight_kg: value(5),
    source_row: values[at + 6],
  };
}
