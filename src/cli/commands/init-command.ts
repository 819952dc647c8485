import { openWarehouse } from '../../db/warehouse.ts';
import { ExitCode } from '../../errors.ts';
import { prepareWarehouse } from '../../load/prepare-warehouse.ts';
import type { Command } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatDuration } from '../output.ts';
import { parseCommandArgs } from '../parse-options.ts';

export const initCommand: Command = {
  name: 'init',
  usage: 'corridor init [--db <file>]',
  summary: 'create or migrate the warehouse and load reference data',
  async run(ctx) {
    parseCommandArgs(ctx.args, {}, this.usage);
    const started = Date.now();
    const warehouse = await openWarehouse(warehousePathOf(ctx));
    try {
      const { migrations, reference } = await prepareWarehouse(warehouse);
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
      }
      return ExitCode.Success;
    } finally {
      await warehouse.close();
    }
  },
};
