/**
 * Sums along the HS tree (issue 19, point 1): files with TOTAL, chapter, heading and HS6 rows
 * where the finer rows are complete, incomplete, missing, inconsistent or coarser than a
 * category, each with its category and total figures computed by hand below; the tolerance,
 * rows from two files, and invariants over generated trees.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Cell, csvText, PLUS_HEADER, tradeRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

/** PAK's trade with a partner (one slice per case): flow, HS code (or TOTAL), US dollars. */
const row = (partner: string, flow: 'X' | 'M', code: string, usd: number, year = 2021): Cell[] =>
  tradeRow({ partner, flow, code, usd, year });

const M = 1_000_000;

const CASES: Cell[][] = [
  // Complete: each breakdown adds up (620342 is 0.25 % short of 6203, within the 0.5 %).
  // Textiles at HS6: 20 + 40 + 39.9 = 99.9 M, exact.
  row('KAZ', 'X', 'TOTAL', 100 * M),
  row('KAZ', 'X', '52', 60 * M),
  row('KAZ', 'X', '520100', 20 * M),
  row('KAZ', 'X', '520512', 40 * M),
  row('KAZ', 'X', '62', 40 * M),
  row('KAZ', 'X', '6203', 40 * M),
  row('KAZ', 'X', '620342', 39.9 * M),
  // Incomplete: 520512 is half of chapter 52, so the chapter stands for its branch.
  // Textiles 60 + 40 = 100 M from_coarser; yarn and fabric (52 less its fibres) 30 M partial.
  row('CHN', 'X', 'TOTAL', 100 * M),
  row('CHN', 'X', '52', 60 * M),
  row('CHN', 'X', '520512', 30 * M),
  row('CHN', 'X', '62', 40 * M),
  // Missing coarser rows: no TOTAL and no chapter. Total and textiles 10 + 5 = 15 M, exact.
  row('AFG', 'X', '5205', 10 * M),
  row('AFG', 'X', '520511', 4 * M),
  row('AFG', 'X', '520512', 6 * M),
  row('AFG', 'X', '6203', 5 * M),
  // Inconsistent: 520512 above its chapter; the chapter as published. Textiles 20 M of 50 M.
  // Grain lies within chapter 10, published alone: coarser than the category.
  row('IND', 'X', 'TOTAL', 50 * M),
  row('IND', 'X', '52', 20 * M),
  row('IND', 'X', '520512', 30 * M),
  row('IND', 'X', '10', 30 * M),
  // Coarser than the category: chapter 31 alone holds potash and more.
  row('UZB', 'X', 'TOTAL', 8 * M),
  row('UZB', 'X', '31', 8 * M),
  // Partial: 3104 + 3105 = 9 M of chapter 31's 10 M, and 310520 is 2 M of 3105's 6 M; 310560
  // is not in the file. Potash 3 + 2 = 5 M at least.
  row('TUR', 'X', '31', 10 * M),
  row('TUR', 'X', '3104', 3 * M),
  row('TUR', 'X', '3105', 6 * M),
  row('TUR', 'X', '310520', 2 * M),
  // Exact within chapter 31: potash 4 + 2 = 6 M, mixed fertilizers 2 + 4 = 6 M.
  row('RUS', 'X', '31', 10 * M),
  row('RUS', 'X', '3104', 4 * M),
  row('RUS', 'X', '3105', 6 * M),
  row('RUS', 'X', '310520', 2 * M),
  row('RUS', 'X', '310530', 4 * M),
  // The absolute tolerance: 800 USD short of 5,000 USD is within 1,000 USD.
  row('IRN', 'X', '52', 5_000),
  row('IRN', 'X', '520512', 4_200),
];

interface Sum {
  value_usd: number | null;
  sum_basis: string | null;
  hs_levels: string | null;
  codes_drawn_on: string | null;
  null_reason: string | null;
}

/** Loads rows as a Comtrade file; `findings` when the data-quality checks may fail it (exit 3). */
async function load(name: string, rows: Cell[][], findings: 'none' | 'expected' = 'none'): Promise<void> {
  const file = join(tmp(), name);
  writeFileSync(file, csvText(PLUS_HEADER, rows));
  const run = await cli(['load', file, '--source', 'comtrade', '--db', dbPath()]);
  expect(findings === 'none' ? [0] : [0, 3], run.stderr).toContain(run.code);
}

/** ind_trade_sums of PAK with a partner in 2021: `kind:product` → the sum. */
function sums(partner: string, flow = 'X', period = '2021'): Record<string, Sum> {
  const rows = query<Sum & { product_kind: string; product: string }>(
    dbPath(),
    `select product_kind, product, value_usd, sum_basis, hs_levels, codes_drawn_on, null_reason
     from ind_trade_sums
     where reporter_iso3 = 'PAK' and partner_iso3 = ? and flow = ? and period = ?
       and classification in ('', 'corridor', 'H5')`,
    partner,
    flow,
    period,
  );
  return Object.fromEntries(
    rows.map(({ product_kind, product, ...sum }) => [`${product_kind}:${product}`, sum]),
  );
}

const close = (value: number | null, expected: number) => {
  expect(value).not.toBeNull();
  expect(value!).toBeCloseTo(expected, 3);
};

describe('sums along the HS tree', () => {
  it('takes the finest level where each breakdown adds up', async () => {
    await load('pak.csv', CASES);
    const s = sums('KAZ');
    expect(s['total:TOTAL']).toMatchObject({ value_usd: 100 * M, sum_basis: 'published' });
    expect(s['category:textiles']).toMatchObject({
      sum_basis: 'exact',
      hs_levels: '6',
      codes_drawn_on: '520100 520512 620342',
      null_reason: null,
    });
    close(s['category:textiles']!.value_usd, 99.9 * M);
    expect(s['category:yarn_fabric']).toMatchObject({ value_usd: 40 * M, sum_basis: 'exact' });
    expect(s['category:textile_fibres']).toMatchObject({ value_usd: 20 * M, sum_basis: 'exact' });
    expect(s['chapter:52']).toMatchObject({ value_usd: 60 * M, sum_basis: 'exact', hs_levels: '6' });
    close(s['chapter:62']!.value_usd, 39.9 * M);
  });

  it('takes a coarser row where its finer rows fall short, and marks what the gap may hold partial', async () => {
    await load('pak.csv', CASES);
    const s = sums('CHN');
    expect(s['category:textiles']).toMatchObject({
      value_usd: 100 * M,
      sum_basis: 'from_coarser',
      hs_levels: '2',
      codes_drawn_on: '52 62',
    });
    expect(s['category:apparel']).toMatchObject({ value_usd: 40 * M, sum_basis: 'exact' });
    expect(s['category:yarn_fabric']).toMatchObject({ value_usd: 30 * M, sum_basis: 'partial' });
    expect(s['category:textile_fibres']).toMatchObject({ value_usd: 0, sum_basis: 'partial' });
    expect(s['chapter:52']).toMatchObject({ value_usd: 60 * M, sum_basis: 'from_coarser' });
  });

  it('sums the finer rows where no coarser row is published', async () => {
    await load('pak.csv', CASES);
    const s = sums('AFG');
    expect(s['total:TOTAL']).toMatchObject({
      value_usd: 15 * M,
      sum_basis: 'exact',
      hs_levels: '4 6',
      codes_drawn_on: '520511 520512 6203',
    });
    expect(s['category:textiles']).toMatchObject({ value_usd: 15 * M, sum_basis: 'exact', hs_levels: '4 6' });
  });

  it('keeps the coarser row where finer rows exceed it, and gives no guess for a category inside a chapter', async () => {
    await load('pak.csv', CASES);
    const s = sums('IND');
    expect(s['category:textiles']).toMatchObject({ value_usd: 20 * M, sum_basis: 'from_coarser' });
    expect(s['category:grain']).toMatchObject({
      value_usd: null,
      sum_basis: null,
      null_reason: 'coarser_than_category',
    });
    const [share] = query<{ share: number }>(
      dbPath(),
      `select share from ind_shares where reporter_iso3 = 'PAK' and partner_iso3 = 'IND' and period = '2021'
         and product_kind = 'category' and product = 'textiles'`,
    );
    expect(share!.share).toBeCloseTo(0.4, 12);
  });

  it('gives potash as NULL with coarser_than_category from chapter 31 alone, in every table', async () => {
    await load('pak.csv', CASES);
    const s = sums('UZB');
    expect(s['category:fertilizers']).toMatchObject({ value_usd: 8 * M, sum_basis: 'exact' });
    expect(s['category:potash']).toMatchObject({ value_usd: null, null_reason: 'coarser_than_category' });
    const where = `where reporter_iso3 = 'PAK' and partner_iso3 = 'UZB' and period = '2021' and product = 'potash'`;
    expect(query(dbPath(), `select exports_usd, null_reason from ind_trade_balance ${where}`)).toEqual([
      { exports_usd: null, null_reason: 'coarser_than_category' },
    ]);
    expect(query(dbPath(), `select share, null_reason from ind_shares ${where}`)).toEqual([
      { share: null, null_reason: 'coarser_than_category' },
    ]);
    expect(
      query(
        dbPath(),
        `select value_usd, null_reason from trade_by_category ${where.replace('product', 'category')}`,
      ),
    ).toEqual([{ value_usd: null, null_reason: 'coarser_than_category' }]);
  });

  it('marks potash partial where 3105 is not matched by its subheadings, and exact where it is', async () => {
    await load('pak.csv', CASES);
    expect(sums('TUR')['category:potash']).toMatchObject({
      value_usd: 5 * M,
      sum_basis: 'partial',
      hs_levels: '4 6',
      codes_drawn_on: '3104 310520',
    });
    expect(sums('TUR')['total:TOTAL']).toMatchObject({ value_usd: 10 * M, sum_basis: 'from_coarser' });
    const russia = sums('RUS');
    expect(russia['category:potash']).toMatchObject({
      value_usd: 6 * M,
      sum_basis: 'exact',
      hs_levels: '4 6',
    });
    expect(russia['category:mixed_fertilizers']).toMatchObject({ value_usd: 6 * M, sum_basis: 'exact' });
    expect(russia['total:TOTAL']).toMatchObject({ value_usd: 10 * M, sum_basis: 'exact' });
  });

  it('applies the tolerance as given to corridor derive, and refuses one that is not', async () => {
    await load('pak.csv', CASES);
    expect(sums('IRN')['category:textiles']).toMatchObject({ value_usd: 4_200, sum_basis: 'exact' });
    const strict = await cli([
      'derive',
      '--sum-tolerance',
      '0%',
      '--sum-tolerance-usd',
      '0',
      '--db',
      dbPath(),
    ]);
    expect(strict.code, strict.stderr).toBe(0);
    expect(strict.stdout).toMatch(/within 0 % of it or 0 USD/);
    expect(sums('IRN')['category:textiles']).toMatchObject({ value_usd: 5_000, sum_basis: 'from_coarser' });
    expect(sums('KAZ')['category:apparel']).toMatchObject({ value_usd: 40 * M, sum_basis: 'from_coarser' });
    const bad = await cli(['derive', '--sum-tolerance', '150%', '--db', dbPath()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sum-tolerance 150%: not a tolerance; give a fraction/);
  });

  it('sums the current rows of a slice whatever files they came from', async () => {
    await load('chapters.csv', [row('KAZ', 'M', '52', 10 * M), row('KAZ', 'M', '63', 2 * M)]);
    await load('subheadings.csv', [row('KAZ', 'M', '520512', 10 * M)]);
    expect(sums('KAZ', 'M')['category:textiles']).toMatchObject({
      value_usd: 12 * M,
      sum_basis: 'exact',
      codes_drawn_on: '520512 63',
    });
  });
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TREE: Record<string, Record<string, string[]>> = {
  '31': { '3104': ['310420', '310490'], '3105': ['310520', '310530', '310560'] },
  '52': { '5201': ['520100'], '5205': ['520511', '520512'] },
  '10': { '1001': ['100111', '100199'], '1006': ['100630'] },
};

/** One year's rows: a random tree of published codes, some levels left out, some values off. */
function generatedYear(next: () => number, year: number): Cell[][] {
  const rows: Cell[][] = [];
  let total = 0;
  const publish = (code: string, value: number) => {
    if (next() < 0.7) rows.push(row('KAZ', 'X', code, Math.round(value), year));
  };
  // Sometimes a coarser row holds more than its rows beneath: a gap (suppressed or
  // confidential figures) that is real trade. Finer rows above their parent are the hand-made
  // IND case's.
  const gap = () => (next() < 0.3 ? 1 + next() : 1);
  for (const [chapter, headings] of Object.entries(TREE)) {
    let chapterValue = 0;
    for (const [heading, subheadings] of Object.entries(headings)) {
      let headingValue = 0;
      for (const code of subheadings) {
        const value = 1_000_000 * (1 + 9 * next());
        headingValue += value;
        publish(code, value);
      }
      headingValue *= gap();
      publish(heading, headingValue);
      chapterValue += headingValue;
    }
    chapterValue *= gap();
    publish(chapter, chapterValue);
    total += chapterValue;
  }
  if (next() < 0.5) rows.push(row('KAZ', 'X', 'TOTAL', Math.round(total * (0.9 + 0.3 * next())), year));
  return rows;
}

describe('invariants over generated trees', () => {
  it('never gives a category above its chapter, a chapter above the total, or a share above 1', async () => {
    const next = random(19);
    const years = Array.from({ length: 24 }, (_, i) => 2000 + i);
    await load(
      'generated.csv',
      years.flatMap((year) => generatedYear(next, year)),
      // Some generated TOTAL rows are below their chapters: `corridor check` says so.
      'expected',
    );
    const violations = query(
      dbPath(),
      `select c.period, c.product, c.value_usd as category, h.value_usd as chapter, t.value_usd as total,
              t.parts_usd, t.sum_basis as total_basis
       from ind_trade_sums c
       join ind_trade_sums t on t.period = c.period and t.flow = c.flow and t.partner_iso3 = c.partner_iso3
                            and t.product_kind = 'total'
       left join ind_trade_sums h on h.period = c.period and h.flow = c.flow and h.partner_iso3 = c.partner_iso3
                            and h.product_kind = 'chapter'
                            and h.product = case c.product when 'potash' then '31' when 'grain' then '10'
                                                           when 'mixed_fertilizers' then '31' end
       where c.product_kind = 'category' and c.classification = 'corridor' and c.value_usd is not null
         and (c.sum_basis <> 'partial' and h.sum_basis <> 'partial' and c.value_usd > h.value_usd * (1 + 1e-9)
              or (t.sum_basis <> 'published' and c.value_usd > t.value_usd * (1 + 1e-9)))`,
    );
    expect(violations).toEqual([]);
    const chapterAboveTotal = query(
      dbPath(),
      `select h.period, h.product from ind_trade_sums h
       join ind_trade_sums t on t.period = h.period and t.flow = h.flow and t.partner_iso3 = h.partner_iso3
                            and t.product_kind = 'total'
       where h.product_kind = 'chapter' and t.sum_basis <> 'published' and h.value_usd > t.value_usd * (1 + 1e-9)`,
    );
    expect(chapterAboveTotal).toEqual([]);
    expect(query(dbPath(), 'select count(*) as n from ind_shares where share < 0 or share > 1')[0]).toEqual({
      n: 0,
    });
    // The generator did make every kind of sum.
    const bases = query<{ sum_basis: string | null }>(
      dbPath(),
      "select distinct sum_basis from ind_trade_sums where product_kind <> 'total' order by 1",
    ).map((r) => r.sum_basis);
    expect(bases).toEqual(expect.arrayContaining([null, 'exact', 'from_coarser', 'partial']));
  });
});
