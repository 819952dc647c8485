/**
 * `corridor export`: a table, view or query of the warehouse into a file for other tools
 * (CSV, XLSX, JSON, NDJSON, Parquet, SDMX-CSV), with datapackage.json beside it. Streams, so a
 * table of millions of rows exports in flat memory; rows come in a stable order, so two exports
 * of unchanged data are the same bytes. README, "Exports".
 *
 * `--since <run>` exports only what changed in a fact table after that run: rows to merge and
 * figures to delete (an `action` column; SDMX-CSV's ACTION A and D). docs/vintages.md.
 */
import { relative, resolve, sep } from 'node:path';
import { ConfigError, ExitCode } from '../../errors.ts';
import { EXPORT_FORMATS, exportTable, FORMAT_EXTENSIONS } from '../../export/export-table.ts';
import type { ExportFormat } from '../../export/table-writer.ts';
import { declaredAbout } from '../../pipeline/source-registry.ts';
import { MAX_TIMEOUT_SECONDS } from '../../query/bounded-query.ts';
import type { Command } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount, formatDuration } from '../output.ts';
import { numberOption, parseCommandArgs } from '../parse-options.ts';
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

const bad = (message: string) => new ConfigError(message, { code: 'bad_arguments' });

export const exportCommand: Command = {
  name: 'export',
  usage:
    'corridor export <table|view> | --query "select ..." [--format csv|xlsx|json|ndjson|parquet|sdmx] [--out <file or folder>] [--raw] [--bom] [--agency X --dataflow Y --version 1.0] [--since <run id>] [--timeout <seconds>]',
  synopsis: 'corridor export <table|view> | --query "<sql>" --format <f> --out <path>',
  summary:
    'write a table, view or query to CSV, XLSX, JSON, NDJSON, Parquet or SDMX-CSV, with datapackage.json',
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
    const { values, positionals } = parseCommandArgs(
      args,
      {
        query: { type: 'string', short: 'q' },
        format: { type: 'string', short: 'f' },
        out: { type: 'string', short: 'o' },
        raw: { type: 'boolean', default: false },
        bom: { type: 'boolean', default: false },
        agency: { type: 'string' },
        dataflow: { type: 'string' },
        version: { type: 'string' },
        since: { type: 'string' },
        timeout: { type: 'string' },
      },
      this.usage,
    );
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
    if (format === 'sdmx' && sdmxParts.some((v) => v === undefined)) {
      throw bad(
        'An SDMX export needs its dataflow: --agency, --dataflow and --version (e.g. --agency CORRIDOR --dataflow TRADE_FLOWS --version 1.0).',
      );
    }
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
        raw: values.raw,
        bom: values.bom,
        ...(format === 'sdmx'
          ? { sdmx: { agency: values.agency!, dataflow: values.dataflow!, version: values.version! } }
          : {}),
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
        const changes = result.changes;
        if (changes === undefined) {
          ctx.out.line(
            `Exported ${formatCount(result.rows)} row${result.rows === 1 ? '' : 's'} of ${result.table ?? 'the query'} to ${shown(result.files[0]!)}${extra}${observations} (+ datapackage.json) in ${formatDuration(result.durationMs)}`,
          );
        } else if (result.rows === 0) {
          ctx.out.line(
            `Nothing in ${result.table} changed after run ${changes.since}: wrote ${shown(result.files[0]!)} with ${result.format === 'csv' || result.format === 'sdmx' ? 'its header only' : 'no rows'} (+ datapackage.json) in ${formatDuration(result.durationMs)}`,
          );
        } else {
          ctx.out.line(
            `Exported the changes to ${result.table} after run ${changes.since}, ${formatCount(changes.merged)} to merge and ${formatCount(changes.deleted)} to delete, to ${shown(result.files[0]!)}${extra}${observations} (+ datapackage.json) in ${formatDuration(result.durationMs)}`,
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
