/**
 * Runs the map stage of one file in a worker thread and posts its batches to the parent, which
 * only writes. On 2 cores, reading and validating beside the writer hides most of their cost.
 * Flow control: at most `maxInFlight` batches wait in the parent; each "ack" frees one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CorridorError, describeError } from '../errors.ts';
import { recyclePackedBuffer } from '../load/trade-flow-storage.ts';
import { CountryResolver, type CountrySnapshot } from '../normalize/country-resolver.ts';
import { HsCodeBook, type HsCodeBookSnapshot } from '../normalize/hs-code-book.ts';
import { getSource } from '../pipeline/source-registry.ts';
import { type MappedTable, openMappedTable, openRawTable } from './map-stage.ts';

export interface MapWorkerData {
  readonly path: string;
  readonly sourceName: string;
  readonly encoding?: string;
  readonly countries: CountrySnapshot;
  readonly hsCodes: HsCodeBookSnapshot;
  readonly maxInFlight: number;
  /**
   * Post the records as read, unmapped: for workbooks, whose parsing alone keeps this thread
   * busy, the writing thread (mostly idle) validates and maps them.
   */
  readonly rawRecords?: boolean;
}

const port = parentPort!;
const data = workerData as MapWorkerData;
let credits = data.maxInFlight;
let wake: (() => void) | null = null;
let table: MappedTable | null = null;
type ParentMessage =
  | 'ack'
  | { type: 'raw'; id: number; rows: number[] }
  | { type: 'recycle'; buffer: ArrayBuffer };
port.on('message', async (message: ParentMessage) => {
  if (message === 'ack') {
    credits++;
    const w = wake;
    wake = null;
    w?.();
  } else if (message.type === 'recycle') {
    recyclePackedBuffer(message.buffer);
  } else if (message.type === 'raw') {
    port.postMessage({ type: 'raw', id: message.id, cells: (await table?.rawCells(message.rows)) ?? [] });
  }
});

/** Waits for the parent to take a batch before posting another (flow control). */
async function credit(): Promise<void> {
  while (credits === 0) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  credits--;
}

/** Reads the file and posts its raw records; the parent maps them (MapWorkerData.rawRecords). */
async function postRawRecords(): Promise<void> {
  const { table: raw } = await openRawTable({
    path: data.path,
    source: getSource(data.sourceName),
    countries: CountryResolver.fromSnapshot(data.countries),
    hsCodes: HsCodeBook.fromSnapshot(data.hsCodes),
    ...(data.encoding === undefined ? {} : { encoding: data.encoding }),
  });
  // Functions do not cross a message port: the position goes with each batch instead.
  const { batches, bytesRead, ...description } = raw;
  port.postMessage({ type: 'raw-table', table: description });
  for await (const records of batches) {
    await credit();
    port.postMessage({ type: 'records', json: JSON.stringify(records), bytesRead: bytesRead?.() ?? null });
  }
  port.postMessage({ type: 'done', layoutReport: null });
}

try {
  if (data.rawRecords) {
    await postRawRecords();
  } else {
    table = await openMappedTable({
      path: data.path,
      source: getSource(data.sourceName),
      countries: CountryResolver.fromSnapshot(data.countries),
      hsCodes: HsCodeBook.fromSnapshot(data.hsCodes),
      ...(data.encoding === undefined ? {} : { encoding: data.encoding }),
    });
    const { batches, close: _close, rawCells: _rawCells, layoutReport, bytesRead, ...description } = table;
    port.postMessage({ type: 'table', table: description });
    for await (const batch of batches) {
      await credit();
      // One JSON string per batch: far cheaper to pass than a structured clone of thousands of
      // arrays. Packed rows are one Float64Array, whose buffer moves across without a copy.
      const { packed, ...rest } = batch;
      port.postMessage(
        { type: 'batch', json: JSON.stringify(rest), packed, bytesRead: bytesRead() },
        packed === null ? [] : [packed.values.buffer as ArrayBuffer],
      );
    }
    port.postMessage({ type: 'done', layoutReport: layoutReport() });
  }
} catch (error) {
  port.postMessage({
    type: 'error',
    code: error instanceof CorridorError ? error.code : 'internal_error',
    message:
      error instanceof CorridorError
        ? error.message
        : `unexpected failure while reading (${describeError(error)})`,
    exitCode: error instanceof CorridorError ? error.exitCode : 1,
  });
}
// The port stays open: the parent may still ask for raw cells of the last batches (duplicates),
// and it ends this thread when it is done with the file.
