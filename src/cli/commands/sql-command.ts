import { ConfigError, ExitCode } from '../../errors.ts';
import { ReadOnlyQuery } from '../../query/read-only-query.ts';
import type { Command } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { cellText, formatCount } from '../output.ts';
import { parseCommandArgs } from '../parse-options.ts';

/** Rows a terminal table shows before pointing at --format csv. */
const TABLE_ROW_LIMIT = 500;

export const sqlCommand: Command = {
  name: 'sql',
  usage: 'corridor sql "<query>" [--format table|csv|json] [--as-of <run id | date | release>]',
  summary: 'run a read-only SQL query',
  async run(ctx) {
    // A query that starts with a `--` comment is still the query, not an option.
    const looksLikeSql = (arg: string) => arg.startsWith('--') && /\s/.test(arg);
    const queries = ctx.args.includes('--') ? [] : ctx.args.filter(looksLikeSql);
    const args = [
      ...ctx.args.filter((arg) => !queries.includes(arg)),
      ...(queries.length > 0 ? ['--', ...queries] : []),
    ];
    const { values, positionals } = parseCommandArgs(
      args,
      { format: { type: 'string', short: 'f' }, 'as-of': { type: 'string' } },
      this.usage,
    );
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
    const query = new ReadOnlyQuery(warehousePathOf(ctx));
    try {
      if (values['as-of'] !== undefined) {
        const asOf = query.asOf(values['as-of']);
        ctx.out.progress(
          `As of ${asOf.described}: trade_flows and port_throughput show the figures current then.`,
        );
      }
      const { columns, rows } = query.run(positionals[0]!);
      if (format === 'csv') {
        ctx.out.csv(columns, rows);
      } else if (format === 'json') {
        // Streamed as one array so a large result never sits in memory twice.
        // The first row is fetched before anything is written: a query that fails at once
        // leaves stdout empty rather than holding half a document.
        const iterator = rows[Symbol.iterator]();
        const head = iterator.next();
        const all: Iterable<readonly unknown[]> = head.done
          ? []
          : (function* () {
              yield head.value;
              yield* { [Symbol.iterator]: () => iterator };
            })();
        ctx.out.write('[');
        let first = true;
        for (const row of all) {
          const record = Object.fromEntries(
            columns.map((c, i) => [c, typeof row[i] === 'bigint' ? cellText(row[i]) : row[i]]),
          );
          ctx.out.write(`${first ? '\n' : ',\n'}  ${JSON.stringify(record)}`);
          first = false;
        }
        ctx.out.write(first ? ']\n' : '\n]\n');
      } else {
        const shown: (readonly unknown[])[] = [];
        let count = 0;
        for (const row of rows) {
          if (count < TABLE_ROW_LIMIT) shown.push(row);
          count++;
        }
        if (columns.length > 0) ctx.out.table(columns, shown);
        ctx.out.progress(
          count > TABLE_ROW_LIMIT
            ? `(${formatCount(TABLE_ROW_LIMIT)} of ${formatCount(count)} rows shown; use --format csv for all)`
            : `(${formatCount(count)} row${count === 1 ? '' : 's'})`,
        );
      }
      return ExitCode.Success;
    } finally {
      query.close();
    }
  },
};
