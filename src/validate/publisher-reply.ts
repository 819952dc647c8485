/**
 * Replies of a publisher that are not tables of rows. An API asked for something that does
 * not exist answers "no data" in its own way (an empty `data` array, a status and a message, a
 * header without rows): that is an answer, loaded as 0 rows with the publisher's words as a
 * note, not a failure. The same publisher's other outputs (a code list, a listing of what is
 * published) are refused as what they are, in one message, rather than as a missing column.
 *
 * Only the source knows its publisher's replies (`TradeSource.recognise`); the engine shows it a
 * glance of a file that has no records, holds only a few, or whose header is not the source's.
 */
import type { ErrorCode } from '../error-codes.ts';
import type { RawRecord, RawTable } from '../read/raw-table.ts';
import { bindColumns, type ColumnSpecs } from './header-matcher.ts';

/** What the engine shows a source of a file that may be a reply rather than a table of rows. */
export interface FileGlance {
  /** The file's name, for messages. */
  readonly name: string;
  readonly format: RawTable['format'];
  /** The header as the file spells it; empty for a JSON document without records. */
  readonly header: readonly string[];
  /** The first records' cells, at most GLANCE_RECORDS of them (all of them when `complete`). */
  readonly records: readonly (readonly unknown[])[];
  /** True when `records` are all the file holds. */
  readonly complete: boolean;
  /** True when the header holds every column the source requires. */
  readonly bound: boolean;
  /** A JSON document without records, read whole (a small reply); undefined for other files. */
  readonly document?: unknown;
}

/** What a source recognised a file as. */
export type PublisherReply =
  /**
   * An answer that holds no data: loaded as 0 rows, with "the file holds no data: <said>" in the
   * journal and the summary. `said`: the publisher's own words, or what the file shows.
   */
  | { readonly kind: 'no_data'; readonly said: string }
  /** Not data this source loads (another output of the publisher, a refused request): the file fails. */
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly message: string };

export type ReplyRecogniser = (glance: FileGlance) => PublisherReply | null;

/** Most records a glance shows; a file with more is data, whatever its first rows say. */
export const GLANCE_RECORDS = 20;

/**
 * Looks at a table's first records and asks the source whether the file is a reply of its
 * publisher's: when its header does not bind, or when it holds few records (none included).
 * Returns the table with its records intact (the batches looked at are handed on first).
 */
export async function glanceForReply(
  source: {
    readonly recognise?: ReplyRecogniser;
    readonly columns: ColumnSpecs<string>;
    readonly required: readonly (readonly string[])[];
  },
  name: string,
  table: RawTable,
): Promise<{ readonly table: RawTable; readonly reply: PublisherReply | null }> {
  const recognise = source.recognise;
  if (recognise === undefined) return { table, reply: null };
  // Batches are read until more than GLANCE_RECORDS records or the end: whatever their size,
  // a file of a few records is seen whole.
  const batches = table.batches[Symbol.asyncIterator]();
  const held: (readonly RawRecord[])[] = [];
  let seen = 0;
  let complete = false;
  while (seen <= GLANCE_RECORDS) {
    const next = await batches.next();
    if (next.done) {
      complete = true;
      break;
    }
    held.push(next.value);
    seen += next.value.length;
  }
  let bound = true;
  try {
    bindColumns(name, table.header, source.columns, source.required);
  } catch {
    bound = false;
  }
  const reply =
    !bound || complete
      ? recognise({
          name,
          format: table.format,
          header: table.header,
          records: held
            .flat()
            .slice(0, GLANCE_RECORDS)
            .map((r) => r.cells),
          complete,
          bound,
        })
      : null;
  async function* replay(): AsyncGenerator<readonly RawRecord[]> {
    // Each glanced batch is let go once given back: kept to the end, a batch of a wide file
    // would sit in a reader thread's capped heap for the whole load (GC thrash, 1.5× slower).
    for (let batch = held.shift(); batch !== undefined; batch = held.shift()) yield batch;
    if (complete) return;
    for (let next = await batches.next(); !next.done; next = await batches.next()) yield next.value;
  }
  return { table: { ...table, batches: replay() }, reply };
}

/** The note a reply without data leaves in the journal and the run's summary. */
export const noDataNote = (said: string): string => `the file holds no data: ${said}`;
