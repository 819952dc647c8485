/**
 * The warehouse's `settings` table (key, value; migration 0003): what a warehouse remembers
 * about itself, on both backends. Which keys a user may set, and what they mean, is the CLI's
 * business (`corridor config`); this file only reads and writes rows.
 */
import type { Warehouse } from './warehouse.ts';

/** Every setting, by key, in key order. */
export async function readSettings(warehouse: Warehouse): Promise<ReadonlyMap<string, string>> {
  const rows = await warehouse.db.selectFrom('settings').select(['key', 'value']).orderBy('key').execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Stores `value` under `key`, replacing what was there. */
export async function writeSetting(warehouse: Warehouse, key: string, value: string): Promise<void> {
  await warehouse.db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Removes `key`; false when it was not set. */
export async function removeSetting(warehouse: Warehouse, key: string): Promise<boolean> {
  const result = await warehouse.db.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
