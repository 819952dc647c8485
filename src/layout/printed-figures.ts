/**
 * Figures as a table prints them: shown back in messages, and scaled by a unit's multiplier
 * without the binary noise a plain product brings (95095.17478 × 1000 = 95095174.78000001).
 */

/** A figure for a message: thin spaces between thousands, at most 6 decimals. */
export const formatFigure = (n: number): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: 6 }).replace(/,/g, '\u202f');

/** `value` × `multiplier` without binary noise: rounded to the decimals the product can have. */
export function scaledFigure(value: number, decimals: number, multiplier: number): number {
  if (multiplier === 1) return value;
  const product = value * multiplier;
  const shift = Math.log10(multiplier);
  if (!Number.isInteger(shift)) return product;
  return Number(product.toFixed(Math.max(0, Math.min(20, decimals - shift))));
}
