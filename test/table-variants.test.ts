/**
 * The generic `table` source on issue 18, points 1 and 2: one layout (a country column, years
 * as columns, the unit in a title, a closing total) declared in a pipeline file, loaded through
 * the CLI over workbooks written here in the variants a publisher's next edition brings:
 * sheets before the table, headers in another case or broken over lines, a merged two-row
 * header, year-named sheets, notes below, and the flow stated in English, Russian, Kazakh or
 * Uzbek, or not at all. The layout leaves `map.flow` out, so the flow is read from the table.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Cell,
  FRONT_SHEETS,
  notesOf,
  runEntry,
  type SheetSpec,
  writeWorkbook,
} from './helpers/layout-variants.ts';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();
beforeEach(() => warehouseAt(db()));

const YEARS = ['2021', '2022', '2023'] as const;

/** The table's rows, in thousand US dollars; null is the publisher's "-". */
const PARTNERS = [
  { en: 'Kazakhstan', ru: 'Казахстан', iso3: 'KAZ', figures: [1234.5, 2345.6, 3456.7] },
  { en: 'Uzbekistan', ru: 'Узбекистан', iso3: 'UZB', figures: [100, 200, 300] },
  { en: 'Kyrgyzstan', ru: 'Кыргызстан', iso3: 'KGZ', figures: [null, 20.5, 30] },
  { en: 'China', ru: 'Китай', iso3: 'CHN', figures: [5000, 6000, 7000] },
] as const;

/** The printed totals, to one decimal as the table prints them: 6334.5, 8566.1, 10786.7. */
const TOTALS = YEARS.map((_, i) =>
  Number(PARTNERS.reduce((sum, p) => sum + (p.figures[i] ?? 0), 0).toFixed(1)),
);

interface TableOptions {
  readonly titles?: readonly string[];
  readonly countryHeader?: string;
  readonly periodHeaders?: readonly Cell[];
  readonly names?: 'en' | 'ru';
  readonly totalLabel?: string;
  /** Rows below the table: notes and footnotes. */
  readonly below?: readonly (readonly Cell[])[];
  /** The figure cell of Kazakhstan's last period, as written. */
  readonly lastKazakhstan?: Cell;
}

/** A sheet holding the table: titles, a blank row, the header, the countries, the total. */
function tableRows(o: TableOptions = {}): Cell[][] {
  return [
    ...(o.titles ?? ['Exports of goods by country', '(thousand US dollars)']).map((t) => [t]),
    [],
    [o.countryHeader ?? 'Country', ...(o.periodHeaders ?? YEARS)],
    ...PARTNERS.map((p, row) => [
      p[o.names ?? 'en'],
      ...p.figures.map((f, i) =>
        row === 0 && i === 2 && o.lastKazakhstan !== undefined ? o.lastKazakhstan : (f ?? '-'),
      ),
    ]),
    [o.totalLabel ?? 'Total', ...TOTALS],
    ...(o.below ?? []).map((r) => [...r]),
  ];
}

const LAYOUT = {
  columns: { country: { labels: ['Country', 'Страна', 'Mamlakat', 'Ел'] } },
  wide: { kind: 'periods' },
  aggregates: { column: 'country', totals: ['Total', 'Всего', 'Jami', 'Барлығы'], position: 'after' },
  map: {
    reporter: { value: 'TJK' },
    partner: { column: 'country' },
    period: { column: 'period' },
    value: { column: 'value' },
  },
} as const;

let runs = 0;
/** Writes the workbook and runs the layout over it; `extra` adds to the pipeline entry (`declare`) or the layout. */
async function load(
  file: string,
  sheets: readonly SheetSpec[],
  extra: { entry?: Record<string, unknown>; layout?: Record<string, unknown> } = {},
) {
  const path = await writeWorkbook(join(tmp(), file), sheets);
  runs++;
  return runEntry(tmp(), db(), `table-variant-${runs}`, {
    source: 'table',
    files: [path],
    table: { ...LAYOUT, ...extra.layout },
    ...extra.entry,
  });
}

interface Loaded {
  partner_iso3: string;
  flow: string;
  freq: string;
  period: string;
  value_usd: number;
}

/** Every country figure loaded once, × 1000, under its flow and period; the total checked, not loaded. */
function expectTable(flow: string, periods: readonly string[] = YEARS, sheets = 1) {
  const loaded = query<Loaded>(
    db(),
    'select partner_iso3, flow, freq, period, value_usd from trade_flows order by period, partner_iso3',
  );
  const expected = periods.flatMap((period, i) =>
    PARTNERS.filter((p) => p.figures[i % 3] !== null)
      .map((p) => ({
        partner_iso3: p.iso3,
        flow,
        freq: period.length === 4 ? 'A' : 'M',
        period,
        value_usd: Math.round(p.figures[i % 3]! * 1000),
      }))
      .sort((a, b) => a.partner_iso3.localeCompare(b.partner_iso3)),
  );
  expect(loaded).toEqual(expected);
  // The rows add up to the printed total of each period, in dollars.
  periods.forEach((period, i) => {
    const sum = loaded.filter((r) => r.period === period).reduce((a, r) => a + r.value_usd, 0);
    expect(sum).toBeCloseTo(TOTALS[i % 3]! * 1000, 6);
  });
  expect(scalar(db(), 'select count(*) from rejects')).toBe(0);
  expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
  expect(scalar(db(), 'select sum(rows_aggregate) from load_files')).toBe(3 * sheets);
}

const facts = () =>
  query<{ sheet: string; fact: string; value: string; origin: string; place: string }>(
    db(),
    'select sheet, fact, value, origin, place from load_facts order by sheet, fact',
  );
const notes = () => notesOf(query<{ notes: string | null }>(db(), 'select notes from load_files'));
const errorCode = () =>
  scalar<string | null>(db(), 'select error_code from load_files order by load_id desc');

describe('table: the flow, unit and period the table states', () => {
  it('an English title "Exports of goods by country" with "(thousand US dollars)": exports, × 1000, per year; load_facts says where each was read', async () => {
    const run = await load('a.xlsx', [{ name: 'Data', rows: tableRows() }]);
    expect(run.code, run.stderr).toBe(0);
    expectTable('X');
    expect(facts()).toEqual([
      {
        sheet: 'Data',
        fact: 'flow',
        value: 'X',
        origin: 'file',
        place: 'the title "Exports of goods by country"',
      },
      {
        sheet: 'Data',
        fact: 'unit',
        value: 'thousand US dollars (USD ×1000)',
        origin: 'file',
        place: '"(thousand US dollars)"',
      },
    ]);
  });

  it('a Russian title "Импорт товаров по странам" in "тыс. долларов США", Russian names and header, "2021 г." columns: imports', async () => {
    const run = await load('b.xlsx', [
      {
        name: 'Лист1',
        rows: tableRows({
          titles: ['Импорт товаров по странам', '(тыс. долларов США)'],
          countryHeader: 'Страна',
          periodHeaders: YEARS.map((y) => `${y} г.`),
          names: 'ru',
          totalLabel: 'Всего',
        }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectTable('M');
  });

  it.each([
    ['Uzbek Latin', "Mamlakatlar bo'yicha tovarlar eksporti", '(ming AQSh dollari)', 'Mamlakat', 'Jami'],
    ['Kazakh', 'Елдер бойынша тауарлар экспорты', '(мың АҚШ доллары)', 'Ел', 'Барлығы'],
  ])('a title in %s ("%s", "%s"): exports, × 1000', async (_language, title, unit, header, total) => {
    const run = await load('c.xlsx', [
      {
        name: 'Sheet1',
        rows: tableRows({ titles: [title, unit], countryHeader: header, totalLabel: total }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectTable('X');
    expect(facts().find((f) => f.fact === 'flow')?.place).toBe(`the title "${title}"`);
  });

  it('a table that names no flow is refused (fact_not_stated, naming --flow), loading nothing; declare: { flow: "M" } loads it as imports', async () => {
    const sheets = [
      { name: 'Data', rows: tableRows({ titles: ['Trade in goods by country', '(thousand US dollars)'] }) },
    ];
    const refused = await load('table_h.xlsx', sheets);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('table_h.xlsx › Data: the table does not say its flow');
    expect(refused.stderr).toContain('--flow X (exports) or --flow M (imports)');
    expect(errorCode()).toBe('fact_not_stated');
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);
    expect(scalar(db(), 'select count(*) from rejects')).toBe(0);

    const declared = await load('table_h.xlsx', sheets, { entry: { declare: { flow: 'M' } } });
    expect(declared.code, declared.stderr).toBe(0);
    expectTable('M');
    expect(facts().find((f) => f.fact === 'flow')).toMatchObject({
      value: 'M',
      origin: 'declaration',
      place: 'declared (--flow)',
    });
  });

  it('a constant map.flow "X" over an imports title is refused (declaration_contradicts_file); with declare: { override: true } it loads as exports, origin override', async () => {
    const sheets = [
      { name: 'Data', rows: tableRows({ titles: ['Imports of goods by country', '(thousand US dollars)'] }) },
    ];
    const constantX = { ...LAYOUT.map, flow: { value: 'X' } };
    const refused = await load('d.xlsx', sheets, { layout: { map: constantX } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '--flow declares exports (X), but the file says imports (M) in the title "Imports of goods by country"',
    );
    expect(refused.stderr).toContain('--override');
    expect(errorCode()).toBe('declaration_contradicts_file');
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);

    const overridden = await load('d.xlsx', sheets, {
      layout: { map: constantX },
      entry: { declare: { override: true } },
    });
    expect(overridden.code, overridden.stderr).toBe(0);
    expectTable('X');
    const flow = facts().find((f) => f.fact === 'flow');
    expect(flow).toMatchObject({ value: 'X', origin: 'override' });
    expect(flow?.place).toContain('imports (M) in the title "Imports of goods by country"');
  });

  it('a title "Exports and imports of goods by country" names two flows: refused (facts_contradict), naming both and --flow', async () => {
    const run = await load('e.xlsx', [
      {
        name: 'Data',
        rows: tableRows({ titles: ['Exports and imports of goods by country', '(thousand US dollars)'] }),
      },
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the table says two things about its flow');
    expect(run.stderr).toContain('exports (X) in the title "Exports and imports of goods by country"');
    expect(run.stderr).toContain('imports (M) in the title');
    expect(run.stderr).toContain('--flow');
    expect(errorCode()).toBe('facts_contradict');
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);
  });
});

describe('table: finding the table in the workbook', () => {
  it('cover, contents, legend and methodology sheets before the table are passed over and listed in the notes', async () => {
    const run = await load('f.xlsx', [
      ...FRONT_SHEETS,
      {
        name: 'Table 1',
        rows: tableRows({ titles: ['Table 1. Imports of goods by country', 'thousand US dollars'] }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectTable('M');
    for (const sheet of FRONT_SHEETS)
      expect(notes()).toContain(`sheet ${sheet.name} passed over: no table with "Country"`);
    // The facts are the table's, not the methodology's ("FOB for exports and CIF for imports").
    expect(facts().map((f) => [f.sheet, f.fact, f.value])).toEqual([
      ['Table 1', 'flow', 'M'],
      ['Table 1', 'unit', 'thousand US dollars (USD ×1000)'],
    ]);
  });

  it.each([
    ['lower case', 'country', YEARS, 'exports of goods by country'],
    [
      'upper case, a footnote mark on a year',
      'COUNTRY',
      ['2021', '2022', '2023*'],
      'EXPORTS OF GOODS BY COUNTRY',
    ],
    [
      'extra spaces and line breaks',
      '  Country\n ',
      [' 2021 ', '2022\n', '\n  2023'],
      '  Exports of goods\nby country ',
    ],
  ])('headers in %s', async (_variant, countryHeader, periodHeaders, title) => {
    const run = await load('g.xlsx', [
      {
        name: 'Data',
        rows: tableRows({ titles: [title, '(thousand US dollars)'], countryHeader, periodHeaders }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectTable('X');
  });

  it('a two-row header merged across rows and columns ("Country" over two rows, the flow and unit over the years)', async () => {
    const rows: Cell[][] = [
      ['Foreign trade of goods by country'],
      [],
      ['Country', 'Exports, thousand US dollars', null, null],
      [null, 2021, 2022, 2023],
      ...tableRows().slice(4),
    ];
    const run = await load('h.xlsx', [{ name: 'Data', rows, merges: ['A3:A4', 'B3:D3'] }], {
      layout: { headerRows: 2 },
    });
    expect(run.code, run.stderr).toBe(0);
    expectTable('X');
    expect(facts().find((f) => f.fact === 'flow')?.place).toBe('the header "Exports, thousand US dollars"');
  });

  it('year-named sheets read with sheets: { every: true }, months headed "2022 1" and "2023M01"', async () => {
    const sheet = (year: string, months: readonly string[]): SheetSpec => ({
      name: year,
      rows: tableRows({
        titles: [`Exports of goods by country, ${year}`, 'thousand US dollars'],
        periodHeaders: months,
      }),
    });
    const run = await load(
      'i.xlsx',
      [
        FRONT_SHEETS[0]!,
        sheet('2022', ['2022 1', '2022 2', '2022 3']),
        sheet('2023', ['2023M01', '2023M02', '2023M03']),
      ],
      { layout: { sheets: { every: true } } },
    );
    expect(run.code, run.stderr).toBe(0);
    expectTable('X', ['2022-01', '2022-02', '2022-03', '2023-01', '2023-02', '2023-03'], 2);
    expect(
      facts()
        .filter((f) => f.fact === 'flow')
        .map((f) => [f.sheet, f.value]),
    ).toEqual([
      ['2022', 'X'],
      ['2023', 'X'],
    ]);
    expect(notes()).toContain('sheet Cover passed over');
  });

  it('notes and footnotes below the table, and a footnote mark on a figure, are not data', async () => {
    const run = await load('j.xlsx', [
      {
        name: 'Data',
        rows: tableRows({
          lastKazakhstan: '3 456,7*',
          below: [
            [],
            ['Note: figures for 2023 are provisional.'],
            ['* revised'],
            ['Source: customs declarations.'],
          ],
        }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectTable('X');
    expect(notes()).toContain('3 rows without any figure');
  });

  it('a workbook of another table (by commodity, no country column) is refused in one message naming what was looked for, the sheets and the closest candidate; no rejects', async () => {
    const byCommodity: Cell[][] = [
      ['Exports of goods by commodity'],
      ['(thousand US dollars)'],
      [],
      ['HS code', 'Commodity', ...YEARS],
      ...Array.from({ length: 40 }, (_, i) => [String(100 + i), `Commodity ${i + 1}`, i, i + 1, i + 2]),
    ];
    const run = await load('k.xlsx', [FRONT_SHEETS[0]!, { name: 'By commodity', rows: byCommodity }]);
    expect(run.code).toBe(1);
    expect(errorCode()).toBe('table_not_found');
    expect(run.stderr).toContain(
      'no sheet holds a table with "Country", "Страна", columns headed by years or months',
    );
    expect(run.stderr).toContain('(looked at "Cover", "By commodity")');
    expect(run.stderr).toContain(
      'the closest is sheet "By commodity", row 4 ("HS code", "Commodity", "2021"',
    );
    expect(run.stderr).toContain('lacks "Country"');
    expect(run.stderr.match(/no sheet holds a table/g)).toHaveLength(1);
    expect(scalar(db(), 'select count(*) from rejects')).toBe(0);
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);
  });

  it('an "Exports" sheet and an "Imports" sheet both holding the table are never read as one: refused (ambiguous_sheets) until sheets.every reads both', async () => {
    const sheets = [
      { name: 'Exports', rows: tableRows() },
      {
        name: 'Imports',
        rows: tableRows({ titles: ['Imports of goods by country', '(thousand US dollars)'] }),
      },
    ];
    const refused = await load('two.xlsx', sheets);
    expect(refused.code).toBe(1);
    expect(errorCode()).toBe('ambiguous_sheets');
    expect(refused.stderr).toContain('sheets "Exports" and "Imports" both hold the table');
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);

    const both = await load('two.xlsx', sheets, { layout: { sheets: { every: true } } });
    expect(both.code, both.stderr).toBe(0);
    expect(scalar(db(), "select count(*) from trade_flows where flow = 'X'")).toBe(11);
    expect(scalar(db(), "select count(*) from trade_flows where flow = 'M'")).toBe(11);
  });
});
