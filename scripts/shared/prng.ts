/**
 * Deterministic randomness and number formatting for the benchmark inputs. mulberry32 with a
 * fixed seed, and amounts kept as integer thousandths formatted by hand, so the same generator
 * version writes byte-identical files on every machine (no Math.random, no exp/log/pow whose
 * last bits may differ between platforms).
 */

export type Rng = () => number;

/** mulberry32: small, fast, well-known 32-bit PRNG; floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A skewed positive amount in thousandths: a product of uniforms gives many small flows and a
 * few large ones, as trade data has, using only multiplication.
 */
export function skewedMilli(rng: Rng, scale: number): number {
  return 1 + Math.floor(rng() * rng() * rng() * rng() * scale);
}

/** Thousandths as a decimal with exactly 3 decimals, as BACI writes v and q. */
export function fixed3(milli: number): string {
  const frac = milli % 1000;
  return `${(milli - frac) / 1000}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/** A CSV cell, quoted only when it must be. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows per bucket so that the counts add up to exactly `total`, in proportion to `weights`
 * (cumulative rounding, so no bucket is off by more than one from its share).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts: number[] = [];
  let cumulative = 0;
  let given = 0;
  for (const w of weights) {
    cumulative += w;
    const upTo = Math.floor((cumulative / sum) * total + 1e-9);
    counts.push(upTo - given);
    given = upTo;
  }
  counts[counts.length - 1]! += total - given;
  return counts;
}

/**
 * Knuth's selection sampling (Algorithm S): calls `take` with exactly `count` distinct indices
 * of [0, size), in increasing order. Sorted and duplicate-free by construction, with no set.
 */
export function selectSorted(rng: Rng, size: number, count: number, take: (index: number) => void): void {
  let needed = count;
  for (let index = 0; index < size && needed > 0; index++) {
    if (rng() * (size - index) < needed) {
      take(index);
      needed--;
    }
  }
}
