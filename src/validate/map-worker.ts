/**
 * Runs the map stage of one file in a worker thread and posts its batches to the parent, which
 * only writes. On 2 cores, reading and validating beside the writer hides most of their cost.
 * Flow control: at most `maxInFlight` batches wait in the parent; each "ack" frees one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CorridorError, describeError } from '../errors.ts';
import { CountryResolver, type CountrySnapshot } from '../normalize/country-resolver.ts';
import { HsCodeBook, type HsCodeBookSnapshot } from '../normalize/hs-code-book.ts';
import { getSource } from '../pipeline/source-registry.ts';
import { type MappedTable, openMappedTable } from './map-stage.ts';

export interface MapWorkerData {
  readonly path: string;
  readonly sourceName: string;
  readonly encoding?: string;
  readonly countries: CountrySnapshot;
  readonly hsCodes: HsCodeBookSnapshot;
  readonly maxInFlight: number;
}

const port = parentPort!;
const data = workerData as MapWorkerData;
let credits = data.maxInFlight;
let wake: (() => void) | null = null;
let table: MappedTable | null = null;
port.on('message', async (message: 'ack' | { type: 'raw'; id: number; rows: number[] }) => {
  if (message === 'ack') {
    credits++;
    const w = wake;
    wake = null;
    w?.();
  } else if (message.type === 'raw') {
    port.postMessage({ type: 'raw', id: message.id, cells: (await table?.rawCells(message.rows)) ?? [] });
  }
});

try {
  table = await openMappedTable({
    path: data.path,
    source: getSource(data.sourceName),
    countries: CountryResolver.fromSnapshot(data.countries),
    hsCodes: HsCodeBook.fromSnapshot(data.hsCodes),
    ...(data.encoding === undefined ? {} : { encoding: data.encoding }),
  });
  const { batches, close: _close, rawCells: _rawCells, layoutReport, ...description } = table;
  port.postMessage({ type: 'table', table: description });
  for await (const batch of batches) {
    while (credits === 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    credits--;
    // One JSON string per batch: far cheaper to pass than a structured clone of thousands of
    // arrays. Packed rows are one Float64Array, whose buffer moves across without a copy.
    const { packed, ...rest } = batch;
    port.postMessage(
      { type: 'batch', json: JSON.stringify(rest), packed },
      packed === null ? [] : [packed.values.buffer as ArrayBuffer],
    );
  }
  port.postMessage({ type: 'done', layoutReport: layoutReport() });
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
