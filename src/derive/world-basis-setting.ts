/**
 * How many reporters make a Comtrade year the world (`corridor derive --world-min-reporters N`;
 * docs/world-basis.md): kept in `settings`, which the indicators read, so a change recomputes
 * RCA and trade intensity of every year.
 */
import {
  DEFAULT_MIN_REPORTERS,
  MIN_REPORTERS_SETTING,
} from '../../warehouse/indicators/trade-world-basis.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { ConfigError } from '../errors.ts';

/** Below this, a handful of countries' extract would pass for the world: never allowed. */
const MIN_REPORTERS_FLOOR = 10;

/**
 * Stores `wanted` (the option's text) as the setting; true when it changed what was stored.
 * Undefined leaves the setting as it is.
 */
export async function setWorldMinReporters(
  warehouse: Warehouse,
  wanted: string | undefined,
): Promise<boolean> {
  if (wanted === undefined) return false;
  const count = Number(wanted.trim());
  if (!Number.isInteger(count) || count < MIN_REPORTERS_FLOOR)
    throw new ConfigError(
      `--world-min-reporters ${wanted}: give a whole number of reporters of at least ${MIN_REPORTERS_FLOOR} (default ${DEFAULT_MIN_REPORTERS}); a Comtrade year whose World export rows come from that many reporters is taken as the world.`,
      { code: 'bad_arguments' },
    );
  const before = await warehouse.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', MIN_REPORTERS_SETTING)
    .executeTakeFirst();
  if (before?.value === String(count)) return false;
  await warehouse.db
    .insertInto('settings')
    .values({ key: MIN_REPORTERS_SETTING, value: String(count) })
    .onConflict((c) => c.column('key').doUpdateSet({ value: String(count) }))
    .execute();
  return true;
}
