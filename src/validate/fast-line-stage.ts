/**
 * The map stage for a source's plain numeric CSV files (BACI): lines are read in place by the
 * source's fast line reader (TradeSource.fastLines) and packed as numbers, without papaparse,
 * zod or an object per row, which made up most of the reader thread's time (issue 3). A line
 * the fast reader does not accept (a quote, a missing or odd field, an unknown code) goes
 * through the general path, the same record mapper `map-stage.ts` uses, so its problems are
 * described exactly as they would be otherwise.
 *
 * Applies only when the file is comma-delimited text without quotes in its first 64 KiB and
 * its first non-blank line is the source's header; otherwise `openFastLineTable` resolves to
 * null and the general stage reads the file.
 */
import { basename } from 'node:path';
import Papa from 'papaparse';
import { BaciRowPacker } from '../load/trade-flow-storage.ts';
import { sniffDelimiter } from '../read/csv-reader.ts';
import { headerText } from '../read/header-search.ts';
import { BATCH_SIZE, isBlankRow } from '../read/raw-table.ts';
import { openTextStream } from '../read/text-stream.ts';
import { bindColumns } from './header-matcher.ts';
import type { MappedBatch, MappedTable, MapStageInput, RejectedRecord } from './map-stage.ts';
import { createRecordMapper } from './record-mapper.ts';

/** Splits decoded text into lines, keeping a line cut by a chunk boundary for the next chunk. */
async function* linesOf(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ text: string; starts: number[]; ends: number[] }> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const starts: number[] = [];
    const ends: number[] = [];
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline < 0) break;
      starts.push(from);
      ends.push(newline > from && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline);
      from = newline + 1;
    }
    carry = text.slice(from);
    yield { text, starts, ends };
  }
  if (carry !== '') {
    const end = carry.endsWith('\r') ? carry.length - 1 : carry.length;
    yield { text: carry, starts: [0], ends: [end] };
  }
}

/** Chunks kept for duplicate lookups: more than the batches a worker runs ahead. */
const RECENT_CHUNKS = 8;

/**
 * The text of the last few chunks and where their lines are, so that a row refused at insert
 * time (a duplicate key) is stored with its cells as the file has them. Keeping the text costs
 * a few hundred KiB; splitting every line up front would cost an array per row.
 */
class RecentLines {
  readonly #chunks: { text: string; firstRow: number; starts: number[]; ends: number[] }[] = [];

  add(text: string, firstRow: number, starts: number[], ends: number[]): void {
    this.#chunks.push({ text, firstRow, starts, ends });
    if (this.#chunks.length > RECENT_CHUNKS) this.#chunks.shift();
  }

  cells(row: number): string[] | null {
    for (const chunk of this.#chunks) {
      const n = row - chunk.firstRow;
      if (n >= 0 && n < chunk.starts.length)
        return chunk.text.slice(chunk.starts[n], chunk.ends[n]).split(',');
    }
    return null;
  }
}

export async function openFastLineTable(input: MapStageInput): Promise<MappedTable | null> {
  const { source } = input;
  if (source.fastLines === undefined || source.storage !== 'baci_flows') return null;
  // CORRIDOR_FAST_LINES=0 reads every line through the general path (to compare the two).
  if (process.env.CORRIDOR_FAST_LINES === '0') return null;
  const name = basename(input.path);
  const text = await openTextStream(input.path, input.encoding);
  const head = text.head.trimStart();
  const notPlain =
    head === '' ||
    head.startsWith('{') ||
    head.startsWith('[') ||
    head.startsWith('<') ||
    text.head.includes('"') ||
    sniffDelimiter(text.head) !== ',';
  // The header must be the first non-blank line, as the source spells it.
  const firstLine = /^[^\r\n]*/.exec(head)?.[0] ?? '';
  let binding: ReturnType<typeof bindColumns<string>> | null = null;
  const header = headerText(firstLine.split(','));
  if (!notPlain) {
    try {
      binding = bindColumns(name, header, source.columns, source.required);
    } catch {
      binding = null;
    }
  }
  if (binding === null) {
    // Not ours to read: release the file, the general stage opens it again.
    await (text.chunks as AsyncGenerator<string>).return?.(undefined);
    return null;
  }

  const file = { path: input.path, name, countries: input.countries, hsCodes: input.hsCodes };
  const mapRow = await source.begin(file);
  const mapRecord = createRecordMapper(source, header, binding, mapRow);
  const readLine = await source.fastLines(file, binding.index);
  const width = header.length;
  const packer = new BaciRowPacker(BATCH_SIZE);
  const recent = new RecentLines();

  async function* batches(): AsyncGenerator<MappedBatch> {
    let row = 0;
    let headerSeen = false;
    let read = 0;
    let rejected: RejectedRecord[] = [];
    for await (const { text: chunk, starts, ends } of linesOf(text.chunks)) {
      recent.add(chunk, row + 1, starts, ends);
      for (let n = 0; n < starts.length; n++) {
        const start = starts[n]!;
        const end = ends[n]!;
        row++;
        if (!headerSeen) {
          if (chunk.slice(start, end).trim() !== '') headerSeen = true;
          continue;
        }
        if (readLine(chunk, start, end, row, packer)) {
          read++;
          continue;
        }
        // The general path, as the CSV reader would give the line.
        const line = chunk.slice(start, end);
        const cells = line.includes('"')
          ? ((Papa.parse<string[]>(line, { delimiter: ',' }).data[0] ?? []) as string[])
          : line.split(',');
        if (isBlankRow(cells)) continue;
        while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
        read++;
        const mapped = mapRecord({ row, cells });
        if (Array.isArray(mapped)) rejected.push({ row, cells, issues: mapped });
        else packer.add(mapped, row);
      }
      if (read >= BATCH_SIZE) {
        yield { rows: [], packed: packer.take(), portRows: null, rejected, read };
        read = 0;
        rejected = [];
      }
    }
    if (read > 0 || packer.count > 0)
      yield { rows: [], packed: packer.take(), portRows: null, rejected, read };
  }

  return {
    format: 'csv',
    encoding: text.encoding,
    delimiter: ',',
    sheet: null,
    rowUnit: 'row',
    header,
    unused: binding.unused,
    batches: batches(),
    rawCells: async (rows) => rows.map((r) => recent.cells(r)),
    close: async () => {},
    layoutReport: () => null,
    bytesRead: text.bytesRead,
  };
}
