/**
 * The national bureaus' trade-by-country tables, written in the variants a bureau publishes
 * over the years (issue 18): the Kazakh bureau's main indicators (kz-bns), the Kyrgyz
 * committee's geographic distribution of exports or imports (kg-nsc), the Uzbek agency's SDMX
 * CSV (uz-stat). Each generator takes the variant as parameters (flow, language, header case,
 * extra sheets, period style, footnotes) and prints the figures of bureau-figures.ts, so that
 * a test knows every expected value.
 */
import { writeFileSync } from 'node:fs';
import {
  KG_PARTNERS,
  KG_UNDEFINED,
  type KgPartner,
  kgFigure,
  kzCountries,
  UZ_ROWS,
  UZ_YEARS,
} from './bureau-figures.ts';
import {
  type Cell,
  type FrontSheet,
  footnoteRows,
  frontSheet,
  type HeaderCase,
  headerCell,
  round5,
  type SheetSpec,
  type WorkbookFormat,
  writeWorkbook,
} from './bureau-sheets.ts';

// ─── kz-bns ────────────────────────────────────────────────────────────────────────────────

export interface KzOptions {
  /** One table sheet per year, the publication's own year first ([2021, 2020]). @default [2021] */
  readonly years?: readonly number[];
  /** Title, unit and header words in Russian or Kazakh. @default 'ru' */
  readonly language?: 'ru' | 'kk';
  /** Total and group row labels in Russian or Kazakh; countries stay Russian. @default 'ru' */
  readonly groupLanguage?: 'ru' | 'kk';
  /** "за январь-декабрь 2021 года" (range) or "за 2022 год" / "2023 жыл" (annual). @default 'range' */
  readonly periodStyle?: 'range' | 'annual';
  /** The months the table covers. @default [1, 12] */
  readonly months?: readonly [number, number];
  /** "12_2021" (months covered, year) or "2021". @default 'months' */
  readonly sheetNames?: 'months' | 'year';
  readonly headerCase?: HeaderCase;
  /** Extra spaces and line breaks in the header cells and the title. */
  readonly messyHeaders?: boolean;
  /** Sheets before the tables. */
  readonly frontSheets?: readonly FrontSheet[];
  /** Notes and the source printed under each table. */
  readonly footnotes?: boolean;
  /** Figures in thousand (as published) or million US dollars. @default 'thousand' */
  readonly scale?: 'thousand' | 'million';
  /** @default 'xls', as the bureau publishes */
  readonly format?: WorkbookFormat;
}

const KZ_PUBLISHER =
  'Бюро национальной статистики Агентства по стратегическому планированию и реформам Республики Казахстан';

const RU_MONTHS = 'январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь'.split(
  ' ',
);
const KK_MONTHS = 'қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан'.split(
  ' ',
);

const KZ_WORDS = {
  ru: {
    title: ' Основные показатели внешней торговли Республики Казахстан',
    unit: { thousand: 'тыс. долларов США', million: 'млн. долларов США' },
    partner: 'Наименование страны',
    flows: ['Товарооборот', 'Экспорт', 'Импорт'],
    value: 'Всего',
    share: (of: string) => `удельный вес страны в общем объеме ${of}, %`,
    shareOf: ['товарооборота', 'экспорта', 'импорта'],
  },
  kk: {
    title: 'Сыртқы сауданың негізгі көрсеткіштері',
    unit: { thousand: 'мың АҚШ доллары', million: 'млн. АҚШ доллары' },
    partner: 'Елдің атауы',
    flows: ['Тауар айналымы', 'Экспорт', 'Импорт'],
    value: 'Барлығы',
    share: (of: string) => `${of} жалпы көлеміндегі елдің үлес салмағы, %`,
    shareOf: ['тауар айналымының', 'экспорттың', 'импорттың'],
  },
} as const;

/** The period line: "за январь-декабрь 2021 года", "за 2022 год", "2023 жыл", "2023 жылғы қаңтар-маусым". */
function kzPeriodLine(year: number, o: KzOptions): string {
  const [first, last] = o.months ?? [1, 12];
  const kk = o.language === 'kk';
  if ((o.periodStyle ?? 'range') === 'annual') return kk ? `${year} жыл` : `за ${year} год`;
  const months = kk ? KK_MONTHS : RU_MONTHS;
  const range = `${months[first - 1]}-${months[last - 1]}`;
  return kk ? `${year} жылғы ${range}` : `за ${range} ${year} года`;
}

type KzNode = { readonly label: { ru: string; kk: string }; readonly members: readonly KzNode[] } | string;

const g = (ru: string, kk: string, members: readonly KzNode[]): KzNode => ({ label: { ru, kk }, members });

/** Rows in the bureau's order and indentation: each group, then its members. */
const KZ_TREE: KzNode = g('Всего', 'Барлығы', [
  g('Страны СНГ', 'ТМД елдері', [
    g(' Страны ЕАЭС', ' ЕАЭО елдері', ['Беларусь', 'Кыргызстан', 'Россия']),
    g(' Страны вне ЕАЭС', ' ЕАЭО-ға кірмейтін елдер', ['Таджикистан', 'Узбекистан']),
  ]),
  g('Остальные страны мира', 'Әлемнің басқа елдері', [
    g('Европа', 'Еуропа', [
      g('  Страны ЕС', '  ЕО елдері', ['Германия', 'Италия']),
      g('  Страны вне ЕС', '  ЕО-ға кірмейтін елдер', ['Швейцария']),
    ]),
    g('Азия', 'Азия', ['Китай', 'Пакистан', 'Турция']),
    g('Америка', 'Америка', ['Соединенные Штаты Америки']),
    g('Австралия и Океания', 'Аустралия және Океания', ['Папуа-новая Гвинея']),
  ]),
]);

type Pair = [number | null, number | null];

/** One kz-bns sheet of the given year. */
export function kzTableSheet(year: number, o: KzOptions = {}): SheetSpec {
  const words = KZ_WORDS[o.language ?? 'ru'];
  const divisor = o.scale === 'million' ? 1000 : 1;
  const figures = kzCountries(year);
  const body: Pair[] = [];
  const labels: string[] = [];
  const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : round5(a + b));
  // Depth first: a group's row comes before its members, its figures are their sums.
  const walk = (node: KzNode): Pair => {
    const at = labels.length;
    if (typeof node === 'string') {
      const [x, m] = figures[node]!;
      const pair: Pair = [x === null ? null : round5(x / divisor), m === null ? null : round5(m / divisor)];
      labels.push(node);
      body.push(pair);
      return pair;
    }
    labels.push(node.label[o.groupLanguage ?? 'ru']);
    body.push([null, null]);
    let sum: Pair = [null, null];
    for (const member of node.members) {
      const [x, m] = walk(member);
      sum = [add(sum[0], x), add(sum[1], m)];
    }
    body[at] = sum;
    return sum;
  };
  const [totalX, totalM] = walk(KZ_TREE);
  const totalT = add(totalX, totalM)!;
  const share = (v: number | null, total: number | null) =>
    v === null || total === null ? null : round5((v / total) * 100);
  const h = (text: string) =>
    headerCell(text, { case: o.headerCase ?? 'published', messy: o.messyHeaders === true });
  const rows: Cell[][] = [
    [o.messyHeaders === true ? `  ${words.title.replace(/ /g, '  ')} ` : words.title],
    [kzPeriodLine(year, o)],
    [null, null, null, null, words.unit[o.scale ?? 'thousand']],
    [h(words.partner), h(words.flows[0]), null, h(words.flows[1]), null, h(words.flows[2]), null],
    [null, ...words.shareOf.flatMap((of) => [h(words.value), h(words.share(of))])],
    ...labels.map((label, i) => {
      const [x, m] = body[i]!;
      const t = add(x, m);
      return [label, t, share(t, totalT), x, share(x, totalX), m, share(m, totalM)];
    }),
  ];
  if (o.footnotes === true) {
    rows.push(
      ...footnoteRows([
        'Примечание: данные по взаимной торговле со странами ЕАЭС приведены с учетом досчетов на неучтенную торговлю.',
        '1) Страны сгруппированы в соответствии с Классификатором стран мира.',
        'Источник: Бюро национальной статистики',
      ]),
    );
  }
  const [, last] = o.months ?? [1, 12];
  return {
    name: (o.sheetNames ?? 'months') === 'year' ? String(year) : `${last}_${year}`,
    rows,
    merges: ['A1:G1', 'A2:G2', 'A3:C3', 'E3:G3', 'A4:A5', 'B4:C4', 'D4:E4', 'F4:G4'],
  };
}

/** A kz-bns workbook: the front sheets asked for, then one table sheet per year. */
export function kzWorkbook(path: string, o: KzOptions = {}): Promise<string> {
  const years = o.years ?? [2021];
  const sheets = [
    ...(o.frontSheets ?? []).map((kind) => frontSheet(kind, KZ_PUBLISHER, years[0]!)),
    ...years.map((year) => kzTableSheet(year, o)),
  ];
  return writeWorkbook(path, sheets, o.format ?? 'xls');
}

const HS_CHAPTERS: readonly (readonly [string, string])[] = [
  ['01', 'Живые животные'],
  ['02', 'Мясо и пищевые мясные субпродукты'],
  ['04', 'Молочная продукция; яйца птиц; мед натуральный'],
  ['07', 'Овощи и некоторые съедобные корнеплоды и клубнеплоды'],
  ['10', 'Злаки'],
  ['11', 'Продукция мукомольно-крупяной промышленности'],
  ['26', 'Руды, шлак и зола'],
  ['27', 'Топливо минеральное, нефть и продукты их перегонки'],
  ['28', 'Продукты неорганической химии'],
  ['72', 'Черные металлы'],
  ['74', 'Медь и изделия из нее'],
  ['79', 'Цинк и изделия из него'],
];

/**
 * The same publisher's other table: exports by commodity (ТН ВЭД ЕАЭС chapters and headings),
 * 60 rows of codes where the country table has countries. After a cover and contents sheet.
 */
export function kzCommodityWorkbook(path: string, year = 2021): Promise<string> {
  const rows: Cell[][] = [
    ['Экспорт Республики Казахстан по товарам ТН ВЭД ЕАЭС'],
    [`за январь-декабрь ${year} года`],
    [null, null, null, null, 'тыс. долларов США'],
    ['Код ТН ВЭД ЕАЭС', 'Наименование товара', 'Единица измерения', 'Количество', 'Стоимость'],
  ];
  HS_CHAPTERS.forEach(([code, name], i) => {
    rows.push([code, name, null, null, round5(1000 * (i + 1) + 0.12345)]);
    for (let h = 1; h <= 4; h++)
      rows.push([`${code}0${h}`, `прочие товары товарной позиции ${code}0${h}`, 'т', 10 * h, 250 * h]);
  });
  return writeWorkbook(
    path,
    [
      frontSheet('cover', KZ_PUBLISHER, year),
      frontSheet('contents', KZ_PUBLISHER, year),
      { name: `Экспорт ${year}`, rows, merges: ['A1:E1', 'A2:E2'] },
    ],
    'xls',
  );
}

// ─── kg-nsc ────────────────────────────────────────────────────────────────────────────────

export interface KgOptions {
  /** The flow the trilingual title names; null for a title that names none. @default 'X' */
  readonly flow?: 'X' | 'M' | null;
  /** The flow of the figures printed (for a mislabelled table). @default flow ?? 'X' */
  readonly figures?: 'X' | 'M';
  /** Period headers as written: 2021, "2023 1", "2023M01". @default [2021, 2022, 2023] */
  readonly periods?: readonly (number | string)[];
  /** @default 'usd' (thousand US dollars); 'som' for thousand soms. */
  readonly unit?: 'usd' | 'som';
  /** A cover and a notes sheet before the table. */
  readonly frontSheets?: boolean;
  readonly footnotes?: boolean;
  /** @default 'xlsx', as the committee publishes */
  readonly format?: WorkbookFormat;
}

const KG_TITLES = {
  X: [
    '4.03.00.18: Товарларды экспортунун географиялык бөлүштүрүлүүсү',
    '4.03.00.18:  Географическое распределение экспорта товаров     ',
    '4.03.00.18: Geographic distribution of exports of goods',
  ],
  M: [
    '4.03.00.19: Товарлардын импортунун географиялык бөлүштүрүлүшү',
    '4.03.00.19: Географическое распределение импорта товаров',
    '4.03.00.19: Geographic distribution of imports of goods',
  ],
  none: [
    'Товарлардын тышкы соодасынын географиялык бөлүштүрүлүшү',
    'Географическое распределение внешней торговли товарами',
    'Geographic distribution of foreign trade in goods',
  ],
} as const;

const KG_UNITS = {
  usd: ['  (миң АКШ доллары)', '(тыс. долларов США)', '(thousand US dollars)'],
  som: ['  (миң сом)', '(тыс. сомов)', '(thousand soms)'],
} as const;

const byEn = (...names: string[]) => KG_PARTNERS.filter((p) => names.includes(p.en));

/** Groups first (no members follow them), as the committee prints them. */
const KG_GROUPS: readonly (readonly [string, string, string, readonly KgPartner[]])[] = [
  ['ЕС', 'ЕС', 'The EU', byEn('Germany')],
  ['КМШ', 'СНГ', 'CIS', byEn('Russia', 'Belarus', 'Kazakhstan', 'Uzbekistan')],
  ['ШОС', 'ШОС', 'SCO', byEn('Russia', 'Kazakhstan', 'China', 'Pakistan', 'Uzbekistan')],
  ['ЕАЭБ', 'ЕАЭС', 'EAEU', byEn('Russia', 'Belarus', 'Kazakhstan')],
];

/** Continents, each followed by its countries. */
const KG_CONTINENTS: readonly (readonly [string, string, string, readonly KgPartner[]])[] = [
  ['Европа', 'Европа', 'Europe', byEn('Belarus', 'Germany', 'Russia')],
  ['Азия', 'Азия', 'Asia', byEn('Kazakhstan', 'China', 'Pakistan', 'Turkey', 'Uzbekistan')],
  ['Америка', 'Америка', 'America', byEn('USA')],
];

/** Table 4.03.00.18 (exports) or .19 (imports): trilingual labels in A–C, periods from D. */
export function kgTableSheet(o: KgOptions = {}): SheetSpec {
  const periods = o.periods ?? [2021, 2022, 2023];
  const n = periods.length;
  const flow = o.figures ?? o.flow ?? 'X';
  const values = (p: KgPartner) => periods.map((_, i) => kgFigure(p, flow, i, n));
  const sum = (members: readonly KgPartner[]): (number | '-')[] =>
    periods.map((_, i) => {
      const figures = members.map((p) => kgFigure(p, flow, i, n)).filter((v) => v !== '-');
      return figures.length === 0 ? '-' : Number(figures.reduce((a, b) => a + b, 0).toFixed(3));
    });
  const line = (labels: readonly [string, string, string], figures: (number | '-')[]): Cell[] => [
    ...labels,
    ...figures,
  ];
  const title = KG_TITLES[o.flow === undefined ? 'X' : o.flow === null ? 'none' : o.flow];
  const rows: Cell[][] = [
    [...title],
    [...KG_UNITS[o.unit ?? 'usd']],
    [],
    [null, null, null, ...periods],
    line(['Бардыгы', 'Всего', 'Total'], sum([...KG_PARTNERS, KG_UNDEFINED])),
    ...KG_GROUPS.map(([ky, ru, en, members]) => line([ky, ru, en], sum(members))),
    [],
    ...KG_CONTINENTS.flatMap(([ky, ru, en, members]) => [
      line([ky, ru, en], sum(members)),
      ...members.map((p) => line([p.ky, p.ru, p.en], values(p))),
    ]),
    [],
    line([KG_UNDEFINED.ky, KG_UNDEFINED.ru, KG_UNDEFINED.en], values(KG_UNDEFINED)),
  ];
  if (o.footnotes === true) {
    rows.push(
      ...footnoteRows([
        'Эскертүү: 2023-жылдын маалыматтары алдын ала.',
        'Примечание: данные за 2023 год предварительные.',
        'Note: data for 2023 are preliminary.',
      ]),
    );
  }
  return { name: 'Лист1', rows };
}

/** A kg-nsc workbook: optionally a cover and notes sheet, then the table. */
export function kgWorkbook(path: string, o: KgOptions = {}): Promise<string> {
  const front: SheetSpec[] =
    o.frontSheets === true
      ? [
          {
            name: 'Мукаба',
            rows: [
              ['Кыргыз Республикасынын Улуттук статистика комитети'],
              ['Национальный статистический комитет Кыргызской Республики'],
              ['National Statistical Committee of the Kyrgyz Republic'],
              [],
              ['Внешнеэкономическая деятельность Кыргызской Республики 2019-2023'],
            ],
          },
          {
            name: 'Примечания',
            rows: [
              ['Методологические пояснения'],
              ['Экспорт товаров учитывается в ценах ФОБ, импорт товаров – в ценах СИФ.'],
              ['Imports are valued CIF, exports FOB; figures in thousand US dollars.'],
              ['Данные за 2023 год предварительные.'],
            ],
          },
        ]
      : [];
  return writeWorkbook(path, [...front, kgTableSheet(o)], o.format ?? 'xlsx');
}

// ─── uz-stat ───────────────────────────────────────────────────────────────────────────────

/**
 * The agency's SDMX CSV export: UTF-8 with a BOM, `Code,Klassifikator,Klassifikator_ru,
 * Klassifikator_en` then one column per year; dataset 1105 is exports, 1176 imports. Nothing
 * in the file says which: only the agency's name for it (sdmx_data_1176.csv).
 */
export function uzCsv(flow: 'X' | 'M'): string {
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [
    ['Code', 'Klassifikator', 'Klassifikator_ru', 'Klassifikator_en', ...UZ_YEARS.map(String)].join(','),
    ...UZ_ROWS.map((r) =>
      [r.code, r.uz, r.ru, r.en]
        .map(quote)
        .concat((flow === 'X' ? r.x : r.m).map((v) => v.toFixed(1)))
        .join(','),
    ),
  ];
  return `\uFEFF${lines.join('\n')}\n`;
}

export function writeUzCsv(path: string, flow: 'X' | 'M'): string {
  writeFileSync(path, uzCsv(flow), 'utf8');
  return path;
}
