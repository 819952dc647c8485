/** Opens the warehouse a command names, migrated and with reference data, for writing. */
import { prepareWarehouse } from '../load/prepare-warehouse.ts';
import { openWarehouse, resolveWarehousePath, type Warehouse } from '../load/warehouse.ts';
import type { CommandContext } from './command.ts';

export async function openPreparedWarehouse(ctx: CommandContext): Promise<Warehouse> {
  const warehouse = openWarehouse(resolveWarehousePath(ctx.globals.db, ctx.cwd));
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
