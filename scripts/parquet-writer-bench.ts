/**
 * Measures the Parquet export writer (issue 9): writes rows shaped like trade_flows, 10 mixed
 * columns (6 text codes, 2 integers, 2 reals with nulls), in batches of 5,000 as the export
 * stage hands them over, and prints wall time, rows/s, peak RSS and file size. It measures; it
 * is not a test, and CI does not run it.
 *
 *   npx tsx scripts/parquet-writer-bench.ts                      1,000,000 rows
 *   npx tsx scripts/parquet-writer-bench.ts --rows 5000000       memory should not grow with rows
 *   npx tsx scripts/parquet-writer-bench.ts --row-group 20000    a smaller row group
 *
 * Peak RSS is the kernel's high-water mark for this process (process.resourceUsage().maxRSS),
 * so it includes Node itself (about 50 MB) and the row generator.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ROW_GROUP_SIZE, openParquetWriter } from '../src/export/parquet-writer.ts';
import type { ExportColumn, ExportRow } from '../src/export/table-writer.ts';
import { mulberry32 } from './shared/prng.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'row-group': { type: 'string', default: String(DEFAULT_ROW_GROUP_SIZE) },
    batch: { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
  },
});
const total = Number(values.rows);
const rowGroupSize = Number(values['row-group']);
const batchSize = Number(values.batch);

const columns: readonly ExportColumn[] = [
  { name: 'source', type: 'text', description: 'Source' },
  { name: 'reporter_iso3', type: 'text', description: 'Reporter' },
  { name: 'partner_iso3', type: 'text', description: 'Partner' },
  { name: 'flow', type: 'text', description: 'Flow' },
  { name: 'period', type: 'text', description: 'Period' },
  { name: 'hs_code', type: 'text', description: 'HS code, leading zeros kept' },
  { name: 'year', type: 'integer', description: 'Year' },
  { name: 'load_id', type: 'integer', description: 'Load' },
  { name: 'value_usd', type: 'real', unit: 'USD', description: 'Value' },
  { name: 'net_weight_kg', type: 'real', unit: 'kg', description: 'Net weight; NULL one row in ten' },
];

const ISO3 = ['PAK', 'KAZ', 'UZB', 'KGZ', 'CHN', 'DEU', 'USA', 'TUR', 'IND', 'AFG', 'RUS', 'ARE'];
const rng = mulberry32(20_240_909);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

function batch(start: number, size: number): ExportRow[] {
  const rows: ExportRow[] = [];
  for (let i = start; i < start + size; i++) {
    const year = 2015 + (i % 10);
    rows.push([
      'comtrade',
      pick(ISO3),
      pick(ISO3),
      rng() < 0.5 ? 'X' : 'M',
      `${year}-${String(1 + (i % 12)).padStart(2, '0')}`,
      String(Math.floor(rng() * 970_000) + 10_000).padStart(6, '0'),
      year,
      1_000_000 + Math.floor(i / 50_000),
      Math.round(rng() * rng() * 1e9) / 100,
      rng() < 0.1 ? null : Math.round(rng() * 1e8) / 10,
    ]);
  }
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'corridor-parquet-bench-'));
const path = join(dir, 'bench.parquet');
const rssBeforeMB = process.memoryUsage().rss / 2 ** 20;
const started = performance.now();
const writer = await openParquetWriter({ path, columns, table: 'trade_flows', rowGroupSize });
for (let start = 0; start < total; start += batchSize) {
  await writer.write(batch(start, Math.min(batchSize, total - start)));
}
const written = await writer.finish();
const seconds = (performance.now() - started) / 1000;
const peakMB = process.resourceUsage().maxRSS / 1024;
const sizeMB = statSync(path).size / 2 ** 20;

console.log(
  [
    `hyparquet-writer: ${written.rows.toLocaleString('en')} rows × ${columns.length} columns, row groups of ${rowGroupSize.toLocaleString('en')}, batches of ${batchSize.toLocaleString('en')}`,
    `  ${seconds.toFixed(2)} s, ${Math.round(written.rows / seconds).toLocaleString('en')} rows/s (generating the rows included)`,
    `  peak RSS ${peakMB.toFixed(0)} MB (${rssBeforeMB.toFixed(0)} MB before writing)`,
    `  file ${sizeMB.toFixed(1)} MB${values.keep ? `: ${path}` : ''}`,
  ].join('\n'),
);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
