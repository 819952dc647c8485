/**
 * kz-bns on the Kazakh bureau's main foreign-trade indicators by country, in the variants the
 * bureau has published or may publish next (issue 18, points 1 and 2): workbooks written here
 * (bureau-workbooks.ts), loaded through the CLI into a temp warehouse. For each: the flow from
 * the header, the unit and scale from the unit line, the period from the title or sheet, a
 * partner's figure, the number of country figures, and the groups (CIS, EAEU, EU, continents)
 * kept out of the countries; for a table it cannot read, one clear refusal.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countryFigures,
  countrySum,
  figureOf,
  flowsAndPeriods,
  journal,
  loadedRows,
  loadWith,
  rejectCount,
  told,
} from './helpers/bureau-checks.ts';
import { KZ_COUNTRY_ISO3, KZ_FIGURES_PER_SHEET } from './helpers/bureau-figures.ts';
import { ALL_FRONT_SHEETS, FRONT_SHEET_NAMES } from './helpers/bureau-sheets.ts';
import { type KzOptions, kzCommodityWorkbook, kzTableSheet, kzWorkbook } from './helpers/bureau-workbooks.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const load = (file: string, ...options: string[]) => loadWith(db(), file, 'kz-bns', ...options);
const write = (name: string, options: KzOptions) => kzWorkbook(join(tmp(), name), options);

/** The "Всего" row's export (X) or import (M) figure as the sheet prints it. */
function printedTotal(year: number, flow: 'X' | 'M', options: KzOptions = {}): number {
  const sheet = kzTableSheet(year, options);
  const totalRow = sheet.rows[5]!;
  return totalRow[flow === 'X' ? 3 : 5] as number;
}

/** Countries loaded for one year: all 13 of the table, figures in US dollars adding up to its total. */
function expectCountriesOf(year: number, options: KzOptions = {}, scale = 1000) {
  const figures = countryFigures(db()).filter((f) => f.period === String(year));
  expect(figures).toHaveLength(KZ_FIGURES_PER_SHEET);
  expect(new Set(figures.map((f) => f.partner))).toEqual(new Set(KZ_COUNTRY_ISO3));
  expect(figures.every((f) => f.freq === 'A')).toBe(true);
  // The groups' own figures are nowhere among the countries: the countries add up to the total.
  for (const flow of ['X', 'M'] as const)
    expect(countrySum(db(), flow, String(year))).toBeCloseTo(printedTotal(year, flow, options) * scale, 0);
}

const expectClean = () => {
  expect(rejectCount(db())).toBe(0);
  expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
};

describe('kz-bns reads flow, unit and period from each edition of the table', () => {
  it('the published layout (.xls, "за январь-декабрь 2021 года", sheets 12_2021 and 12_2020): both years, both flows, thousand US dollars', async () => {
    const run = await load(await write('kz_2021.xls', { years: [2021, 2020] }));
    expect(run.code).toBe(0);
    expectClean();
    expect(flowsAndPeriods(db())).toEqual(['M 2020', 'M 2021', 'X 2020', 'X 2021']);
    expect(figureOf(db(), 'PAK', 'X', '2021')).toBeCloseTo(65_892_535.39, 2);
    expect(figureOf(db(), 'PAK', 'M', '2021')).toBeCloseTo(29_202_639.39, 2);
    expect(figureOf(db(), 'PAK', 'X', '2020')).toBeCloseTo(16_146_684.8, 2);
    expect(figureOf(db(), 'PNG', 'M', '2021')).toBeUndefined(); // an empty cell is no figure
    expectCountriesOf(2021);
    expectCountriesOf(2020);
  });

  it('an annual title ("за 2022 год") is the year 2022', async () => {
    const options: KzOptions = { years: [2022], periodStyle: 'annual' };
    const run = await load(await write('kz_2022.xls', options));
    expect(run.code).toBe(0);
    expectClean();
    expect(flowsAndPeriods(db())).toEqual(['M 2022', 'X 2022']);
    expect(figureOf(db(), 'PAK', 'X', '2022')).toBeCloseTo(98_765_432.1, 2);
    expectCountriesOf(2022, options);
  });

  it('cover, legend, contents and methodology sheets before the tables are passed over and listed with a reason', async () => {
    const options: KzOptions = { years: [2022, 2021], frontSheets: ALL_FRONT_SHEETS, periodStyle: 'annual' };
    const run = await load(await write('kz_2022_bulletin.xls', options));
    expect(run.code).toBe(0);
    expectClean();
    // The methodology says "экспорт", "импорт", "тыс. долларов США" and 2021: no fact comes from it.
    expect(flowsAndPeriods(db())).toEqual(['M 2021', 'M 2022', 'X 2021', 'X 2022']);
    expect(figureOf(db(), 'PAK', 'M', '2022')).toBeCloseTo(31_234_567.8, 2);
    expectCountriesOf(2022, options);
    const summary = told(db(), run);
    for (const kind of ALL_FRONT_SHEETS) expect(summary).toContain(FRONT_SHEET_NAMES[kind]);
    expect(summary).toMatch(/no table|passed over|skipped/i);
  });

  it('headers in lower case ("экспорт", "импорт", "всего")', async () => {
    const run = await load(await write('kz_lower.xls', { years: [2021], headerCase: 'lower' }));
    expect(run.code).toBe(0);
    expectClean();
    expect(flowsAndPeriods(db())).toEqual(['M 2021', 'X 2021']);
    expectCountriesOf(2021);
  });

  it('headers in upper case, with extra spaces and line breaks (.xlsx)', async () => {
    const options: KzOptions = { years: [2021], headerCase: 'upper', messyHeaders: true, format: 'xlsx' };
    const run = await load(await write('kz_messy.xlsx', options));
    expect(run.code).toBe(0);
    expectClean();
    expect(figureOf(db(), 'PAK', 'X', '2021')).toBeCloseTo(65_892_535.39, 2);
    expectCountriesOf(2021, options);
  });

  it('year-named sheets ("2022", "2021") give each sheet its year', async () => {
    const options: KzOptions = { years: [2022, 2021], sheetNames: 'year', periodStyle: 'annual' };
    const run = await load(await write('kz_years.xls', options));
    expect(run.code).toBe(0);
    expectClean();
    expect(flowsAndPeriods(db())).toEqual(['M 2021', 'M 2022', 'X 2021', 'X 2022']);
    expect(figureOf(db(), 'PAK', 'X', '2021')).toBeCloseTo(65_892_535.39, 2);
    expect(figureOf(db(), 'PAK', 'X', '2022')).toBeCloseTo(98_765_432.1, 2);
  });

  it('footnotes below the table ("Примечание: …", "1) …", "Источник: …") are neither countries nor rejects', async () => {
    const run = await load(await write('kz_notes.xls', { years: [2021], footnotes: true }));
    expect(run.code).toBe(0);
    expectClean();
    expectCountriesOf(2021);
  });

  it('a Kazakh edition ("Сыртқы сауданың негізгі көрсеткіштері", "2023 жыл", "мың АҚШ доллары", Экспорт/Импорт › Барлығы)', async () => {
    const options: KzOptions = { years: [2023], language: 'kk', periodStyle: 'annual', format: 'xlsx' };
    const run = await load(await write('kz_2023_kk.xlsx', options));
    expect(run.code).toBe(0);
    expectClean();
    expect(flowsAndPeriods(db())).toEqual(['M 2023', 'X 2023']);
    expect(figureOf(db(), 'PAK', 'X', '2023')).toBeCloseTo(123_456_789, 2);
    expect(figureOf(db(), 'PAK', 'M', '2023')).toBeCloseTo(40_000_500, 2);
    expectCountriesOf(2023, options);
  });

  it('a Kazakh edition whose total and groups are in Kazakh ("Барлығы", "ТМД елдері", "ЕАЭО елдері") keeps them out of the countries', async () => {
    const options: KzOptions = { years: [2023], language: 'kk', groupLanguage: 'kk', periodStyle: 'annual' };
    const run = await load(await write('kz_2023_kk_groups.xls', options));
    expect(run.code).toBe(0);
    expectClean();
    expectCountriesOf(2023, options);
  });

  it('a table in million US dollars ("млн. долларов США") loads figures × 1,000,000', async () => {
    const options: KzOptions = { years: [2021], scale: 'million' };
    const run = await load(await write('kz_mln.xls', options));
    expect(run.code).toBe(0);
    expectClean();
    // 65,892.53539 thousand printed as 65.89254 million.
    expect(figureOf(db(), 'PAK', 'X', '2021')).toBeCloseTo(65_892_540, 0);
    expectCountriesOf(2021, options, 1_000_000);
  });
});

describe('kz-bns refuses what it cannot load as stated, in one message', () => {
  it('a half-year table ("за январь-июнь 2023 года", sheet 6_2023) is never loaded as the year 2023', async () => {
    const run = await load(await write('kz_6m.xls', { years: [2023], months: [1, 6] }));
    expect(run.code).not.toBe(0);
    expect(figureOf(db(), 'PAK', 'X', '2023')).toBeUndefined();
    expect(loadedRows(db())).toBe(0);
    const said = told(db(), run);
    expect(said).toContain('январь-июнь 2023');
    expect(said).toMatch(/part of a year|half|январь-декабрь/i);
  });

  it('the same publisher’s table by commodity (ТН ВЭД codes, not countries) is refused as a different table, with no rejects', async () => {
    const run = await load(await kzCommodityWorkbook(join(tmp(), 'kz_export_tnved.xls')));
    expect(run.code).toBe(1);
    expect(loadedRows(db())).toBe(0);
    expect(rejectCount(db())).toBe(0); // one message, not sixty unknown countries
    const [file] = journal(db());
    expect(file?.status).toBe('failed');
    expect(file?.error_code).toMatch(/table/); // wrong_table, or whatever the lead names it
    // It names what it looked for (a country column) and what it found (the commodity code column).
    expect(run.stderr).toMatch(/стран|countr/i);
    expect(run.stderr).toContain('Код ТН ВЭД');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr.split('\n').filter((l) => l.includes('unknown_country'))).toHaveLength(0);
  });

  it('a declared period that contradicts the title fails, naming both and --override; with --override it loads as declared', async () => {
    const file = await write('kz_2022.xls', { years: [2022], periodStyle: 'annual' });
    const refused = await load(file, '--period', '2021');
    expect(refused.code).toBe(1);
    expect(loadedRows(db())).toBe(0);
    const said = told(db(), refused);
    expect(said).toContain('2022');
    expect(said).toContain('2021');
    expect(said).toContain('--override');

    const overridden = await load(file, '--period', '2021', '--override');
    expect(overridden.code).toBe(0);
    expect(flowsAndPeriods(db())).toEqual(['M 2021', 'X 2021']);
    // The figures printed for 2022, filed under 2021 as the user insisted.
    expect(figureOf(db(), 'PAK', 'X', '2021')).toBeCloseTo(98_765_432.1, 2);
  });
});
