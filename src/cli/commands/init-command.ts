import { applyCitusLayout } from '../../db/postgres/citus.ts';
import { isPostgresUrl, openWarehouse } from '../../db/warehouse.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { prepareWarehouse } from '../../load/prepare-warehouse.ts';
import { checkRoleName, createReaderRole, type ReaderRole } from '../../query/reader-role.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatDuration } from '../output.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

const OPTIONS = {
  'create-reader-role': {
    type: 'string',
    value: '<name>',
    description: 'PostgreSQL: also create a login role that can only read the warehouse',
  },
  citus: {
    type: 'boolean',
    default: 'off',
    description: 'PostgreSQL on Citus: distribute the fact tables by reporter (docs/citus.md)',
  },
} as const satisfies OptionSpecs;

export const initCommand: Command = {
  name: 'init',
  usage: 'corridor init [--db <file | postgres://…>] [--create-reader-role <name>] [--citus]',
  summary:
    'create or migrate the warehouse and load reference data; on PostgreSQL, --create-reader-role makes a read-only login for analysts',
  options: OPTIONS,
  examples: [
    'corridor init',
    'corridor init --db postgres://corridor@localhost:5432/corridor --create-reader-role analyst',
  ],
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const location = warehousePathOf(ctx);
    const roleName = values['create-reader-role'];
    if (roleName !== undefined) {
      if (!isPostgresUrl(location))
        throw new ConfigError(
          `--create-reader-role is for a PostgreSQL warehouse (--db postgres://user@host:5432/db); a SQLite file has no roles. To let analysts read ${location} safely, give them "corridor sql", which opens it read-only.\nUsage: ${this.usage}`,
          { code: 'bad_arguments' },
        );
      checkRoleName(roleName);
    }
    const started = Date.now();
    const warehouse = await openWarehouse(location);
    try {
      const { migrations, reference } = await prepareWarehouse(warehouse);
      // On a Citus coordinator: fact tables distributed by reporter, the rest replicated (docs/citus.md).
      if (values.citus)
        for (const step of await applyCitusLayout(warehouse)) ctx.out.progress(`${step.statement};`);
      const role: ReaderRole | null =
        roleName === undefined ? null : await createReaderRole(warehouse, location, roleName);
      const countries = await warehouse.db
        .selectFrom('countries')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (ctx.out.json) {
        ctx.out.document({
          path: warehouse.path,
          migrationsApplied: migrations.applied,
          referenceLoaded: reference.loaded,
          countries: countries.n,
          ...(role === null ? {} : { readerRole: role }),
        });
      } else {
        const did = [
          migrations.applied.length > 0
            ? `applied ${migrations.applied.length} migration(s) (${migrations.applied.join(', ')})`
            : 'schema already current',
          reference.loaded.length > 0
            ? `loaded reference ${reference.loaded.map((r) => `${r.file} (${r.rows} rows)`).join(', ')}`
            : 'reference data already current',
        ];
        ctx.out.line(
          `Warehouse ${warehouse.path}: ${did.join('; ')}; ${countries.n} countries and areas, in ${formatDuration(Date.now() - started)}.`,
        );
        if (role !== null)
          ctx.out.line(
            `Reader role ${role.name} ${role.existed ? 'already existed; its grants are' : 'created;'} read-only: SELECT on every table and view of schema ${role.schema} (and on tables created later), no writes. Connect with:\n  corridor sql --db ${role.url} "select ..."\n  psql ${role.url}\nIt has no password: give it one with ALTER ROLE ${role.name} PASSWORD '…' (and add it to the URL), or let pg_hba.conf admit it.`,
          );
      }
      return ExitCode.Success;
    } finally {
      await warehouse.close();
    }
  },
};
