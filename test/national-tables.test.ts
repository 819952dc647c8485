/**
 * The national statistics offices' trade-by-country tables (kz-bns, kg-nsc, uz-stat) through
 * the CLI into a real warehouse: a Kazakh-shaped workbook written here (.xls, as the bureau
 * publishes), and the real published files when ../shared is beside the clone.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

// The published tables are tested only where ../shared is (its licence keeps them out of the repository).
if (!HAS_SHARED_DATA) console.info(`national-tables.test.ts: the published tables ${SKIP_REASON}`);

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');

const HEADER_ROWS = [
  [' Основные показатели внешней торговли Республики Казахстан'],
  [], // replaced by the period line
  [null, null, null, null, 'тыс. долларов США'],
  ['Наименование страны', 'Товарооборот', null, 'Экспорт', null, 'Импорт', null],
  [
    null,
    'Всего',
    'удельный вес страны в общем объеме товарооборота, %',
    'Всего',
    'удельный вес страны в общем объеме экспорта, %',
    'Всего',
    'удельный вес страны в общем объеме импорта, %',
  ],
];

/** A sheet in the bureau's layout: title, period, unit, two-row header, then the rows. */
function kzSheet(year: number, rows: readonly (readonly unknown[])[]): unknown[][] {
  const head = HEADER_ROWS.map((r) => [...r]);
  head[1] = [`за январь-декабрь ${year} года`];
  return [...head, ...rows.map((r) => [...r])];
}

/** [label, export, import] → the bureau's seven columns (turnover and shares filled in). */
const row = (label: string, x: number | string | null, m: number | string | null) => [
  label,
  typeof x === 'number' && typeof m === 'number' ? x + m : null,
  null,
  x,
  null,
  m,
  null,
];

function kzWorkbook(name: string, sheets: Record<string, unknown[][]>): string {
  const wb = XLSX.utils.book_new();
  for (const [sheet, rows] of Object.entries(sheets))
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), sheet);
  const path = join(tmp(), name);
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  return path;
}

const CIS_2021 = [
  row('Всего', 1300.5, 820.25),
  row('Страны СНГ', 1000.5, 800.25),
  row(' Страны ЕАЭС', 700.5, 600),
  row('Россия', 500.25, 550),
  row('Беларусь', 200.25, 50),
  row(' Страны вне ЕАЭС', 300, 200.25),
  row('Узбекистан', 300, 200.25),
  row('Остальные страны мира', 300, 20),
  row('Азия', 300, 20),
  row('Пакистан', 299, '-'),
  row('Китай', 1, 20),
];

describe('kz-bns: the Kazakh bureau’s trade-by-country workbook', () => {
  it('loads exports and imports by country in US dollars, checks the totals and groups and stores them under their codes, and passes over a cover sheet', async () => {
    const path = kzWorkbook('kz_2021.xls', {
      Содержание: [['Основные показатели внешней торговли'], ['Таблица 1 … по странам']],
      '12_2021': kzSheet(2021, CIS_2021),
    });
    const run = await cli(['load', path, '--source', 'kz-bns', '--db', db()]);
    expect(run.stderr).toContain('OK');
    expect(run.code).toBe(0);

    const flows = query<{ partner_iso3: string; flow: string; period: string; value_usd: number }>(
      db(),
      `select partner_iso3, flow, period, value_usd, reporter_iso3, hs_code, freq from trade_flows
       where partner_iso3 in (select iso3 from countries where kind = 'country') order by partner_iso3, flow`,
    );
    expect(flows).toEqual([
      {
        partner_iso3: 'BLR',
        flow: 'M',
        period: '2021',
        value_usd: 50_000,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'BLR',
        flow: 'X',
        period: '2021',
        value_usd: 200_250,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'CHN',
        flow: 'M',
        period: '2021',
        value_usd: 20_000,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'CHN',
        flow: 'X',
        period: '2021',
        value_usd: 1_000,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'PAK',
        flow: 'X',
        period: '2021',
        value_usd: 299_000,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'RUS',
        flow: 'M',
        period: '2021',
        value_usd: 550_000,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'RUS',
        flow: 'X',
        period: '2021',
        value_usd: 500_250,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'UZB',
        flow: 'M',
        period: '2021',
        value_usd: 200_250,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
      {
        partner_iso3: 'UZB',
        flow: 'X',
        period: '2021',
        value_usd: 300_000,
        reporter_iso3: 'KAZ',
        hs_code: 'TOTAL',
        freq: 'A',
      },
    ]);
    // The total is stored as World (W00), each grouping under its group code, after its check.
    const aggregates = query<{ partner_iso3: string; kind: string; value_usd: number }>(
      db(),
      `select t.partner_iso3, c.kind, t.value_usd from trade_flows t join countries c on c.iso3 = t.partner_iso3
       where c.kind <> 'country' and t.flow = 'X' order by t.partner_iso3`,
    );
    expect(aggregates).toEqual([
      { partner_iso3: 'W00', kind: 'special', value_usd: 1_300_500 },
      { partner_iso3: '_ASIA', kind: 'group', value_usd: 300_000 },
      { partner_iso3: '_CIS', kind: 'group', value_usd: 1_000_500 },
      { partner_iso3: '_EAEU', kind: 'group', value_usd: 700_500 },
      { partner_iso3: '_FAR', kind: 'group', value_usd: 300_000 },
      { partner_iso3: '_NON_EAEU', kind: 'group', value_usd: 300_000 },
    ]);
    const file = query<Record<string, unknown>>(db(), 'select * from load_files')[0]!;
    // 6 aggregate rows × 2 flows = 12 figures, checked and stored; Pakistan's import is "-".
    expect(file).toMatchObject({ rows_loaded: 21, rows_rejected: 0, rows_aggregate: 0, rows_read: 21 });
    expect(String(file.notes)).toContain('sheet Содержание passed over');
    expect(String(file.notes)).toContain('12 checked against their parts, all match');
    expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
  });

  it('records a subtotal that does not match its members as a warning with its place, and still loads the countries', async () => {
    const rows = CIS_2021.map((r) => [...r]);
    rows[3] = row('Россия', 510.25, 550); // ЕАЭС, СНГ and Всего now disagree on exports
    const path = kzWorkbook('kz_2021.xls', { '12_2021': kzSheet(2021, rows) });
    const run = await cli(['load', path, '--source', 'kz-bns', '--db', db()]);
    // Everything loaded; the partners now add up to more than the World total printed, which
    // corridor check records as an error (world_vs_partners): exit 3.
    expect(run.code, run.stderr).toBe(3);
    expect(
      scalar(
        db(),
        "select count(*) from dq_findings where check_name = 'world_vs_partners' and severity = 'error'",
      ),
    ).toBe(1);
    const warnings = query<{
      sheet: string;
      row_number: number;
      column_name: string;
      code: string;
      message: string;
    }>(db(), 'select sheet, row_number, column_name, code, message from load_warnings order by row_number');
    expect(warnings.map((w) => [w.sheet, w.row_number, w.column_name, w.code])).toEqual([
      ['12_2021', 6, 'Экспорт › Всего', 'aggregate_mismatch'],
      ['12_2021', 7, 'Экспорт › Всего', 'aggregate_mismatch'],
      ['12_2021', 8, 'Экспорт › Всего', 'aggregate_mismatch'],
    ]);
    expect(warnings[2]!.message).toContain('"Страны ЕАЭС"');
    expect(warnings[2]!.message).toContain(
      'the 2 rows it sums add up to 710.5, 10 (1.4 %) more than the 700.5 it states',
    );
    expect(run.stderr).toContain('warning: kz_2021.xls › 12_2021 row 6 "Всего"');
    expect(run.stdout + run.stderr).toContain('3 warnings');
    expect(scalar(db(), "select value_usd from trade_flows where partner_iso3 = 'RUS' and flow = 'X'")).toBe(
      510_250,
    );
  });

  it("loads the second sheet as a revision of the year before, replacing the earlier file's rows for it", async () => {
    const first = kzWorkbook('kz_2020.xls', {
      '12_2020': kzSheet(2020, [row('Всего', 10, 5), row('Пакистан', 10, 5)]),
    });
    const second = kzWorkbook('kz_2021.xls', {
      '12_2021': kzSheet(2021, [row('Всего', 20, 7), row('Пакистан', 20, 7)]),
      '12_2020': kzSheet(2020, [row('Всего', 10.12345, 5), row('Пакистан', 10.12345, 5)]),
    });
    expect((await cli(['load', first, '--source', 'kz-bns', '--db', db()])).code).toBe(0);
    const run = await cli(['load', second, '--source', 'kz-bns', '--db', db()]);
    expect(run.code).toBe(0);
    expect(
      query(
        db(),
        "select period, value_usd from trade_flows where flow = 'X' and partner_iso3 = 'PAK' order by period",
      ),
    ).toEqual([
      { period: '2020', value_usd: 10_123.45 },
      { period: '2021', value_usd: 20_000 },
    ]);
    const notes = scalar<string>(db(), "select notes from load_files where file_name = 'kz_2021.xls'");
    // Exports changed (10 → 10.12345); imports are the same figure and stay as first loaded.
    // The total (World) moved with it.
    expect(notes).toContain('revised 2 figures of kz_2020.xls (load 1)');
    // A revision the source expects is a note, not a warning on the terminal.
    expect(run.stderr).not.toContain('new values');
  });

  it('rejects a country it cannot name, with the sheet, the row and the column as the user sees them', async () => {
    const path = kzWorkbook('kz_2021.xls', {
      '12_2021': kzSheet(2021, [row('Всего', 11, 2), row('Пакистан', 10, 2), row('Нарния', 1, null)]),
    });
    const run = await cli(['load', path, '--source', 'kz-bns', '--db', db()]);
    expect(run.code).toBe(3); // one of three figures rejected: past the 5 % threshold
    const rejects = query<Record<string, unknown>>(
      db(),
      'select sheet, row_number, column_name, code, value from rejects',
    );
    expect(rejects).toEqual([
      {
        sheet: '12_2021',
        row_number: 8,
        column_name: 'Наименование страны',
        code: 'unknown_country',
        value: 'Нарния',
      },
    ]);
    expect(
      query(db(), 'select rows_read, rows_loaded, rows_rejected, rows_aggregate from load_files'),
    ).toEqual([{ rows_read: 5, rows_loaded: 4, rows_rejected: 1, rows_aggregate: 0 }]);
  });

  it('refuses a part-year table, and a workbook without the table, saying what was looked for', async () => {
    const partYear = kzSheet(2021, [row('Всего', 1, 1), row('Пакистан', 1, 1)]);
    partYear[1] = ['за январь-сентябрь 2021 года'];
    const part = await cli([
      'load',
      kzWorkbook('kz_9m.xls', { '9_2021': partYear }),
      '--source',
      'kz-bns',
      '--db',
      db(),
    ]);
    // One message for the whole file, not a reject per row.
    expect(part.code).toBe(1);
    expect(part.stderr).toContain('covers 2021-01/2021-09 ("январь-сентябрь 2021 года"), part of a year');
    expect(scalar<number>(db(), 'select count(*) from rejects')).toBe(0);

    // "9 месяцев" under a sheet named by the year alone: still part of the year, never the year.
    const nineMonths = kzSheet(2023, [row('Всего', 1, 1), row('Пакистан', 1, 1)]);
    nineMonths[1] = ['за 9 месяцев 2023 года'];
    const nine = await cli([
      'load',
      kzWorkbook('kz_9.xls', { '2023': nineMonths }),
      '--source',
      'kz-bns',
      '--db',
      db(),
    ]);
    expect(nine.code).toBe(1);
    expect(nine.stderr).toContain('part of a year');
    expect(scalar<number>(db(), 'select count(*) from trade_flows')).toBe(0);

    const none = await cli([
      'load',
      kzWorkbook('other.xls', { Лист1: [['Прочее'], ['a', 'b']] }),
      '--source',
      'kz-bns',
      '--db',
      db(),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no header row with');
    expect(none.stderr).toContain('Экспорт');
    expect(none.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('the published national tables (../shared)', () => {
  const trade = (name: string) => join(SHARED_DATA, 'fixtures/trade', name);
  const value = (partner: string, period: string) =>
    scalar(db(), 'select value_usd from trade_flows where partner_iso3 = ? and period = ?', partner, period);

  it('kz-bns: the 2019–2021 files load whole, every total and group matches its countries, and later files revise the year before', async () => {
    const files = [2019, 2020, 2021].map((y) =>
      trade(`kz_bns_foreign_trade_main_indicators_by_country_${y}.xls`),
    );
    const run = await cli(['load', ...files, '--source', 'kz-bns', '--db', db()]);
    expect(run.code).toBe(0);
    expect(scalar(db(), 'select count(*) from rejects')).toBe(0);
    expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
    expect(
      scalar(
        db(),
        "select count(*) from load_files where status = 'loaded' and rows_read = rows_loaded + rows_rejected + rows_aggregate",
      ),
    ).toBe(3);
    // Every total and grouping is stored under its code, none as a country.
    expect(
      scalar(
        db(),
        "select count(distinct t.partner_iso3) from trade_flows t join countries c on c.iso3 = t.partner_iso3 where c.kind = 'group'",
      ),
    ).toBeGreaterThanOrEqual(8);
    // PROVENANCE.md: Pakistan (thousand USD) 2018 2,292.0 / 27,133.0; 2021 65,892.53539 / 29,202.63939.
    const pak = query<{ period: string; flow: string; value_usd: number }>(
      db(),
      "select period, flow, value_usd from trade_flows where partner_iso3 = 'PAK' order by period, flow",
    );
    expect(pak).toContainEqual({ period: '2018', flow: 'X', value_usd: 2_292_000 });
    expect(pak).toContainEqual({ period: '2018', flow: 'M', value_usd: 27_133_000 });
    expect(pak).toContainEqual({ period: '2019', flow: 'X', value_usd: 1_915_233.08 });
    expect(pak).toContainEqual({ period: '2021', flow: 'X', value_usd: 65_892_535.39 });
    expect(pak).toContainEqual({ period: '2021', flow: 'M', value_usd: 29_202_639.39 });
    // 2019 as the 2020 file carries it: the last load that carried the figure (seen_load).
    const source2019 = scalar<string>(
      db(),
      "select f.file_name from trade_flow_rows t join load_files f on f.load_id = coalesce(t.seen_load, t.load_id) where t.partner_iso3 = 'PAK' and t.period = '2019' limit 1",
    );
    expect(source2019).toBe('kz_bns_foreign_trade_main_indicators_by_country_2020.xls');
  });

  it('kg-nsc: years as columns in thousand US dollars, "-" as no value, groups under their codes, the unlisted countries reported', async () => {
    const run = await cli([
      'load',
      trade('kg_nsc_4.03.00.18_exports_by_country_geographic_distribution.xlsx'),
      '--source',
      'kg-nsc',
      '--db',
      db(),
    ]);
    expect(run.code).toBe(0);
    expect(scalar(db(), 'select count(*) from rejects')).toBe(0);
    expect(value('KAZ', '2023')).toBe(449_009_325);
    expect(value('PAK', '2023')).toBe(1_530_646);
    expect(value('PAK', '2004')).toBeUndefined(); // "-"
    // The table lists main partners only: its total loads as World, the rest of the world's
    // exports surviving nowhere else, and a total above its rows is no warning.
    expect(value('W00', '2021')).toBe(2_752_163_747);
    expect(value('_CIS', '2023')).toBeGreaterThan(value('KAZ', '2023') as number);
    expect(scalar(db(), 'select count(*) from load_warnings where message like \'%"Total"%\'')).toBe(0);
    // "Undefined country" follows a blank row: not a member of the continent above it.
    expect(scalar(db(), 'select count(*) from load_warnings where row_number = 157')).toBe(0);
    // What is left is a continent whose listed rows exceed it: a real inconsistency.
    expect(scalar<string>(db(), 'select message from load_warnings limit 1')).toContain('more than the');
  });

  it('uz-stat: numeric codes without padding, a BOM, years as columns, "Other countries" as areas n.e.s.', async () => {
    const run = await cli([
      'load',
      trade('uz_stat_sdmx_1105_exports_by_country_2010_2023.csv'),
      '--source',
      'uz-stat',
      '--db',
      db(),
    ]);
    expect(run.code).toBe(0);
    expect(scalar(db(), 'select count(*) from rejects')).toBe(0);
    expect(value('PAK', '2010')).toBe(30_392_000);
    expect(value('KAZ', '2023')).toBe(1_417_053_600);
    expect(value('_X', '2023')).toBe(10_352_796_900);
    expect(scalar<string>(db(), 'select notes from load_files')).toContain('thousand US dollars');
  });
});
