/**
 * The export stage: rows from the warehouse (export-source.ts), a batch at a time, into one
 * format's writer, then datapackage.json beside the file (data-package.ts).
 *
 * Everything is written in a temporary folder inside the destination and renamed into place
 * at the end, the data file and datapackage.json one after the other: a failed or interrupted
 * export leaves neither a half file nor a package describing one, and an earlier export of the
 * same name stays as it was. Memory stays flat in the table's size: at most one batch of rows
 * is held, and every writer streams.
 *
 * With `since` (a run id) a fact table exports only what changed after that run, each row with
 * an `action` (merge or delete, changes-since.ts), to `<table>-since-<run><ext>`; SDMX-CSV
 * writes the actions as its ACTION column (A, D) instead.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ConfigError, CorridorError } from '../errors.ts';
import { DEFAULT_TIMEOUT_SECONDS } from '../query/bounded-query.ts';
import type { SourceAbout } from '../validate/source-about.ts';
import { ACTION_COLUMN, refuseChangesOfQuery } from './changes-since.ts';
import { openCsvWriter } from './csv-writer.ts';
import { DATA_PACKAGE_FILE, dataPackageText, dataResource, readDataPackage } from './data-package.ts';
import { type ExportSource, type ExportSubject, openExportSource } from './export-source.ts';
import { openJsonWriter } from './json-writer.ts';
import { openNdjsonWriter } from './ndjson-writer.ts';
import { openQueryExportSource } from './query-export-source.ts';
import type { ExportColumn, ExportFormat, TableWriter, WriterOptions } from './table-writer.ts';
import { openXlsxWriter, xlsxSheetNames } from './xlsx-writer.ts';

export { EXPORT_FORMATS } from './table-writer.ts';

/** File name endings by format; SDMX-CSV is a CSV, named so it never takes a plain CSV's place. */
export const FORMAT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  csv: '.csv',
  xlsx: '.xlsx',
  json: '.json',
  ndjson: '.ndjson',
  parquet: '.parquet',
  sdmx: '.sdmx.csv',
};

/** The SDMX dataflow an `sdmx` export is labelled with. */
export interface SdmxDataflow {
  readonly agency: string;
  readonly dataflow: string;
  readonly version: string;
}

export interface ExportRequest {
  /** The warehouse file. */
  readonly warehouse: string;
  readonly subject: ExportSubject;
  readonly format: ExportFormat;
  /** A folder (existing, or written with a trailing `/`) for `<folder>/<table><ext>`, or a file. */
  readonly out: string;
  /** Text without the formula guard (CSV, XLSX). */
  readonly raw?: boolean;
  /** A UTF-8 byte order mark at the start of a CSV, for Excel. */
  readonly bom?: boolean;
  /** Parts not given are the defaults: agency CORRIDOR, the table's name upper-cased, version 1.0. */
  readonly sdmx?: Partial<SdmxDataflow>;
  /**
   * Only what changed after this run (a fact table: trade_flows, port_throughput): rows that
   * later runs' loads opened, to merge, and figures they retired or reverted, to delete.
   */
  readonly since?: number;
  /** A query's time limit (bounded-query.ts); 60 s by default. */
  readonly queryTimeoutMs?: number;
  /** Data rows per XLSX sheet (tests); Excel's limit by default. */
  readonly xlsxMaxRows?: number;
  /** Called after each batch with the rows written so far. */
  readonly onProgress?: (rows: number) => void;
  /** Aborted (Ctrl-C): the export stops after the batch in flight and removes what it wrote. */
  readonly signal?: AbortSignal;
  /**
   * What a source declares today (the source registry), to cite loads journalled before
   * provenance was recorded (migration 0012); without it such loads are cited by name only.
   */
  readonly declaredAbout?: (source: string) => SourceAbout | null;
}

export interface ExportResult {
  readonly table: string | null;
  readonly format: ExportFormat;
  /** The main file written, then any beside it. */
  readonly files: readonly string[];
  readonly dataPackage: string;
  /** Rows read from the warehouse. */
  readonly rows: number;
  /** Records the writer wrote: the rows, except in SDMX, where a row with several measures is several observations. */
  readonly written: number;
  /** A changes export (`since`): the run it starts after, and its rows by action. */
  readonly changes?: { readonly since: number; readonly merged: number; readonly deleted: number };
  /** The dataflow an SDMX export is labelled with, defaults filled in. */
  readonly sdmx?: SdmxDataflow;
  readonly durationMs: number;
}

/**
 * Where an export goes: a folder gets `<name><ext>` in it; anything else is the file itself.
 *
 * @example
 * exportTarget('out/', 'csv', 'trade_flows'); // { dir: 'out', file: 'out/trade_flows.csv' }
 * exportTarget('out/flows.csv', 'csv', 'trade_flows'); // { dir: 'out', file: 'out/flows.csv' }
 */
export function exportTarget(out: string, format: ExportFormat, name: string): { dir: string; file: string } {
  const folder = out.endsWith('/') || out.endsWith(sep) || (existsSync(out) && statSync(out).isDirectory());
  if (folder) return { dir: resolve(out), file: resolve(out, `${name}${FORMAT_EXTENSIONS[format]}`) };
  if (basename(out) === DATA_PACKAGE_FILE) {
    throw new ConfigError(
      `--out ${out}: that name is the data package's, written beside every export. Name the data file, or give a folder.`,
      { code: 'bad_arguments' },
    );
  }
  return { dir: dirname(resolve(out)), file: resolve(out) };
}

/**
 * The writer of a format. Parquet and SDMX are loaded only when asked for: their libraries need
 * not slow down every other export.
 */
async function openWriter(
  format: ExportFormat,
  options: WriterOptions,
  request: ExportRequest,
  actionColumn: number | null,
  dataflow: SdmxDataflow | undefined,
): Promise<TableWriter> {
  switch (format) {
    case 'csv':
      return openCsvWriter({ ...options, raw: request.raw === true, bom: request.bom === true });
    case 'xlsx':
      return openXlsxWriter({
        ...options,
        raw: request.raw === true,
        ...(request.xlsxMaxRows === undefined ? {} : { maxRowsPerSheet: request.xlsxMaxRows }),
      });
    case 'json':
      return openJsonWriter(options);
    case 'ndjson':
      return openNdjsonWriter(options);
    case 'parquet': {
      const { openParquetWriter } = await import('./parquet-writer.ts');
      return openParquetWriter(options);
    }
    case 'sdmx': {
      const { openSdmxCsvWriter } = await import('./sdmx-csv-writer.ts');
      return openSdmxCsvWriter({ ...options, ...dataflow!, actionColumn });
    }
  }
}

/** ACTION in a changes export (`--since`), for datapackage.json. */
const SDMX_CHANGE_ACTION =
  'SDMX-CSV action: A, append (a new or changed observation, at its current value), or D, delete (an observation no longer held; its dimensions alone).';

/** What the SDMX-CSV columns that are not a table's own mean (https://github.com/sdmx-twg/sdmx-csv). */
const SDMX_WORDS: Readonly<Record<string, string>> = {
  STRUCTURE: 'SDMX-CSV: what the line refers to, here always a dataflow.',
  STRUCTURE_ID: 'The dataflow, as agency:id(version).',
  ACTION: 'SDMX-CSV action: I, information (insert or replace).',
  FREQ: 'Frequency: A annual, M monthly.',
  TIME_PERIOD: 'The period: a year, a month, or a fiscal year as a time range from its first day.',
  OBS_VALUE: 'The observation: its unit in UNIT_MEASURE.',
  UNIT_MEASURE: 'What OBS_VALUE is counted in.',
  UNIT_MULT: 'The power of ten OBS_VALUE is multiplied by: always 0 (the warehouse holds whole units).',
  OBS_STATUS: 'SDMX CL_OBS_STATUS: P provisional, E estimated, O missing, M cannot exist; empty otherwise.',
  INDICATOR: "Which of the table's measures the observation is (the measure's column name, upper-cased).",
};

/**
 * An SDMX-CSV file's own columns, for datapackage.json: its header is not the table's columns but
 * the dataflow's dimensions, the observation and its attributes (sdmx-layout.ts). A
 * dimension named after a column (`SOURCE`, `PERIOD`) keeps that column's words.
 */
async function sdmxColumns(
  table: string,
  columns: readonly ExportColumn[],
  changes: boolean,
): Promise<{ columns: ExportColumn[]; key: readonly string[] }> {
  const { sdmxLayoutFor } = await import('./sdmx-layout.ts');
  const layout = sdmxLayoutFor(table, columns);
  const described = (id: string): ExportColumn => {
    const own = columns.find((c) => c.name.toUpperCase() === id);
    const type = id === 'OBS_VALUE' ? 'real' : id === 'UNIT_MULT' ? 'integer' : 'text';
    const description =
      (changes && id === 'ACTION' ? SDMX_CHANGE_ACTION : undefined) ??
      SDMX_WORDS[id] ??
      (own === undefined ? 'A dimension of the series key.' : `A dimension: ${own.description}`);
    return { name: id, type, description };
  };
  return {
    columns: ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', ...layout.header].map(described),
    key: layout.dimensions,
  };
}

/** Columns whose values name the source a row came from: `source`, `export_source`, `customs_source`. */
const SOURCE_COLUMN = /(^|_)source$/;
/** Distinct sources kept for datapackage.json; more than this is not a list anyone reads. */
const MAX_SOURCES = 100;

/**
 * Exports a table, view or query to one file and its datapackage.json.
 *
 * @example
 * const result = await exportTable({
 *   warehouse: 'warehouse/corridor.db',
 *   subject: { table: 'trade_flows' },
 *   format: 'csv',
 *   out: 'out/',
 * });
 * // { files: ['/…/out/trade_flows.csv'], dataPackage: '/…/out/datapackage.json', rows: 696, … }
 */
export async function exportTable(request: ExportRequest): Promise<ExportResult> {
  const started = performance.now();
  const source: ExportSource =
    'query' in request.subject
      ? request.since !== undefined
        ? refuseChangesOfQuery()
        : await openQueryExportSource(
            request.warehouse,
            request.subject.query,
            request.queryTimeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000,
          )
      : await openExportSource(
          request.warehouse,
          request.subject,
          request.since === undefined ? {} : { since: request.since },
        );
  try {
    const name = source.table ?? 'query';
    const { dir, file } = exportTarget(
      request.out,
      request.format,
      source.since === null ? name : `${name}-since-${source.since}`,
    );
    await mkdir(dir, { recursive: true });
    // A datapackage.json that cannot be merged into fails now, before anything is written.
    readDataPackage(dir);
    const temporary = await mkdtemp(join(dir, '.corridor-export-'));
    let writer: TableWriter | null = null;
    const dataflow =
      request.format === 'sdmx'
        ? (await import('./sdmx-layout.ts')).sdmxDataflowOf(request.sdmx ?? {}, source.table)
        : undefined;
    try {
      writer = await openWriter(
        request.format,
        { path: join(temporary, basename(file)), columns: source.columns, table: source.table },
        request,
        source.actionColumn,
        dataflow,
      );
      const sourceColumns = source.columns.flatMap((c, i) =>
        c.type === 'text' && SOURCE_COLUMN.test(c.name) ? [i] : [],
      );
      const sourcesSeen = new Set<string>();
      // The loads behind the rows, cited with their provenance in datapackage.json.
      const loadColumn = source.columns.findIndex((c) => c.name === 'load_id' && c.type === 'integer');
      const loadsSeen = new Set<number>();
      let lastLoad: unknown = null;
      let rows = 0;
      let deleted = 0;
      const actionAt = source.actionColumn;
      for await (const batch of source.batches()) {
        if (actionAt !== null) for (const row of batch) if (row[actionAt] === 'delete') deleted++;
        if (sourceColumns.length > 0 && sourcesSeen.size < MAX_SOURCES) {
          for (const row of batch)
            for (const i of sourceColumns) {
              const value = row[i];
              if (typeof value === 'string') sourcesSeen.add(value);
            }
        }
        if (loadColumn >= 0)
          for (const row of batch) {
            const id = row[loadColumn];
            // Neighbouring rows mostly share a load: the set is touched when it changes.
            if (id !== lastLoad && typeof id === 'number') loadsSeen.add(id);
            lastLoad = id;
          }
        await writer.write(batch);
        rows += batch.length;
        request.onProgress?.(rows);
        if (request.signal?.aborted) {
          throw new CorridorError(
            'export_stopped',
            `The export of ${source.table ?? 'the query'} was stopped after ${rows.toLocaleString('en-US')} rows; nothing was written. Run it again to export.`,
          );
        }
      }
      const written = await writer.finish();
      writer = null;
      const finalFiles = written.files.map((f) => join(dir, basename(f)));
      const guarded = request.raw !== true && (request.format === 'csv' || request.format === 'xlsx');
      const described =
        request.format === 'sdmx' && source.table !== null
          ? await sdmxColumns(source.table, source.columns, source.since !== null)
          : { columns: source.finalColumns(), key: source.key };
      const plain = dataResource({
        file: finalFiles[0] ?? file,
        files: finalFiles,
        format: request.format,
        columns: described.columns,
        table: source.table,
        doc: source.doc,
        key: described.key,
        query: source.table === null && 'query' in request.subject ? request.subject.query : null,
        sourcesSeen: sourceColumns.length > 0 ? [...sourcesSeen] : null,
        loadsSeen: loadColumn >= 0 ? [...loadsSeen] : null,
        loaded: source.loaded,
        declaredAbout: request.declaredAbout,
        guarded,
        bytes: (await stat(written.files[0] ?? join(temporary, basename(file)))).size,
        ...(request.format === 'xlsx'
          ? { sheets: xlsxSheetNames(source.table, written.rows, request.xlsxMaxRows) }
          : {}),
      });
      const resource =
        source.since === null
          ? plain
          : {
              ...plain,
              name: `${plain.name}-since-${source.since}`,
              description: `What changed in ${name} after run ${source.since}, to bring a copy exported then up to date: ${
                request.format === 'sdmx'
                  ? 'ACTION A (append) for a new or changed observation at its current value, D (delete) for one no longer held.'
                  : `the ${ACTION_COLUMN} column says merge (a new or changed figure, at its current value) or delete (a figure no longer held, shown as its last version).`
              }`,
            };
      const packageTemp = join(temporary, DATA_PACKAGE_FILE);
      await writeFile(packageTemp, dataPackageText(dir, resource));
      for (const f of written.files) await rename(f, join(dir, basename(f)));
      const dataPackage = join(dir, DATA_PACKAGE_FILE);
      await rename(packageTemp, dataPackage);
      return {
        table: source.table,
        format: request.format,
        files: finalFiles,
        dataPackage,
        rows,
        written: written.rows,
        ...(dataflow === undefined ? {} : { sdmx: dataflow }),
        ...(source.since === null
          ? {}
          : { changes: { since: source.since, merged: rows - deleted, deleted } }),
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      await writer?.abort().catch(() => undefined);
      throw error;
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
  } finally {
    await source.close();
  }
}
