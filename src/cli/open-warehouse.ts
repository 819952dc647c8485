import { existsSync } from 'node:fs';
/** Opens the warehouse a command names, migrated and with reference data, for writing. */
import { prepareWarehouse } from '../load/prepare-warehouse.ts';
import { openWarehouse, resolveWarehousePath, type Warehouse } from '../load/warehouse.ts';
import type { CommandContext } from './command.ts';

/**
 * @param options.dryRun a dry run must not create a warehouse: when the file does not exist
 *   yet, it validates against a throwaway in-memory one instead.
 */
export async function openPreparedWarehouse(
  ctx: CommandContext,
  options: { dryRun?: boolean } = {},
): Promise<Warehouse> {
  const path = resolveWarehousePath(ctx.globals.db, ctx.cwd);
  const warehouse = openWarehouse(options.dryRun && !existsSync(path) ? ':memory:' : path);
  try {
    await prepareWarehouse(warehouse);
  } catch (error) {
    await warehouse.close();
    throw error;
  }
  return warehouse;
}

export function warehousePathOf(ctx: CommandContext): string {
  return resolveWarehousePath(ctx.globals.db, ctx.cwd);
}
