/**
 * The tolerance within which finer HS rows count as adding up to the coarser row above them
 * (warehouse/indicators/trade-hierarchy.ts): a fraction of the coarser row or an amount in US
 * dollars, whichever is larger. Kept in the `settings` table so every refresh uses the same, and
 * a change recomputes every indicator (the settings are part of the reference stamp).
 */
import { SUM_TOLERANCE_FRACTION, SUM_TOLERANCE_USD } from '../../warehouse/indicators/trade-hierarchy.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { ConfigError } from '../errors.ts';

export interface SumTolerance {
  readonly fraction?: number;
  readonly usd?: number;
}

/** `0.5%` or `0.005` → 0.005; refuses what is not a fraction from 0 up to 1. */
export function parseToleranceFraction(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = match ? Number(match[1]) / (match[2] === '%' ? 100 : 1) : Number.NaN;
  if (!(value >= 0 && value < 1)) {
    throw new ConfigError(
      `${option} ${text}: not a tolerance; give a fraction of the coarser row from 0 up to 1 (0.005) or a percentage (0.5%).`,
      { code: 'bad_arguments' },
    );
  }
  return value;
}

/** A non-negative amount of US dollars. */
export function parseToleranceUsd(text: string, option: string): number {
  const value = /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0)) {
    throw new ConfigError(`${option} ${text}: not an amount; give US dollars, 0 or more (1000).`, {
      code: 'bad_arguments',
    });
  }
  return value;
}

/** Stores what is given; returns the tolerance now in force. */
export async function setSumTolerance(
  warehouse: Warehouse,
  tolerance: SumTolerance,
): Promise<Required<SumTolerance>> {
  const store = async (key: string, value: number | undefined) => {
    if (value === undefined) return;
    await warehouse.db
      .insertInto('settings')
      .values({ key, value: String(value) })
      .onConflict((c) => c.column('key').doUpdateSet({ value: String(value) }))
      .execute();
  };
  await store(SUM_TOLERANCE_FRACTION.key, tolerance.fraction);
  await store(SUM_TOLERANCE_USD.key, tolerance.usd);
  const stored = await warehouse.db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', [SUM_TOLERANCE_FRACTION.key, SUM_TOLERANCE_USD.key])
    .execute();
  const read = (key: string, fallback: number) => {
    const row = stored.find((r) => r.key === key);
    return row === undefined ? fallback : Number(row.value);
  };
  return {
    fraction: read(SUM_TOLERANCE_FRACTION.key, SUM_TOLERANCE_FRACTION.default),
    usd: read(SUM_TOLERANCE_USD.key, SUM_TOLERANCE_USD.default),
  };
}
