/**
 * `corridor check` (issue 19, point 6): one test per finding type, each on a small Comtrade file
 * built to trigger it (or, for checks of figures that are right by construction, a derived
 * table altered the way a bug would alter it), and a clean file that triggers none. Real
 * SQLite warehouse in a temp dir, real CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/check/index.ts';
import { runWarehouseChecks } from '../src/check/run-checks.ts';
import { openWarehouse } from '../src/db/warehouse.ts';
import { csvText, PLUS_HEADER, type TradeFigure, tradeRow } from './helpers/comtrade-csv.ts';
import { usePreparedWarehouse, writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();
beforeEach(() => warehouseAt(dbPath()));

type Flow = TradeFigure;
const row = tradeRow;

/** Writes the rows as a Comtrade CSV and loads it through the CLI; returns the exit code. */
async function load(name: string, flows: readonly Flow[]): Promise<number> {
  const file = join(tmp(), name);
  writeFileSync(file, csvText(PLUS_HEADER, flows.map(row)));
  const run = await cli(['load', file, '--source', 'comtrade', '--db', dbPath()]);
  expect(run.stderr).not.toMatch(/corridor: /);
  return run.code;
}

interface Report {
  readonly code: number;
  readonly findings: {
    check_name: string;
    severity: string;
    finding_key: string;
    expected: number;
    found: number;
  }[];
  readonly checks: { name: string; open: Record<string, number> }[];
}

async function check(...options: string[]): Promise<Report> {
  const run = await cli(['check', '--format', 'json', '--db', dbPath(), ...options]);
  expect(run.code, run.stderr).not.toBe(2);
  return { code: run.code, ...(JSON.parse(run.stdout) as Omit<Report, 'code'>) };
}

const found = (report: Report, name: string) =>
  report.findings
    .filter((f) => f.check_name === name)
    .map((f) => ({ severity: f.severity, key: f.finding_key, expected: f.expected, found: f.found }));

function write(sql: string): void {
  const db = new Database(dbPath());
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** PAK's exports of 2021: World 10 M, KAZ 6 M (chapters 52 and 62 adding up), CHN 3 M. */
const CLEAN: readonly Flow[] = [
  { partner: 'W00', code: 'TOTAL', usd: 10_000_000 },
  { partner: 'KAZ', code: 'TOTAL', usd: 6_000_000 },
  { partner: 'KAZ', code: '52', usd: 4_000_000 },
  { partner: 'KAZ', code: '62', usd: 2_000_000 },
  { partner: 'CHN', code: 'TOTAL', usd: 3_000_000 },
];

/** The clean file with other TOTAL rows: `{ KAZ: 5_000_000 }`. */
const cleanWithTotals = (totals: Readonly<Record<string, number>>): Flow[] =>
  CLEAN.map((f) =>
    f.code === 'TOTAL' && totals[f.partner] !== undefined ? { ...f, usd: totals[f.partner]! } : f,
  );

describe('corridor check', () => {
  it('lists every check, those recorded by loads and derive too', () => {
    expect(CHECKS.map((c) => c.name)).toEqual([
      'total_vs_chapters',
      'world_vs_partners',
      'category_within_chapter_within_total',
      'share_out_of_range',
      'unit_value_outlier',
      'mirror_gap',
      'shrinking_vintage',
      'printed_subtotal',
      'total_below_parts',
    ]);
  });

  it('finds nothing in a clean file, and exits 0', async () => {
    expect(await load('clean.csv', CLEAN)).toBe(0);
    const report = await check();
    expect(report.findings).toEqual([]);
    expect(report.code).toBe(0);
    expect(report.checks.map((c) => c.name)).toContain('printed_subtotal');
    const table = await cli(['check', '--db', dbPath()]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/No open findings\./);
  });

  it('total_vs_chapters: chapters above the published TOTAL are an error; the load exits 3', async () => {
    const flows = cleanWithTotals({ KAZ: 5_000_000 });
    expect(await load('chapters.csv', flows)).toBe(3);
    const report = await check();
    expect(found(report, 'total_vs_chapters')).toEqual([
      { severity: 'error', key: 'comtrade PAK KAZ X A 2021 H5', expected: 5_000_000, found: 6_000_000 },
    ]);
    // The derive stage's own finding on the same total is listed beside it.
    expect(found(report, 'total_below_parts').map((f) => f.severity)).toEqual(['warning']);
    expect(report.code).toBe(3);
    const table = await cli(['check', '--db', dbPath()]);
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/total_vs_chapters\s+error\s+trade_flows\s+comtrade PAK KAZ X A 2021 H5/);
  });

  it('total_vs_chapters: chapters below the TOTAL are only noted', async () => {
    const flows = cleanWithTotals({ KAZ: 9_000_000, W00: 20_000_000 });
    expect(await load('few-chapters.csv', flows)).toBe(0);
    const report = await check();
    expect(found(report, 'total_vs_chapters').map((f) => f.severity)).toEqual(['info']);
    expect(report.code).toBe(0);
  });

  it('world_vs_partners: partners above World are an error, far below it info', async () => {
    const above = cleanWithTotals({ W00: 8_000_000 });
    expect(await load('world.csv', above)).toBe(3);
    const report = await check();
    expect(found(report, 'world_vs_partners')).toEqual([
      { severity: 'error', key: 'comtrade PAK X A 2021 H5', expected: 8_000_000, found: 9_000_000 },
    ]);
    // A corrected World row far above the partners loaded: they are some of the world's.
    expect(await load('world-fixed.csv', [{ partner: 'W00', code: 'TOTAL', usd: 100_000_000 }])).toBe(0);
    const fixed = await check();
    expect(found(fixed, 'world_vs_partners').map((f) => f.severity)).toEqual(['info']);
    expect(fixed.code).toBe(0);
    // Within the share allowed, nothing.
    expect(found(await check('--world-coverage', '0.95'), 'world_vs_partners')).toEqual([]);
  });

  it('category_within_chapter_within_total: a category above its chapter, or a chapter above the total, is an error', async () => {
    // KAZ's 6 M as chapters 52 (3 M), 62 (2 M) and 10 (1 M), with wheat (1001, in grain).
    const flows = [
      ...CLEAN.filter((f) => !(f.partner === 'KAZ' && f.code === '52')),
      { partner: 'KAZ', code: '52', usd: 3_000_000 },
      { partner: 'KAZ', code: '10', usd: 1_000_000 },
      { partner: 'KAZ', code: '1001', usd: 1_000_000 },
    ];
    expect(await load('chapters.csv', flows)).toBe(0);
    expect(found(await check(), 'category_within_chapter_within_total')).toEqual([]);
    // ind_trade_sums as a wrong aggregation would leave it: grain (all in chapter 10) above its
    // chapter, and chapter 62 above the pair total.
    write(`
      update ind_trade_sums set value_usd = 1500000 where product_kind = 'category' and product = 'grain' and partner_iso3 = 'KAZ';
      update ind_trade_sums set value_usd = 6500000 where product_kind = 'chapter' and product = '62' and partner_iso3 = 'KAZ';`);
    const report = await check();
    expect(
      found(report, 'category_within_chapter_within_total').map((f) => [f.key, f.expected, f.found]),
    ).toEqual([
      ['comtrade PAK KAZ X A 2021 H5:62 > :TOTAL', 6_000_000, 6_500_000],
      ['comtrade PAK KAZ X A 2021 corridor:grain > H5:10', 1_000_000, 1_500_000],
    ]);
    expect(report.code).toBe(3);
  });

  it('category_within_chapter_within_total is skipped while ind_trade_sums is absent', async () => {
    expect(await load('clean.csv', CLEAN)).toBe(0);
    // A warehouse before ind_trade_sums (its view dropped with it, or SQLite refuses the drop).
    write('drop view if exists trade_by_category; drop table ind_trade_sums;');
    const warehouse = await openWarehouse(dbPath());
    try {
      const result = await runWarehouseChecks(warehouse);
      expect(result.skipped).toEqual(['category_within_chapter_within_total']);
      expect(result.ran).toContain('total_vs_chapters');
    } finally {
      await warehouse.close();
    }
  });

  it('share_out_of_range: a share above 1 is an error, resolved once derived again', async () => {
    expect(await load('clean.csv', CLEAN)).toBe(0);
    write(
      "update ind_shares set share = 1.5 where share_kind = 'partner' and partner_iso3 = 'KAZ' and flow = 'X'",
    );
    const report = await check();
    expect(found(report, 'share_out_of_range')).toEqual([
      {
        severity: 'error',
        key: 'share partner comtrade PAK KAZ X A 2021 total  TOTAL',
        expected: 1,
        found: 1.5,
      },
    ]);
    expect(report.code).toBe(3);
    expect((await cli(['derive', '--full', '--db', dbPath()])).code).toBe(0);
    const fixed = await check();
    expect(found(fixed, 'share_out_of_range')).toEqual([]);
    expect(fixed.code).toBe(0);
  });

  it('unit_value_outlier: a unit value far outside its code’s band is a warning', async () => {
    // HS 520100 to six partners: about 1 USD/kg, and one at 20 USD/kg (a weight in tonnes?).
    const perKg: [string, number][] = [
      ['KAZ', 1.0],
      ['CHN', 1.1],
      ['UZB', 0.9],
      ['KGZ', 1.05],
      ['TJK', 0.95],
      ['AFG', 20],
    ];
    const flows = perKg.map(([partner, uv]) => ({
      partner,
      code: '520100',
      usd: 1_000_000,
      kg: 1_000_000 / uv,
    }));
    expect(await load('uv.csv', flows)).toBe(0);
    const report = await check();
    expect(found(report, 'unit_value_outlier').map((f) => [f.severity, f.key, f.found])).toEqual([
      ['warning', 'comtrade PAK AFG X A 2021 H5 520100', 20],
    ]);
    expect(report.code).toBe(0);
    // Under the minimum of observations, no band is drawn.
    expect(found(await check('--uv-min-observations', '7'), 'unit_value_outlier')).toEqual([]);
  });

  it('mirror_gap: two declarations of one trade far apart are a warning', async () => {
    const flows: Flow[] = [
      { partner: 'KAZ', code: 'TOTAL', usd: 10_000_000 },
      { reporter: 'KAZ', partner: 'PAK', flow: 'M', code: 'TOTAL', usd: 2_000_000 },
    ];
    expect(await load('mirror.csv', flows)).toBe(0);
    const report = await check();
    expect(found(report, 'mirror_gap')).toEqual([
      {
        severity: 'warning',
        key: 'PAK KAZ A 2021 :TOTAL comtrade/comtrade',
        expected: 10_000_000,
        found: 2_000_000,
      },
    ]);
    expect(found(await check('--mirror-min-gap', '9000000'), 'mirror_gap')).toEqual([]);
  });

  it('shrinking_vintage: a reporter-period that lost more than a fifth in a revision is a warning', async () => {
    expect(await load('v1.csv', [{ partner: 'W00', code: 'TOTAL', usd: 10_000_000 }])).toBe(0);
    expect(await load('v2.csv', [{ partner: 'W00', code: 'TOTAL', usd: 7_000_000 }])).toBe(0);
    const report = await check();
    expect(found(report, 'shrinking_vintage')).toEqual([
      { severity: 'warning', key: 'comtrade PAK X A 2021', expected: 10_000_000, found: 7_000_000 },
    ]);
    expect(found(await check('--shrink', '40%'), 'shrinking_vintage')).toEqual([]);
  });

  // Three loads, the third cutting the slice: before it, the slice held rows of the first two
  // loads (the previous vintage is the slice as it stood before its last load), on either basis.
  it.each([
    {
      basis: 'TOTAL rows: load 1’s TOTAL and load 2’s chapter',
      rows: (a: number, b: number) => [
        { partner: 'W00', code: 'TOTAL', usd: a },
        { partner: 'KAZ', code: '52', usd: b },
      ],
      loads: [
        [10_000_000, 1_000_000],
        [10_000_000, 2_000_000],
        [7_000_000, 2_000_000],
      ],
      expected: 10_000_000,
      found: 7_000_000,
    },
    {
      basis: 'all rows, without TOTAL rows: KAZ’s row of load 1 and CHN’s of load 2',
      rows: (a: number, b: number) => [
        { partner: 'KAZ', code: '52', usd: a },
        { partner: 'CHN', code: '52', usd: b },
      ],
      loads: [
        [4_000_000, 4_000_000],
        [4_000_000, 6_000_000],
        [4_000_000, 2_000_000],
      ],
      expected: 10_000_000,
      found: 6_000_000,
    },
  ])('shrinking_vintage over three loads, $basis', async ({ rows, loads, expected, found: now }) => {
    for (const [i, [a, b]] of loads.entries()) {
      expect(await load(`v${i + 1}.csv`, rows(a!, b!))).toBe(0);
      // The second load grew or kept the slice: nothing shrank yet.
      if (i === 1) expect(found(await check(), 'shrinking_vintage')).toEqual([]);
    }
    expect(found(await check(), 'shrinking_vintage')).toEqual([
      { severity: 'warning', key: 'comtrade PAK X A 2021', expected, found: now },
    ]);
  });

  it('--run lists what a run recorded without checking again', async () => {
    const flows = cleanWithTotals({ KAZ: 5_000_000 });
    expect(await load('chapters.csv', flows)).toBe(3);
    const report = await check('--run', '1');
    expect(found(report, 'total_vs_chapters').map((f) => f.severity)).toEqual(['error']);
    expect(report.code).toBe(3);
    expect((await check('--run', '99')).findings).toEqual([]);
  });

  it('a pipeline run fails with exit 3 on an open error, names the counts, and takes its checks: thresholds', async () => {
    const flows = cleanWithTotals({ KAZ: 5_900_000 });
    writeFileSync(join(tmp(), 'pak.csv'), csvText(PLUS_HEADER, flows.map(row)));
    // 6.0 M of chapters against a TOTAL of 5.9 M: 1.7 % over, past the default tolerance of 0.5 %.
    writePipelineProject(tmp(), { name: 'strict', sources: [{ source: 'comtrade', files: ['pak.csv'] }] });
    const strict = await cli(['run', 'strict', '--db', dbPath()], tmp());
    expect(strict.code, strict.stderr).toBe(3);
    // total_vs_chapters, and the categories of those chapters above the total (ind_trade_sums).
    expect(strict.stdout).toMatch(/Data-quality findings open: 3 errors, 1 warning, 0 info/);
    expect(strict.stdout).toMatch(/data-quality finding of severity error is open \(exit code 3\)/);
    // The same file in a pipeline that allows 2 %: the finding is resolved at its run.
    writePipelineProject(tmp(), {
      name: 'lenient',
      sources: [{ source: 'comtrade', files: ['pak.csv'] }],
      checks: { tolerance: 0.02 },
    });
    const lenient = await cli(['run', 'lenient', '--db', dbPath(), '--force'], tmp());
    expect(lenient.code, lenient.stdout).toBe(0);
    expect(found(await check('--run', '2'), 'total_vs_chapters')).toEqual([]);
    // corridor check takes a pipeline's thresholds too; without them, the default finds it again.
    const asLenient = await cli(
      ['check', '--pipeline', 'lenient', '--format', 'json', '--db', dbPath()],
      tmp(),
    );
    expect(asLenient.stdout).not.toMatch(/"check_name": "total_vs_chapters"/);
    expect(found(await check(), 'total_vs_chapters').map((f) => f.severity)).toEqual(['error']);
  });

  it('refuses bad options with exit 2', async () => {
    for (const args of [
      ['--format', 'xml'],
      ['--tolerance', 'lots'],
      ['--shrink', '2'],
      ['--run', '1', '--shrink', '0.1'],
      ['--pipeline', 'no-such-pipeline'],
      ['extra'],
    ]) {
      const run = await cli(['check', '--db', dbPath(), ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/corridor: /);
    }
  });
});
