/**
 * Published totals first (issue 19, point 2): a pair's total is its published TOTAL row where
 * there is one, else the sum of its parts flagged `summed`; a TOTAL below its parts gives no
 * shares (`total_below_parts`). Every share in every derived table is between 0 and 1, on a
 * hand-made file with gaps and on the real extracts in ../shared.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDICATORS } from '../warehouse/indicators/index.ts';
import { type Cell, csvText, PLUS_HEADER, tradeRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

if (!HAS_SHARED_DATA) console.info(`share-denominators.test.ts (real extracts) ${SKIP_REASON}`);

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

/** PAK 2021: partner, flow, HS code (or TOTAL), US dollars. */
const row = (partner: string, flow: 'X' | 'M', code: string, usd: number): Cell[] =>
  tradeRow({ partner, flow, code, usd });

const ROWS: Cell[][] = [
  // Exports to KAZ, no TOTAL row: chapter 52 (its HS6 row 520100 short of it, a gap), heading
  // 6203 without chapter 62, and heading 3104 alone. Each branch once at its coarsest row:
  // 5 + 2 + 1 = 8 M; the chapter level alone (the old rule) said 5 M, under 520100 + 620342.
  row('KAZ', 'X', '52', 5_000_000),
  row('KAZ', 'X', '520100', 4_000_000),
  row('KAZ', 'X', '6203', 2_000_000),
  row('KAZ', 'X', '620342', 1_500_000),
  row('KAZ', 'X', '3104', 1_000_000),
  // Imports from KAZ: a published TOTAL of 3 M below its chapters' 4 M.
  row('KAZ', 'M', 'TOTAL', 3_000_000),
  row('KAZ', 'M', '10', 2_000_000),
  row('KAZ', 'M', '31', 2_000_000),
  // Exports to CHN: a TOTAL above its parts (other chapters are not in the extract).
  row('CHN', 'X', 'TOTAL', 10_000_000),
  row('CHN', 'X', '52', 6_000_000),
  row('CHN', 'X', '520100', 6_000_000),
  // PAK's World row, below its exports to CHN alone.
  row('W00', 'X', 'TOTAL', 9_000_000),
];

/**
 * Loads a file; `inconsistent` when it holds a whole below its parts on purpose, which corridor
 * check records as an error: everything loads, and the exit code is 3.
 */
async function load(file: string, data: 'consistent' | 'inconsistent' = 'consistent'): Promise<void> {
  const run = await cli(['load', file, '--source', 'comtrade', '--db', dbPath()]);
  expect(run.code, run.stderr).toBe(data === 'consistent' ? 0 : 3);
}

const productShares = (partner: string, flow: string) =>
  query(
    dbPath(),
    `select product_kind, product, value_usd, denominator_usd, share, denominator_basis, total_basis, null_reason
     from ind_shares where share_kind = 'product' and reporter_iso3 = 'PAK' and partner_iso3 = ? and flow = ?
       and period = '2021' order by product`,
    partner,
    flow,
  );

/** Every share column of every derived table: `share` or `…_share`, per the definitions. */
const SHARE_COLUMNS = INDICATORS.flatMap((d) =>
  d.columns
    .filter((c) => c.name === 'share' || c.name.endsWith('_share'))
    .map((c) => [d.table, c.name] as const),
);

/** Shares outside [0, 1], per table and column, with the worst one. */
function sharesOutOfRange(): string[] {
  const existing = new Set(
    query<{ name: string }>(dbPath(), "select name from sqlite_master where type = 'table'").map(
      (t) => t.name,
    ),
  );
  const out: string[] = [];
  for (const [table, column] of SHARE_COLUMNS) {
    if (!existing.has(table)) continue;
    const [found] = query<{ n: number; low: number | null; high: number | null }>(
      dbPath(),
      `select count(*) as n, min(${column}) as low, max(${column}) as high from ${table}
       where ${column} < 0 or ${column} > 1`,
    );
    if (found!.n > 0)
      out.push(`${table}.${column}: ${found!.n} outside [0, 1], from ${found!.low} to ${found!.high}`);
  }
  return out;
}

describe('pair totals', () => {
  it('finds the share columns of the derived tables', () => {
    expect(SHARE_COLUMNS).toContainEqual(['ind_shares', 'share']);
  });

  it('sums each branch once where there is no TOTAL row, and says so', async () => {
    writeFileSync(join(tmp(), 'pak.csv'), csvText(PLUS_HEADER, ROWS));
    await load(join(tmp(), 'pak.csv'), 'inconsistent');
    const shares = productShares('KAZ', 'X');
    expect(shares.length).toBeGreaterThan(0);
    for (const s of shares) {
      expect(s, String(s.product)).toMatchObject({
        denominator_usd: 8_000_000,
        denominator_basis: 'sum_of_parts',
        total_basis: 'summed',
        null_reason: null,
      });
    }
    const byProduct = Object.fromEntries(shares.map((s) => [s.product, s.share]));
    expect(byProduct['52']).toBeCloseTo(5 / 8, 12);
    expect(byProduct['3104']).toBeCloseTo(1 / 8, 12);
    expect(byProduct['620342']).toBeCloseTo(1.5 / 8, 12);
    expect(sharesOutOfRange()).toEqual([]);
  });

  it('takes a published TOTAL first, and gives no shares against one below its parts', async () => {
    writeFileSync(join(tmp(), 'pak.csv'), csvText(PLUS_HEADER, ROWS));
    await load(join(tmp(), 'pak.csv'), 'inconsistent');
    const china = productShares('CHN', 'X');
    expect(
      china.map((s) => [s.product, s.share, s.denominator_usd, s.total_basis, s.denominator_basis]),
    ).toContainEqual(['52', 0.6, 10_000_000, 'published', 'reported_total']);
    const imports = productShares('KAZ', 'M');
    expect(imports.length).toBeGreaterThan(0);
    for (const s of imports) {
      expect(s, String(s.product)).toMatchObject({
        denominator_usd: 3_000_000,
        share: null,
        total_basis: 'published',
        // A category within chapter 10 or 31 (barley, potash) has no figure at all, before any
        // share: the file publishes those chapters alone.
        null_reason: s.value_usd === null ? 'coarser_than_category' : 'total_below_parts',
      });
    }
    expect(imports.filter((s) => s.null_reason === 'total_below_parts').length).toBeGreaterThan(2);
    // Partner shares against the World row (9 M): KAZ's 8 M is 0.89; CHN's 10 M is above it.
    const partners = query(
      dbPath(),
      `select partner_iso3, share, total_basis, null_reason from ind_shares
       where share_kind = 'partner' and reporter_iso3 = 'PAK' and flow = 'X' order by partner_iso3`,
    );
    expect(partners).toEqual([
      { partner_iso3: 'CHN', share: null, total_basis: 'published', null_reason: 'total_below_parts' },
      { partner_iso3: 'KAZ', share: 8 / 9, total_basis: 'summed', null_reason: null },
    ]);
    expect(sharesOutOfRange()).toEqual([]);
    // And a finding for each whole below its parts.
    expect(
      query(
        dbPath(),
        `select finding_key, severity, expected, found, resolved_at from dq_findings
         where check_name = 'total_below_parts' and table_name = 'trade_flows' order by finding_key`,
      ),
    ).toEqual([
      {
        finding_key: 'comtrade PAK KAZ M 2021',
        severity: 'warning',
        expected: 4_000_000,
        found: 3_000_000,
        resolved_at: null,
      },
      {
        finding_key: 'comtrade PAK W00 X 2021',
        severity: 'warning',
        expected: 10_000_000,
        found: 9_000_000,
        resolved_at: null,
      },
    ]);
  });
});

describe('total_below_parts findings', () => {
  it('resolves the finding when a corrected TOTAL is loaded', async () => {
    const imports = (total: number) =>
      csvText(PLUS_HEADER, [
        row('KAZ', 'M', 'TOTAL', total),
        row('KAZ', 'M', '10', 2_000_000),
        row('KAZ', 'M', '31', 2_000_000),
      ]);
    const finding = () =>
      query(
        dbPath(),
        "select resolved_at is not null as resolved from dq_findings where check_name = 'total_below_parts'",
      );
    writeFileSync(join(tmp(), 'imports.csv'), imports(3_000_000));
    await load(join(tmp(), 'imports.csv'), 'inconsistent');
    expect(finding()).toEqual([{ resolved: 0 }]);
    writeFileSync(join(tmp(), 'imports-revised.csv'), imports(5_000_000));
    await load(join(tmp(), 'imports-revised.csv'));
    expect(finding()).toEqual([{ resolved: 1 }]);
    expect(productShares('KAZ', 'M').find((s) => s.product === '10')).toMatchObject({
      share: 0.4,
      total_basis: 'published',
      null_reason: null,
    });
  });
});

describe.skipIf(!HAS_SHARED_DATA)('every share between 0 and 1 on the real extracts', () => {
  const TRADE = join(SHARED_DATA, 'fixtures/trade');
  const files = HAS_SHARED_DATA ? readdirSync(TRADE).filter((f) => /^comtrade_.*\.(csv|json)$/.test(f)) : [];

  it.each(files)('%s', async (file) => {
    await load(join(TRADE, file));
    const count = query<{ n: number }>(
      dbPath(),
      'select count(*) as n from ind_shares where share is not null',
    );
    expect(count[0]!.n).toBeGreaterThan(0);
    expect(sharesOutOfRange()).toEqual([]);
  });

  it('all of them in one warehouse', async () => {
    for (const file of files) await load(join(TRADE, file));
    expect(sharesOutOfRange()).toEqual([]);
  });
});
