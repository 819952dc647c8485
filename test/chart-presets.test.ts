/**
 * The chart presets and `corridor chart` against a real SQLite warehouse: a hand-made Comtrade
 * file and a port table in KPT's shape, loaded and derived through the CLI; the bars and points
 * read back from the SVG equal the figures written here. On PostgreSQL with
 * CORRIDOR_TEST_BACKEND=postgres (test/helpers/backends.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_PRESETS, presetData } from '../src/chart/chart-presets.ts';
import { WarehouseReader } from '../src/query/warehouse-reader.ts';
import { type TestWarehouse, testWarehouse } from './helpers/backends.ts';
import { csvText, PLUS_HEADER, tradeRow } from './helpers/comtrade-csv.ts';
import { KPT_MONTHS, writeKptPipeline, writeKptWorkbook } from './helpers/kpt-port-files.ts';
import { cli } from './helpers/run-cli.ts';
import { checkWellFormed, marksOf } from './helpers/svg-markup.ts';

let folder = '';
let warehouse: TestWarehouse;
const db = () => warehouse.db;
const M = 1_000_000;

// PAK's trade with KAZ. 2021 exports: textiles 3 M + 2 M, grain 1 M, so Other = 10 − 6 = 4 M.
// 2022 exports: textiles 4 M, grain 2 M, the total 6 M (no Other). Imports: potash 3 M, 9 M.
const TRADE = [
  { partner: 'KAZ', code: 'TOTAL', usd: 10 * M, year: 2021 },
  { partner: 'KAZ', code: '520100', usd: 3 * M, year: 2021 },
  { partner: 'KAZ', code: '620342', usd: 2 * M, year: 2021 },
  { partner: 'KAZ', code: '100199', usd: 1 * M, year: 2021 },
  { partner: 'KAZ', flow: 'M' as const, code: 'TOTAL', usd: 4 * M, year: 2021 },
  { partner: 'KAZ', flow: 'M' as const, code: '310420', usd: 3 * M, year: 2021 },
  { partner: 'KAZ', code: 'TOTAL', usd: 6 * M, year: 2022 },
  { partner: 'KAZ', code: '520100', usd: 4 * M, year: 2022 },
  { partner: 'KAZ', code: '100199', usd: 2 * M, year: 2022 },
  { partner: 'KAZ', flow: 'M' as const, code: 'TOTAL', usd: 9 * M, year: 2022 },
  { partner: 'KAZ', flow: 'M' as const, code: '310420', usd: 9 * M, year: 2022 },
];

const wheat = KPT_MONTHS.map((_, i) => 10 + i);
const oil = KPT_MONTHS.map((_, i) => 100 + i);

/** Karachi's FY2023-24 and FY2024-25 in KPT's shape ('000 tonnes), and the pipeline that reads them. */
async function writePortFiles(): Promise<void> {
  const files = ['2023-24', '2024-25'].map((fiscalYear) => `kpt-${fiscalYear}.xlsx`);
  for (const file of files)
    await writeKptWorkbook(join(folder, file), file.slice(4, 11), [
      ['WHEAT GRAIN', 'Import', ...wheat],
      ['Total dry cargo', null, ...wheat],
      ['POL products', 'Export', ...oil],
      ['Total liquid cargo', null, ...oil],
      ['Grand total', null, ...wheat.map((w, i) => w + oil[i]!)],
    ]);
  writeKptPipeline(folder, files);
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-chart-'));
  warehouse = await testWarehouse(folder);
  // Pakistan's wheat imports by sea in 2024: 372,000 t net, twice the 186,000 t its port handled.
  const bySea = tradeRow({
    partner: 'W00',
    flow: 'M',
    code: '100199',
    usd: 90 * M,
    kg: 372_000_000,
    year: 2024,
  });
  bySea[PLUS_HEADER.indexOf('motCode')] = 2100;
  writeFileSync(join(folder, 'pak.csv'), csvText(PLUS_HEADER, [...TRADE.map(tradeRow), bySea]));
  const loaded = await cli(['load', join(folder, 'pak.csv'), '--source', 'comtrade', '--db', db()]);
  expect(loaded.stdout).toMatch(/\(0 rejected\)/);
  expect(loaded.code).toBe(0);
  await writePortFiles();
  const ports = await cli(['run', 'kpt', '--db', db()], folder);
  expect(ports.code, ports.stderr).toBe(0);
}, 180_000); // PostgreSQL creates the warehouse and derives in this time.
afterAll(async () => {
  await warehouse?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

/** Draws a preset through the CLI and reads its marks back from the file. */
async function chart(args: readonly string[]) {
  const out = join(folder, `${args[0] ?? 'query'}.svg`);
  const run = await cli(['chart', ...args, '--out', out, '--db', db()], folder);
  expect(run.code, run.stderr).toBe(0);
  const svg = readFileSync(out, 'utf8');
  checkWellFormed(svg);
  return { svg, marks: marksOf(svg), said: run.stderr };
}

const values = (marks: ReturnType<typeof marksOf>) => marks.map((m) => [m.category, m.series, m.value]);

describe('chart presets', () => {
  it('trade-by-category: one stacked bar a year, a segment per category, Other the rest of the total', async () => {
    const { marks, said } = await chart(['trade-by-category']);
    expect(said).toMatch(
      /Wrote .*trade-by-category\.svg: PAK exports to KAZ by category \(2 categories, 3 series, 5 values\)/,
    );
    expect(values(marks)).toEqual([
      ['2021', 'Textiles and clothing', 5 * M],
      ['2021', 'Grain (cereals)', 1 * M],
      ['2021', 'Other', 4 * M],
      ['2022', 'Textiles and clothing', 4 * M],
      ['2022', 'Grain (cereals)', 2 * M],
    ]);
    const imports = await chart(['trade-by-category', '--flow', 'M']);
    expect(values(imports.marks)).toEqual([
      ['2021', 'Fertilizers', 3 * M],
      ['2021', 'Other', 1 * M],
      ['2022', 'Fertilizers', 9 * M],
    ]);
  });

  it('balance: exports, imports and a balance that goes below zero', async () => {
    const { marks, svg } = await chart(['balance', '--reporter', 'pak', '--partner', 'KAZ']);
    expect(values(marks)).toEqual([
      ['2021', 'Exports', 10 * M],
      ['2021', 'Imports', 4 * M],
      ['2021', 'Balance', 6 * M],
      ['2022', 'Exports', 6 * M],
      ['2022', 'Imports', 9 * M],
      ['2022', 'Balance', -3 * M],
    ]);
    expect(svg).toContain('>−5 M</text>');
  });

  it('top-products: the HS6 codes of the latest year, largest first, named from the nomenclature', async () => {
    const { marks } = await chart(['top-products']);
    expect(marks.map((m) => [m.category.slice(0, 6), m.value])).toEqual([
      ['520100', 4 * M],
      ['100199', 2 * M],
    ]);
    expect(marks[0]!.category.length).toBeGreaterThan(7); // the code with its description
    const earlier = await chart(['top-products', '--year', '2021']);
    expect(earlier.marks.map((m) => [m.category.slice(0, 6), m.value])).toEqual([
      ['520100', 3 * M],
      ['620342', 2 * M],
      ['100199', 1 * M],
    ]);
  });

  it('port-throughput: tonnes a month per port, every direction together', async () => {
    const { marks } = await chart(['port-throughput', '--ports', 'PKKHI,PKBQM']);
    expect(marks).toHaveLength(24);
    expect(marks[0]).toMatchObject({ category: '2023-07', value: (10 + 100) * 1000 });
    expect(marks[11]).toMatchObject({ category: '2024-06', value: (21 + 111) * 1000 });
    expect(marks[23]).toMatchObject({ category: '2025-06', value: (21 + 111) * 1000 });
    expect(new Set(marks.map((m) => m.series)).size).toBe(1);
  });

  it('port-trade-coverage: port tonnes over customs tonnes by sea, per category, for the latest whole year', async () => {
    // 2024 at Karachi: wheat Jan–Jun of FY2023-24 (16…21) and Jul–Dec of FY2024-25 (10…15),
    // 186,000 t, against 372,000 t by sea: 0.5, for wheat and for grain, which holds it.
    const { marks, svg } = await chart(['port-trade-coverage']);
    expect(svg).toContain(', 2024</text>');
    expect(values(marks)).toEqual([
      ['Grain (cereals)', 'Imports', 0.5],
      ['Wheat and meslin', 'Imports', 0.5],
    ]);
  });

  it('presetData gives the spec and its table on the reader, for every preset; no figure draws "No data"', async () => {
    const reader = await WarehouseReader.open(db());
    try {
      for (const preset of CHART_PRESETS) {
        const result = await presetData(reader, preset.name, {});
        expect(result.rows.length, preset.name).toBe(result.spec.categories.length);
        expect(result.columns.slice(1)).toEqual(result.spec.series.map((s) => s.name));
      }
      const balance = await presetData(reader, 'balance', {
        reporter: 'PAK',
        partner: 'KAZ',
        ports: 'ignored',
      });
      expect(balance.rows).toContainEqual(['2022', 6 * M, 9 * M, -3 * M]);
      const none = await presetData(reader, 'balance', { reporter: 'CHN', partner: 'KAZ' });
      expect(none.spec.categories).toEqual([]);
    } finally {
      await reader.close();
    }
    const { svg } = await chart(['balance', '--reporter', 'CHN']);
    expect(svg).toContain('>No data</text>');
  });
});

describe('corridor chart', () => {
  it('charts a query that fits, with the kind asked for', async () => {
    const { marks, svg } = await chart([
      '--query',
      "select year, balance_usd from ind_trade_balance where reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and product = 'TOTAL' order by year",
      '--kind',
      'grouped-bar',
      '--title',
      'PAK–KAZ <balance>',
    ]);
    expect(values(marks)).toEqual([
      ['2021', 'balance_usd', 6 * M],
      ['2022', 'balance_usd', -3 * M],
    ]);
    expect(svg).toContain('data-kind="grouped-bar"');
    expect(svg).toContain('PAK–KAZ &lt;balance&gt;');
  });

  it('lists the presets with their parameters and defaults', async () => {
    const run = await cli(['chart', '--list']);
    expect(run.code).toBe(0);
    for (const preset of CHART_PRESETS) expect(run.stdout).toContain(`${preset.name}:`);
    expect(run.stdout).toMatch(/--ports .*Default: PKKHI PKBQM/);
  });

  it('refuses bad input with exit 2 and writes nothing', async () => {
    const refused = async (args: readonly string[], message: RegExp) => {
      const run = await cli(['chart', ...args, '--db', db()], folder);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toMatch(message);
    };
    await refused(
      ['trade-by-categry', '--out', 'x.svg'],
      /no chart preset "trade-by-categry".*Did you mean trade-by-category\?/,
    );
    await refused(
      ['balance', '--reporter', 'Pakistan', '--out', 'x.svg'],
      /reporter "Pakistan" is not an ISO 3166 alpha-3 code/,
    );
    await refused(['port-throughput', '--ports', 'Karachi', '--out', 'x.svg'], /"KARACHI" is not one/);
    await refused(['top-products', '--year', '23', '--out', 'x.svg'], /year "23" is not a year/);
    await refused(
      ['balance', '--ports', 'PKKHI', '--out', 'x.svg'],
      /balance takes --reporter, --partner, --source, not --ports/,
    );
    await refused(['balance'], /--out <file\.svg>/);
    await refused(
      ['--query', "select 'x' as a, 'y' as b", '--out', 'x.svg'],
      /does not fit a chart.*first column labels the rows/s,
    );
    await refused(
      ['--query', "select * from ind_trade_balance where product = 'TOTAL'", '--out', 'x.svg'],
      /does not fit a chart/,
    );
    await refused(['--query', 'delete from ind_trade_balance', '--out', 'x.svg'], /read-only|refus|write/i);
    await refused(['--query', 'select 1, 2', '--kind', 'pie', '--out', 'x.svg'], /--kind.*"pie"/);
    expect(readdirSync(folder).filter((f) => f === 'x.svg' || f.endsWith('.tmp'))).toEqual([]);
  });
});
