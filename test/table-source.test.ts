/**
 * The generic `table` source: a layout declared in a pipeline file, run through the CLI on
 * workbooks written here by exceljs (and the README's worked example), into a real warehouse.
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

/** Writes pipelines/<name>.pipeline.ts in the temp folder; `table` is TypeScript source text. */
function pipeline(name: string, files: string, table: string): void {
  mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
  writeFileSync(
    join(tmp(), 'pipelines', `${name}.pipeline.ts`),
    `export default { name: '${name}', sources: [{ source: 'table', files: ['${files}'], table: ${table} }] };\n`,
  );
}

async function workbook(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) wb.addWorksheet(sheet).addRows(rows);
  const path = join(tmp(), name);
  await wb.xlsx.writeFile(path);
  return path;
}

const run = (name: string) => cli(['run', name, '--db', db()], tmp());

describe('the table source, declared in a pipeline file', () => {
  it('reads months under a fiscal-year heading, a unit in the header, figures as text with footnotes, and checks a closing total', async () => {
    await workbook('exports.xlsx', {
      Notes: [['About this table'], ['Figures are provisional.']],
      'FY 2022-23': [
        ['Exports of Pakistan by destination, FY 2022-23'],
        ['Source: an illustrative bureau'],
        [],
        ['Destination', 'US$ thousand', null, null],
        [null, '2022-23', null, null],
        [null, 'Jun', 'Jul', 'Aug'],
        ['Kazakhstan', '1 234,5', '10*', '(p) 3'],
        ['Uzbekistan', 100, '-', '2,5'],
        ['Total', '1 334,5', 10, 5.5],
        ['* revised'],
      ],
    });
    pipeline(
      'fy',
      'exports.xlsx',
      `{
        name: 'fy-example',
        sheets: { pattern: /^FY/ },
        headerRows: 3,
        columns: { destination: { labels: ['Destination'] } },
        wide: { kind: 'periods', into: 'month', value: 'value' },
        aggregates: { column: 'destination', totals: ['Total'], position: 'after' },
        map: {
          reporter: { value: 'PAK' }, partner: { column: 'destination' }, flow: { value: 'X' },
          period: { column: 'month' }, value: { column: 'value' },
        },
      }`,
    );
    const result = await run('fy');
    expect(result.code).toBe(3); // one figure of eight rejected: past the 5 % threshold
    // "Jun" first under 2022-23 is June 2022; the year turns when the months fall back (Jul after Jun does not).
    expect(
      query(
        db(),
        'select source, partner_iso3, period, freq, value_usd from trade_flows order by partner_iso3, period',
      ),
    ).toEqual([
      { source: 'fy-example', partner_iso3: 'KAZ', period: '2022-06', freq: 'M', value_usd: 1_234_500 },
      { source: 'fy-example', partner_iso3: 'KAZ', period: '2022-07', freq: 'M', value_usd: 10_000 },
      { source: 'fy-example', partner_iso3: 'UZB', period: '2022-06', freq: 'M', value_usd: 100_000 },
      { source: 'fy-example', partner_iso3: 'UZB', period: '2022-08', freq: 'M', value_usd: 2_500 },
    ]);
    // "(p) 3" is not a figure this toolkit reads: rejected with its sheet, row and month column.
    expect(query(db(), 'select sheet, row_number, column_name, code, value from rejects')).toEqual([
      {
        sheet: 'FY 2022-23',
        row_number: 7,
        column_name: 'US$ thousand › 2022-23 › Aug',
        code: 'bad_number',
        value: '(p) 3',
      },
    ]);
    expect(
      query(db(), 'select rows_read, rows_loaded, rows_rejected, rows_aggregate from load_files'),
    ).toEqual([{ rows_read: 8, rows_loaded: 4, rows_rejected: 1, rows_aggregate: 3 }]);
    // Total's Aug (5.5) is checked against 2.5 alone, since Kazakhstan's "(p) 3" is not a figure.
    expect(query(db(), 'select row_number, column_name, code from load_warnings')).toEqual([
      { row_number: 9, column_name: 'US$ thousand › 2022-23 › Aug', code: 'aggregate_mismatch' },
    ]);
  });

  it('reads a long table whose figure columns are named, and a per-sheet year from the title', async () => {
    await workbook('long.xlsx', {
      Data: [
        ['Trade with Central Asia in 2023, million US dollars'],
        [],
        ['Partner', 'Flow', 'Value'],
        ['Kazakhstan', 'Exports', '1.234,5'],
        ['Kazakhstan', 'Imports', 'n.a.'],
        ['Uzbekistan', 'Exports', 7],
      ],
    });
    pipeline(
      'long',
      'long.xlsx',
      `{
        columns: { partner: { labels: ['Partner'] }, flow: { labels: ['Flow'] }, value: { labels: ['Value'] } },
        figures: ['value'],
        context: { year: [{ from: 'title', pattern: /in (\\d{4})/ }] },
        map: {
          reporter: { value: 'PAK' }, partner: { column: 'partner' }, flow: { column: 'flow' },
          period: { column: 'year' }, value: { column: 'value' },
        },
      }`,
    );
    const result = await run('long');
    expect(result.code).toBe(0);
    expect(query(db(), 'select partner_iso3, flow, period, value_usd from trade_flows order by 1')).toEqual([
      { partner_iso3: 'KAZ', flow: 'X', period: '2023', value_usd: 1_234_500_000 },
      { partner_iso3: 'UZB', flow: 'X', period: '2023', value_usd: 7_000_000 },
    ]);
    expect(scalar<string>(db(), 'select notes from load_files')).toContain('1 rows without any figure');
  });

  it('reads the periods of a long table as people write them, and refuses a quarter with the reason', async () => {
    await workbook('months.xlsx', {
      Sheet1: [
        ['Monthly exports to Kazakhstan (US dollars)'],
        ['Month', 'Value'],
        ['Jul 2023', 10],
        [new Date(Date.UTC(2023, 7, 1)), 20],
        [45170, 30],
        ['Q4 2023', 40],
      ],
    });
    pipeline(
      'months',
      'months.xlsx',
      `{ columns: { month: { labels: ['Month'] }, value: { labels: ['Value'] } }, figures: ['value'],
         map: { reporter: { value: 'PAK' }, partner: { value: 'KAZ' }, flow: { value: 'X' }, period: { column: 'month' }, value: { column: 'value' } } }`,
    );
    await run('months');
    expect(query(db(), 'select period, freq, value_usd from trade_flows order by period')).toEqual([
      { period: '2023-07', freq: 'M', value_usd: 10 },
      { period: '2023-08', freq: 'M', value_usd: 20 },
      { period: '2023-09', freq: 'M', value_usd: 30 },
    ]);
    expect(query(db(), 'select row_number, code, message from rejects')).toEqual([
      {
        row_number: 6,
        code: 'bad_period',
        message: 'period "Q4 2023" is a quarter; Corridor keeps years and months.',
      },
    ]);
  });

  it('shows a row’s problem once on the terminal, though each of its years is a reject', async () => {
    await workbook('narnia.xlsx', {
      Sheet1: [
        ['Exports (US dollars)'],
        ['Country', '2021', '2022', '2023'],
        ['Narnia', 1, 2, 3],
        ['Kazakhstan', 4, 5, 6],
      ],
    });
    pipeline(
      'narnia',
      'narnia.xlsx',
      `{ columns: { country: { labels: ['Country'] } }, wide: { kind: 'periods' },
         map: { reporter: { value: 'PAK' }, partner: { column: 'country' }, flow: { value: 'X' }, period: { column: 'period' }, value: { column: 'value' } } }`,
    );
    const result = await run('narnia');
    expect(scalar(db(), "select count(*) from rejects where code = 'unknown_country'")).toBe(3);
    expect(result.stderr.match(/"Narnia"/g)).toHaveLength(1);
  });

  it('refuses a table whose unit it does not know, listing the units it knows, and loads nothing', async () => {
    await workbook('bales.xlsx', {
      Sheet1: [['Cotton exports (bales)'], ['Country', '2023'], ['Kazakhstan', 5]],
    });
    pipeline(
      'bales',
      'bales.xlsx',
      `{ columns: { country: { labels: ['Country'] } }, wide: { kind: 'periods' },
         map: { reporter: { value: 'PAK' }, partner: { column: 'country' }, flow: { value: 'X' }, period: { column: 'period' }, value: { column: 'value' } } }`,
    );
    const result = await run('bales');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no unit Corridor knows is named for column "2023"');
    expect(result.stderr).toContain('thousand US dollars');
    expect(result.stderr).toMatch(/TEU/);
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);
    expect(scalar<string>(db(), 'select error_code from load_files')).toBe('unknown_unit');
  });

  it('refuses a header declared one row too short, rather than loading months as years, and names the sheets it has when none is the one asked for', async () => {
    await workbook('months-wide.xlsx', {
      Cover: [['About']],
      Data: [
        ['Exports (thousand US dollars)'],
        ['Country', '2023', null],
        [null, 'January', 'February'],
        ['Kazakhstan', 1, 2],
      ],
    });
    const options = (
      sheets: string,
    ) => `{ ${sheets} columns: { country: { labels: ['Country'] } }, wide: { kind: 'periods' },
         map: { reporter: { value: 'PAK' }, partner: { column: 'country' }, flow: { value: 'X' }, period: { column: 'period' }, value: { column: 'value' } } }`;
    pipeline('short', 'months-wide.xlsx', options("sheets: { names: ['Data'] },"));
    const short = await run('short');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('row 3 reads as more header, not data ("January"…)');
    expect(short.stderr).toContain('Set headerRows to 2');
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);

    pipeline('typo', 'months-wide.xlsx', options("headerRows: 2, sheets: { names: ['Dta'] },"));
    const typo = await run('typo');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      'none of its sheets ("Cover", "Data") is one this table is read from ("Dta")',
    );
  });

  it('rejects a pipeline whose table options are wrong before loading anything, naming the option', async () => {
    pipeline('bad', 'x.csv', `{ columns: { country: {} }, map: { reporter: { value: 'PAK' } } }`);
    const result = await run('bad');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sources.0.table.columns.country');
    expect(result.stderr).toContain('sources.0.table.map.partner');
  });
});

describe('the README worked example', () => {
  it('corridor run pk-exports-table loads the illustrative table, its total checked and not loaded', async () => {
    const result = await cli(['run', 'pk-exports-table', '--db', db()], PROJECT_ROOT);
    expect(result.code).toBe(0);
    expect(scalar(db(), "select count(*) from trade_flows where source = 'pk-exports-example'")).toBe(19);
    expect(
      scalar(db(), "select value_usd from trade_flows where partner_iso3 = 'KAZ' and period = '2023'"),
    ).toBe(88_940_100);
    expect(
      query(db(), 'select rows_read, rows_loaded, rows_rejected, rows_aggregate, sheet_rows from load_files'),
    ).toEqual([{ rows_read: 22, rows_loaded: 19, rows_rejected: 0, rows_aggregate: 3, sheet_rows: 7 }]);
    expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
  });
});
