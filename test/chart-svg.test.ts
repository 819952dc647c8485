/**
 * The SVG renderer (src/chart/svg-chart.ts) read back as XML text: a small tag-balance checker
 * stands in for a parser (there is no DOM in Node), and the marks' data attributes are compared
 * with the spec they were drawn from.
 */
import { describe, expect, it } from 'vitest';
import { compactNumber, niceScale } from '../src/chart/chart-scale.ts';
import type { ChartSpec } from '../src/chart/chart-spec.ts';
import { renderSvg } from '../src/chart/svg-chart.ts';
import { checkWellFormed, marksOf } from './helpers/svg-markup.ts';

const spec = (over: Partial<ChartSpec> = {}): ChartSpec => ({
  kind: 'stacked-bar',
  title: 'PAK exports to KAZ by category',
  subtitle: 'Source comtrade',
  categories: ['2021', '2022', '2023'],
  series: [
    { name: 'Textiles', values: [1_200_000, 350_000, null] },
    { name: 'Grain', values: [400_000, 0, 2_500_000] },
  ],
  unit: 'USD',
  ...over,
});

describe('renderSvg', () => {
  it('writes a self-contained SVG document with one mark per value, carrying the raw figure', () => {
    const svg = renderSvg(spec());
    expect(checkWellFormed(svg)[0]).toBe('svg');
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="720" height="400" viewBox="0 0 720 400"/,
    );
    expect(svg).not.toMatch(/href|<script|<style|url\(/);
    const marks = marksOf(svg);
    expect(marks.map((m) => [m.series, m.category, m.value])).toEqual([
      ['Textiles', '2021', 1_200_000],
      ['Grain', '2021', 400_000],
      ['Textiles', '2022', 350_000],
      ['Grain', '2022', 0],
      ['Grain', '2023', 2_500_000],
    ]);
    expect(marks[0]!.title).toBe('Textiles · 2021: 1,200,000 USD');
    expect(svg).toContain('>USD</text>'); // the unit is the axis title
    expect(svg).toMatch(/>Textiles<\/text>.*>Grain<\/text>/); // a legend for two series
  });

  it('labels the value axis compactly with nice ticks', () => {
    expect(niceScale(0, 2_500_000).ticks).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]);
    expect(niceScale(-3, 7).ticks).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    expect(niceScale(0.1, 0.9).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect([1_200_000, 350_000, 0.25, -3_000_000, 12].map(compactNumber)).toEqual([
      '1.2 M',
      '350 k',
      '0.25',
      '−3 M',
      '12',
    ]);
    const svg = renderSvg(spec());
    expect(svg).toContain('>2.5 M</text>');
    expect(svg).toContain('>500 k</text>');
  });

  it('escapes every piece of text: a series named <script> is text', () => {
    const hostile = '<script>alert("x")</script> & \'more\'';
    const svg = renderSvg(
      spec({
        title: hostile,
        subtitle: hostile,
        unit: '<u>',
        categories: [hostile, 'b'],
        series: [
          { name: hostile, values: [1, 2] },
          { name: '"quoted"', values: [3, 4] },
        ],
      }),
    );
    checkWellFormed(svg);
    // The checker itself refuses what an unescaped name would make.
    expect(() => checkWellFormed('<svg><text>a < b</text></svg>')).toThrow(/Malformed/);
    expect(() => checkWellFormed('<svg><text>R&D</text></svg>')).toThrow(/Raw &/);
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow(/closes/);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<u>');
    const marks = marksOf(svg);
    expect(marks[0]).toMatchObject({ series: hostile, category: hostile, value: 1 });
    expect(marks[1]).toMatchObject({ series: '"quoted"' });
  });

  it('gives the same bytes for the same spec', () => {
    expect(renderSvg(spec())).toBe(renderSvg(spec()));
    expect(renderSvg(spec({ kind: 'line' }))).toBe(renderSvg(spec({ kind: 'line' })));
  });

  it('draws a line with a gap at a null value and no mark for it', () => {
    const svg = renderSvg(
      spec({
        kind: 'line',
        categories: ['2021', '2022', '2023', '2024'],
        series: [{ name: 'Exports', values: [5, null, 7, 8] }],
      }),
    );
    checkWellFormed(svg);
    const path = /<path d="([^"]*)"/.exec(svg)![1]!;
    expect(path.match(/M/g)).toHaveLength(2); // two segments: 2021 alone, then 2023–2024
    expect(path.match(/L/g)).toHaveLength(1);
    expect(marksOf(svg).map((m) => [m.shape, m.category, m.value])).toEqual([
      ['circle', '2021', 5],
      ['circle', '2023', 7],
      ['circle', '2024', 8],
    ]);
    expect(svg).not.toContain('class="legend"'); // one series: no legend
  });

  it('draws negative values below a zero line (a balance)', () => {
    const svg = renderSvg(
      spec({
        kind: 'grouped-bar',
        series: [
          { name: 'Exports', values: [10, 20, 5] },
          { name: 'Balance', values: [-30, 15, -5] },
        ],
      }),
    );
    checkWellFormed(svg);
    const zero = /<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1" stroke="#444444"\/>/.exec(svg);
    expect(zero).not.toBeNull();
    const zeroY = Number(zero![1]);
    const negative =
      /<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"[^>]*data-series="Balance" data-category="2021"/.exec(
        svg,
      )!;
    expect(Number(negative[1])).toBeCloseTo(zeroY, 1); // it starts at zero and goes down
    expect(Number(negative[2])).toBeGreaterThan(0);
    expect(svg).toContain('>−30</text>');
    expect(marksOf(svg)).toHaveLength(6);
  });

  it('says "No data" for no categories or only nulls, with no marks', () => {
    for (const empty of [
      spec({ categories: [], series: [] }),
      spec({ series: [{ name: 'A', values: [null, null, null] }] }),
    ]) {
      const svg = renderSvg(empty);
      checkWellFormed(svg);
      expect(svg).toContain('>No data</text>');
      expect(marksOf(svg)).toHaveLength(0);
    }
  });

  it('thins the labels of many categories and cuts long ones, keeping the full text as a tooltip', () => {
    const months = Array.from(
      { length: 48 },
      (_, i) => `${2021 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    );
    const svg = renderSvg(
      spec({
        kind: 'line',
        categories: months,
        series: [{ name: 'Karachi', values: months.map((_, i) => i * 1000) }],
      }),
    );
    checkWellFormed(svg);
    const shown = months.filter((m) => svg.includes(`>${m}</text>`));
    expect(shown.length).toBeGreaterThan(4);
    expect(shown.length).toBeLessThan(months.length);
    expect(marksOf(svg)).toHaveLength(48); // every value keeps its mark

    const long = '520100 Cotton; not carded or combed, of a staple length exceeding 25 mm';
    const bars = renderSvg(
      spec({
        kind: 'horizontal-bar',
        categories: [long, '100199 Wheat'],
        series: [{ name: 'Exports', values: [3, 1] }],
      }),
    );
    checkWellFormed(bars);
    expect(bars).toContain(`<title>${long}</title>`);
    expect(bars).toMatch(/>520100 Cotton; not carded or…<\/text>/);
    expect(marksOf(bars).map((m) => m.category)).toEqual([long, '100199 Wheat']);
  });
});
