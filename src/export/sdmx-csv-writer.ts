/**
 * Writes `trade_flows`, `port_throughput` and the `ind_*` indicator tables as SDMX-CSV 2.0: one
 * observation a line, the columns STRUCTURE, STRUCTURE_ID and ACTION, then the dimensions
 * (FREQ first, TIME_PERIOD last), OBS_VALUE, then the attributes UNIT_MEASURE, UNIT_MULT and
 * OBS_STATUS. RFC 4180 (CRLF, quotes only where needed), UTF-8, streamed a batch at a time.
 * https://github.com/sdmx-twg/sdmx-csv (data message, version 2.0.0, aligned with SDMX 3.0).
 *
 * What each table becomes (its dimensions, measures and attributes) is decided by
 * `sdmxLayoutFor` in sdmx-layout.ts; this file writes the lines. ACTION is I for a full
 * export; a changes export (`--since`) writes A and D, see SDMX_ACTIONS.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { ConfigError, CorridorError, describeError } from '../errors.ts';
import { type SdmxLayout, sdmxLayoutFor, unsupported } from './sdmx-layout.ts';
import type { ExportRow, TableWriter, WriterOptions, WrittenExport } from './table-writer.ts';

export interface SdmxCsvWriterOptions extends WriterOptions {
  /** The maintenance agency of the dataflow, e.g. `CORRIDOR` or `IMF.STA`. */
  readonly agency: string;
  /** The dataflow's id, e.g. `TRADE_FLOWS`. */
  readonly dataflow: string;
  /** The dataflow's version, e.g. `1.0.0` (SDMX 3.0) or `1.0`. */
  readonly version: string;
  /**
   * A changes export: the index of the column holding each row's RowAction (`merge`, `delete`),
   * written as ACTION A or D (SDMX_ACTIONS). Absent or null: every line is I.
   */
  readonly actionColumn?: number | null;
}

/**
 * The ACTION values Corridor writes, as the SDMX-CSV 2.0.0 field guide defines them
 * (https://github.com/sdmx-twg/sdmx-csv, data message, "Column content (all rows after
 * header)", the action column; aligned with SDMX 3.0.0, which knows four actions: I, A, R, D):
 *
 * - `I`, Information, for a full export: "If such data messages are loaded into an SDMX
 *   database, the action "A" (Append) is assumed."
 * - `A`, Append, for a new or changed figure in a changes export: an incremental update of
 *   existing observations or new data formerly absent, where only what the row gives is
 *   altered. SDMX 3.1 and the .Stat Suite call this action M, Merge ("legacy A"); SDMX-CSV 2.0
 *   has no M, and every 2.0 reader knows A, so A is written.
 * - `D`, Delete, for a figure the warehouse no longer holds: a row with "the structure
 *   identification and full dimension values" deletes "the related observation and all its
 *   observation-level attribute values". Its measure and attribute cells stay empty: a
 *   non-empty one (the spec marks them `-`) would delete only that value and keep the
 *   observation. An empty dimension is a wildcard in a delete, so a key with one is refused.
 *
 * R, Replace, is not used: a merge with every attribute given does what a changes export needs,
 * and a replace may reach beyond the observation at a receiver's replacement level (SDMX 3.1).
 */
export const SDMX_ACTIONS = { full: 'I', merge: 'A', delete: 'D' } as const;

/**
 * Opens an SDMX-CSV 2.0 file for a table's rows; each row is written as its observations.
 * `finish` counts observation lines, which for an indicator table is rows × measures.
 *
 * @example
 * const writer = await openSdmxCsvWriter({
 *   path: 'out/trade_flows.csv',
 *   table: 'trade_flows',
 *   columns, // trade_flows' columns, from the data dictionary
 *   agency: 'CORRIDOR',
 *   dataflow: 'TRADE_FLOWS',
 *   version: '1.0.0',
 * });
 * await writer.write(rows);
 * await writer.finish();
 * // STRUCTURE,STRUCTURE_ID,ACTION,FREQ,SOURCE,REF_AREA,…,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS
 * // dataflow,CORRIDOR:TRADE_FLOWS(1.0.0),I,A,comtrade,PAK,KAZ,…,2023,185250000,USD,0,
 */
export async function openSdmxCsvWriter(options: SdmxCsvWriterOptions): Promise<TableWriter> {
  const structureId = `${sdmxId('agency', options.agency)}:${sdmxId('dataflow', options.dataflow)}(${sdmxId('version', options.version)})`;
  if (options.table === null) throw unsupported(null);
  const layout = sdmxLayoutFor(options.table, options.columns);
  const structure = `dataflow,${csvCell(structureId)}`;
  // ACTION I ("information"): the receiver treats the lines as an append; Corridor sends what it holds.
  const prefix = `${structure},${SDMX_ACTIONS.full},`;
  const actionAt = options.actionColumn ?? null;
  const lineOf = actionLines(layout, structure, options.table);

  const stream = createWriteStream(options.path, { encoding: 'utf8' });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (cause) =>
      reject(
        new CorridorError('export_not_writable', `Cannot create ${options.path}: ${describeError(cause)}.`, {
          cause,
        }),
      ),
    );
  });

  let observations = 0;
  let state: 'open' | 'finished' | 'aborted' = 'open';
  const put = async (text: string): Promise<void> => {
    if (failure !== null) {
      throw new CorridorError('export_write_failed', `Writing ${options.path} failed: ${failure.message}.`, {
        cause: failure,
      });
    }
    // Backpressure: wait for the file to take the batch before the export reads the next one.
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  const assertOpen = (action: string): void => {
    if (state !== 'open')
      throw new CorridorError('export_closed', `Cannot ${action} ${options.path}: it is ${state}.`);
  };

  await put(`${['STRUCTURE', 'STRUCTURE_ID', 'ACTION', ...layout.header].join(',')}\r\n`);

  return {
    async write(rows: readonly ExportRow[]): Promise<void> {
      assertOpen('write to');
      let text = '';
      for (const row of rows) {
        if (actionAt !== null) {
          for (const line of lineOf(row, row[actionAt] ?? null)) {
            text += line;
            observations++;
          }
          continue;
        }
        for (const cells of layout.observations(row)) {
          text += `${prefix}${cells.map(csvCell).join(',')}\r\n`;
          observations++;
        }
      }
      await put(text);
    },

    async finish(): Promise<WrittenExport> {
      assertOpen('finish');
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
      if (failure !== null) {
        throw new CorridorError(
          'export_write_failed',
          `Writing ${options.path} failed: ${failure.message}.`,
          {
            cause: failure,
          },
        );
      }
      state = 'finished';
      return { files: [options.path], rows: observations };
    },

    async abort(): Promise<void> {
      if (state === 'aborted') return;
      state = 'aborted';
      await closeQuietly(stream);
      await rm(options.path, { force: true });
    },
  };
}

/**
 * The lines of a changes export's row, by its action: a merge is the observation as a full
 * export writes it, under A; a delete is its dimensions alone, under D (SDMX_ACTIONS).
 */
function actionLines(
  layout: SdmxLayout,
  structure: string,
  table: string,
): (row: ExportRow, action: ExportRow[number]) => string[] {
  const dimensions = layout.dimensions.length;
  const blanks = ','.repeat(layout.header.length - dimensions);
  return (row, action) => {
    if (action === 'merge') {
      return layout
        .observations(row)
        .map((cells) => `${structure},${SDMX_ACTIONS.merge},${cells.map(csvCell).join(',')}\r\n`);
    }
    if (action !== 'delete') {
      throw new CorridorError(
        'sdmx_bad_action',
        `A row of ${table} asks for action ${JSON.stringify(action)}; a changes export writes only merge and delete.`,
      );
    }
    return layout.observations(row).map((cells) => {
      const key = cells.slice(0, dimensions);
      const empty = key.indexOf('');
      if (empty >= 0) {
        throw new CorridorError(
          'sdmx_wildcard_delete',
          `A figure of ${table} to delete has no ${layout.dimensions[empty]}: in SDMX-CSV an empty dimension in a delete line is a wildcard, which would delete every observation that matches the rest of the key. Nothing was written; check the load that stored the figure.`,
        );
      }
      return `${structure},${SDMX_ACTIONS.delete},${key.map(csvCell).join(',')}${blanks}\r\n`;
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Cells, ids and the file

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** SDMX identifiers: agency ids may be nested with dots (IMF.STA); versions are numbers with dots. */
const ID_PATTERNS = {
  agency: /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/,
  dataflow: /^[A-Za-z0-9_@$-]+$/,
  version: /^\d+(\.\d+){0,2}(-[A-Za-z0-9]+)?$/,
} as const;

function sdmxId(option: keyof typeof ID_PATTERNS, value: string): string {
  if (!ID_PATTERNS[option].test(value)) {
    const example = { agency: 'CORRIDOR', dataflow: 'TRADE_FLOWS', version: '1.0.0' }[option];
    throw new ConfigError(
      `Invalid value for option "${option}": ${JSON.stringify(value)} is not an SDMX ${option === 'version' ? 'version' : 'id'} (letters, digits${option === 'version' ? ' and dots' : ', _ and -'}), e.g. ${example}.`,
      { code: 'sdmx_invalid_id' },
    );
  }
  return value;
}

function closeQuietly(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) return resolve();
    stream.once('close', () => resolve());
    stream.destroy();
  });
}
