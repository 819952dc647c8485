/**
 * Country names as the CIS statistics bureaus write them (Russian, and the English of the Kyrgyz
 * and Uzbek tables) resolve through a real warehouse built by `corridor init` from the shipped
 * reference, country-aliases-ru.csv included; their aggregates (totals, CIS, EU, continents,
 * "unknown country") never resolve to a country: totals not at all, groupings to their group
 * codes and residuals to `_X` (test/country-groupings.test.ts checks which). With
 * ../shared/data, every label of the bureaus' spreadsheets is checked in place; the
 * spreadsheets are never copied into this repository.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../src/db/warehouse.ts';
import { CountryResolver } from '../src/normalize/country-resolver.ts';
import { foldName } from '../src/normalize/fold-name.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

if (!HAS_SHARED_DATA) console.info(`country-names-ru.test.ts: the bureaus' spreadsheets ${SKIP_REASON}`);

const REFERENCE = join(PROJECT_ROOT, 'warehouse', 'reference');
const TRADE = join(SHARED_DATA, 'fixtures/trade');

/** Rows of the bureaus' tables that are totals, groups or residuals, not countries: they must not resolve to one. */
const AGGREGATES = [
  'Всего',
  'Всего\nв том числе',
  'Страны СНГ',
  ' Страны ЕАЭС',
  ' Страны вне ЕАЭС',
  'Остальные страны мира',
  'Европа',
  '  Страны ЕС',
  '  Страны вне ЕС',
  'Азия',
  'Америка',
  'Африка',
  'Австралия и Океания',
  'СНГ',
  'ЕАЭС',
  'ЕС',
  'ШОС',
  'Неопределенная страна',
  'Другие страны',
  'Total',
  'The EU',
  'CIS',
  'SCO',
  'EAEU',
  'Europe',
  'Asia',
  'America',
  'Africa',
  'Oceania',
  'Australia and Oceania',
  'Undefined country',
  'Other countries',
];
const AGGREGATE_KEYS = new Set(AGGREGATES.map(foldName));

let dir: string;
let warehouse: Warehouse;
let countries: CountryResolver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-test-'));
  const init = await cli(['init', '--db', join(dir, 'w.db'), '--quiet']);
  expect(init.code, init.stderr).toBe(0);
  warehouse = await openWarehouse(join(dir, 'w.db'), { readonly: true });
  countries = await CountryResolver.load(warehouse.db);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

const resolved = (name: string): string | null => {
  const result = countries.resolve({ name }, 'partner');
  return 'iso3' in result ? result.iso3 : null;
};

/** The country an aggregate's label was taken for, if any: groups and special partners are not countries. */
const countryOf = (name: string): string | null => {
  const result = countries.resolve({ name }, 'partner');
  return 'iso3' in result && (result.kind === 'country' || result.kind === 'historical') ? result.iso3 : null;
};

describe('Russian country names of the CIS bureaus', () => {
  it.each([
    ['Пакистан', 'PAK'],
    ['Молдова, Республика', 'MDA'],
    ['Гуам (Сша)', 'GUM'],
    [' Казахстан ', 'KAZ'],
    ['Киргизия', 'KGZ'],
    ['Кыргызстан', 'KGZ'],
    ['Беларусь', 'BLR'],
    ['Белоруссия', 'BLR'],
    ['Республика Узбекистан', 'UZB'],
    ['Корея, Республика', 'KOR'],
    ['Корея', 'KOR'],
    ['Корея (КНДР)', 'PRK'],
    ['Иран, Исламская Республика', 'IRN'],
    ['Папуа-новая Гвинея', 'PNG'],
    ['Танзания, Объединенная Республика', 'TZA'],
    ['Соединенные Штаты', 'USA'],
    ['Великобритания', 'GBR'],
    ['Великобритания (Соединенное Королевство)', 'GBR'],
    ['Конго, Демократическая Республика', 'COD'],
    ['Конго', 'COG'],
    ["Кот-д'Ивуар", 'CIV'],
    ['Китай (САР Гонконг)', 'HKG'],
    ['Тайвань. Китайская провинция ', 'TWN'],
    ['Республика Македония', 'MKD'],
    ['Восточное Самоа', 'ASM'],
    ['Западное Самоа', 'WSM'],
    ['ЦАР', 'CAF'],
    ['Кокосовые острова', 'CCK'],
    ['Британско-Виргинские острова', 'VGB'],
    ['СССР', 'SUN'],
    ['Косово', '_KS'],
  ])('resolves %j to %s', (name, iso3) => {
    expect(countries.resolve({ name }, 'partner')).toMatchObject({ iso3 });
  });

  it.each([
    ['The Republic of Korea', 'KOR'],
    ['Korea (DPRK)', 'PRK'],
    ['Great Britain (United Kingdom)', 'GBR'],
    ['China (Sar Hong Kong)', 'HKG'],
    ['Taiwan. China province', 'TWN'],
    ['Republic of Macedonia', 'MKD'],
    ['Eastern SAMOA', 'ASM'],
  ])('resolves the English label %j to %s', (name, iso3) => {
    expect(resolved(name)).toBe(iso3);
  });

  it.each(AGGREGATES)('does not take the aggregate %j for a country', (name) => {
    expect(countryOf(name)).toBeNull();
  });

  it('records country-aliases-ru.csv among the loaded reference files, as an alias origin', () => {
    const [file] = query<{ rows: number }>(
      join(dir, 'w.db'),
      "select rows from reference_files where file = 'country-aliases-ru.csv'",
    );
    expect(file?.rows).toBeGreaterThan(0);
    expect(
      query(join(dir, 'w.db'), "select iso3, origin from country_names where name = 'Корея (КНДР)'"),
    ).toEqual([{ iso3: 'PRK', origin: 'alias' }]);
  });
});

describe('the alias files', () => {
  const parse = (file: string) => {
    const text = readFileSync(join(REFERENCE, file), 'utf8');
    const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    return { text, rows };
  };
  const countryRows = parse('countries.csv').rows;
  const areas = new Set(countryRows.map((c) => c.iso3));
  const referenceKeys = new Set(
    countryRows.flatMap((c) =>
      [c.name, c.official_name, c.name_ru, c.iso3].flatMap((n) => (n ? [foldName(n)] : [])),
    ),
  );
  const english = parse('country-aliases.csv');
  const russian = parse('country-aliases-ru.csv');

  it('keeps country-aliases-ru.csv in the reference format, sorted by iso3 then alias', () => {
    expect(russian.text.startsWith('alias,iso3\n')).toBe(true);
    expect(russian.text).not.toMatch(/\r|^\uFEFF/);
    expect(russian.text.endsWith('\n')).toBe(true);
    const order = russian.rows.map((r) => `${r.iso3}\t${r.alias}`);
    expect(order).toEqual([...order].sort());
  });

  it('maps each alias to an area of countries.csv, once, and never repeats a reference name', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const [file, { rows }] of [
      ['country-aliases.csv', english],
      ['country-aliases-ru.csv', russian],
    ] as const) {
      for (const { alias = '', iso3 = '' } of rows) {
        const key = foldName(alias);
        if (!areas.has(iso3)) problems.push(`${file}: ${alias} → ${iso3} is not in countries.csv`);
        if (referenceKeys.has(key)) problems.push(`${file}: ${alias} is already a name in countries.csv`);
        if (seen.has(key)) problems.push(`${file}: ${alias} folds like ${seen.get(key)}`);
        seen.set(key, `${alias} (${file})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('maps no aggregate to a country', () => {
    const kinds = new Map(countryRows.map((c) => [c.iso3, c.kind]));
    const aliases = [...english.rows, ...russian.rows].filter((r) =>
      AGGREGATE_KEYS.has(foldName(r.alias ?? '')),
    );
    expect(aliases.filter((r) => !['group', 'special'].includes(kinds.get(r.iso3 ?? '') ?? ''))).toEqual([]);
  });
});

describe('a user reference whose alias files disagree', () => {
  const tmp = useTempDir();
  let saved: string | undefined;
  afterEach(() => {
    if (saved === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
    else process.env.CORRIDOR_REFERENCE_DIR = saved;
  });

  it('is refused, naming both aliases, and the warehouse is not created with it', async () => {
    saved = process.env.CORRIDOR_REFERENCE_DIR;
    const own = join(tmp(), 'reference');
    cpSync(REFERENCE, own, { recursive: true });
    const file = join(own, 'country-aliases-ru.csv');
    // Folds like "Korea, Rep." of country-aliases.csv, which is KOR.
    writeFileSync(file, `${readFileSync(file, 'utf8')}Korea Rep,PRK\n`);
    process.env.CORRIDOR_REFERENCE_DIR = own;

    const init = await cli(['init', '--db', join(tmp(), 'w.db')]);

    expect(init.code).not.toBe(0);
    expect(init.stderr).toContain('"Korea, Rep." (KOR, country-aliases.csv)');
    expect(init.stderr).toContain('"Korea Rep" (PRK, country-aliases-ru.csv)');
    expect(init.stderr).not.toContain('    at ');
  });
});

/** Column `column` of each row from `first` (0-based), where it holds text. */
const labels = (rows: unknown[][], column: number, first: number): string[] =>
  rows.slice(first).flatMap((r) => (typeof r[column] === 'string' ? [r[column]] : []));

const sheets = (file: string): { name: string; rows: unknown[][] }[] => {
  const book = XLSX.read(readFileSync(join(TRADE, file)));
  return book.SheetNames.map((name) => ({
    name,
    rows: XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name]!, { header: 1 }),
  }));
};

describe.skipIf(!HAS_SHARED_DATA)("every label of the bureaus' spreadsheets in ../shared/data", () => {
  /** Labels that should resolve and did not, and aggregates that did. */
  const check = (where: string, names: readonly string[]) => {
    expect(names.length, `${where} has labels`).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const name of names) {
      const iso3 = resolved(name);
      if (AGGREGATE_KEYS.has(foldName(name))) {
        const country = countryOf(name);
        if (country !== null)
          wrong.push(`${where}: aggregate ${JSON.stringify(name)} resolved to ${country}`);
      } else if (iso3 === null) wrong.push(`${where}: ${JSON.stringify(name)} does not resolve`);
    }
    return wrong;
  };

  it.each([2019, 2020, 2021])('Kazakhstan (stat.gov.kz) %i: column A of every sheet', (year) => {
    const file = `kz_bns_foreign_trade_main_indicators_by_country_${year}.xls`;
    const wrong = sheets(file).flatMap(({ name, rows }) => check(`${file} ${name}`, labels(rows, 0, 5)));
    expect(wrong).toEqual([]);
  });

  it('Kyrgyzstan (stat.gov.kg): the Russian and English columns, which name the same area', () => {
    const file = 'kg_nsc_4.03.00.18_exports_by_country_geographic_distribution.xlsx';
    const wrong = sheets(file).flatMap(({ name, rows }) => [
      ...check(`${file} ${name} column B`, labels(rows, 1, 4)),
      ...check(`${file} ${name} column C`, labels(rows, 2, 4)),
      ...rows
        .slice(4)
        .filter((r) => typeof r[1] === 'string' && typeof r[2] === 'string')
        .filter((r) => resolved(r[1] as string) !== resolved(r[2] as string))
        .map((r) => `${file} ${name}: ${JSON.stringify(r[1])} and ${JSON.stringify(r[2])} differ`),
    ]);
    expect(wrong).toEqual([]);
  });

  it('Uzbekistan (stat.uz): Klassifikator_ru and Klassifikator_en', () => {
    const file = 'uz_stat_sdmx_1105_exports_by_country_2010_2023.csv';
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(TRADE, file), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const wrong = ['Klassifikator_ru', 'Klassifikator_en'].flatMap((column) => [
      ...check(
        `${file} ${column}`,
        rows.map((r) => r[column] ?? ''),
      ),
      // Code is a numeric area code, unpadded (0 is "other countries"): the name must agree.
      ...rows
        .filter((r) => r.Code !== '0')
        .filter((r) => resolved(r[column] ?? '') !== countries.fromCode(r.Code ?? ''))
        .map((r) => `${file} ${column}: ${JSON.stringify(r[column])} is not code ${r.Code}`),
    ]);
    expect(wrong).toEqual([]);
  });
});
