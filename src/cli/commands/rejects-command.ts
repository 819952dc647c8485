import { ExitCode } from '../../errors.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount } from '../output.ts';
import { numberOption, parseCommandArgs } from '../parse-options.ts';

export const rejectsCommand: Command = {
  name: 'rejects',
  usage: 'corridor rejects [--run <id>] [--code <code>] [--limit 50]',
  summary: 'show rejected rows (the latest run with rejects by default)',
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.args,
      { run: { type: 'string' }, code: { type: 'string' }, limit: { type: 'string' } },
      this.usage,
    );
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
