/**
 * uz-stat on the Uzbek agency's SDMX CSV exports (issue 18, point 1). The file says neither
 * its flow nor its unit: only the agency's name for it does (dataset 1105 exports, 1176
 * imports, as in sdmx_data_1176.csv). A file named otherwise fails naming the flow and
 * `--flow`; a declaration that contradicts the dataset's id fails unless `--override`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countryFigures,
  figureOf,
  flowsAndPeriods,
  loadedRows,
  loadWith,
  rejectCount,
  told,
} from './helpers/bureau-checks.ts';
import { UZ_COUNTRY_FIGURES, UZ_ROWS, UZ_YEARS } from './helpers/bureau-figures.ts';
import { writeUzCsv } from './helpers/bureau-workbooks.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const load = (file: string, ...options: string[]) => loadWith(db(), file, 'uz-stat', ...options);
const write = (name: string, flow: 'X' | 'M') => writeUzCsv(join(tmp(), name), flow);
const years = (flow: string) => UZ_YEARS.map((y) => `${flow} ${y}`);

/** Ten countries over five years, and "Other countries" (code 0) as areas n.e.s., not a country. */
function expectCountries(flow: 'X' | 'M') {
  const figures = countryFigures(db());
  expect(figures).toHaveLength(UZ_COUNTRY_FIGURES);
  expect(new Set(figures.map((f) => f.partner))).toEqual(
    new Set(UZ_ROWS.filter((r) => r.code !== '0').map((r) => r.iso3)),
  );
  expect(new Set(figures.map((f) => f.flow))).toEqual(new Set([flow]));
  expect(figures.every((f) => f.freq === 'A')).toBe(true);
}

describe('uz-stat takes the flow from the dataset the agency names', () => {
  it('sdmx_data_1105.csv is exports, in thousand US dollars', async () => {
    const run = await load(await write('sdmx_data_1105.csv', 'X'));
    expect(run.code).toBe(0);
    expect(rejectCount(db())).toBe(0);
    expect(flowsAndPeriods(db())).toEqual(years('X'));
    expect(figureOf(db(), 'PAK', 'X', '2023')).toBeCloseTo(269_268_000, 0);
    expect(figureOf(db(), 'ALB', 'X', '2019')).toBeCloseTo(5_500, 0); // code "008"
    expect(figureOf(db(), '_X', 'X', '2023')).toBeCloseTo(10_352_796_900, 0);
    expectCountries('X');
  });

  it('sdmx_data_1176.csv is imports', async () => {
    const run = await load(await write('sdmx_data_1176.csv', 'M'));
    expect(run.code).toBe(0);
    expect(rejectCount(db())).toBe(0);
    expect(flowsAndPeriods(db())).toEqual(years('M'));
    // 269,268.0 × 1.5 (bureau-figures.ts), thousand US dollars.
    expect(figureOf(db(), 'PAK', 'M', '2023')).toBeCloseTo(403_902_000, 0);
    expectCountries('M');
  });

  it('both datasets in one warehouse stand side by side: the imports do not replace the exports', async () => {
    expect((await load(await write('sdmx_data_1105.csv', 'X'))).code).toBe(0);
    expect((await load(await write('sdmx_data_1176.csv', 'M'))).code).toBe(0);
    expect(flowsAndPeriods(db())).toEqual([...years('M'), ...years('X')]);
    expect(figureOf(db(), 'PAK', 'X', '2023')).toBeCloseTo(269_268_000, 0);
    expect(figureOf(db(), 'PAK', 'M', '2023')).toBeCloseTo(403_902_000, 0);
  });
});

describe('uz-stat refuses a file whose flow it cannot tell, or that a declaration contradicts', () => {
  it('a file named without the dataset id fails naming the flow and --flow; with --flow M and --unit it loads as imports', async () => {
    const file = await write('uzbekistan_by_country.csv', 'M');
    const refused = await load(file);
    expect(refused.code).toBe(1);
    expect(loadedRows(db())).toBe(0);
    expect(rejectCount(db())).toBe(0);
    const said = told(db(), refused);
    expect(said).toMatch(/flow/i);
    expect(said).toContain('--flow');

    // Without the dataset's code, the unit is not known either: the next refusal names --unit.
    const flowOnly = await load(file, '--flow', 'M');
    expect(flowOnly.code).toBe(1);
    expect(told(db(), flowOnly)).toContain('--unit');

    const declared = await load(file, '--flow', 'M', '--unit', 'thousand US dollars');
    expect(declared.code).toBe(0);
    expect(flowsAndPeriods(db())).toEqual(years('M'));
    expect(figureOf(db(), 'PAK', 'M', '2023')).toBeCloseTo(403_902_000, 0);
  });

  it('--flow X on sdmx_data_1176.csv (imports) fails naming 1176 and --override; with --override it loads as X', async () => {
    const file = await write('sdmx_data_1176.csv', 'M');
    const refused = await load(file, '--flow', 'X');
    expect(refused.code).toBe(1);
    expect(loadedRows(db())).toBe(0);
    const said = told(db(), refused);
    expect(said).toContain('1176');
    expect(said).toContain('--override');

    const overridden = await load(file, '--flow', 'X', '--override');
    expect(overridden.code).toBe(0);
    expect(flowsAndPeriods(db())).toEqual(years('X'));
    expect(figureOf(db(), 'PAK', 'X', '2023')).toBeCloseTo(403_902_000, 0);
  });
});
