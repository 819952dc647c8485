import { describe, expect, it } from 'vitest';
import { findHeader, flattenHeader, titleLines } from '../../src/layout/header-block.ts';
import { matchesLabel } from '../../src/layout/table-layout.ts';
import type { SheetRow } from '../../src/read/sheet-stream.ts';

/** Rows as a reader gives them, numbered from 1 as Excel shows them. */
const sheet = (...rows: unknown[][]): SheetRow[] => rows.map((cells, i) => ({ number: i + 1, cells }));

// The Kazakh bureau's table by region: a two-row header whose groups are merged across two columns.
const kazakhHeader: unknown[][] = [
  ['Наименование области', 'Товарооборот', null, 'экспорт', null, 'импорт', null],
  [null, 'Всего', 'удельный вес, в %', 'Всего', 'удельный вес, в %', 'Всего', 'удельный вес, в %'],
];

describe('flattenHeader', () => {
  it('gives each column of a merged two-row header the path of its group and its own label', () => {
    expect(flattenHeader(kazakhHeader)).toEqual([
      'Наименование области',
      'Товарооборот › Всего',
      'Товарооборот › удельный вес, в %',
      'экспорт › Всего',
      'экспорт › удельный вес, в %',
      'импорт › Всего',
      'импорт › удельный вес, в %',
    ]);
  });

  it('carries each level of a three-row header over the columns below it', () => {
    const paths = flattenHeader([
      ['Port', 'Imports', null, null, 'Exports', null],
      [null, 'Dry bulk', null, 'Liquid bulk', 'Dry bulk', null],
      [null, 'Wheat', 'Coal', 'POL', 'Wheat', 'Coal'],
    ]);

    expect(paths).toEqual([
      'Port',
      'Imports › Dry bulk › Wheat',
      'Imports › Dry bulk › Coal',
      'Imports › Liquid bulk › POL',
      'Exports › Dry bulk › Wheat',
      'Exports › Dry bulk › Coal',
    ]);
  });

  // A group merged down over two rows ("Total" over rows 1–2) leaves its row-2 cell empty; the
  // label on its left ("Liquid bulk") belongs to another group ("Imports") and cannot reach past
  // the upper row's boundary, since Excel merges are rectangles.
  it('does not carry a label across the boundary of the group above it', () => {
    const paths = flattenHeader([
      ['Port', 'Imports', null, null, 'Total', null],
      [null, 'Dry bulk', null, 'Liquid bulk', null, null],
      [null, 'Wheat', 'Coal', 'POL', 'Tonnes', 'TEU'],
    ]);

    // Today: 'Total › Liquid bulk › Tonnes', 'Total › Liquid bulk › TEU'.
    expect(paths.slice(4)).toEqual(['Total › Tonnes', 'Total › TEU']);
  });

  it('gives an empty path, not the carried label, to trailing columns empty in every row', () => {
    const paths = flattenHeader([
      ['Country', 'Exports', null, null, null],
      [null, 'Total', 'Share, %', null, null],
    ]);

    expect(paths).toEqual(['Country', 'Exports › Total', 'Exports › Share, %', '', '']);
  });

  it('stops carrying a label at an empty column between groups', () => {
    const paths = flattenHeader([
      ['Exports', null, null, null],
      ['Total', 'Share', null, 'Note'],
    ]);

    expect(paths).toEqual(['Exports › Total', 'Exports › Share', '', 'Note']);
  });

  it.each([
    {
      case: 'years typed as numbers',
      rows: [['Country', 2019, 2020]],
      expected: ['Country', '2019', '2020'],
    },
    {
      case: 'a year typed as a number over months',
      rows: [
        ['Country', 2022, null],
        [null, 'Jan', 'Feb'],
      ],
      expected: ['Country', '2022 › Jan', '2022 › Feb'],
    },
    {
      case: 'line breaks and runs of spaces',
      rows: [['Наименование\nобласти', '  Экспорт,\r\n  тыс. долл.  США ', '\u00a0Всего\u00a0']],
      expected: ['Наименование области', 'Экспорт, тыс. долл. США', 'Всего'],
    },
  ])('reads $case as one line of text', ({ rows, expected }) => {
    expect(flattenHeader(rows)).toEqual(expected);
  });

  it('names a column once when the row below repeats its label', () => {
    expect(
      flattenHeader([
        ['Country', 'Total'],
        ['Country', 'Total'],
      ]),
    ).toEqual(['Country', 'Total']);
  });

  it('reads short rows as if padded with empty cells', () => {
    expect(
      flattenHeader([
        ['Country', 'Exports'],
        [null, 'Total', 'Share'],
      ]),
    ).toEqual(['Country', 'Exports › Total', 'Exports › Share']);
  });

  it('gives no path for no rows', () => {
    expect(flattenHeader([])).toEqual([]);
  });
});

describe('findHeader', () => {
  const exportsTotal = (paths: readonly string[]) => paths.some((p) => matchesLabel(p, ['Экспорт › Всего']));

  const kazakhSheet = sheet(
    ['Товарооборот Республики Казахстан по областям за январь-декабрь 2023 года'],
    [],
    [null, null, null, null, null, null, 'тыс. долл. США'],
    ...kazakhHeader,
    ['Республика Казахстан', 139_837.9, 100, 78_666.5, 100, 61_171.4, 100],
  );

  it('finds a two-row header below title rows and blank rows', () => {
    expect(findHeader(kazakhSheet, 2, exportsTotal)).toEqual({
      index: 3,
      paths: [
        'Наименование области',
        'Товарооборот › Всего',
        'Товарооборот › удельный вес, в %',
        'экспорт › Всего',
        'экспорт › удельный вес, в %',
        'импорт › Всего',
        'импорт › удельный вес, в %',
      ],
    });
  });

  it('tries a block at each non-blank row, in order, and none at a blank one', () => {
    const firstPaths: string[] = [];
    const found = findHeader(kazakhSheet, 1, (paths) => {
      firstPaths.push(paths[0]!);
      return false;
    });

    expect(found).toBeNull();
    expect(firstPaths).toEqual([
      'Товарооборот Республики Казахстан по областям за январь-декабрь 2023 года',
      '',
      'Наименование области',
      '',
      'Республика Казахстан',
    ]);
  });

  const notes = (count: number): unknown[][] => Array.from({ length: count }, (_, i) => [`Note ${i + 1}`]);
  const blanks = (count: number): unknown[][] => Array.from({ length: count }, () => [null, '  ']);
  const hasCountry = (paths: readonly string[]) => paths.includes('Country');

  it.each([
    { case: 'the 30th non-blank row', rows: [...notes(29), ['Country', 'Value']], index: 29 },
    {
      case: 'the 30th non-blank row, below blank rows',
      rows: [...blanks(5), ...notes(29), ...blanks(10), ['Country', 'Value']],
      index: 44,
    },
  ])('finds a header on $case', ({ rows, index }) => {
    expect(findHeader(sheet(...rows), 1, hasCountry)?.index).toBe(index);
  });

  it('gives null when no block among the first 30 non-blank rows is the header', () => {
    expect(findHeader(sheet(...notes(30), ['Country', 'Value']), 1, hasCountry)).toBeNull();
  });

  it('gives null for a sheet of blank rows', () => {
    expect(findHeader(sheet(...blanks(3)), 1, () => true)).toBeNull();
  });
});

describe('titleLines', () => {
  it('gives the text of each non-blank row above the header, cells joined by a space', () => {
    const rows = sheet(
      ['Таблица', 3, null],
      [],
      [null, '  Товарооборот\nпо областям ', null],
      [null, null, 'тыс. долл. США'],
      ['Наименование области', 'экспорт', 'импорт'],
      ['Title-like data row', null, null],
    );

    expect(titleLines(rows, 4)).toEqual(['Таблица 3', 'Товарооборот по областям', 'тыс. долл. США']);
  });

  it('gives no lines for a header on the first row', () => {
    expect(titleLines(sheet(['Country', 'Value'], ['Pakistan', 1]), 0)).toEqual([]);
  });
});
