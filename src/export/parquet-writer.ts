/**
 * Writes an export as one Parquet file, a row group at a time: rows are gathered into columns
 * until a row group is full, encoded, appended to the file and let go, so memory holds one row
 * group (100,000 rows by default) however long the table is.
 *
 * Library: hyparquet-writer. It is pure JavaScript (about 1 MB, one dependency: the hyparquet
 * reader), runs on Node 20, and its `ParquetWriter` appends row groups to a file incrementally
 * through a writer whose `flush` it awaits, which is what a streamed export needs. parquet-wasm
 * also streams but brings 15 MB of WebAssembly and needs apache-arrow to build its batches;
 * @dsnp/parquetjs needs Node 24. scripts/parquet-writer-bench.ts, 1,000,000 rows of 10 columns
 * on the 2-core machine: about 7 s and 19 MB here against 13 s and 25 MB for parquet-wasm; peak
 * RSS about 380 MB at 1 M rows and at 3 M alike (V8 collects lazily: the run fits an 80 MB heap).
 *
 * Types: text is BYTE_ARRAY annotated STRING (UTF8), so codes keep their leading zeros;
 * integer is INT64 always, because SQLite integers are 64-bit and a column's Parquet type must
 * not depend on the values one export happens to hold; real is DOUBLE. Every column is
 * OPTIONAL: NULL stays null.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { CorridorError, describeError } from '../errors.ts';
import type { ExportColumn, ExportRow, TableWriter, WriterOptions, WrittenExport } from './table-writer.ts';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];
type ParquetValue = string | number | bigint | null;

export interface ParquetWriterOptions extends WriterOptions {
  /**
   * Rows per row group: what memory holds at once, and the unit readers skip by.
   * @default 100_000
   */
  readonly rowGroupSize?: number;
}

/** Rows per row group unless told otherwise: large enough for good compression, small enough to keep memory flat. */
export const DEFAULT_ROW_GROUP_SIZE = 100_000;

/**
 * Opens a Parquet file for a table's rows. Batches are gathered into row groups; each full
 * group is encoded (Snappy, with statistics) and appended before `write` resolves.
 *
 * @example
 * const writer = await openParquetWriter({
 *   path: 'out/trade_flows.parquet',
 *   table: 'trade_flows',
 *   columns: [
 *     { name: 'hs_code', type: 'text', description: 'HS code' },
 *     { name: 'value_usd', type: 'real', unit: 'USD', description: 'Trade value' },
 *   ],
 * });
 * await writer.write([['010121', 1250.5], ['0101', null]]);
 * const written = await writer.finish(); // { files: ['out/trade_flows.parquet'], rows: 2 }
 */
export async function openParquetWriter(options: ParquetWriterOptions): Promise<TableWriter> {
  const { path, columns, table } = options;
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new CorridorError(
      'invalid_row_group_size',
      `Parquet row group size ${rowGroupSize} is not a positive whole number of rows; use e.g. 100000.`,
    );
  }
  if (columns.length === 0) {
    throw new CorridorError(
      'export_no_columns',
      `${describeSource(table)} has no columns to write to ${path}; select at least one.`,
    );
  }

  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (cause) {
    throw new CorridorError('export_not_writable', `Cannot create ${path}: ${describeError(cause)}.`, {
      cause,
    });
  }
  const sink = new FileSink(handle);
  const parquet = new ParquetWriter({
    writer: sink,
    schema: parquetSchema(columns),
    kvMetadata: [
      // Parquet has no place for a column's description or unit: readers that want the
      // dictionary's words find them here.
      { key: 'corridor.table', value: table ?? '' },
      {
        key: 'corridor.columns',
        value: JSON.stringify(
          columns.map(({ name, type, unit, description }) => ({ name, type, unit, description })),
        ),
      },
    ],
    createdBy: 'corridor (hyparquet-writer)',
  });

  const convert = columns.map((column) => converterFor(column, table));
  let group: ParquetValue[][] = columns.map(() => []);
  let groupRows = 0;
  let rowsWritten = 0;
  let state: 'open' | 'finished' | 'aborted' = 'open';

  const flushGroup = async (): Promise<void> => {
    if (groupRows === 0) return;
    const columnData = columns.map((column, i) => ({ name: column.name, data: group[i]! }));
    // Let go of the rows before encoding them: the encoder's copies are all that stays.
    group = columns.map(() => []);
    const rows = groupRows;
    groupRows = 0;
    await parquet.write({ columnData, rowGroupSize: rows });
  };

  const assertOpen = (action: string): void => {
    if (state !== 'open')
      throw new CorridorError('export_closed', `Cannot ${action} ${path}: it is ${state}.`);
  };

  return {
    async write(rows: readonly ExportRow[]): Promise<void> {
      assertOpen('write to');
      for (const row of rows) {
        if (row.length !== columns.length) {
          throw new CorridorError(
            'export_row_width',
            `${describeSource(table)} row ${rowsWritten + 1} has ${row.length} values for ${columns.length} columns; the export stage must give one value per column.`,
          );
        }
        // Convert the whole row before keeping any of it, so a bad value leaves no half row.
        const values = row.map((value, i) => convert[i]!(value, rowsWritten + 1));
        for (let i = 0; i < values.length; i++) group[i]!.push(values[i]!);
        rowsWritten++;
        if (++groupRows === rowGroupSize) await flushGroup();
      }
    },

    async finish(): Promise<WrittenExport> {
      assertOpen('finish');
      await flushGroup();
      // Writes the page indexes, the footer with the schema and row groups, and closes the file.
      await parquet.finish();
      state = 'finished';
      return { files: [path], rows: rowsWritten };
    },

    async abort(): Promise<void> {
      if (state === 'aborted') return;
      state = 'aborted';
      await sink.close();
      await rm(path, { force: true });
    },
  };
}

/** Each column type's Parquet leaf, less its name. */
const PARQUET_TYPES: Readonly<Record<ExportColumn['type'], Omit<SchemaElement, 'name'>>> = {
  text: {
    type: 'BYTE_ARRAY',
    converted_type: 'UTF8',
    logical_type: { type: 'STRING' },
    repetition_type: 'OPTIONAL',
  },
  // Plain INT64 is a signed 64-bit integer to every reader; no annotation needed.
  integer: { type: 'INT64', repetition_type: 'OPTIONAL' },
  real: { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
};

/** The file's schema: a root and one OPTIONAL leaf per column, typed as the header describes. */
function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((column): SchemaElement => ({ name: column.name, ...PARQUET_TYPES[column.type] })),
  ];
}

/**
 * How a column's SQLite values become Parquet values. SQLite lets any column hold any type, so
 * a value the declared type cannot hold stops the export rather than being written wrong.
 */
function converterFor(
  column: ExportColumn,
  table: string | null,
): (value: ExportRow[number], row: number) => ParquetValue {
  const mismatch = (value: unknown, row: number): CorridorError =>
    new CorridorError(
      'export_type_mismatch',
      `${describeSource(table)} row ${row}, column "${column.name}": ${JSON.stringify(String(value))} is not ${column.type === 'integer' ? 'an integer' : 'a number'}, but the column is declared ${column.type}. Fix the value, or export the column as text (cast(${column.name} as text)).`,
    );
  switch (column.type) {
    case 'text':
      // A number in a text column (an expression in a query) is written as SQLite prints it.
      return (value) => (value === null || typeof value === 'string' ? value : String(value));
    case 'integer':
      return (value, row) => {
        if (value === null || typeof value === 'bigint') return value;
        // INT64 values go to the encoder as bigint (it refuses numbers).
        if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
        throw mismatch(value, row);
      };
    case 'real':
      return (value, row) => {
        if (value === null || typeof value === 'number') return value;
        if (typeof value === 'bigint') return Number(value);
        throw mismatch(value, row);
      };
  }
}

function describeSource(table: string | null): string {
  return table === null ? 'The query' : `Table ${table}`;
}

/**
 * hyparquet-writer's byte sink, backed by a file: the encoder appends a row group to the
 * buffer, then `flush` writes it out and empties the buffer, so the buffer never holds more than
 * one row group (and, at the end, the footer).
 */
class FileSink extends ByteWriter {
  readonly #handle: FileHandle;
  #closed = false;

  constructor(handle: FileHandle) {
    super(1 << 20);
    this.#handle = handle;
  }

  async flush(): Promise<void> {
    if (this.index === 0) return;
    // The bytes are written before the buffer is reused: ParquetWriter awaits this promise
    // before it encodes the next row group.
    await this.#handle.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override async finish(): Promise<void> {
    await this.flush();
    await this.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.close();
  }
}
