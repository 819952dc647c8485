/**
 * `corridor sql`: one read-only statement, its rows as a table, CSV or JSON. The statement runs
 * with a time limit (`--timeout`, 60 s by default): on SQLite in its own process
 * (bounded-query.ts), on PostgreSQL on the server (pg-bounded-query.ts); and a
 * terminal table shows at most `--max-rows` rows (10,000), then says how many more there were
 * and how to get them all.
 */
import Papa from 'papaparse';
import { ConfigError, ExitCode } from '../../errors.ts';
import {
  type BoundedQuery,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  queryError,
} from '../../query/bounded-query.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { cellText, formatCount, type Output } from '../output.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

/** Rows a terminal table shows before pointing at --format csv. */
export const TABLE_MAX_ROWS = 10_000;

/** A value as JSON and CSV take it: a blob as the Buffer the driver gives in-process. */
const plain = (value: unknown) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;

/**
 * Writes the rows as `format`, at most `maxRows` of them. Returns how many were written, and how
 * many of the batch that passed the limit were left out. Nothing reaches stdout before the first
 * batch: a query that fails at once leaves it empty.
 */
async function writeRows(
  out: Output,
  format: 'table' | 'csv' | 'json',
  columns: readonly string[],
  batches: AsyncIterable<unknown[][]>,
  maxRows: number,
): Promise<{ written: number; leftOut: number }> {
  let written = 0;
  let leftOut = 0;
  let started = false;
  const shown: unknown[][] = [];
  for await (const batch of batches) {
    const rows = batch.length > maxRows - written ? batch.slice(0, maxRows - written) : batch;
    if (format === 'table') shown.push(...rows);
    else if (format === 'csv') {
      if (!started) out.write(`${Papa.unparse([columns as string[]], { newline: '\n' })}\n`);
      if (rows.length > 0)
        out.write(
          `${Papa.unparse(
            rows.map((r) => r.map((v) => cellText(plain(v)))),
            { newline: '\n' },
          )}\n`,
        );
    } else {
      // One array, one object a line, streamed so a large result never sits in memory twice.
      let text = '';
      rows.forEach((row, r) => {
        const record = Object.fromEntries(
          columns.map((c, i) => [c, typeof row[i] === 'bigint' ? cellText(row[i]) : plain(row[i])]),
        );
        text += `${!started && r === 0 ? '[\n' : ',\n'}  ${JSON.stringify(record)}`;
      });
      out.write(text);
    }
    started ||= rows.length > 0 || format === 'csv';
    written += rows.length;
    leftOut = batch.length - rows.length;
    if (written >= maxRows) break;
  }
  if (format === 'table' && columns.length > 0) out.table(columns, shown);
  if (format === 'csv' && !started) out.write(`${Papa.unparse([columns as string[]], { newline: '\n' })}\n`);
  if (format === 'json') out.write(started ? '\n]\n' : '[]\n');
  return { written, leftOut };
}

const OPTIONS = {
  format: {
    type: 'string',
    short: 'f',
    value: 'table|csv|json',
    default: 'table (json with --json)',
    description: 'the output format',
  },
  'as-of': {
    type: 'string',
    value: '<run id|date|release>',
    description: 'trade_flows and port_throughput as they stood then',
  },
  timeout: {
    type: 'string',
    value: '<seconds>',
    default: String(DEFAULT_TIMEOUT_SECONDS),
    description: 'stop the query after this long',
  },
  'max-rows': {
    type: 'string',
    value: '<n>',
    default: `${TABLE_MAX_ROWS} for a table, all for csv and json`,
    description: 'rows printed at most',
  },
} as const satisfies OptionSpecs;

export const sqlCommand: Command = {
  name: 'sql',
  usage:
    'corridor sql "<query>" [--format table|csv|json] [--as-of <run id | date | release>] [--timeout <seconds>] [--max-rows <n>]',
  summary: 'run a read-only SQL query',
  options: OPTIONS,
  examples: [
    'corridor sql "select reporter_iso3, sum(value_usd) from trade_flows group by 1"',
    'corridor sql "select * from ind_trade_balance" --format csv > balance.csv',
  ],
  async run(ctx) {
    // A query that starts with a `--` comment is still the query, not an option.
    const looksLikeSql = (arg: string) => arg.startsWith('--') && /\s/.test(arg);
    const queries = ctx.args.includes('--') ? [] : ctx.args.filter(looksLikeSql);
    const args = [
      ...ctx.args.filter((arg) => !queries.includes(arg)),
      ...(queries.length > 0 ? ['--', ...queries] : []),
    ];
    const { values, positionals } = parseCommandArgs(args, parserOptions(OPTIONS), this.usage);
    if (positionals.length !== 1)
      throw new ConfigError(`Give the query as one quoted argument.\nUsage: ${this.usage}`, {
        code: 'bad_arguments',
      });
    const format = values.format ?? (ctx.out.json ? 'json' : 'table');
    if (format !== 'table' && format !== 'csv' && format !== 'json') {
      throw new ConfigError(`Invalid value for option "--format": "${format}". Use table, csv or json.`, {
        code: 'bad_arguments',
      });
    }
    const timeoutMs =
      (numberOption('timeout', values.timeout, 0.001, MAX_TIMEOUT_SECONDS) ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const maxRows =
      numberOption('max-rows', values['max-rows'], 1, Number.MAX_SAFE_INTEGER) ??
      (format === 'table' ? TABLE_MAX_ROWS : Number.POSITIVE_INFINITY);
    const sql = positionals[0]!;
    const query = await WarehouseReader.open(warehousePathOf(ctx));
    let running: BoundedQuery | null = null;
    let written = 0;
    try {
      if (values['as-of'] !== undefined) {
        const asOf = await query.asOf(values['as-of']);
        ctx.out.progress(
          `As of ${asOf.described}: trade_flows and port_throughput show the figures current then.`,
        );
      }
      running = await query.start(sql, { timeoutMs, what: 'The query' });
      const columns = running.columns.map((c) => c.name);
      const counted = async function* (source: AsyncIterable<unknown[][]>) {
        for await (const batch of source) {
          yield batch;
          written += batch.length;
        }
      };
      const { written: shown, leftOut } = await writeRows(
        ctx.out,
        format,
        columns,
        counted(running.batches()),
        maxRows,
      );
      const more = shown < maxRows || !running.reader ? 0 : leftOut + (await running.countRest());
      if (more > 0) {
        ctx.out.message(
          `(${formatCount(shown)} of ${formatCount(shown + more)} rows shown: ${formatCount(more)} more. For all of them: --format csv > rows.csv, or corridor export --query "…" --out rows.xlsx; or a larger --max-rows.)`,
        );
      } else if (format === 'table') {
        ctx.out.progress(`(${formatCount(shown)} row${shown === 1 ? '' : 's'})`);
      }
      return ExitCode.Success;
    } catch (error) {
      throw queryError(error, 'The query', timeoutMs, written, query.backend);
    } finally {
      running?.close();
      // On PostgreSQL the query's transaction ends on the connection before it closes.
      await running?.exited;
      await query.close();
    }
  },
};
