/**
 * Port throughput end to end: port tables written here by exceljs in the shapes KPT and PQA
 * publish, declared in pipeline files, loaded through the CLI into a real warehouse, read back
 * from `port_throughput`; and the bundled samples (`corridor run ports`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const MONTHS = ['Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'];

/** A port-table pipeline in the temp folder; `extra` is TypeScript text added to the layout. */
function portPipeline(
  name: string,
  files: string,
  port: string,
  wide = "wide: { kind: 'periods', into: 'period', value: 'quantity' },",
): void {
  mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
  writeFileSync(
    join(tmp(), 'pipelines', `${name}.pipeline.ts`),
    `export default { name: '${name}', sources: [{ source: 'port-table', files: ['${files}'], portTable: {
      name: '${name}', headerRows: 2, sheets: { every: true },
      columns: { commodity: { labels: ['Commodity'] }, direction: { labels: ['Direction'] } },
      ${wide}
      aggregates: { column: 'commodity', labels: ['Total dry cargo', 'Total liquid cargo'], totals: ['Grand total'], position: 'after' },
      map: { port: { value: '${port}' }, period: { column: 'period' }, direction: { column: 'direction' },
             commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
  );
}

/** A sheet in KPT's shape: title, unit line, the fiscal year over its months, rows, subtotals. */
async function portWorkbook(
  file: string,
  unit: string,
  fiscalYear: string,
  rows: readonly (readonly unknown[])[],
  months = 12,
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Cargo');
  sheet.addRow(['Karachi Port Trust: cargo handled by commodity (test figures)']);
  sheet.addRow([unit]);
  sheet.addRow(['Commodity', 'Direction', fiscalYear, ...Array(months - 1).fill(null)]);
  sheet.mergeCells(3, 3, 3, 2 + months);
  sheet.addRow([null, null, ...MONTHS.slice(0, months)]);
  for (const row of rows) sheet.addRow([...row]);
  await workbook.xlsx.writeFile(join(tmp(), file));
}

const twelve = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('port-table: a port authority’s monthly table', () => {
  it('stores each month in tonnes under its fiscal year, keeps the raw label, maps known labels, and checks the subtotals', async () => {
    const wheat = twelve(10);
    const urea = twelve(1);
    const pol = twelve(100);
    await portWorkbook('kpt.xlsx', "('000 tonnes)", '2023-24', [
      ['WHEAT GRAIN', 'Import', ...wheat],
      ['Fertiliser (Urea)', 'Import', ...urea],
      ['Widgets', 'Export', ...twelve(0.5)],
      ['Total dry cargo', null, ...wheat.map((w, i) => w + urea[i]! + 0.5 + i)],
      ['POL products', 'Import', ...pol],
      ['Total liquid cargo', null, ...pol.map((p, i) => (i === 11 ? p + 3 : p))], // June is 3 too high
      ['Grand total', null, ...wheat.map((w, i) => w + urea[i]! + 0.5 + i + pol[i]!)],
    ]);
    portPipeline('kpt', 'kpt.xlsx', 'PKKHI');
    const run = await cli(['run', 'kpt', '--db', db()], tmp());
    expect(run.code).toBe(0);

    const months = query<{ period: string; fiscal_year: string }>(
      db(),
      "select distinct period, fiscal_year from port_throughput where commodity_raw = 'WHEAT GRAIN' order by period",
    );
    expect(months.map((m) => m.period)).toEqual([
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    expect(new Set(months.map((m) => m.fiscal_year))).toEqual(new Set(['2023-24']));

    const byLabel = query<Record<string, unknown>>(
      db(),
      `select commodity_raw, commodity, cargo_group, category, hs_heading, direction, unit, sum(quantity) as tonnes
       from port_throughput group by commodity_raw order by commodity_raw`,
    );
    expect(byLabel).toEqual([
      {
        commodity_raw: 'Fertiliser (Urea)',
        commodity: 'urea',
        cargo_group: 'dry_bulk',
        category: 'nitrogenous_fertilizers',
        hs_heading: '310210',
        direction: 'import',
        unit: 't',
        tonnes: sum(urea) * 1000,
      },
      {
        commodity_raw: 'POL products',
        commodity: 'petroleum_products',
        cargo_group: 'liquid_bulk',
        category: 'petroleum_products',
        hs_heading: '2710',
        direction: 'import',
        unit: 't',
        tonnes: sum(pol) * 1000,
      },
      {
        commodity_raw: 'WHEAT GRAIN',
        commodity: 'wheat',
        cargo_group: 'dry_bulk',
        category: 'wheat',
        hs_heading: '1001',
        direction: 'import',
        unit: 't',
        tonnes: sum(wheat) * 1000,
      },
      {
        commodity_raw: 'Widgets',
        commodity: null,
        cargo_group: 'all',
        category: null,
        hs_heading: null,
        direction: 'export',
        unit: 't',
        tonnes: 72_000,
      },
    ]);

    // The liquid subtotal's June is 3 above its row, beyond rounding whole thousands: a warning.
    // (The grand total matches its rows; a difference of 1 would pass as rounding.)
    const warnings = query<{ row_number: number; column_name: string }>(
      db(),
      'select row_number, column_name from load_warnings order by row_number',
    );
    expect(warnings).toEqual([{ row_number: 10, column_name: '2023-24 › Jun' }]);
    // "Total dry cargo" counted the Widgets row: its figures matched, so no warning for it.
    const unmapped = await cli(['unmapped', '--db', db()]);
    expect(unmapped.stdout).toContain('Widgets');
    expect(unmapped.stdout).toMatch(/Widgets\s+PKKHI\s+12/);
  });

  it('de-cumulates a year-to-date series into months, and rejects a month that comes out negative with the reason', async () => {
    // Jul–Mar year to date; the March figure falls below February's (a revision).
    const ytd = [10, 25, 45, 60, 80, 95, 120, 150, 149];
    await portWorkbook('pqa.xlsx', "('000 tonnes)", '2022-23', [['Coal', 'Import', ...ytd]], 9);
    portPipeline(
      'pqa',
      'pqa.xlsx',
      'PKBQM',
      "wide: { kind: 'periods', into: 'period', value: 'quantity', cumulative: true },",
    );
    const run = await cli(['run', 'pqa', '--db', db()], tmp());
    expect(run.code).toBe(3); // one month in nine rejected
    expect(
      query<{ period: string; quantity: number }>(
        db(),
        'select period, quantity from port_throughput order by period',
      ).map((r) => [r.period, r.quantity / 1000]),
    ).toEqual([
      ['2022-07', 10],
      ['2022-08', 15],
      ['2022-09', 20],
      ['2022-10', 15],
      ['2022-11', 20],
      ['2022-12', 15],
      ['2023-01', 25],
      ['2023-02', 30],
    ]);
    expect(query(db(), 'select row_number, column_name, code, value from rejects')).toEqual([
      { row_number: 5, column_name: '2022-23 › Mar', code: 'negative_value', value: '-1000' },
    ]);
    expect(scalar<string>(db(), "select message from load_warnings where code = 'ytd_decrease'")).toContain(
      'the year-to-date figure falls from 150 ("2022-23 › Feb") to 149',
    );
  });

  it('reads the direction from the header levels over the months ("Imports › 2023-24 › Jul")', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Gwadar');
    sheet.addRow(['Gwadar Port: cargo handled (test figures)']);
    sheet.addRow(["('000 tonnes)"]);
    sheet.addRow(['Commodity', 'Imports', null, 'Exports', null]);
    sheet.addRow([null, '2023-24', null, '2023-24', null]);
    sheet.addRow([null, 'Jul', 'Aug', 'Jul', 'Aug']);
    sheet.addRow(['Fertilizer', 1, 2, null, null]);
    sheet.addRow(['Clinker', null, null, '3 (p)', 4]);
    await workbook.xlsx.writeFile(join(tmp(), 'gwadar.xlsx'));
    mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
    writeFileSync(
      join(tmp(), 'pipelines', 'gwadar.pipeline.ts'),
      `export default { name: 'gwadar', sources: [{ source: 'port-table', files: ['gwadar.xlsx'], portTable: {
        name: 'gwadar', headerRows: 3, columns: { commodity: { labels: ['Commodity'] } },
        wide: { kind: 'periods', into: 'period', value: 'quantity' },
        map: { port: { value: 'PKGWD' }, period: { column: 'period' }, direction: { column: 'heading' },
               commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
    );
    expect((await cli(['run', 'gwadar', '--db', db()], tmp())).code).toBe(0);
    expect(
      query(
        db(),
        'select commodity, direction, period, fiscal_year, quantity, is_provisional from port_throughput order by direction, period',
      ),
    ).toEqual([
      {
        commodity: 'clinker',
        direction: 'export',
        period: '2023-07',
        fiscal_year: '2023-24',
        quantity: 3000,
        is_provisional: 1,
      },
      {
        commodity: 'clinker',
        direction: 'export',
        period: '2023-08',
        fiscal_year: '2023-24',
        quantity: 4000,
        is_provisional: 0,
      },
      {
        commodity: 'fertiliser',
        direction: 'import',
        period: '2023-07',
        fiscal_year: '2023-24',
        quantity: 1000,
        is_provisional: 0,
      },
      {
        commodity: 'fertiliser',
        direction: 'import',
        period: '2023-08',
        fiscal_year: '2023-24',
        quantity: 2000,
        is_provisional: 0,
      },
    ]);
  });

  it('refuses a table in a unit port_throughput does not keep, naming the units it knows', async () => {
    await portWorkbook('bales.xlsx', '(bales)', '2023-24', [['Cotton', 'Export', ...twelve(1)]]);
    portPipeline('bales', 'bales.xlsx', 'PKKHI');
    const run = await cli(['run', 'bales', '--db', db()], tmp());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no unit Corridor knows');
    expect(run.stderr).toMatch(/TEU/);
    expect(run.stderr).toMatch(/tonnes/);
    expect(scalar(db(), 'select count(*) from port_throughput_rows')).toBe(0);
  });

  it('replaces a revised table’s months, skips an unchanged one, and keeps tonnes and TEU apart', async () => {
    await portWorkbook('kpt.xlsx', "('000 tonnes)", '2023-24', [['Wheat', 'Import', ...twelve(1)]]);
    portPipeline('kpt', 'kpt.xlsx', 'PKKHI');
    expect((await cli(['run', 'kpt', '--db', db()], tmp())).code).toBe(0);
    const again = await cli(['run', 'kpt', '--db', db()], tmp());
    expect(again.stderr).toContain('SKIP');
    await portWorkbook('kpt.xlsx', "('000 tonnes)", '2023-24', [['Wheat', 'Import', ...twelve(2)]]);
    expect((await cli(['run', 'kpt', '--db', db()], tmp())).code).toBe(0);
    expect(scalar(db(), "select sum(quantity) from port_throughput where unit = 't'")).toBe(
      sum(twelve(2)) * 1000,
    );
    expect(scalar(db(), 'select count(*) from port_throughput')).toBe(12);

    await portWorkbook('teu.xlsx', '(TEU)', '2023-24', [['Containers', 'Import', ...twelve(1000)]]);
    portPipeline('teu', 'teu.xlsx', 'PKKHI');
    expect((await cli(['run', 'teu', '--db', db()], tmp())).code).toBe(0);
    expect(
      query(db(), 'select unit, count(*) as n from port_throughput group by unit order by unit'),
    ).toEqual([
      { unit: 'TEU', n: 12 },
      { unit: 't', n: 12 },
    ]);
  });
});

describe('port-table: what a port analyst gets wrong, and what Corridor says', () => {
  it('places a month by its port’s fiscal year even when the table starts mid-year', async () => {
    await portWorkbook('mar.xlsx', "('000 tonnes)", '2023-24', [['Wheat', 'Transhipment', 5]], 1);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cargo');
    sheet.addRow(["('000 tonnes)"]);
    sheet.addRow(['Commodity', 'Direction', '2023-24']);
    sheet.addRow([null, null, 'Mar']);
    sheet.addRow(['Wheat', 'Transhipment', 5]);
    await workbook.xlsx.writeFile(join(tmp(), 'mar.xlsx'));
    portPipeline('mar', 'mar.xlsx', 'PKKHI');
    expect((await cli(['run', 'mar', '--db', db()], tmp())).code).toBe(0);
    expect(query(db(), 'select period, fiscal_year, direction from port_throughput')).toEqual([
      { period: '2024-03', fiscal_year: '2023-24', direction: 'transshipment' },
    ]);
  });

  it('refuses a port missing from ports.csv when the pipeline is read, naming the closest', async () => {
    portPipeline('typo', 'x.xlsx', 'PKGWX');
    const run = await cli(['run', 'typo', '--db', db()], tmp());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'port "PKGWX" is not in warehouse/reference/ports.csv (the closest is PKGWD (Gwadar))',
    );
  });

  it.each([
    ["('000 freight tons)", "'000"],
    ['(in lakh tonnes)', 'lakh'],
    ['(Tonnes in thousands)', 'thousands'],
  ])('refuses a unit it reads only in part: %s', async (unit, qualifier) => {
    await portWorkbook('odd.xlsx', unit, '2023-24', [['Wheat', 'Import', ...twelve(1)]]);
    portPipeline('odd', 'odd.xlsx', 'PKKHI');
    const run = await cli(['run', 'odd', '--db', db()], tmp());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`says "${qualifier}", which Corridor does not read`);
    expect(scalar(db(), 'select count(*) from port_throughput_rows')).toBe(0);
  });

  it('refuses a table in money as a whole, and rejects a row whose label names another unit', async () => {
    await portWorkbook('usd.xlsx', '(US$ million)', '2023-24', [['Wheat', 'Import', ...twelve(1)]]);
    portPipeline('usd', 'usd.xlsx', 'PKKHI');
    const usd = await cli(['run', 'usd', '--db', db()], tmp());
    expect(usd.code).toBe(1);
    expect(usd.stderr).toContain('must be in a unit of mass or containers or count');

    await portWorkbook('mixed.xlsx', "('000 tonnes)", '2023-24', [
      ['Wheat', 'Import', ...twelve(1)],
      ['Containers (TEUs)', 'Import', ...twelve(100)],
    ]);
    portPipeline('mixed', 'mixed.xlsx', 'PKKHI');
    expect((await cli(['run', 'mixed', '--db', db()], tmp())).code).toBe(3);
    expect(
      scalar(
        db(),
        "select count(*) from rejects where code = 'unknown_unit' and value = 'Containers (TEUs)'",
      ),
    ).toBe(12);
    expect(scalar(db(), "select count(*) from port_throughput where commodity_raw like 'Containers%'")).toBe(
      0,
    );
  });

  it('keeps a port’s TEU table and its tonnage table side by side: a slice is port, period, direction and unit', async () => {
    await portWorkbook('t.xlsx', "('000 tonnes)", '2023-24', [
      ['Containerised cargo', 'Import', ...twelve(1)],
    ]);
    await portWorkbook('teu.xlsx', '(TEU)', '2023-24', [['Containers', 'Import', ...twelve(100)]]);
    portPipeline('both', '*.xlsx', 'PKKHI');
    const run = await cli(['run', 'both', '--db', db()], tmp());
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('replaced');
    expect(
      query(db(), 'select unit, count(*) as n from port_throughput group by unit order by unit'),
    ).toEqual([
      { unit: 'TEU', n: 12 },
      { unit: 't', n: 12 },
    ]);
  });
});

describe('port-table: a table with one figure a row', () => {
  /** A long CSV (period, direction, commodity, figure) and its pipeline; `unit` is the layout's unit.default. */
  function longTable(unit: string | null): void {
    writeFileSync(
      join(tmp(), 'kpt-long.csv'),
      'Period,Direction,Commodity,Figure\n2023-07,import,Wheat,120.5\n2023-07,export,Rice,80\n2023-08,import,Wheat,99\n',
    );
    mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
    writeFileSync(
      join(tmp(), 'pipelines', 'long.pipeline.ts'),
      `export default { name: 'long', sources: [{ source: 'port-table', files: ['kpt-long.csv'], portTable: {
        name: 'kpt-long', ${unit === null ? '' : `unit: { default: "${unit}" },`}
        columns: { period: { labels: ['Period'] }, direction: { labels: ['Direction'] },
                   commodity: { labels: ['Commodity'] }, quantity: { labels: ['Figure'] } },
        map: { port: { value: 'PKKHI' }, period: { column: 'period' }, direction: { column: 'direction' },
               commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
    );
  }

  it("takes the unit from the layout's default, with its multiplier", async () => {
    longTable("'000 tonnes");
    const run = await cli(['run', 'long', '--db', db()], tmp());
    expect(run.code).toBe(0);
    expect(
      query(
        db(),
        'select period, direction, commodity_raw, unit, quantity from port_throughput order by period, direction',
      ),
    ).toEqual([
      { period: '2023-07', direction: 'export', commodity_raw: 'Rice', unit: 't', quantity: 80_000 },
      { period: '2023-07', direction: 'import', commodity_raw: 'Wheat', unit: 't', quantity: 120_500 },
      { period: '2023-08', direction: 'import', commodity_raw: 'Wheat', unit: 't', quantity: 99_000 },
    ]);
  });

  it('says how to name the unit when the layout gives none', async () => {
    longTable(null);
    const run = await cli(['run', 'long', '--db', db()], tmp());
    expect(run.code).toBe(3);
    const rejects = query<{ code: string; message: string }>(db(), 'select code, message from rejects');
    expect(rejects).toHaveLength(3);
    expect(rejects[0]).toMatchObject({ code: 'unknown_unit' });
    expect(rejects[0]!.message).toMatch(/add unit: \{ default: "tonnes" \}/);
  });
});

describe('fiscal years', () => {
  it('labels every month of a year by its port’s fiscal year: July in Pakistan, April in India, January elsewhere', async () => {
    expect((await cli(['init', '--db', db()])).code).toBe(0);
    const Database = (await import('better-sqlite3')).default;
    const w = new Database(db());
    const insert = w.prepare(
      `insert into port_throughput_rows (source, port_locode, period, freq, year, month, direction, cargo_group, commodity_raw, commodity_key, unit, quantity, source_row, load_id)
       values ('test', ?, ?, 'M', ?, ?, 'total', 'all', 'Cargo', 'cargo', 't', 1, 1, 0)`,
    );
    for (const port of ['PKKHI', 'INNSA', 'HKHKG'])
      for (let month = 1; month <= 12; month++)
        insert.run(port, `2024-${String(month).padStart(2, '0')}`, 2024, month);
    w.close();
    const labels = (port: string) =>
      query<{ fiscal_year: string }>(
        db(),
        'select fiscal_year from port_throughput where port_locode = ? order by month',
        port,
      ).map((r) => r.fiscal_year);
    expect(labels('PKKHI')).toEqual([...Array(6).fill('2023-24'), ...Array(6).fill('2024-25')]);
    expect(labels('INNSA')).toEqual([...Array(3).fill('2023-24'), ...Array(9).fill('2024-25')]);
    expect(labels('HKHKG')).toEqual(Array(12).fill('2024'));
    expect(query(db(), "select locode, name from ports where locode like 'PK%' order by locode")).toEqual([
      { locode: 'PKBQM', name: 'Port Qasim' },
      { locode: 'PKGWD', name: 'Gwadar' },
      { locode: 'PKKHI', name: 'Karachi' },
    ]);
  });
});

describe('the bundled port samples', () => {
  it('corridor run ports: Karachi and Port Qasim totals as published, Hong Kong as the Marine Department gives it', async () => {
    const run = await cli(['run', 'ports', '--db', db()], PROJECT_ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toContain('into port_throughput');
    const total = (port: string, fiscalYear: string, unit: string) =>
      scalar(
        db(),
        "select sum(quantity) from port_throughput where port_locode = ? and fiscal_year = ? and unit = ? and freq = 'M'",
        port,
        fiscalYear,
        unit,
      );
    // DOMAIN.md §7: KPT 51.71 Mt / 2.21 M TEU, 41.85 Mt / 1.93 M TEU, 51.65 Mt; PQA Jul–Mar FY23 0.75 M TEU.
    expect(total('PKKHI', '2021-22', 't')).toBe(51_710_000);
    expect(total('PKKHI', '2021-22', 'TEU')).toBe(2_210_000);
    expect(total('PKKHI', '2022-23', 't')).toBe(41_850_000);
    expect(total('PKKHI', '2023-24', 't')).toBe(51_650_000);
    expect(total('PKBQM', '2022-23', 'TEU')).toBe(750_000);
    expect(
      scalar(
        db(),
        "select sum(quantity) from port_throughput where port_locode = 'PKBQM' and fiscal_year = '2022-23' and commodity = 'containers' and unit = 't'",
      ),
    ).toBe(9_110_000);
    expect(
      scalar(db(), "select quantity from port_throughput where port_locode = 'HKHKG' and period = '2024'"),
    ).toBe(13_688_000);
    // Hong Kong's 2021 months sum to 17,800 thousand TEU against an annual 17,798: both kept, apart.
    expect(total('HKHKG', '2021', 'TEU')).toBe(17_800_000);
    expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
    // KPT's annual Total column is neither kept nor read: the journal says so.
    expect(
      scalar<string>(db(), "select notes from load_files where file_name like 'kpt%2023-24%'"),
    ).toContain('sheet Cargo: column(s) not read: Total');
  });
});
