import { ExitCode } from '../../errors.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount } from '../output.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

const OPTIONS = {
  run: {
    type: 'string',
    value: '<id>',
    default: 'the latest run with rejects',
    description: 'the run whose rejects to show',
  },
  code: {
    type: 'string',
    value: '<code>',
    description: 'only rejects of this code (unknown_country, bad_number…)',
  },
  limit: { type: 'string', value: '<n>', default: '50', description: 'rows shown at most' },
} as const satisfies OptionSpecs;

export const rejectsCommand: Command = {
  name: 'rejects',
  usage: 'corridor rejects [--run <id>] [--code <code>] [--limit 50]',
  summary: 'show rejected rows (the latest run with rejects by default)',
  options: OPTIONS,
  examples: ['corridor rejects', 'corridor rejects --run 12 --code unknown_hs_code --limit 200'],
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const limit = Math.floor(numberOption('limit', values.limit, 1, 10_000_000) ?? 50);
    const query = await WarehouseReader.open(warehousePathOf(ctx));
    try {
      const runArg = numberOption('run', values.run, 1, Number.MAX_SAFE_INTEGER);
      const latest = [...(await query.rows('select max(run_id) from rejects')).rows][0]?.[0];
      const runId = runArg ?? (typeof latest === 'number' ? latest : null);
      if (runId === null) {
        if (ctx.out.json) ctx.out.document([]);
        else ctx.out.line('No rejected rows in the warehouse.');
        return ExitCode.Success;
      }
      const code = values.code === undefined ? '' : ` and code = '${values.code.replace(/'/g, "''")}'`;
      const { columns, rows } = await query.rows(
        `select reject_id, run_id, load_id, source, file, sheet, row_number, column_name, code, message, value, raw
         from rejects where run_id = ${Math.floor(runId)}${code} order by load_id, row_number, reject_id limit ${limit}`,
      );
      const list = [...rows].map(
        (r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])) as Record<string, unknown>,
      );
      const [totals] = (
        await query.rows(
          `select count(*) as files, coalesce(sum(rows_rejected), 0) as rejected from load_files where run_id = ${Math.floor(runId)}`,
        )
      ).rows;
      if (ctx.out.json) {
        ctx.out.document(
          list.map((r) => ({ ...r, raw: typeof r.raw === 'string' ? JSON.parse(r.raw) : r.raw })),
        );
        return ExitCode.Success;
      }
      if (list.length === 0) {
        ctx.out.line(`Run ${runId} has no rejected rows${values.code ? ` with code ${values.code}` : ''}.`);
        return ExitCode.Success;
      }
      for (const r of list) {
        const where = [String(r.file).split('/').pop(), r.sheet]
          .filter((p) => p !== null && p !== undefined)
          .join(' › ');
        const column = r.column_name === null ? '' : `, column "${r.column_name}"`;
        const unit = /\.json(\.gz)?$/i.test(String(r.file)) ? 'record' : 'row';
        ctx.out.line(`${where} › ${unit} ${r.row_number}${column} [${r.code}]: ${r.message}`);
      }
      const rejectedRows = Number(totals?.[1] ?? 0);
      ctx.out.progress(
        `(${formatCount(list.length)} shown; run ${runId} rejected ${formatCount(rejectedRows)} rows in all${list.length >= limit ? `; --limit ${limit} reached, raise it or use --json` : ''})`,
      );
      return ExitCode.Success;
    } finally {
      await query.close();
    }
  },
};
