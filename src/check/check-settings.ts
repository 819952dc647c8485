/**
 * The thresholds of the warehouse checks (`corridor check`, and the checks after each derive):
 * defaults here, overridden by a pipeline's `checks:` section or the command's options.
 */
import { z } from 'zod';
import type { SqlFlavor } from '../db/sql-flavor.ts';

export const checkSettingsSchema = z.strictObject({
  /** Sums may differ from a published figure by this share of it… @default 0.005 (0.5 %) */
  tolerance: z.number().min(0).max(1).default(0.005),
  /** …or by this many US dollars, whichever is larger. @default 1000 */
  toleranceUsd: z.number().min(0).default(1000),
  /**
   * Partners summing below their World row by more than this share of it are an `info`
   * finding (an extract of some partners covers less than the world: not an error). @default 0.5
   */
  worldUnderCoverage: z.number().min(0).max(1).default(0.5),
  /** Unit values further than k median absolute deviations (of ln USD/kg) from the median. @default 5 */
  unitValueK: z.number().positive().default(5),
  /** Fewest observations of an HS6 code for a band to be drawn. @default 5 */
  unitValueMinObservations: z.number().int().min(3).default(5),
  /** Mirror rows whose symmetric discrepancy |X − M| / (X + M) reaches this. @default 0.5 */
  mirrorDiscrepancy: z.number().min(0).max(1).default(0.5),
  /** …and whose gap is at least this many US dollars. @default 1000000 */
  mirrorMinGapUsd: z.number().min(0).default(1_000_000),
  /** A reporter-period whose total fell by more than this share from one vintage to the next. @default 0.2 */
  shrinkFraction: z.number().min(0).max(1).default(0.2),
});

export type CheckSettingsInput = z.input<typeof checkSettingsSchema>;
export type CheckSettings = Readonly<z.output<typeof checkSettingsSchema>>;

export const DEFAULT_CHECK_SETTINGS: CheckSettings = checkSettingsSchema.parse({});

/** The settings with `overrides` applied over `base` (undefined keys left as they are). */
export function checkSettingsOf(
  overrides: CheckSettingsInput = {},
  base: CheckSettingsInput = {},
): CheckSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return checkSettingsSchema.parse({ ...base, ...defined });
}

/**
 * SQL: `found` is beyond `reference` by more than the tolerance (relative to `reference`, or
 * absolute, whichever is larger).
 */
export const exceedsSql = (found: string, reference: string, s: CheckSettings, flavor: SqlFlavor): string =>
  `${found} - ${reference} > ${flavor.greatest(`${s.tolerance} * abs(${reference})`, String(s.toleranceUsd))}`;
