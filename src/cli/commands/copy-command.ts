/**
 * `corridor copy --from <file or url> --to <url or file>`: moves a whole warehouse between
 * backends (a SQLite file grown too large for one analyst's laptop onto the ministry's
 * PostgreSQL, or a server's warehouse into a file to take along). The target is created or
 * migrated first, and must hold no load yet.
 */
import { INDICATORS } from '../../../warehouse/indicators/index.ts';
import { copyWarehouse } from '../../db/copy-warehouse.ts';
import { openWarehouse, resolveWarehouseTarget, type Warehouse } from '../../db/warehouse.ts';
import { tableSchemaSql } from '../../derive/indicator-table.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { migrateToLatest } from '../../load/migrate.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { formatDuration } from '../output.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

/**
 * An indicator table as the derive stage made it in the source, made alike in the target: new,
 * or in place of init's stand-in (ind_trade_sums), with the views over it put back as derive does.
 */
async function createIndicatorTable(target: Warehouse, table: string): Promise<boolean> {
  const definition = INDICATORS.find((d) => d.table === table);
  if (definition === undefined) return false;
  const { sql, flavor } = target;
  const views = await sql.all<{ name: string; definition: string }>(flavor.dependentViewsSql, [table]);
  await sql.exec(flavor.dropTable(table));
  await sql.exec(tableSchemaSql(definition, flavor));
  for (const view of views) await sql.exec(`create view ${view.name} as ${view.definition}`);
  return true;
}

/** A --from/--to value as openWarehouse takes it: a URL as given, a path from the working folder. */
function locationOf(value: string, cwd: string): string {
  const target = resolveWarehouseTarget(value, cwd);
  return target.backend === 'sqlite' ? target.path : target.url;
}

const OPTIONS = {
  from: {
    type: 'string',
    value: '<file|url>',
    description: 'the warehouse to copy: a SQLite file or a postgres:// URL',
  },
  to: {
    type: 'string',
    value: '<file|url>',
    description: 'the target: an empty PostgreSQL database or a new SQLite file',
  },
} as const satisfies OptionSpecs;

export const copyCommand: Command = {
  name: 'copy',
  usage: 'corridor copy --from <warehouse file or postgres:// url> --to <postgres:// url or new file>',
  synopsis: 'corridor copy --from <db> --to <db>',
  summary: 'move a whole warehouse to another backend (SQLite ⇄ PostgreSQL) into an empty target',
  options: OPTIONS,
  examples: [
    'corridor copy --from warehouse/corridor.db --to postgres://corridor@localhost:5432/corridor',
    'corridor copy --from postgres://corridor@db/corridor --to backup.db',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    if (values.from === undefined || values.to === undefined || positionals.length > 0)
      throw new ConfigError(
        `corridor copy needs --from (the warehouse to copy) and --to (an empty target).\nUsage: ${this.usage}`,
        { code: 'usage' },
      );
    const from = locationOf(values.from, ctx.cwd);
    const to = locationOf(values.to, ctx.cwd);
    if (from === to)
      throw new ConfigError(
        `--from and --to name the same warehouse (${values.from}); give --to a new one.`,
        {
          code: 'usage',
        },
      );
    const started = Date.now();
    const source = await openWarehouse(from, { readonly: true });
    try {
      const target = await openWarehouse(to);
      try {
        // The target gets this version's schema (the copy checks the source has the same); its
        // reference data comes from the source, so init's own would only be replaced.
        await migrateToLatest(target);
        const summary = await copyWarehouse(source, target, {
          createTable: createIndicatorTable,
          onTable: (table, rows) => ctx.out.progress(`copied ${table}: ${rows} rows`),
        });
        const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
        if (ctx.out.json)
          ctx.out.document({ from: source.path, to: target.path, tables: summary.tables, rows });
        else
          ctx.out.line(
            `Copied ${source.path} to ${target.path}: ${summary.tables.length} tables, ${rows} rows, in ${formatDuration(Date.now() - started)}.`,
          );
        return ExitCode.Success;
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },
};
