import { ExitCode } from '../../errors.ts';
import { loadSummaryQuery, REVISION_COLUMNS, revisionsQuery } from '../../query/revisions.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount } from '../output.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

const OPTIONS = {
  source: { type: 'string', value: '<name>', description: 'only loads of this source' },
  reporter: { type: 'string', value: '<ISO3|LOCODE>', description: 'only figures of this reporter or port' },
  period: { type: 'string', value: '<period>', description: 'only figures of this period (2023, 2023-07)' },
  run: { type: 'string', value: '<id>', description: 'only what this run changed' },
  limit: { type: 'string', value: '<n>', default: '200', description: 'revisions shown at most' },
} as const satisfies OptionSpecs;

export const revisionsCommand: Command = {
  name: 'revisions',
  usage: 'corridor revisions [--source S] [--reporter ISO3|LOCODE] [--period P] [--run N] [--limit 200]',
  synopsis: 'corridor revisions [--source S] [--reporter R] [--period P] [--run N]',
  summary: 'what each load changed: figures added, changed (old → new), retired, reverted',
  options: OPTIONS,
  examples: ['corridor revisions --reporter PAK --period 2023', 'corridor revisions --run 12 --json'],
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const limit = Math.floor(numberOption('limit', values.limit, 1, 100_000_000) ?? 200);
    const run = numberOption('run', values.run, 1, Number.MAX_SAFE_INTEGER);
    const filter = {
      ...(values.source === undefined ? {} : { source: values.source }),
      ...(values.reporter === undefined ? {} : { reporter: values.reporter.toUpperCase() }),
      ...(values.period === undefined ? {} : { period: values.period }),
      ...(run === undefined ? {} : { run }),
    };
    const query = await WarehouseReader.open(warehousePathOf(ctx));
    try {
      // One row past the limit says there are more, without holding every revision in memory.
      const rows = [
        ...(await query.rows(`${revisionsQuery(query.warehouse.flavor, filter)} limit ${limit + 1}`)).rows,
      ];
      if (ctx.out.json) {
        ctx.out.document(
          rows.slice(0, limit).map((r) => Object.fromEntries(REVISION_COLUMNS.map((c, i) => [c, r[i]]))),
        );
        return ExitCode.Success;
      }
      const loads = new Set(rows.map((r) => r[0]));
      const summary = [...(await query.rows(loadSummaryQuery(filter))).rows].filter((l) => loads.has(l[0]));
      if (rows.length === 0) {
        ctx.out.line('No revisions match: no load added, changed or retired such figures.');
        return ExitCode.Success;
      }
      for (const [loadId, runId, source, file, release, ins, chg, unch, ret, reop, reverts] of summary) {
        const what =
          reverts === null
            ? `${formatCount(Number(ins))} added, ${formatCount(Number(chg))} changed, ${formatCount(Number(unch))} unchanged, ${formatCount(Number(ret))} retired`
            : `revert of load ${reverts}: ${formatCount(Number(ret))} closed, ${formatCount(Number(reop))} reopened`;
        ctx.out.line(
          `load ${loadId} (run ${runId}, ${source}, ${file}${release === null ? '' : `, release ${release}`}): ${what}`,
        );
      }
      ctx.out.table([...REVISION_COLUMNS], rows.slice(0, limit));
      ctx.out.progress(
        rows.length > limit
          ? `(first ${formatCount(limit)} revisions shown; the loads above say how many there are; raise --limit or narrow with --run, --reporter, --period)`
          : `(${formatCount(rows.length)} revision${rows.length === 1 ? '' : 's'})`,
      );
      return ExitCode.Success;
    } finally {
      await query.close();
    }
  },
};
