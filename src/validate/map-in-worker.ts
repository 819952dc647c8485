/**
 * The parent's side of map-worker.ts: the same MappedTable as `openMappedTable`, fed by a
 * worker thread. Errors in the worker arrive as CorridorErrors with their code and message.
 */

import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../error-codes.ts';
import { CorridorError, type ExitCode } from '../errors.ts';
import type { LayoutReport } from '../layout/layout-report.ts';
import type { PackedBaciRows } from '../load/trade-flow-storage.ts';
import type { CountryResolver } from '../normalize/country-resolver.ts';
import type { HsCodeBook } from '../normalize/hs-code-book.ts';
import { isWorkbookFile } from '../read/open-table.ts';
import type { RawRecord, RawTable } from '../read/raw-table.ts';
import { mapWorkerUrl } from '../runtime.ts';
import { type MappedBatch, type MappedTable, mapRawTable } from './map-stage.ts';
import type { MapWorkerData } from './map-worker.ts';
import type { TradeSource } from './trade-source.ts';

/**
 * Old-generation caps of the reader thread, by kind of file (see openMappedTableInWorker). A
 * text file's live data is a few batches and the raw cells kept for duplicates, bounded in
 * cells rather than rows (raw-table.ts batchRows), so 64 MB holds a 47-column file too.
 */
const TEXT_HEAP_MB = 64;
/**
 * Young-generation cap of the reader thread. BACI's fast lines (a few strings per chunk) and the
 * sheet XML scanner (one value per cell) make little garbage per row: a small nursery costs
 * them nothing and keeps the thread about 30 MB lighter (a 5,000,000-row BACI load: 276 → 245
 * MB peak RSS at the same speed; a 1,000,000-row XLSX: 317 → 296 MB). A CSV file read by the
 * general stage keeps nothing per row past its batch either (map-stage.ts RecentCells keeps
 * row texts): uncapped, its nursery grew and the 1,000,000-row Comtrade load peaked at 357 MB
 * RSS, 244 MB with this cap, for the same CPU time (issue 22).
 */
const SMALL_YOUNG_MB = 8;
/**
 * A workbook's reader keeps the whole shared-string table (and an .xls is read whole). The
 * scanner holds it as plain strings: a million distinct 40-character strings take about 64 MB.
 * 128 MB leaves room for that; the 1,000,000-row bench workbook peaks at 276 MB RSS with it
 * against 296 MB at 160.
 */
const WORKBOOK_HEAP_MB = 128;

/** Batches the worker may have posted ahead of the writer: bounds memory, keeps both busy. */
const MAX_IN_FLIGHT = 2;

// A batch carries the reader's position in the file as it was posted (MappedTable.bytesRead).
type WorkerMessage =
  | {
      type: 'table';
      table: Omit<MappedTable, 'batches' | 'close' | 'rawCells' | 'layoutReport' | 'bytesRead'>;
    }
  | { type: 'raw-table'; table: Omit<RawTable, 'batches' | 'bytesRead'> }
  | { type: 'records'; json: string; bytesRead: number | null }
  | { type: 'raw'; id: number; cells: (readonly unknown[] | null)[] }
  | { type: 'batch'; json: string; packed: PackedBaciRows | null; bytesRead: number | null }
  | { type: 'done'; layoutReport: LayoutReport | null }
  | { type: 'error'; code: ErrorCode; message: string; exitCode: ExitCode };

export interface WorkerMapInput {
  readonly path: string;
  readonly sourceName: string;
  readonly countries: CountryResolver;
  readonly hsCodes: HsCodeBook;
  readonly encoding?: string;
  /**
   * The source itself: given, a workbook's records are mapped in this thread (the writer's,
   * mostly idle) while the worker only parses, its parsing alone being the longer job.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the stage handles every source alike.
  readonly source?: TradeSource<string, any, any>;
}

/**
 * The parent's CPU-profiling flags (`node --cpu-prof …`), the only ones the worker inherits:
 * without them a profile of a load shows the writer alone, mostly idle, and not the reader.
 */
function profilingFlags(): string[] {
  return process.execArgv.filter((flag) => /^--cpu-prof(-dir|-interval|-name)?(=|$)/.test(flag));
}

export async function openMappedTableInWorker(input: WorkerMapInput): Promise<MappedTable> {
  const workbook = await isWorkbookFile(input.path);
  const mapHere = workbook && input.source !== undefined;
  const workerData: MapWorkerData = {
    path: input.path,
    sourceName: input.sourceName,
    countries: input.countries.toSnapshot(),
    hsCodes: input.hsCodes.toSnapshot(),
    maxInFlight: MAX_IN_FLIGHT,
    ...(mapHere ? { rawRecords: true } : {}),
    ...(input.encoding === undefined ? {} : { encoding: input.encoding }),
  };
  // execArgv: [] so the worker does not inherit a test runner's or debugger's loader flags;
  // its entry is the bundled one or one that registers tsx itself (runtime.ts). Capping the
  // worker's old generation keeps memory flat as the file grows: its live data is a few
  // batches, and without a cap V8 lets garbage pile up to hundreds of MB first.
  const heapMb = workbook ? WORKBOOK_HEAP_MB : TEXT_HEAP_MB;
  const worker = new Worker(mapWorkerUrl(), {
    workerData,
    execArgv: profilingFlags(),
    resourceLimits: {
      maxOldGenerationSizeMb: heapMb,
      maxYoungGenerationSizeMb: SMALL_YOUNG_MB,
    },
  });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: WorkerMessage) => {
    queue.push(message);
    const w = wake;
    wake = null;
    w?.();
  };
  // Replies to rawCells requests go to their caller, not into the batch queue.
  const pendingRaw = new Map<number, (cells: (readonly unknown[] | null)[]) => void>();
  let nextRawId = 0;
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'raw') {
      pendingRaw.get(m.id)?.(m.cells);
      pendingRaw.delete(m.id);
    } else push(m);
  });
  // Set once the thread is ended: a later request (a duplicate among rows the loader held back
  // until the file's end) gets no raw cells at once instead of waiting for a reply that never comes.
  let ended = false;
  const rawCells = (rows: readonly number[]) =>
    new Promise<(readonly unknown[] | null)[]>((resolve) => {
      if (ended) return resolve([]);
      const id = nextRawId++;
      pendingRaw.set(id, resolve);
      worker.postMessage({ type: 'raw', id, rows });
    });
  worker.on('error', (e) =>
    push({
      type: 'error',
      code: 'internal_error',
      message: `the reader thread failed: ${e.message}`,
      exitCode: 1,
    }),
  );
  worker.on('exit', (code) => {
    for (const resolve of pendingRaw.values()) resolve([]);
    pendingRaw.clear();
    if (code !== 0)
      push({
        type: 'error',
        code: 'internal_error',
        message: `the reader thread stopped (exit code ${code})`,
        exitCode: 1,
      });
  });
  const next = async (): Promise<WorkerMessage> => {
    while (queue.length === 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return queue.shift()!;
  };
  const close = async () => {
    if (ended) return;
    ended = true;
    for (const resolve of pendingRaw.values()) resolve([]);
    pendingRaw.clear();
    await worker.terminate();
  };

  // Where the worker's reader was when it posted the batch handed on last.
  let bytesRead: number | null = null;
  const first = await next();
  if (first.type === 'raw-table' && input.source !== undefined) {
    // The worker reads; this thread maps, as the map stage does for a file read here.
    async function* records(): AsyncGenerator<readonly RawRecord[]> {
      for (;;) {
        const message = await next();
        if (message.type === 'records') {
          worker.postMessage('ack');
          bytesRead = message.bytesRead;
          yield JSON.parse(message.json) as RawRecord[];
        } else if (message.type === 'done') return;
        else if (message.type === 'error')
          throw new CorridorError(message.code, message.message, { exitCode: message.exitCode });
      }
    }
    const mapped = await mapRawTable(
      {
        path: input.path,
        source: input.source,
        countries: input.countries,
        hsCodes: input.hsCodes,
        ...(input.encoding === undefined ? {} : { encoding: input.encoding }),
      },
      { ...first.table, batches: records(), bytesRead: () => bytesRead },
    );
    async function* batches(): AsyncGenerator<MappedBatch> {
      try {
        yield* mapped.batches;
      } finally {
        await close();
      }
    }
    return { ...mapped, batches: batches(), close };
  }
  if (first.type !== 'table') {
    await close();
    if (first.type === 'error')
      throw new CorridorError(first.code, first.message, { exitCode: first.exitCode });
    throw new CorridorError('internal_error', 'the reader thread sent rows before the table description');
  }

  let layoutReport: LayoutReport | null = null;
  async function* batches(): AsyncGenerator<MappedBatch> {
    let read = false;
    try {
      for (;;) {
        const message = await next();
        if (message.type === 'batch') {
          worker.postMessage('ack');
          bytesRead = message.bytesRead;
          yield { ...(JSON.parse(message.json) as Omit<MappedBatch, 'packed'>), packed: message.packed };
          // Asked for the next batch, the loader has written this one: its packed rows' buffer
          // goes back to the reader to be filled again (trade-flow-storage.ts spareBuffers).
          const buffer = message.packed?.values.buffer;
          if (buffer !== undefined && !ended) worker.postMessage({ type: 'recycle', buffer }, [buffer]);
        } else if (message.type === 'done') {
          layoutReport = message.layoutReport;
          read = true;
          return;
        } else if (message.type === 'error')
          throw new CorridorError(message.code, message.message, { exitCode: message.exitCode });
      }
    } finally {
      // Read to the end, the thread stays until close(): the loader may still ask for the raw
      // cells of the last batches (a duplicate among rows it held back until the file's end).
      // Unreferenced, it never keeps the process alive.
      if (read) worker.unref();
      else await close();
    }
  }

  return {
    ...first.table,
    batches: batches(),
    rawCells,
    close,
    layoutReport: () => layoutReport,
    bytesRead: () => bytesRead,
  };
}
