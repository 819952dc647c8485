/**
 * The map stage of one file, in the calling thread: read, bind the header, validate and
 * normalize each record, and hand batches of canonical rows and rejected records onwards.
 * `map-in-worker.ts` runs the same stage in a worker thread for large files.
 */
import { basename } from 'node:path';
import { SourceFormatError } from '../errors.ts';
import { readLaidOutTable } from '../layout/laid-out-table.ts';
import type { LayoutReport } from '../layout/layout-report.ts';
import type { Declarations } from '../layout/stated-facts.ts';
import type { PortRowValues } from '../load/port-throughput-writer.ts';
import { BaciRowPacker, type PackedBaciRows } from '../load/trade-flow-storage.ts';
import { type RowValues, toRowValues } from '../load/trade-flow-values.ts';
import type { WorldTotalValues } from '../load/world-totals-writer.ts';
import type { CountryResolver } from '../normalize/country-resolver.ts';
import type { HsCodeBook } from '../normalize/hs-code-book.ts';
import { openTable } from '../read/open-table.ts';
import { BATCH_SIZE, type RawRecord, type RawTable } from '../read/raw-table.ts';
import { openFastLineTable } from './fast-line-stage.ts';
import { bindColumns } from './header-matcher.ts';
import { glanceForReply, noDataNote } from './publisher-reply.ts';
import { createRecordMapper } from './record-mapper.ts';
import type { RowIssue } from './row-issue.ts';
import type { TradeSource } from './trade-source.ts';

export interface RejectedRecord {
  readonly row: number;
  readonly sheet?: string | null;
  readonly cells: readonly unknown[];
  readonly issues: readonly RowIssue[];
}

export interface MappedBatch {
  /** Valid rows for `trade_flow_rows`, as values in ROW_COLUMNS order (source_row included). */
  readonly rows: RowValues[];
  /** Valid rows for `baci_flows`, packed as numbers (trade-flow-storage.ts); null for other sources. */
  readonly packed: PackedBaciRows | null;
  /** Valid rows for `port_throughput`; null for trade sources. */
  readonly portRows: PortRowValues[] | null;
  /** Valid rows for `world_trade_totals`; absent for other sources. */
  readonly worldRows?: WorldTotalValues[];
  readonly rejected: RejectedRecord[];
  /** Records read in this batch: rows + rejected. */
  readonly read: number;
  /**
   * For a table with a layout, where a sheet row can hold several figures (years as columns):
   * the sheet rows this batch started. Undefined when each record is a row of the file.
   */
  readonly sheetRows?: number;
}

export interface MappedTable {
  readonly format: string;
  readonly encoding: string;
  readonly delimiter: string | null;
  readonly sheet: string | null;
  readonly rowUnit: 'row' | 'record';
  readonly header: readonly string[];
  /** Header columns the source does not use. */
  readonly unused: readonly string[];
  readonly batches: AsyncIterable<MappedBatch>;
  /**
   * The file's cells of recently yielded rows, by row number: a row refused at insert time (a
   * duplicate key) is stored in `rejects` with its raw row like any other reject. Rows of the
   * last few batches are kept; older ones give null.
   */
  rawCells(rows: readonly number[]): Promise<(readonly unknown[] | null)[]>;
  /** Releases what the stage holds (a worker thread) when the caller stops early. */
  close(): Promise<void>;
  /** For a source with a layout, what the layout toolkit did (laid-out-table.ts); complete once `batches` ends. */
  layoutReport(): LayoutReport | null;
  /**
   * Bytes of the file read so far (RawTable.bytesRead), for progress and time left; null when
   * the reader cannot tell. Asked between batches: one number, no work per row.
   */
  bytesRead(): number | null;
  /**
   * Set when the file is its publisher's answer that nothing matched (publisher-reply.ts): the
   * note for the journal ("the file holds no data: ..."). The table then has no batches.
   */
  readonly noData?: string;
}

/** Batches whose raw cells stay available to `rawCells`: more than a worker can run ahead (map-in-worker's MAX_IN_FLIGHT + 2). */
export const RAW_CELLS_BATCHES = 6;

/**
 * The raw cells of the last RAW_CELLS_BATCHES batches, by row number. A record that carries its
 * text (RawRecord.text, from a CSV reader that can split it again) is kept as that one string,
 * not as its cells: kept cells outlive the reader thread's young generation, and copying and
 * promoting them was a third of that thread's time on a wide CSV file (issue 22).
 */
export class RecentCells {
  // Batches are kept as they came (records in ascending row order) and searched only when a
  // duplicate asks: indexing every row up front cost more than all the lookups ever made.
  readonly #batches: { rows: number[]; kept: (string | readonly unknown[])[] }[] = [];
  readonly #cellsOfText: ((text: string) => readonly unknown[]) | undefined;

  constructor(cellsOfText?: (text: string) => readonly unknown[]) {
    this.#cellsOfText = cellsOfText;
  }

  add(records: readonly { row: number; cells: readonly unknown[]; text?: string }[]): void {
    if (records.length === 0) return;
    const rows: number[] = new Array(records.length);
    const kept: (string | readonly unknown[])[] = new Array(records.length);
    const byText = this.#cellsOfText !== undefined;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      rows[i] = record.row;
      kept[i] = byText && record.text !== undefined ? record.text : record.cells;
    }
    this.#batches.push({ rows, kept });
    if (this.#batches.length > RAW_CELLS_BATCHES) this.#batches.shift();
  }

  get(rows: readonly number[]): (readonly unknown[] | null)[] {
    return rows.map((row) => {
      for (const batch of this.#batches) {
        let low = 0;
        let high = batch.rows.length - 1;
        if (row < batch.rows[low]! || row > batch.rows[high]!) continue;
        while (low <= high) {
          const mid = (low + high) >> 1;
          const at = batch.rows[mid]!;
          if (at === row) {
            const kept = batch.kept[mid]!;
            return typeof kept === 'string' ? this.#cellsOfText!(kept) : kept;
          }
          if (at < row) low = mid + 1;
          else high = mid - 1;
        }
      }
      return null;
    });
  }
}

export interface MapStageInput {
  readonly path: string;
  // biome-ignore lint/suspicious/noExplicitAny: the stage handles every source alike.
  readonly source: TradeSource<string, any, any>;
  readonly countries: CountryResolver;
  readonly hsCodes: HsCodeBook;
  readonly encoding?: string;
  /** What the user declares about the file's tables (`--flow M`); read by the layout toolkit. */
  readonly declared?: Declarations;
}

/**
 * The file as raw records: through the layout toolkit for a source that declares a layout,
 * else the reader its content calls for, the header being the first row where the source
 * finds its columns.
 */
export async function openRawTable(
  input: MapStageInput,
): Promise<{ table: RawTable; layoutReport: () => LayoutReport | null }> {
  const name = basename(input.path);
  const isHeader = (cells: readonly string[]) => {
    try {
      bindColumns(name, cells, input.source.columns, input.source.required);
      return true;
    } catch {
      return false;
    }
  };
  const encoding = input.encoding === undefined ? {} : { encoding: input.encoding };
  const layout = input.source.layout;
  const laidOut =
    layout === undefined
      ? null
      : await readLaidOutTable(input.path, layout, {
          ...encoding,
          ...(input.declared === undefined ? {} : { declared: input.declared }),
        });
  const recognise = input.source.recognise === undefined ? {} : { recognise: input.source.recognise };
  const table = laidOut ?? (await openTable(input.path, { isHeader, ...encoding, ...recognise }));
  return { table, layoutReport: () => laidOut?.report() ?? null };
}

export async function openMappedTable(input: MapStageInput): Promise<MappedTable> {
  // Plain numeric CSV files of a source that reads lines in place (BACI) skip the general path.
  const fast = await openFastLineTable(input);
  if (fast !== null) return fast;
  const { table, layoutReport } = await openRawTable(input);
  return mapRawTable(input, table, layoutReport);
}

/**
 * Validates and normalizes a raw table's records into mapped batches: in the reading thread,
 * or in the writing thread for records a worker read (map-in-worker.ts, workbooks).
 */
export async function mapRawTable(
  input: MapStageInput,
  rawTable: RawTable,
  layoutReport: () => LayoutReport | null = () => null,
): Promise<MappedTable> {
  const name = basename(input.path);
  // A reply of the publisher's rather than a table of rows: an answer without data, or refused.
  if (rawTable.noData !== undefined) return noDataTable(rawTable, rawTable.noData, layoutReport);
  const glanced = await glanceForReply(input.source, name, rawTable);
  if (glanced.reply?.kind === 'refused')
    throw new SourceFormatError(name, glanced.reply.code, glanced.reply.message);
  if (glanced.reply?.kind === 'no_data')
    return noDataTable(rawTable, noDataNote(glanced.reply.said), layoutReport);
  const table = glanced.table;
  const binding = bindColumns(name, table.header, input.source.columns, input.source.required);
  const mapRow = await input.source.begin({
    path: input.path,
    name,
    countries: input.countries,
    hsCodes: input.hsCodes,
  });
  const mapRecord = createRecordMapper(input.source, table.header, binding, mapRow, {
    decimalComma: table.delimiter === ';',
  });
  // The mapper reads the bound columns alone; a reject keeps every cell of its row (below).
  table.readsOnly?.(Object.values<number>(binding.index));
  const wholeCells = (record: RawRecord) =>
    record.text !== undefined && table.cellsOfText !== undefined
      ? table.cellsOfText(record.text)
      : record.cells;

  const packer = input.source.storage === 'baci_flows' ? new BaciRowPacker(BATCH_SIZE) : null;
  const toPort = input.source.target === 'port_throughput';
  const toWorld = input.source.target === 'world_trade_totals';
  const recent = new RecentCells(table.cellsOfText);
  const countSheetRows = input.source.layout !== undefined;
  let lastSheetRow = '';
  async function* batches(): AsyncGenerator<MappedBatch> {
    for await (const batch of table.batches) {
      recent.add(batch);
      // A wide table's figures of one sheet row come one after another: count where the row changes.
      let sheetRows = 0;
      if (countSheetRows)
        for (const record of batch) {
          const at = `${record.sheet ?? ''}\u0000${record.row}`;
          if (at !== lastSheetRow) sheetRows++;
          lastSheetRow = at;
        }
      const rows: RowValues[] = [];
      const portRows: PortRowValues[] | null = toPort ? [] : null;
      const worldRows: WorldTotalValues[] | null = toWorld ? [] : null;
      const rejected: RejectedRecord[] = [];
      for (const record of batch) {
        const mapped = mapRecord(record);
        if (Array.isArray(mapped))
          rejected.push({
            row: record.row,
            cells: wholeCells(record),
            issues: mapped,
            ...(record.sheet === undefined ? {} : { sheet: record.sheet }),
          });
        else if (portRows !== null) portRows.push({ row: mapped, sourceRow: record.row });
        else if (worldRows !== null) worldRows.push({ row: mapped, sourceRow: record.row });
        else if (packer !== null) packer.add(mapped, record.row);
        else rows.push(toRowValues(mapped, record.row));
      }
      yield {
        rows,
        packed: packer?.take() ?? null,
        portRows,
        ...(worldRows === null ? {} : { worldRows }),
        rejected,
        read: batch.length,
        ...(countSheetRows ? { sheetRows } : {}),
      };
    }
  }

  return {
    format: table.format,
    encoding: table.encoding,
    delimiter: table.delimiter,
    sheet: table.sheet,
    rowUnit: table.rowUnit,
    header: table.header,
    unused: binding.unused,
    batches: batches(),
    rawCells: async (rows) => recent.get(rows),
    close: async () => {},
    layoutReport,
    bytesRead: () => table.bytesRead?.() ?? null,
  };
}

/** A publisher's answer that nothing matched: a table without rows, carrying the note. */
function noDataTable(table: RawTable, note: string, layoutReport: () => LayoutReport | null): MappedTable {
  return {
    format: table.format,
    encoding: table.encoding,
    delimiter: table.delimiter,
    sheet: table.sheet,
    rowUnit: table.rowUnit,
    header: table.header,
    unused: [],
    batches: (async function* () {})(),
    rawCells: async (rows) => rows.map(() => null),
    close: async () => {},
    layoutReport,
    bytesRead: () => table.bytesRead?.() ?? null,
    noData: note,
  };
}
