/**
 * Streaming CSV reader on papaparse. Finds the delimiter (`,` `;` tab `|`) from the header line,
 * takes the first non-blank row as the header, and yields records in batches with the row
 * number a spreadsheet would show (a quoted value spanning lines is still one row).
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { BATCH_SIZE, type RawRecord, type RawTable } from './raw-table.ts';

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter that splits the header line most, ignoring delimiters inside quotes. */
export function sniffDelimiter(head: string): string {
  const firstLine = head.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const isBlankRow = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

export interface CsvReadOptions {
  readonly encoding: string;
  readonly head: string;
}

/**
 * Reads the header, then returns the table whose batches stream the rest.
 * Resolves to null when the file holds no non-blank row at all.
 */
export async function readCsv(
  chunks: AsyncIterable<string>,
  options: CsvReadOptions,
): Promise<RawTable | null> {
  const delimiter = sniffDelimiter(options.head);
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, header: false, skipEmptyLines: false });
  const input = Readable.from(chunks);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  const rows = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();

  let row = 0;
  let header: string[] | null = null;
  while (header === null) {
    const next = await rows.next();
    if (next.done) return null;
    row++;
    if (!isBlankRow(next.value)) header = next.value.map((h) => h.trim());
  }
  const width = header.length;
  const notes: string[] = [];

  async function* batches(): AsyncGenerator<readonly RawRecord[]> {
    let batch: RawRecord[] = [];
    for (;;) {
      const next = await rows.next();
      if (next.done) break;
      row++;
      const cells = next.value;
      if (isBlankRow(cells)) continue;
      // A trailing delimiter gives one empty extra cell; that is not a misaligned row.
      while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
      batch.push({ row, cells });
      if (batch.length >= BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  return {
    format: 'csv',
    header,
    rowUnit: 'row',
    sheet: null,
    encoding: options.encoding,
    delimiter,
    batches: batches(),
    notes,
  };
}
