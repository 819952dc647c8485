/**
 * The arithmetic and text of a chart's value axis: nice ticks, compact labels (1.2 M, 350 k),
 * full figures for tooltips, and XML escaping. Kept apart from the drawing (svg-chart.ts) so
 * both the renderer and its tests read the same rules.
 */

/** Every character that could end an attribute or open markup, as an entity. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** A coordinate with at most two decimals: the same spec gives the same bytes, and the file stays small. */
export function coordinate(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/** A value axis: its ends and the ticks between them, each a multiple of `step`. */
export interface ValueScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly ticks: readonly number[];
}

/** 1, 2, 2.5 or 5 times a power of ten, the first at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw - power * 1e-9) return m * power;
  return 10 * power;
}

/** Ticks covering [low, high], about `count` intervals; an empty or flat range widens around its value. */
export function niceScale(low: number, high: number, count = 5): ValueScale {
  let lo = Math.min(low, high);
  let hi = Math.max(low, high);
  if (lo === hi) {
    if (lo === 0) hi = 1;
    else if (lo > 0) lo = 0;
    else hi = 0;
  }
  const step = niceStep((hi - lo) / count);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step * 1e-9; i++)
    ticks.push(Number((min + i * step).toFixed(decimals)));
  return { min: ticks[0]!, max: ticks[ticks.length - 1]!, step, ticks };
}

const MAGNITUDES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Digits without trailing zeros: 1.50 → 1.5, 2.00 → 2. */
function trimmed(n: number, decimals: number): string {
  const text = n.toFixed(decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** An axis label: 1.2 M, 350 k, 0.25, −3 M (the unit is in the axis title). */
export function compactNumber(value: number): string {
  const sign = value < 0 ? '−' : '';
  const size = Math.abs(value);
  for (const [scale, suffix] of MAGNITUDES) {
    if (size >= scale) return `${sign}${trimmed(size / scale, size / scale >= 100 ? 0 : 2)} ${suffix}`;
  }
  return `${sign}${trimmed(size, size >= 100 ? 0 : size >= 1 ? 2 : 4)}`;
}

/** A tooltip's figure in full, grouped by thousands: 1,234,567.5. */
export function fullNumber(value: number): string {
  const sign = value < 0 ? '−' : '';
  const [whole, fraction] = trimmed(Math.abs(value), 4).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Text cut to `max` characters with an ellipsis; the caller keeps the full text for a <title>. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, Math.max(1, max - 1))
        .join('')
        .trimEnd()}…`;
}

/** About how wide text is at a font size, in pixels (no DOM to measure it). */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.58;
}
