/**
 * `corridor export`: a table, view or query of the warehouse into a file for other tools
 * (CSV, XLSX, JSON, NDJSON, Parquet, SDMX-CSV), with datapackage.json beside it. Streams, so a
 * table of millions of rows exports in flat memory; rows come in a stable order, so two exports
 * of unchanged data are the same bytes. docs/downstream.md.
 *
 * `--since <run>` exports only what changed in a fact table after that run: rows to merge and
 * figures to delete (an `action` column; SDMX-CSV's ACTION A and D). docs/vintages.md.
 */
import { relative, resolve, sep } from 'node:path';
import { readSettings } from '../../db/warehouse-settings.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { EXPORT_FORMATS, exportTable, FORMAT_EXTENSIONS } from '../../export/export-table.ts';
import { DEFAULT_SDMX_AGENCY, DEFAULT_SDMX_VERSION } from '../../export/sdmx-layout.ts';
import type { ExportFormat } from '../../export/table-writer.ts';
import { declaredAbout } from '../../pipeline/source-registry.ts';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from '../../query/bounded-query.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount, formatDuration } from '../output.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';
import { listenForStop } from '../stop-signals.ts';

/** Least time between two redraws of the live progress line. */
const PROGRESS_MS = 250;

/** The format an --out file's name asks for (`flows.ndjson`), or null. */
function formatOfName(out: string): ExportFormat | null {
  const lower = out.toLowerCase();
  // Longest ending first: `x.sdmx.csv` is SDMX, not CSV.
  const byLength = [...EXPORT_FORMATS].sort(
    (a, b) => FORMAT_EXTENSIONS[b].length - FORMAT_EXTENSIONS[a].length,
  );
  return byLength.find((f) => lower.endsWith(FORMAT_EXTENSIONS[f])) ?? null;
}

/**
 * The dataflow parts an SDMX export was given: the options, else the warehouse's settings
 * (`corridor config set sdmx.agency`); export-table.ts fills in the rest (CORRIDOR, the table's
 * name, 1.0).
 */
async function sdmxChoices(
  location: string,
  values: { agency?: string | undefined; dataflow?: string | undefined; version?: string | undefined },
): Promise<{ agency?: string; dataflow?: string; version?: string }> {
  let stored: ReadonlyMap<string, string> = new Map();
  if (values.agency === undefined || values.version === undefined) {
    const reader = await WarehouseReader.open(location);
    try {
      stored = await readSettings(reader.warehouse);
    } finally {
      await reader.close();
    }
  }
  const agency = values.agency ?? stored.get('sdmx.agency');
  const version = values.version ?? stored.get('sdmx.version');
  return {
    ...(agency === undefined ? {} : { agency }),
    ...(values.dataflow === undefined ? {} : { dataflow: values.dataflow }),
    ...(version === undefined ? {} : { version }),
  };
}

const bad = (message: string) => new ConfigError(message, { code: 'bad_arguments' });

const OPTIONS = {
  query: {
    type: 'string',
    value: '"<sql>"',
    description: 'export the rows of this read-only query instead of a table',
  },
  format: {
    type: 'string',
    short: 'f',
    value: 'csv|xlsx|json|ndjson|parquet|sdmx',
    default: "the --out file's ending, else csv",
    description: 'the file format (sdmx: SDMX-CSV)',
  },
  out: {
    type: 'string',
    short: 'o',
    value: '<file|folder/>',
    default: './',
    description: 'the file to write, or a folder for <table><ext>',
  },
  raw: {
    type: 'boolean',
    default: 'off',
    description: 'CSV, XLSX: no formula guard (cells starting = + - @ kept as they are)',
  },
  bom: { type: 'boolean', default: 'off', description: 'CSV: start with a UTF-8 byte order mark, for Excel' },
  agency: {
    type: 'string',
    value: '<id>',
    default: `setting sdmx.agency, else ${DEFAULT_SDMX_AGENCY}`,
    description: "SDMX: the dataflow's maintenance agency",
  },
  dataflow: {
    type: 'string',
    value: '<id>',
    default: "the table's name, upper-cased",
    description: "SDMX: the dataflow's id",
  },
  version: {
    type: 'string',
    value: '<version>',
    default: `setting sdmx.version, else ${DEFAULT_SDMX_VERSION}`,
    description: "SDMX: the dataflow's version",
  },
  since: {
    type: 'string',
    value: '<run id>',
    description: 'a fact table: only what changed after this run, with an action column (merge, delete)',
  },
  timeout: {
    type: 'string',
    value: '<seconds>',
    default: String(DEFAULT_TIMEOUT_SECONDS),
    description: 'stop a --query after this long',
  },
} as const satisfies OptionSpecs;

export const exportCommand: Command = {
  name: 'export',
  usage:
    'corridor export <table|view> | --query "select ..." [--format csv|xlsx|json|ndjson|parquet|sdmx] [--out <file or folder>] [--raw] [--bom] [--agency X --dataflow Y --version 1.0] [--since <run id>] [--timeout <seconds>]',
  synopsis: 'corridor export <table|view> | --query "<sql>" --format <f> --out <path>',
  summary:
    'write a table, view or query to CSV, XLSX, JSON, NDJSON, Parquet or SDMX-CSV, with datapackage.json',
  options: OPTIONS,
  examples: [
    'corridor export trade_flows --format xlsx --out out/',
    'corridor export trade_flows --format sdmx --out out/',
    'corridor export --query "select * from ind_trade_balance where year = 2023" --out balance.parquet',
    'corridor export trade_flows --since 12 --out changes/',
  ],
  async run(ctx) {
    // `--query "-- a comment\nselect …"` is the query, not an option: parseArgs wants it glued.
    const args: string[] = [];
    for (let i = 0; i < ctx.args.length; i++) {
      const arg = ctx.args[i]!;
      const next = ctx.args[i + 1];
      if (arg === '--query' && next !== undefined) {
        args.push(`--query=${next}`);
        i++;
      } else args.push(arg);
    }
    const { values, positionals } = parseCommandArgs(args, parserOptions(OPTIONS), this.usage);
    if (positionals.length > 1 || (positionals.length === 1) === (values.query !== undefined)) {
      throw bad(
        `Name one table or view, or give --query "select ...", not both${positionals.length > 1 ? ` (got "${positionals.join(' ')}")` : ''}.\nUsage: ${this.usage}`,
      );
    }
    const out = values.out ?? './';
    const named = values.out === undefined ? null : formatOfName(values.out);
    const format = (values.format ?? named ?? 'csv').toLowerCase();
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw bad(`Invalid value for option "--format": "${values.format}". Use ${EXPORT_FORMATS.join(', ')}.`);
    }
    if (values.bom && format !== 'csv')
      throw bad(`--bom is for CSV files, which Excel reads; not for ${format}.`);
    if (values.raw && format !== 'csv' && format !== 'xlsx') {
      throw bad(`--raw turns off the formula guard of CSV and XLSX; ${format} has none.`);
    }
    const sdmxParts = [values.agency, values.dataflow, values.version];
    if (format !== 'sdmx' && sdmxParts.some((v) => v !== undefined)) {
      throw bad(
        '--agency, --dataflow and --version label an SDMX export: add --format sdmx, or leave them out.',
      );
    }

    if (values.since !== undefined && !/^\d+$/.test(values.since)) {
      throw bad(
        `Invalid value for option "--since": "${values.since}". Give a run id, as "corridor runs" lists them (e.g. --since 12).`,
      );
    }
    const since = values.since === undefined ? undefined : Number(values.since);
    if (values.timeout !== undefined && values.query === undefined)
      throw bad('--timeout limits a --query; a table or view exports without one.');
    const timeoutSeconds = numberOption('timeout', values.timeout, 0.001, MAX_TIMEOUT_SECONDS);

    const name = positionals[0] ?? 'the query';
    const live = ctx.out.terminal !== null;
    let drawn = 0;
    const stop = listenForStop(ctx.out, 'the batch in flight, removing the partial file');
    try {
      const result = await exportTable({
        warehouse: warehousePathOf(ctx),
        subject: values.query !== undefined ? { query: values.query } : { table: positionals[0]! },
        format: format as ExportFormat,
        // Against the command's folder (tests run the CLI in-process elsewhere); a trailing / still says folder.
        out: resolve(ctx.cwd, out) + (/[\\/]$/.test(out) ? sep : ''),
        raw: values.raw ?? false,
        bom: values.bom ?? false,
        ...(format === 'sdmx' ? { sdmx: await sdmxChoices(warehousePathOf(ctx), values) } : {}),
        ...(since === undefined ? {} : { since }),
        ...(timeoutSeconds === undefined ? {} : { queryTimeoutMs: timeoutSeconds * 1000 }),
        signal: stop.signal,
        declaredAbout,
        onProgress: (rows) => {
          if (!live || performance.now() - drawn < PROGRESS_MS) return;
          drawn = performance.now();
          ctx.out.live([`Exporting ${name}: ${formatCount(rows)} rows`]);
        },
      });
      ctx.out.live([]);
      const shown = (path: string) => {
        const r = relative(ctx.cwd, path);
        return r.startsWith('..') ? path : r;
      };
      if (ctx.out.json) {
        ctx.out.document({
          table: result.table,
          format: result.format,
          rows: result.rows,
          written: result.written,
          ...(result.changes === undefined ? {} : { changes: result.changes }),
          ...(result.sdmx === undefined ? {} : { sdmx: result.sdmx }),
          files: result.files.map(shown),
          dataPackage: shown(result.dataPackage),
          durationMs: result.durationMs,
        });
      } else {
        const extra = result.files.length > 1 ? ` and ${result.files.length - 1} more file(s)` : '';
        const observations =
          result.format === 'sdmx' && result.written !== result.rows
            ? ` as ${formatCount(result.written)} observations`
            : '';
        // Which dataflow the file is labelled with, defaults and settings applied.
        const labelled =
          result.sdmx === undefined
            ? ''
            : `, dataflow ${result.sdmx.agency}:${result.sdmx.dataflow}(${result.sdmx.version})`;
        const changes = result.changes;
        if (changes === undefined) {
          ctx.out.line(
            `Exported ${formatCount(result.rows)} row${result.rows === 1 ? '' : 's'} of ${result.table ?? 'the query'} to ${shown(result.files[0]!)}${extra}${observations}${labelled} (+ datapackage.json) in ${formatDuration(result.durationMs)}`,
          );
        } else if (result.rows === 0) {
          ctx.out.line(
            `Nothing in ${result.table} changed after run ${changes.since}: wrote ${shown(result.files[0]!)} with ${result.format === 'csv' || result.format === 'sdmx' ? 'its header only' : 'no rows'}${labelled} (+ datapackage.json) in ${formatDuration(result.durationMs)}`,
          );
        } else {
          ctx.out.line(
            `Exported the changes to ${result.table} after run ${changes.since}, ${formatCount(changes.merged)} to merge and ${formatCount(changes.deleted)} to delete, to ${shown(result.files[0]!)}${extra}${observations}${labelled} (+ datapackage.json) in ${formatDuration(result.durationMs)}`,
          );
        }
      }
      return ExitCode.Success;
    } finally {
      ctx.out.live([]);
      stop.dispose();
    }
  },
};
