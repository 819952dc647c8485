/** Opens the warehouse a command names, migrated and with reference data, for writing. */

import { resolveWarehousePath, type Warehouse } from '../db/warehouse.ts';
import { openReadyWarehouse } from '../load/prepare-warehouse.ts';
import type { CommandContext } from './command.ts';

/**
 * @param options.dryRun a dry run must not create a warehouse: when the file does not exist
 *   yet, it validates against a throwaway in-memory one instead.
 */
export async function openPreparedWarehouse(
  ctx: CommandContext,
  options: { dryRun?: boolean } = {},
): Promise<Warehouse> {
  return openReadyWarehouse(resolveWarehousePath(ctx.globals.db, ctx.cwd), options);
}

export function warehousePathOf(ctx: CommandContext): string {
  return resolveWarehousePath(ctx.globals.db, ctx.cwd);
}
