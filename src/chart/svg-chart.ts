/**
 * Renders a ChartSpec as one self-contained SVG document: presentation attributes inline, the
 * system font, no script, no external reference, so it shows the same in the console, in a
 * browser opened on the file and in a report. Built as text (there is no DOM in Node): every
 * piece of text from the spec goes through escapeXml, and the output depends on the spec
 * alone, so the same spec gives the same bytes.
 *
 * Every bar or point is a `class="mark"` element with `data-series`, `data-category` and
 * `data-value` (the raw number) and a <title> tooltip: tests and the console read those.
 */
import {
  coordinate as c,
  compactNumber,
  fullNumber,
  niceScale,
  textWidth,
  truncate,
  type ValueScale,
  escapeXml as x,
} from './chart-scale.ts';
import type { ChartSeries, ChartSpec } from './chart-spec.ts';

/** Okabe–Ito's colours, then Paul Tol's darker ones: told apart with the common colour-vision deficiencies. */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#332288',
  '#882255',
  '#117733',
  '#999933',
  '#888888',
];

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const INK = '#222222';
const MUTED = '#666666';
const GRID = '#E3E3E3';
const AXIS = '#444444';
/** Characters a category label keeps under a vertical chart, and beside a horizontal one. */
const COLUMN_LABEL_CHARS = 14;
const ROW_LABEL_CHARS = 30;
const LEGEND_LABEL_CHARS = 28;

interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A value as a chart takes it: a finite number, else nothing (drawn as no mark). */
const drawable = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

const colourOf = (index: number) => PALETTE[index % PALETTE.length]!;

function text(
  content: string,
  at: { x: number; y: number },
  style: {
    size: number;
    fill?: string;
    anchor?: 'start' | 'middle' | 'end';
    weight?: string;
    extra?: string;
  },
): string {
  return `<text x="${c(at.x)}" y="${c(at.y)}" font-size="${style.size}" fill="${style.fill ?? INK}"${
    style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : ''
  }${style.weight ? ` font-weight="${style.weight}"` : ''}${style.extra ?? ''}>${x(content)}</text>`;
}

/** A label cut to `max` characters, with the full text as its tooltip when it was cut. */
function label(
  full: string,
  max: number,
  at: { x: number; y: number },
  style: Parameters<typeof text>[2],
): string {
  const shown = truncate(full, max);
  if (shown === full) return text(full, at, style);
  return `<g><title>${x(full)}</title>${text(shown, at, style)}</g>`;
}

/** The low and high ends the values reach: stacked charts add each category's positives and negatives. */
function extent(spec: ChartSpec, stacked: boolean): [number, number] | null {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  spec.categories.forEach((_, i) => {
    let up = 0;
    let down = 0;
    for (const s of spec.series) {
      const v = drawable(s.values[i]);
      if (v === null) continue;
      if (stacked) {
        if (v >= 0) up += v;
        else down += v;
        low = Math.min(low, down);
        high = Math.max(high, up);
      } else {
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
  });
  if (low === Number.POSITIVE_INFINITY) return null;
  // Bars grow from zero, so zero is on the axis; a line shows its range.
  return spec.kind === 'line' ? [low, high] : [Math.min(0, low), Math.max(0, high)];
}

function mark(
  shape: string,
  series: ChartSeries,
  category: string,
  value: number,
  colour: string,
  unit: string,
): string {
  const tip = `${series.name} · ${category}: ${fullNumber(value)}${unit ? ` ${unit}` : ''}`;
  return `<${shape} fill="${colour}" class="mark" data-series="${x(series.name)}" data-category="${x(
    category,
  )}" data-value="${x(String(value))}"><title>${x(tip)}</title></${shape.split(' ')[0]}>`;
}

/** The legend under the title, wrapped to the width; returns its markup and height. */
function legend(spec: ChartSpec, top: number, width: number): { svg: string; height: number } {
  if (spec.series.length < 2) return { svg: '', height: 0 };
  const parts: string[] = ['<g class="legend">'];
  let at = 16;
  let row = 0;
  spec.series.forEach((s, i) => {
    const shown = truncate(s.name, LEGEND_LABEL_CHARS);
    const itemWidth = 18 + textWidth(shown, 12) + 16;
    if (at + itemWidth > width - 16 && at > 16) {
      at = 16;
      row += 1;
    }
    const y = top + row * 18;
    parts.push(
      `<rect x="${c(at)}" y="${c(y)}" width="11" height="11" rx="2" fill="${colourOf(i)}"/>`,
      label(s.name, LEGEND_LABEL_CHARS, { x: at + 16, y: y + 10 }, { size: 12 }),
    );
    at += itemWidth;
  });
  parts.push('</g>');
  return { svg: parts.join(''), height: (row + 1) * 18 + 6 };
}

/** Gridlines and value labels along one axis, the zero line darker. */
function valueAxis(scale: ValueScale, box: Box, horizontal: boolean, unit: string): string {
  const parts: string[] = ['<g class="value-axis">'];
  const at = (v: number) => position(scale, box, horizontal, v);
  for (const tick of scale.ticks) {
    const p = at(tick);
    const zero = tick === 0;
    const stroke = zero ? AXIS : GRID;
    parts.push(
      horizontal
        ? `<line x1="${c(p)}" y1="${c(box.top)}" x2="${c(p)}" y2="${c(box.top + box.height)}" stroke="${stroke}"/>`
        : `<line x1="${c(box.left)}" y1="${c(p)}" x2="${c(box.left + box.width)}" y2="${c(p)}" stroke="${stroke}"/>`,
      horizontal
        ? text(
            compactNumber(tick),
            { x: p, y: box.top + box.height + 16 },
            { size: 11, fill: MUTED, anchor: 'middle' },
          )
        : text(compactNumber(tick), { x: box.left - 6, y: p + 4 }, { size: 11, fill: MUTED, anchor: 'end' }),
    );
  }
  if (unit) {
    parts.push(
      horizontal
        ? text(
            unit,
            { x: box.left + box.width / 2, y: box.top + box.height + 34 },
            { size: 12, fill: MUTED, anchor: 'middle' },
          )
        : text(
            unit,
            { x: 14, y: box.top + box.height / 2 },
            {
              size: 12,
              fill: MUTED,
              anchor: 'middle',
              extra: ` transform="rotate(-90 14 ${c(box.top + box.height / 2)})"`,
            },
          ),
    );
  }
  parts.push('</g>');
  return parts.join('');
}

/** Where a value falls: a y for vertical charts, an x for horizontal ones. */
function position(scale: ValueScale, box: Box, horizontal: boolean, v: number): number {
  const share = (v - scale.min) / (scale.max - scale.min);
  return horizontal ? box.left + share * box.width : box.top + (1 - share) * box.height;
}

/** Category labels, every `every`-th one when they would overlap. */
function categoryAxis(spec: ChartSpec, box: Box, horizontal: boolean): string {
  const n = spec.categories.length;
  const band = (horizontal ? box.height : box.width) / n;
  const max = horizontal ? ROW_LABEL_CHARS : COLUMN_LABEL_CHARS;
  const widest = Math.max(...spec.categories.map((k) => textWidth(truncate(k, max), 11)));
  const every = Math.max(1, Math.ceil((horizontal ? 13 : widest + 8) / band));
  const parts: string[] = ['<g class="category-axis">'];
  spec.categories.forEach((category, i) => {
    if (i % every !== 0) return;
    const middle = (horizontal ? box.top : box.left) + band * (i + 0.5);
    parts.push(
      horizontal
        ? label(category, max, { x: box.left - 6, y: middle + 4 }, { size: 11, fill: INK, anchor: 'end' })
        : label(
            category,
            max,
            { x: middle, y: box.top + box.height + 16 },
            { size: 11, fill: INK, anchor: 'middle' },
          ),
    );
  });
  parts.push('</g>');
  return parts.join('');
}

function bars(spec: ChartSpec, scale: ValueScale, box: Box, horizontal: boolean): string {
  const grouped = spec.kind === 'grouped-bar';
  const n = spec.categories.length;
  const band = (horizontal ? box.height : box.width) / n;
  const groupWidth = band * (grouped ? 0.8 : 0.7);
  const barWidth = grouped ? groupWidth / spec.series.length : groupWidth;
  const at = (v: number) => position(scale, box, horizontal, v);
  const parts: string[] = ['<g class="marks">'];
  spec.categories.forEach((category, i) => {
    const start = (horizontal ? box.top : box.left) + band * i + (band - groupWidth) / 2;
    let up = 0;
    let down = 0;
    spec.series.forEach((s, j) => {
      const v = drawable(s.values[i]);
      if (v === null) return;
      let from = 0;
      let to = v;
      if (!grouped) {
        from = v >= 0 ? up : down;
        to = from + v;
        if (v >= 0) up = to;
        else down = to;
      }
      const a = at(from);
      const b = at(to);
      const offset = start + (grouped ? j * barWidth : 0);
      const shape = horizontal
        ? `rect x="${c(Math.min(a, b))}" y="${c(offset)}" width="${c(Math.abs(b - a))}" height="${c(barWidth)}"`
        : `rect x="${c(offset)}" y="${c(Math.min(a, b))}" width="${c(barWidth)}" height="${c(Math.abs(b - a))}"`;
      parts.push(mark(shape, s, category, v, colourOf(j), spec.unit));
    });
  });
  parts.push('</g>');
  return parts.join('');
}

function lines(spec: ChartSpec, scale: ValueScale, box: Box): string {
  const band = box.width / spec.categories.length;
  const xAt = (i: number) => box.left + band * (i + 0.5);
  const parts: string[] = ['<g class="marks">'];
  spec.series.forEach((s, j) => {
    // A null value breaks the line: the next point starts a new segment (M), never joined across.
    let path = '';
    let drawing = false;
    spec.categories.forEach((_, i) => {
      const v = drawable(s.values[i]);
      if (v === null) {
        drawing = false;
        return;
      }
      path += `${drawing ? 'L' : 'M'}${c(xAt(i))} ${c(position(scale, box, false, v))}`;
      drawing = true;
    });
    if (path)
      parts.push(
        `<path d="${path}" fill="none" stroke="${colourOf(j)}" stroke-width="2" stroke-linejoin="round"/>`,
      );
    spec.categories.forEach((category, i) => {
      const v = drawable(s.values[i]);
      if (v === null) return;
      const shape = `circle cx="${c(xAt(i))}" cy="${c(position(scale, box, false, v))}" r="3.5"`;
      parts.push(mark(shape, s, category, v, colourOf(j), spec.unit));
    });
  });
  parts.push('</g>');
  return parts.join('');
}

/** The whole SVG document of a chart. */
export function renderSvg(spec: ChartSpec): string {
  const horizontal = spec.kind === 'horizontal-bar';
  const stacked = spec.kind === 'stacked-bar' || horizontal;
  const width = spec.width ?? 720;
  const height = spec.height ?? (horizontal ? Math.max(240, 140 + spec.categories.length * 24) : 400);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${x(spec.title)}" font-family="${x(FONT)}" class="corridor-chart" data-kind="${spec.kind}">`,
    `<title>${x(spec.title)}</title>`,
    spec.subtitle ? `<desc>${x(spec.subtitle)}</desc>` : '',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#FFFFFF"/>`,
    text(spec.title, { x: 16, y: 26 }, { size: 16, weight: '600' }),
  ];
  let top = 38;
  if (spec.subtitle) {
    parts.push(text(spec.subtitle, { x: 16, y: 46 }, { size: 12, fill: MUTED }));
    top = 58;
  }
  const key = legend(spec, top, width);
  parts.push(key.svg);
  top += key.height + 8;

  const range = spec.categories.length === 0 ? null : extent(spec, stacked);
  if (range === null) {
    parts.push(
      text(
        'No data',
        { x: width / 2, y: (top + height) / 2 },
        { size: 14, fill: MUTED, anchor: 'middle', extra: ' class="no-data"' },
      ),
      '</svg>',
    );
    return parts.join('');
  }
  const scale = niceScale(range[0], range[1]);
  const valueLabels = Math.max(...scale.ticks.map((t) => textWidth(compactNumber(t), 11)));
  const rowLabels = horizontal
    ? Math.min(
        textWidth('x'.repeat(ROW_LABEL_CHARS), 11),
        Math.max(...spec.categories.map((k) => textWidth(truncate(k, ROW_LABEL_CHARS), 11))),
      )
    : 0;
  const left = horizontal ? 16 + rowLabels + 8 : 16 + (spec.unit ? 16 : 0) + valueLabels + 8;
  const bottom = horizontal ? (spec.unit ? 44 : 26) : 30;
  const box: Box = {
    left,
    top,
    width: Math.max(40, width - left - 24),
    height: Math.max(40, height - top - bottom),
  };
  parts.push(
    valueAxis(scale, box, horizontal, spec.unit),
    categoryAxis(spec, box, horizontal),
    spec.kind === 'line' ? lines(spec, scale, box) : bars(spec, scale, box, horizontal),
    '</svg>',
  );
  return parts.join('');
}
