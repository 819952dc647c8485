/**
 * A bureau table's printed subtotal that differs from the sum of its rows becomes a row of
 * `dq_findings` (check `printed_subtotal`) when the file's load commits: workbooks written here
 * with exceljs, loaded through the CLI into a real warehouse. The warning in `load_warnings`
 * and the journal note stay as they were. Found again, the finding is updated, not repeated; a
 * corrected edition of the table resolves it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type Finding, recordFindings } from '../src/db/dq-findings.ts';
import { openWarehouse } from '../src/db/warehouse.ts';
import { rowRanges } from '../src/load/layout-findings.ts';
import { cli } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

if (!HAS_SHARED_DATA) console.info(`dq-findings.test.ts: the Kyrgyz bureau's published table ${SKIP_REASON}`);

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');

async function workbook(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) wb.addWorksheet(sheet).addRows(rows);
  const path = join(tmp(), name);
  await wb.xlsx.writeFile(path);
  return path;
}

/** Exports of Pakistan by destination, thousand US dollars; Europe's 2023 figure as given. */
const exportsTable = (europe2023: number): unknown[][] => [
  ['Exports of Pakistan by destination, thousand US dollars'], // row 1
  [], // row 2
  ['Destination', '2022', '2023'], // row 3
  ['Total', 1_000, 1_090], // row 4
  ['Europe', 300, europe2023], // row 5
  ['Germany', 100, 110], // row 6
  ['France', 150, 160], // row 7
  ['Italy', 50, 50], // row 8: 110 + 160 + 50 = 320 in 2023
  ['Asia', 700, 770], // row 9
  ['China', 400, 450], // row 10
  ['Kazakhstan', 300, 320], // row 11
];

function pipeline(name: string, file: string): void {
  mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
  writeFileSync(
    join(tmp(), 'pipelines', `${name}.pipeline.ts`),
    `export default { name: '${name}', sources: [{ source: 'table', files: ['${file}'], table: {
      name: 'pak-exports',
      columns: { destination: { labels: ['Destination'] } },
      wide: { kind: 'periods', into: 'year', value: 'value' },
      aggregates: { column: 'destination', labels: ['Europe', 'Asia'], totals: ['Total'] },
      map: {
        reporter: { value: 'PAK' }, partner: { column: 'destination' }, flow: { value: 'X' },
        period: { column: 'year' }, value: { column: 'value' },
      },
    } }] };\n`,
  );
}

interface FindingRow {
  finding_id: number;
  check_name: string;
  severity: string;
  table_name: string;
  finding_key: string;
  expected: number;
  found: number;
  rows_involved: string;
  message: string;
  first_seen_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  first_load_id: number;
  load_id: number;
  run_id: number;
  file: string;
  sheet: string;
}

const findings = () => query<FindingRow>(db(), 'select * from dq_findings order by finding_id');

describe('printed subtotals as data-quality findings', () => {
  it('stores the "Europe" subtotal that differs from its countries, with the printed and the summed figure', async () => {
    const path = await workbook('exports.xlsx', { Exports: exportsTable(330) });
    pipeline('pak', 'exports.xlsx');

    const run = await cli(['run', 'pak', '--db', db()], tmp());

    expect(run.code, run.stderr).toBe(0);
    const [finding, ...more] = findings();
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      check_name: 'printed_subtotal',
      severity: 'warning',
      table_name: 'exports.xlsx › Exports',
      finding_key: 'Europe › 2023',
      expected: 330,
      found: 320,
      resolved_at: null,
      first_load_id: 1,
      load_id: 1,
      run_id: 1,
      file: path,
      sheet: 'Exports',
    });
    expect(JSON.parse(finding!.rows_involved)).toEqual({
      row: 5,
      part_rows: '6-8',
      parts: 3,
      unit: expect.stringMatching(/thousand/i),
    });
    expect(finding!.message).toContain('row 5 "Europe"');
    expect(finding!.first_seen_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(finding!.last_seen_at).toBe(finding!.first_seen_at);
    // The warning and the note stay as before.
    expect(query(db(), 'select row_number, column_name, code from load_warnings')).toEqual([
      { row_number: 5, column_name: '2023', code: 'aggregate_mismatch' },
    ]);
    expect(scalar<string>(db(), 'select notes from load_files')).toContain(
      'see load_warnings and dq_findings',
    );
    // The rows are loaded as printed; the subtotal is not.
    expect(scalar(db(), "select count(*) from trade_flows where partner_iso3 = 'DEU'")).toBe(2);
  });

  it('updates a finding found again instead of adding one, resolves it when the table adds up, and opens it again', async () => {
    await workbook('exports.xlsx', { Exports: exportsTable(330) });
    pipeline('pak', 'exports.xlsx');
    expect((await cli(['run', 'pak', '--db', db()], tmp())).code).toBe(0);

    expect((await cli(['run', 'pak', '--db', db(), '--force'], tmp())).code).toBe(0);
    expect(findings()).toMatchObject([
      { finding_key: 'Europe › 2023', first_load_id: 1, load_id: 2, run_id: 2 },
    ]);

    // Next edition of the table, corrected: Europe adds up.
    await workbook('exports.xlsx', { Exports: exportsTable(320) });
    expect((await cli(['run', 'pak', '--db', db()], tmp())).code).toBe(0);
    const [resolved] = findings();
    expect(resolved).toMatchObject({ finding_key: 'Europe › 2023', load_id: 2 });
    expect(resolved!.resolved_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    // And wrong again, by another amount: the same finding, open again, with the new figures.
    await workbook('exports.xlsx', { Exports: exportsTable(335) });
    expect((await cli(['run', 'pak', '--db', db()], tmp())).code).toBe(0);
    expect(findings()).toMatchObject([
      { expected: 335, found: 320, resolved_at: null, first_load_id: 1, load_id: 4, run_id: 4 },
    ]);
  });

  it('writes nothing on a dry run', async () => {
    await workbook('exports.xlsx', { Exports: exportsTable(330) });
    pipeline('pak', 'exports.xlsx');
    expect((await cli(['init', '--db', db(), '--quiet'], tmp())).code).toBe(0);

    const run = await cli(['run', 'pak', '--db', db(), '--dry-run'], tmp());

    expect(run.code, run.stderr).toBe(0);
    expect(findings()).toEqual([]);
  });

  it('is stored by `corridor load` of a Kyrgyz-shaped table whose Europe is below its listed countries', async () => {
    const path = await workbook('kg_exports.xlsx', {
      Лист1: [
        [
          '4.03.00.18: Товарларды экспортунун географиялык бөлүштүрүлүүсү',
          '4.03.00.18: Географическое распределение экспорта товаров',
          '4.03.00.18: Geographic distribution of exports of goods',
        ],
        ['(миң АКШ доллары)', '(тыс. долларов США)', '(thousand US dollars)'],
        [null, null, null, 2022, 2023],
        ['Бардыгы', 'Всего', 'Total', 900, 1_000], // row 4
        ['Европа', 'Европа', 'Europe', 300, 320], // row 5: below its countries in 2023
        ['Германия', 'Германия', 'Germany', 200, 250], // row 6
        ['Франция', 'Франция', 'France', 100, 150], // row 7
        ['Азия', 'Азия', 'Asia', 600, 680], // row 8
        ['Казакстан', 'Казахстан', 'Kazakhstan', 600, 600], // row 9
      ],
    });

    const run = await cli(['load', path, '--source', 'kg-nsc', '--db', db()]);

    expect(run.code, run.stderr).toBe(0);
    expect(findings()).toMatchObject([
      {
        check_name: 'printed_subtotal',
        table_name: 'kg_exports.xlsx › Лист1',
        finding_key: 'Europe › 2023',
        expected: 320,
        found: 400,
        sheet: 'Лист1',
      },
    ]);
    expect(JSON.parse(findings()[0]!.rows_involved)).toMatchObject({ row: 5, part_rows: '6-7', parts: 2 });
  });

  it.skipIf(!HAS_SHARED_DATA)(
    "is stored for the published Kyrgyz table's continent whose listed countries exceed it",
    async () => {
      const file = join(
        SHARED_DATA,
        'fixtures/trade/kg_nsc_4.03.00.18_exports_by_country_geographic_distribution.xlsx',
      );
      const run = await cli(['load', file, '--source', 'kg-nsc', '--db', db()]);

      expect(run.code, run.stderr).toBe(0);
      const warnings = scalar<number>(
        db(),
        "select count(*) from load_warnings where code = 'aggregate_mismatch'",
      );
      expect(warnings).toBeGreaterThan(0);
      // One finding per warning, each with its figures: the printed one below the sum.
      const stored = findings();
      expect(stored).toHaveLength(warnings);
      for (const f of stored) expect(f.found).toBeGreaterThan(f.expected);
    },
  );
});

describe('recordFindings', () => {
  /** Finding `i` of a check over one table, its figures `i` and `found`. */
  const finding = (i: number, found: number): Finding => ({
    check: 'unit_value_outlier',
    severity: 'warning',
    table: 'ind_unit_values',
    key: `key ${i}`,
    expected: i,
    found,
    rows: { observations: i },
    message: `message ${i} found ${found}`,
  });

  it('records thousands of findings in one call as each would be in turn: a key twice is found again, its last figures stand', async () => {
    expect((await cli(['init', '--db', db(), '--quiet'], tmp())).code).toBe(0);
    const warehouse = await openWarehouse(db());
    const checked = [{ check: 'unit_value_outlier', table: 'ind_unit_values' }];
    try {
      // More findings than one staging statement takes, with key 7 twice.
      const first = [...Array.from({ length: 1_201 }, (_, i) => finding(i, 1)), finding(7, 2)];
      expect(
        await recordFindings(warehouse, null, first, { runId: 3, checked, at: '2026-01-01T00:00:00.000Z' }),
      ).toEqual({ opened: 1_201, seenAgain: 1, resolved: 0 });
      expect(scalar(db(), "select found from dq_findings where finding_key = 'key 7'")).toBe(2);
      // Found again: all but key 0, which is resolved; key 1 with a new figure.
      const again = [finding(1, 5), ...Array.from({ length: 1_199 }, (_, i) => finding(i + 2, 1))];
      expect(
        await recordFindings(warehouse, null, again, { runId: 4, checked, at: '2026-01-02T00:00:00.000Z' }),
      ).toEqual({ opened: 0, seenAgain: 1_200, resolved: 1 });
      // Key 0 found once more: open again, the rest resolved.
      expect(
        await recordFindings(warehouse, null, [finding(0, 9)], { checked, at: '2026-01-03T00:00:00.000Z' }),
      ).toEqual({ opened: 1, seenAgain: 0, resolved: 1_200 });
    } finally {
      await warehouse.close();
    }
    const stored = findings();
    expect(stored).toHaveLength(1_201);
    // Rows in the order found, the first of a repeated key keeping its place.
    expect(stored.map((f) => f.finding_key)).toEqual(Array.from({ length: 1_201 }, (_, i) => `key ${i}`));
    expect(stored[0]).toMatchObject({
      found: 9,
      message: 'message 0 found 9',
      first_seen_at: '2026-01-01T00:00:00.000Z',
      last_seen_at: '2026-01-03T00:00:00.000Z',
      resolved_at: null,
      run_id: null,
      first_load_id: null,
      load_id: null,
    });
    expect(stored[1]).toMatchObject({
      found: 5,
      rows_involved: '{"observations":1}',
      first_seen_at: '2026-01-01T00:00:00.000Z',
      last_seen_at: '2026-01-02T00:00:00.000Z',
      resolved_at: '2026-01-03T00:00:00.000Z',
      run_id: 4,
    });
    expect(stored[7]).toMatchObject({ found: 1, message: 'message 7 found 1', run_id: 4 });
  });
});

describe('rowRanges', () => {
  it('writes consecutive rows as ranges', () => {
    expect(rowRanges([6, 7, 8, 10, 12, 13])).toBe('6-8, 10, 12-13');
    expect(rowRanges([5])).toBe('5');
    expect(rowRanges([])).toBe('');
  });
});
