/**
 * The figures the bureau workbooks of bureau-workbooks.ts print, in thousand US dollars, so that
 * a test can state the expected value of a figure it did not compute. Most are the published
 * ones (../shared/data/fixtures/trade/PROVENANCE.md and the files themselves); where a year or
 * a table is not in ../shared (2022, 2023, the imports tables) they are made up, and say so.
 */

/** [exports, imports] in thousand US dollars; null where the bureau prints nothing. */
export type FlowPair = readonly [number | null, number | null];

/** Kazakhstan's trade with its partners in 2021, as the bureau published it (sheet 12_2021). */
export const KZ_COUNTRIES_2021: Readonly<Record<string, FlowPair>> = {
  Беларусь: [110295.76861, 780733.46803],
  Кыргызстан: [674755.15526, 375776.99792],
  Россия: [7018745.76433, 17605534.20124],
  Таджикистан: [800259.09274, 363522.7611],
  Узбекистан: [2776871.15288, 1057042.96316],
  Германия: [398537.55969, 1814829.68599],
  Италия: [8889096.06214, 786301.6605],
  Швейцария: [1078018.1555, 218195.25569],
  Китай: [9772505.63304, 8228456.85318],
  Пакистан: [65892.53539, 29202.63939],
  Турция: [2964665.64832, 1146382.28336],
  'Соединенные Штаты Америки': [872151.73994, 1351037.25718],
  // Exports only: its import cell is empty in the published sheet.
  'Папуа-новая Гвинея': [1.40968, null],
};

/** ISO codes of KZ_COUNTRIES_2021, in its order. */
export const KZ_COUNTRY_ISO3 = [
  'BLR',
  'KGZ',
  'RUS',
  'TJK',
  'UZB',
  'DEU',
  'ITA',
  'CHE',
  'CHN',
  'PAK',
  'TUR',
  'USA',
  'PNG',
] as const;

/** Figures (not empty cells) per kz-bns sheet: 13 countries × 2 flows, less Papua New Guinea's import. */
export const KZ_FIGURES_PER_SHEET = 25;

/**
 * Pakistan by year. 2018–2021: PROVENANCE.md. 2022 and 2023: made up. Every other country
 * keeps its 2021 figures in every year.
 */
export const KZ_PAKISTAN: Readonly<Record<number, FlowPair>> = {
  2018: [2292.0, 27133.0],
  2019: [1915.23308, 25136.92336],
  2020: [16146.6848, 29423.14514],
  2021: [65892.53539, 29202.63939],
  2022: [98765.4321, 31234.5678],
  2023: [123456.789, 40000.5],
};

/** The kz-bns figures of one year, thousand US dollars. */
export function kzCountries(year: number): Record<string, FlowPair> {
  return { ...KZ_COUNTRIES_2021, Пакистан: KZ_PAKISTAN[year] ?? KZ_COUNTRIES_2021.Пакистан! };
}

export interface KgPartner {
  readonly ky: string;
  readonly ru: string;
  readonly en: string;
  readonly iso3: string;
  /** Value in the last period column, thousand US dollars: [exports, imports]. */
  readonly last: readonly [number, number];
}

/**
 * Kyrgyzstan's partners as table 4.03.00.18 labels them. Exports: the published 2023 column;
 * imports (table 4.03.00.19 is not in ../shared): made up.
 */
export const KG_PARTNERS: readonly KgPartner[] = [
  { ky: 'Беларусия', ru: 'Беларусь', en: 'Belarus', iso3: 'BLR', last: [33965.798, 98765.432] },
  { ky: 'Германия', ru: 'Германия', en: 'Germany', iso3: 'DEU', last: [7638.879, 187654.321] },
  { ky: 'Орусия', ru: 'Россия', en: 'Russia', iso3: 'RUS', last: [823728.781, 2876543.21] },
  { ky: 'Казакстан', ru: 'Казахстан', en: 'Kazakhstan', iso3: 'KAZ', last: [449009.325, 765432.1] },
  { ky: 'Кытай', ru: 'Китай', en: 'China', iso3: 'CHN', last: [80446.343, 5432109.876] },
  { ky: 'Пакистан', ru: 'Пакистан', en: 'Pakistan', iso3: 'PAK', last: [1530.646, 4321.987] },
  { ky: 'Туркия', ru: 'Турция', en: 'Turkey', iso3: 'TUR', last: [153106.346, 432109.876] },
  { ky: 'Өзбекстан', ru: 'Узбекистан', en: 'Uzbekistan', iso3: 'UZB', last: [290766.703, 321098.765] },
  {
    ky: 'Америка Кошмо Штаттары',
    ru: 'Соединенные Штаты Америки',
    en: 'USA',
    iso3: 'USA',
    last: [7220.462, 123456.789],
  },
];

/** The committee's own residual: loads as `_X` (areas n.e.s.), not as a country. */
export const KG_UNDEFINED: KgPartner = {
  ky: 'Такталбаган өлкө',
  ru: 'Неопределенная страна',
  en: 'Undefined country',
  iso3: '_X',
  last: [448.177, 98.765],
};

/**
 * A kg-nsc figure in period column `i` of `n`: the last column holds `last`, each earlier one
 * 10 % less per step (three decimals, as the committee prints); Pakistan has "-" (no value)
 * in the first column, as in 2004 in the published table.
 */
export function kgFigure(partner: KgPartner, flow: 'X' | 'M', i: number, n: number): number | '-' {
  if (partner.iso3 === 'PAK' && i === 0 && n > 1) return '-';
  const last = partner.last[flow === 'X' ? 0 : 1];
  return Number((last * (1 - 0.1 * (n - 1 - i))).toFixed(3));
}

export interface UzRow {
  readonly code: string;
  readonly uz: string;
  readonly ru: string;
  readonly en: string;
  readonly iso3: string;
  /** 2019–2023, thousand US dollars: exports (dataset 1105, published) and imports (1176, made up). */
  readonly x: readonly number[];
  readonly m: readonly number[];
}

export const UZ_YEARS = [2019, 2020, 2021, 2022, 2023] as const;

/** In the agency's order (unsorted), codes as it writes them: "008" padded, "0" for other countries. */
export const UZ_ROWS: readonly UzRow[] = [
  row('792', 'Turkiya', 'Турция', 'Turkey', 'TUR', [1217633.2, 1018992.8, 1692380.2, 1643453.4, 1263331.9]),
  row('008', 'Albaniya', 'Албания', 'Albania', 'ALB', [5.5, 585.8, 2643.3, 3196.8, 543.8]),
  row('276', 'Germaniya', 'Германия', 'Germany', 'DEU', [62234.9, 67613.7, 72187.0, 98950.7, 86769.8]),
  row(
    '398',
    "Qozog'iston",
    'Казахстан',
    'Kazakhstan',
    'KAZ',
    [1392964.9, 908419.8, 1178376.7, 1407547.5, 1417053.6],
  ),
  row(
    '0',
    'Boshqa mamlakatlar',
    'Другие страны',
    'Other countries',
    '_X',
    [6246359.9, 6153151.4, 4874921.4, 5811172.3, 10352796.9],
  ),
  row(
    '417',
    "Qirg'iziston",
    'Кыргызстан',
    'Kyrgyzstan',
    'KGZ',
    [669643.1, 760459.1, 792044.4, 982539.4, 634436.7],
  ),
  row('156', 'Xitoy', 'Китай', 'China', 'CHN', [2528749.7, 1937053.3, 2529091.0, 2631997.8, 2486557.3]),
  row('643', 'Rossiya', 'Россия', 'Russia', 'RUS', [2531870.5, 1485755.1, 2088237.3, 3151098.4, 3495675.6]),
  row('840', 'AQSH', 'США', 'USA', 'USA', [36648.8, 28496.3, 60794.4, 124480.9, 253118.1]),
  row(
    '762',
    'Tojikiston',
    'Таджикистан',
    'Tajikistan',
    'TJK',
    [327557.3, 405124.1, 501902.4, 522117.8, 608300.4],
  ),
  row('586', 'Pokiston', 'Пакистан', 'Pakistan', 'PAK', [97937.0, 98552.0, 130072.2, 185156.5, 269268.0]),
];

/** Imports are made up: each export figure × 1.5, to one decimal, so that the two never coincide. */
function row(code: string, uz: string, ru: string, en: string, iso3: string, x: number[]): UzRow {
  return { code, uz, ru, en, iso3, x, m: x.map((v) => Number((v * 1.5).toFixed(1))) };
}

/** Countries in UZ_ROWS (all but code 0): 10, over five years. */
export const UZ_COUNTRY_FIGURES = 50;
