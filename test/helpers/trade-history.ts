/**
 * A seeded trade history for the incremental-refresh tests: Comtrade+ rows of one source over
 * several years, made to exercise what a refresh looks back on. Two or three reporters (PAK,
 * KAZ, UZB) with partners among each other, China and sometimes the World; exports and
 * imports; TOTAL, chapter, heading and subheading rows at once, where the finer rows sometimes
 * add up to the coarser ones and sometimes not; products that come and go between years (so
 * some fall to zero); one pair that moves from HS 2017 (H5) to HS 2022 (H6) in some year (an
 * edition break); one reporter with monthly figures besides its annual ones.
 *
 * A year's rows depend only on the seed, the year and the revision: revision 0 is the first
 * file of the year, revision 1 a corrected file that changes values, drops one product and adds
 * another. A revision keeps every (reporter, period) slice of the year, so loading it replaces
 * the year's rows whole, as rebuilding from the corrected files gives.
 */
import { mulberry32 as prng } from '../../scripts/shared/prng.ts';
import { type Cell, PLUS_HEADER, tradeRow } from './comtrade-csv.ts';

/** A seed for another stream, mixed from several numbers. */
const mix = (...parts: number[]) =>
  parts.reduce((h, p) => Math.imul(h ^ (p + 0x9e3779b9), 0x85ebca6b) >>> 0, 17);

/** Chapters, their headings and their subheadings: cereals, potash and other fertilisers, cotton. */
const TREE: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '10': { '1001': ['100119', '100199'], '1003': ['100390'] },
  '31': { '3104': ['310420', '310490'], '3105': ['310520', '310590'] },
  '52': { '5201': ['520100'], '5205': ['520512', '520513'] },
};
const LEAVES = Object.values(TREE).flatMap((headings) => Object.values(headings).flat());

interface Series {
  readonly reporter: string;
  readonly partner: string;
  readonly flow: 'X' | 'M';
  /** `2017`, or `201701` for a monthly series. */
  readonly period: string;
}

export interface TradeHistory {
  readonly reporters: readonly string[];
  /** The pair that changes HS edition, and the first year in H6. */
  readonly editionBreak: { readonly reporter: string; readonly partner: string; readonly fromYear: number };
  /** Comtrade+ rows (PLUS_HEADER) of `year`, in the file of that revision. */
  rowsOf(year: number, revision?: number): Cell[][];
}

/** The history of `seed`: its reporters, partners and edition break are fixed, the figures per year. */
export function tradeHistory(seed: number): TradeHistory {
  const shape = prng(mix(seed));
  const pool = ['PAK', 'KAZ', 'UZB'];
  const left = pool[Math.floor(shape() * 3)];
  const reporters = shape() < 0.5 ? pool : pool.filter((r) => r !== left);
  const partnersOf = new Map(
    reporters.map((r) => [
      r,
      [...reporters.filter((p) => p !== r), 'CHN', ...(shape() < 0.6 ? ['W00'] : [])],
    ]),
  );
  const editionBreak = {
    reporter: reporters[0]!,
    partner: partnersOf.get(reporters[0]!)![0]!,
    fromYear: 2016 + Math.floor(shape() * 4),
  };
  const monthly = reporters[1]!;

  function seriesOf(year: number): Series[] {
    const periods = (reporter: string) => [
      String(year),
      ...(reporter === monthly ? [`${year}01`, `${year}07`] : []),
    ];
    return reporters.flatMap((reporter) =>
      partnersOf
        .get(reporter)!
        .flatMap((partner) =>
          periods(reporter).flatMap((period) =>
            (['X', 'M'] as const).map((flow) => ({ reporter, partner, flow, period })),
          ),
        ),
    );
  }

  function rowsOf(year: number, revision = 0): Cell[][] {
    const rows: Cell[][] = [];
    const all = seriesOf(year);
    all.forEach((series, index) => {
      const random = prng(mix(seed, year, index));
      // A pair that reported nothing of a flow this period (its slice keeps the other rows).
      // The first series always reports, so the reporter's slice exists in every revision.
      if (index > 0 && random() < 0.1) return;
      const scale = series.period.length === 6 ? 0.1 : 1;
      const leaf = new Map<string, number>();
      for (const code of LEAVES) {
        const present = random() < 0.7;
        const value = random() < 0.03 ? 0 : Math.round(random() * 5_000_000 * scale) + 500;
        if (present) leaf.set(code, value);
      }
      const levels = { 2: random() < 0.7, 4: random() < 0.6, 6: random() < 0.8 };
      // Extras that make a coarser row more than the sum of its finer rows (or not: 0).
      const extra = () => (random() < 0.5 ? 0 : Math.round(random() * 1_000_000 * scale));
      const extras = new Map<string, number>();
      for (const [chapter, headings] of Object.entries(TREE)) {
        extras.set(chapter, extra());
        for (const heading of Object.keys(headings)) extras.set(heading, extra());
      }
      const totalExtra = Math.round((random() * 20_000_000 + 1_000_000) * scale);
      const kgPerUsd = 0.2 + random();
      if (revision > 0) revise(leaf, prng(mix(seed, year, index, revision)), index === 0);
      rows.push(...seriesRows(series, year, leaf, levels, extras, totalExtra, kgPerUsd));
    });
    return rows;
  }

  /** A correction: some values change; in the first series one product goes and another comes. */
  function revise(leaf: Map<string, number>, random: () => number, dropAndAdd: boolean): void {
    for (const [code, value] of leaf) {
      if (random() < 0.5) leaf.set(code, Math.round(value * (0.5 + random())));
    }
    if (!dropAndAdd) return;
    const present = [...leaf.keys()];
    const absent = LEAVES.filter((c) => !leaf.has(c));
    if (present.length > 0) leaf.delete(present[Math.floor(random() * present.length)]!);
    if (absent.length > 0) leaf.set(absent[Math.floor(random() * absent.length)]!, 2_500_000);
  }

  function seriesRows(
    series: Series,
    year: number,
    leaf: ReadonlyMap<string, number>,
    levels: Readonly<Record<2 | 4 | 6, boolean>>,
    extras: ReadonlyMap<string, number>,
    totalExtra: number,
    kgPerUsd: number,
  ): Cell[][] {
    const { reporter, partner, flow, period } = series;
    const edition =
      reporter === editionBreak.reporter && partner === editionBreak.partner && year >= editionBreak.fromYear
        ? 'H6'
        : 'H5';
    const monthly = period.length === 6;
    const row = (code: string, usd: number, kg: number | null) => {
      const cells = tradeRow({ reporter, partner, flow, code, usd, year, ...(kg === null ? {} : { kg }) });
      const set = (field: (typeof PLUS_HEADER)[number], value: Cell) => {
        cells[PLUS_HEADER.indexOf(field)] = value;
      };
      set('freqCode', monthly ? 'M' : 'A');
      set('refMonth', monthly ? Number(period.slice(4)) : 52);
      set('period', period);
      set('classificationCode', edition);
      return cells;
    };
    const rows: Cell[][] = [];
    let total = totalExtra;
    for (const [chapter, headings] of Object.entries(TREE)) {
      let chapterValue = extras.get(chapter)!;
      for (const [heading, codes] of Object.entries(headings)) {
        let headingValue = extras.get(heading)!;
        for (const code of codes) {
          const value = leaf.get(code);
          if (value === undefined) continue;
          headingValue += value;
          if (levels[6])
            rows.push(row(code, value, code.endsWith('0') ? null : Math.round(value * kgPerUsd)));
        }
        if (levels[4] && headingValue > 0) rows.push(row(heading, headingValue, null));
        chapterValue += headingValue;
      }
      if (levels[2] && chapterValue > 0) rows.push(row(chapter, chapterValue, null));
      total += chapterValue;
    }
    rows.push(row('TOTAL', total, null));
    return rows;
  }

  return { reporters, editionBreak, rowsOf };
}
