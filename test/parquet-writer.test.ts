import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, type FileMetaData, parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { CorridorError } from '../src/errors.ts';
import { openParquetWriter } from '../src/export/parquet-writer.ts';
import type { ExportColumn, ExportRow } from '../src/export/table-writer.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tempDir = useTempDir();

const COLUMNS: readonly ExportColumn[] = [
  { name: 'reporter_iso3', type: 'text', description: 'Reporter' },
  { name: 'hs_code', type: 'text', description: 'HS code, leading zeros kept' },
  { name: 'year', type: 'integer', description: 'Year' },
  { name: 'source_row', type: 'integer', description: 'A large integer' },
  { name: 'value_usd', type: 'real', unit: 'USD', description: 'Value' },
  { name: 'balance_usd', type: 'real', unit: 'USD', description: 'May be negative or NULL' },
];

const CODES = ['010121', '0101', '01', '271012', '8703'];
const BIG = 2n ** 62n + 7n;

/** Row i of a table that has every case: codes with leading zeros, NULLs of each type, negatives, bigints. */
function row(i: number): ExportRow {
  return [
    i % 7 === 0 ? null : ['PAK', 'KAZ', 'UZB'][i % 3]!,
    CODES[i % CODES.length]!,
    i % 11 === 0 ? null : 2015 + (i % 10),
    i % 2 === 0 ? BIG + BigInt(i) : -(2 ** 53 - 1) + i,
    i % 13 === 0 ? null : i * 1000.25,
    i % 5 === 0 ? null : -i * 0.5 - 0.125,
  ];
}

/** What a reader must give back for row(i): INT64 comes back as bigint. */
function expected(i: number): Record<string, unknown> {
  const [reporter, code, year, sourceRow, value, balance] = row(i);
  return {
    reporter_iso3: reporter,
    hs_code: code,
    year: year === null ? null : BigInt(year as number),
    source_row: BigInt(sourceRow as number | bigint),
    value_usd: value,
    balance_usd: balance,
  };
}

async function writeRows(path: string, total: number, options: { batch: number; rowGroupSize?: number }) {
  const writer = await openParquetWriter({
    path,
    columns: COLUMNS,
    table: 'trade_flows',
    ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
  });
  for (let start = 0; start < total; start += options.batch) {
    const rows: ExportRow[] = [];
    for (let i = start; i < Math.min(total, start + options.batch); i++) rows.push(row(i));
    await writer.write(rows);
  }
  return writer.finish();
}

function metadataOf(path: string): FileMetaData {
  const bytes = readFileSync(path);
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('openParquetWriter', () => {
  it('writes every value back as it was: codes as text, NULLs, negatives and 64-bit integers', async () => {
    const path = join(tempDir(), 'flows.parquet');
    const written = await writeRows(path, 3_500, { batch: 700, rowGroupSize: 1_000 });
    expect(written).toEqual({ files: [path], rows: 3_500 });

    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
    expect(rows).toHaveLength(3_500);
    expect(rows.map((_, i) => expected(i))).toEqual(rows);
    // The cases that numeric inference breaks, spelled out.
    expect(rows[0]).toMatchObject({ hs_code: '010121', reporter_iso3: null, year: null, value_usd: null });
    expect(rows[1]).toMatchObject({ hs_code: '0101', balance_usd: -0.625 });
    expect(rows[2]).toMatchObject({ hs_code: '01', source_row: BIG + 2n });
    expect(rows[3]).toMatchObject({ source_row: -(2n ** 53n - 1n) + 3n });
  });

  it('types columns as declared: text STRING, integer INT64, real DOUBLE, all nullable', async () => {
    const path = join(tempDir(), 'types.parquet');
    await writeRows(path, 10, { batch: 10 });
    const leaves = metadataOf(path).schema.slice(1);
    expect(
      leaves.map((e) => [e.name, e.type, e.converted_type, e.logical_type?.type, e.repetition_type]),
    ).toEqual([
      ['reporter_iso3', 'BYTE_ARRAY', 'UTF8', 'STRING', 'OPTIONAL'],
      ['hs_code', 'BYTE_ARRAY', 'UTF8', 'STRING', 'OPTIONAL'],
      ['year', 'INT64', undefined, undefined, 'OPTIONAL'],
      ['source_row', 'INT64', undefined, undefined, 'OPTIONAL'],
      ['value_usd', 'DOUBLE', undefined, undefined, 'OPTIONAL'],
      ['balance_usd', 'DOUBLE', undefined, undefined, 'OPTIONAL'],
    ]);
  });

  it('cuts row groups of the size asked for, across batch boundaries', async () => {
    const path = join(tempDir(), 'groups.parquet');
    await writeRows(path, 3_500, { batch: 700, rowGroupSize: 1_000 });
    const metadata = metadataOf(path);
    expect(metadata.num_rows).toBe(3_500n);
    expect(metadata.row_groups.map((g) => g.num_rows)).toEqual([1_000n, 1_000n, 1_000n, 500n]);
  });

  it('writes each row group to the file as it fills, before finish', async () => {
    const path = join(tempDir(), 'streamed.parquet');
    const writer = await openParquetWriter({
      path,
      columns: COLUMNS,
      table: 'trade_flows',
      rowGroupSize: 1_000,
    });
    await writer.write(Array.from({ length: 999 }, (_, i) => row(i)));
    const beforeFull = statSync(path).size;
    await writer.write([row(999)]);
    const afterFull = statSync(path).size;
    await writer.finish();
    expect(beforeFull).toBe(0);
    // The full group (and the PAR1 magic) is on disk: memory holds no more than one group.
    expect(afterFull).toBeGreaterThan(4_000);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('PAR1');
  });

  it("keeps the dictionary's units and descriptions in the file's key-value metadata", async () => {
    const path = join(tempDir(), 'meta.parquet');
    await writeRows(path, 1, { batch: 1 });
    const kv = new Map(metadataOf(path).key_value_metadata?.map((e) => [e.key, e.value]));
    expect(kv.get('corridor.table')).toBe('trade_flows');
    expect(JSON.parse(kv.get('corridor.columns') ?? '[]')).toContainEqual({
      name: 'value_usd',
      type: 'real',
      unit: 'USD',
      description: 'Value',
    });
  });

  it('writes a table with no rows as a valid file with its schema', async () => {
    const path = join(tempDir(), 'empty.parquet');
    expect(await writeRows(path, 0, { batch: 1 })).toEqual({ files: [path], rows: 0 });
    const metadata = metadataOf(path);
    expect(metadata.num_rows).toBe(0n);
    expect(metadata.schema.slice(1).map((e) => e.name)).toEqual(COLUMNS.map((c) => c.name));
    expect(await parquetReadObjects({ file: await asyncBufferFromFile(path) })).toEqual([]);
  });

  it('refuses a value its column type cannot hold, naming the row and column, and abort removes the file', async () => {
    const path = join(tempDir(), 'bad.parquet');
    const writer = await openParquetWriter({ path, columns: COLUMNS, table: 'trade_flows' });
    await writer.write([row(1)]);
    const bad: ExportRow = ['PAK', '0101', 'twenty', 1, 1.5, 2.5];
    const error = await writer.write([bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorridorError);
    expect(error).toMatchObject({ code: 'export_type_mismatch' });
    expect((error as Error).message).toContain(
      'Table trade_flows row 2, column "year": "twenty" is not an integer',
    );
    await writer.abort();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a fractional number in an integer column rather than truncating it', async () => {
    const path = join(tempDir(), 'fraction.parquet');
    const writer = await openParquetWriter({ path, columns: COLUMNS, table: null });
    await expect(writer.write([['PAK', '0101', 2023.5, 1, 1, 1]])).rejects.toMatchObject({
      code: 'export_type_mismatch',
      message: expect.stringContaining('The query row 1, column "year"'),
    });
    await writer.abort();
  });

  it('replaces a file left by an earlier export', async () => {
    const path = join(tempDir(), 'again.parquet');
    writeFileSync(path, 'not parquet at all, and longer than the new file would be if appended to');
    await writeRows(path, 5, { batch: 5 });
    expect(await parquetReadObjects({ file: await asyncBufferFromFile(path) })).toHaveLength(5);
  });
});
