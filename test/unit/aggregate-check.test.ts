import { describe, expect, it } from 'vitest';
import {
  AggregateChecker,
  type AggregateMismatch,
  type OfferedRow,
  type PrintedFigure,
  type RowRole,
} from '../../src/layout/aggregate-check.ts';

/** A table row as written in a test: label, role, nesting depth, then one figure per column (null: none). */
type Line = readonly [label: string, role: RowRole, depth: number, ...figures: (number | null)[]];

const part = (label: string, ...figures: (number | null)[]): Line => [label, 'part', 0, ...figures];
const subtotal = (label: string, depth: number, ...figures: (number | null)[]): Line => [
  label,
  'subtotal',
  depth,
  ...figures,
];
const total = (label: string, ...figures: (number | null)[]): Line => [label, 'total', 0, ...figures];

/** Offered rows numbered from `firstRow`, every figure printed with `decimals` decimals. */
function offered(lines: readonly Line[], decimals = 1, firstRow = 6): OfferedRow[] {
  return lines.map(([label, role, depth, ...figures], i) => ({
    row: firstRow + i,
    label,
    role,
    depth,
    figures: figures.map((value): PrintedFigure | null => (value === null ? null : { value, decimals })),
  }));
}

/** Offers every sheet's rows to one checker, finishing each sheet. */
function check(
  columns: readonly string[],
  sheets: readonly (readonly OfferedRow[])[],
  position: 'before' | 'after' = 'before',
): AggregateChecker {
  const checker = new AggregateChecker(columns, position);
  for (const rows of sheets) {
    for (const row of rows) checker.offer(row);
    checker.finish();
  }
  return checker;
}

const mismatch = (
  fields: Omit<AggregateMismatch, 'tolerance' | 'partRows'> & {
    tolerance?: number;
    partRows?: readonly number[];
  },
): AggregateMismatch => ({ tolerance: expect.any(Number), partRows: expect.any(Array), ...fields });

describe('AggregateChecker, subtotals heading their parts (before)', () => {
  const columns = ['экспорт', 'импорт'];

  // Kazakh bureau's table by country (thousand US dollars): "Всего" first, two groups of
  // countries, each split into indented sub-groups that head their members. Labels come trimmed;
  // their indentation is the depth.
  const kazakh: readonly Line[] = [
    total('Всего', 38_607.5, 30_667.5), // row 6
    subtotal('Страны СНГ', 0, 13_106.0, 13_366.5), // row 7
    subtotal('Страны ЕАЭС', 1, 9_880.0, 12_406.0), // row 8
    part('Россия', 8_812.5, 11_500.0), // row 9
    part('Беларусь', 120.0, 600.5), // row 10
    part('Кыргызстан', 915.5, 300.0), // row 11
    part('Армения', 32.0, 5.5), // row 12
    subtotal('Страны вне ЕАЭС', 1, 3_226.0, 960.5), // row 13
    part('Узбекистан', 2_500.5, 900.0), // row 14
    part('Таджикистан', 650.0, 40.5), // row 15
    part('Азербайджан', 75.5, 20.0), // row 16
    subtotal('Остальные страны мира', 0, 25_501.5, 17_301.0), // row 17
    subtotal('Европа', 1, 12_801.0, 3_500.5), // row 18
    part('Германия', 400.5, 2_300.0), // row 19
    part('Италия', 7_100.0, 800.5), // row 20
    part('Нидерланды', 5_300.5, 400.0), // row 21
    subtotal('Азия', 1, 11_500.5, 12_700.5), // row 22
    part('Китай', 9_800.0, 12_000.5), // row 23
    part('Турция', 1_700.5, 700.0), // row 24
    subtotal('Америка', 1, 1_200.0, 1_100.0), // row 25
    part('США', 1_200.0, 1_100.0), // row 26
  ];

  /** The Kazakh table with one member's export changed by `by`. */
  const withExport = (member: string, by: number): Line[] =>
    kazakh.map((line) => {
      const [label, role, depth, exports, imports] = line;
      return label === member ? [label, role, depth, (exports ?? 0) + by, imports ?? null] : line;
    });

  it('finds no mismatch in a table whose groups all add up, checking every aggregate in every column', () => {
    const checker = check(columns, [offered(kazakh)]);

    expect(checker.mismatches).toEqual([]);
    // Всего, 2 groups and 5 sub-groups, in 2 columns.
    expect(checker.checked).toBe(16);
  });

  it.each([
    {
      member: 'Россия',
      expected: [
        mismatch({ row: 8, label: 'Страны ЕАЭС', column: 'экспорт', stated: 9_880, sum: 9_900, parts: 4 }),
        mismatch({ row: 7, label: 'Страны СНГ', column: 'экспорт', stated: 13_106, sum: 13_126, parts: 7 }),
        mismatch({ row: 6, label: 'Всего', column: 'экспорт', stated: 38_607.5, sum: 38_627.5, parts: 13 }),
      ],
    },
    {
      member: 'Таджикистан',
      expected: [
        mismatch({
          row: 13,
          label: 'Страны вне ЕАЭС',
          column: 'экспорт',
          stated: 3_226,
          sum: 3_246,
          parts: 3,
          partRows: [14, 15, 16],
        }),
        mismatch({
          row: 7,
          label: 'Страны СНГ',
          column: 'экспорт',
          stated: 13_106,
          sum: 13_126,
          parts: 7,
          partRows: [9, 10, 11, 12, 14, 15, 16],
        }),
        mismatch({ row: 6, label: 'Всего', column: 'экспорт', stated: 38_607.5, sum: 38_627.5, parts: 13 }),
      ],
    },
    {
      member: 'США',
      expected: [
        mismatch({ row: 25, label: 'Америка', column: 'экспорт', stated: 1_200, sum: 1_220, parts: 1 }),
        mismatch({
          row: 17,
          label: 'Остальные страны мира',
          column: 'экспорт',
          stated: 25_501.5,
          sum: 25_521.5,
          parts: 6,
        }),
        mismatch({ row: 6, label: 'Всего', column: 'экспорт', stated: 38_607.5, sum: 38_627.5, parts: 13 }),
      ],
    },
  ])(
    'reports the sub-group, group and total that $member, 20.0 too high, no longer adds up to',
    ({ member, expected }) => {
      const checker = check(columns, [offered(withExport(member, 20))]);

      expect(checker.mismatches).toEqual(expected);
      expect(checker.checked).toBe(16);
    },
  );

  describe('rounding of the printed figures', () => {
    // Three parts and their subtotal, each printed with some decimals: each is up to half a unit
    // in its last decimal from the exact figure, so the sum may be off by the sum of those halves.
    it.each([
      { case: 'parts that sum exactly', stated: 6.6, decimals: 1 },
      { case: 'rounded parts (1.14, 2.24, 3.34 → 6.72, printed 6.7)', stated: 6.7, decimals: 1 },
      {
        case: 'a difference of 0.2, the most four figures at 1 decimal can be off',
        stated: 6.8,
        decimals: 1,
      },
      { case: 'a difference of 0.15 against a total printed with 2 decimals', stated: 6.75, decimals: 2 },
    ])('accepts $case', ({ stated, decimals }) => {
      const rows = [
        ...offered([subtotal('Европа', 0, stated)], decimals, 6),
        ...offered([part('Германия', 1.1), part('Италия', 2.2), part('Франция', 3.3)], 1, 7),
      ];
      const checker = check(['экспорт'], [rows]);

      expect(checker.mismatches).toEqual([]);
      expect(checker.checked).toBe(1);
    });

    it.each([
      { case: 'a difference of 0.3 (tolerance 0.2)', stated: 6.9, decimals: 1, tolerance: 0.2 },
      { case: 'a difference of 0.16 (tolerance 0.155)', stated: 6.76, decimals: 2, tolerance: 0.155 },
    ])('reports $case', ({ stated, decimals, tolerance }) => {
      const rows = [
        ...offered([subtotal('Европа', 0, stated)], decimals, 6),
        ...offered([part('Германия', 1.1), part('Италия', 2.2), part('Франция', 3.3)], 1, 7),
      ];
      const checker = check(['экспорт'], [rows]);

      expect(checker.mismatches).toEqual([
        {
          row: 6,
          label: 'Европа',
          column: 'экспорт',
          stated,
          sum: expect.closeTo(6.6, 9),
          parts: 3,
          tolerance: expect.closeTo(tolerance, 6),
          partRows: [7, 8, 9],
        },
      ]);
    });

    it('allows whole-number figures half a unit each', () => {
      const parts = [part('Wheat', 10), part('Rice', 20), part('Barley', 30)];
      const at = (stated: number) => check(['t'], [offered([subtotal('Grain', 0, stated), ...parts], 0)]);

      expect(at(62).mismatches).toEqual([]);
      expect(at(63).mismatches).toMatchObject([{ stated: 63, sum: 60, tolerance: expect.closeTo(2, 6) }]);
    });
  });

  describe('aggregates that cannot be checked', () => {
    it('passes over a subtotal followed at once by another subtotal at its level: it has no parts', () => {
      // The Kyrgyz table lists "Страны СНГ" at the top, its members scattered below.
      const checker = check(
        ['экспорт'],
        [
          offered([
            subtotal('Страны СНГ', 0, 999.9),
            subtotal('Европа', 0, 300.0),
            part('Германия', 100.0),
            part('Италия', 200.0),
          ]),
        ],
      );

      expect(checker.mismatches).toEqual([]);
      expect(checker.checked).toBe(1);
    });

    it('passes over a subtotal on the last row of the sheet', () => {
      const checker = check(
        ['экспорт'],
        [offered([part('Германия', 100.0), part('Италия', 200.0), subtotal('Европа', 0, 999.9)])],
      );

      expect(checker.mismatches).toEqual([]);
      expect(checker.checked).toBe(0);
    });

    it('checks a group followed at once by a sub-group against the sub-group members', () => {
      const checker = check(
        ['экспорт'],
        [
          offered([
            subtotal('Страны СНГ', 0, 350.0),
            subtotal('Страны ЕАЭС', 1, 300.0),
            part('Россия', 100.0),
            part('Беларусь', 200.0),
          ]),
        ],
      );

      expect(checker.mismatches).toMatchObject([
        { row: 6, label: 'Страны СНГ', stated: 350, sum: 300, parts: 2 },
      ]);
      expect(checker.checked).toBe(2);
    });
  });

  describe('cells without a figure', () => {
    it('leaves a part without a figure out of the sum and out of the count of parts', () => {
      const rows = (stated: number) =>
        offered([
          subtotal('Европа', 0, stated),
          part('Германия', 100.0),
          part('Италия', null),
          part('Франция', 200.0),
        ]);

      expect(check(['экспорт'], [rows(300.0)]).mismatches).toEqual([]);
      expect(check(['экспорт'], [rows(400.0)]).mismatches).toMatchObject([
        { sum: 300, parts: 2, partRows: [7, 9] },
      ]);
    });

    it('does not check an aggregate without a figure', () => {
      const checker = check(
        ['экспорт'],
        [offered([total('Всего', null), subtotal('Европа', 0, null), part('Германия', 100.0)])],
      );

      expect(checker.mismatches).toEqual([]);
      expect(checker.checked).toBe(0);
    });

    it('does not check a column in which no part has a figure', () => {
      const checker = check(
        ['экспорт', 'импорт'],
        [
          offered([
            subtotal('Европа', 0, 300.0, 50.0),
            part('Германия', 100.0, null),
            part('Италия', 200.0, null),
          ]),
        ],
      );

      expect(checker.mismatches).toEqual([]);
      expect(checker.checked).toBe(1);
    });
  });

  it('checks each column on its own', () => {
    const checker = check(
      ['экспорт', 'импорт'],
      [
        offered([
          subtotal('Европа', 0, 300.0, 50.0),
          part('Германия', 100.0, 20.0),
          part('Франция', 200.0, 40.0),
        ]),
      ],
    );

    expect(checker.mismatches).toEqual([
      mismatch({ row: 6, label: 'Европа', column: 'импорт', stated: 50, sum: 60, parts: 2 }),
    ]);
    expect(checker.checked).toBe(2);
  });
});

describe('AggregateChecker, subtotals closing their parts (after)', () => {
  // A port's throughput by cargo (tonnes): each subtotal closes the rows above it.
  const port = (changes: Readonly<Record<string, number>> = {}): OfferedRow[] =>
    offered(
      [
        part('Wheat', 1_200), // row 6
        part('Rice', 300), // row 7
        subtotal('Total grain', 1, 1_500), // row 8
        part('Coal', 4_000), // row 9
        subtotal('Total dry bulk', 0, 5_500), // row 10
        part('POL', 7_000), // row 11
        subtotal('Total liquid bulk', 0, 7_000), // row 12
        total('Grand total', 12_500), // row 13
      ].map(
        ([label, role, depth, figure]) => [label, role, depth, changes[label] ?? figure ?? null] as const,
      ),
      0,
    );

  it('finds no mismatch when every subtotal adds up to the rows it closes', () => {
    const checker = check(['Tonnes'], [port()], 'after');

    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(4);
  });

  it.each([
    {
      change: { Rice: 400 },
      expected: [
        mismatch({
          row: 8,
          label: 'Total grain',
          column: 'Tonnes',
          stated: 1_500,
          sum: 1_600,
          parts: 2,
          partRows: [6, 7],
        }),
        mismatch({
          row: 10,
          label: 'Total dry bulk',
          column: 'Tonnes',
          stated: 5_500,
          sum: 5_600,
          parts: 3,
          partRows: [6, 7, 9],
        }),
        mismatch({
          row: 13,
          label: 'Grand total',
          column: 'Tonnes',
          stated: 12_500,
          sum: 12_600,
          parts: 4,
          partRows: [6, 7, 9, 11],
        }),
      ],
    },
    {
      change: { Coal: 4_100 },
      expected: [
        mismatch({ row: 10, label: 'Total dry bulk', column: 'Tonnes', stated: 5_500, sum: 5_600, parts: 3 }),
        mismatch({ row: 13, label: 'Grand total', column: 'Tonnes', stated: 12_500, sum: 12_600, parts: 4 }),
      ],
    },
    {
      change: { POL: 7_100 },
      expected: [
        mismatch({
          row: 12,
          label: 'Total liquid bulk',
          column: 'Tonnes',
          stated: 7_000,
          sum: 7_100,
          parts: 1,
          partRows: [11],
        }),
        mismatch({ row: 13, label: 'Grand total', column: 'Tonnes', stated: 12_500, sum: 12_600, parts: 4 }),
      ],
    },
    {
      change: { 'Total dry bulk': 5_400 },
      expected: [
        mismatch({ row: 10, label: 'Total dry bulk', column: 'Tonnes', stated: 5_400, sum: 5_500, parts: 3 }),
      ],
    },
  ])('reports the subtotals and total that no longer add up after $change', ({ change, expected }) => {
    const checker = check(['Tonnes'], [port(change)], 'after');

    expect(checker.mismatches).toEqual(expected);
    expect(checker.checked).toBe(4);
  });

  it('closes a nested subtotal over the rows since the previous subtotal at its level', () => {
    const rows = offered(
      [
        part('Wheat', 100),
        subtotal('Total grain', 1, 100),
        part('Iron ore', 30),
        part('Coal', 20),
        subtotal('Total minerals', 1, 50),
        subtotal('Total dry bulk', 0, 150),
      ],
      0,
    );
    const checker = check(['Tonnes'], [rows], 'after');

    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(3);
  });

  it('does not check a closing subtotal with no part since the previous one', () => {
    const rows = offered(
      [part('Wheat', 100), subtotal('Total grain', 0, 100), subtotal('Total minerals', 0, 999)],
      0,
    );
    const checker = check(['Tonnes'], [rows], 'after');

    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(1);
  });
});

describe('AggregateChecker.finish', () => {
  it('checks a second sheet’s total against that sheet’s parts only', () => {
    const checker = check(
      ['экспорт'],
      [
        offered([total('Всего', 30.0), part('Германия', 10.0), part('Италия', 20.0)]),
        offered([total('Всего', 5.0), part('Франция', 5.0)]),
      ],
    );

    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(2);
  });

  it('closes a group left open at the end of a sheet before the next sheet’s rows come', () => {
    const checker = check(
      ['экспорт'],
      [
        offered([subtotal('Европа', 0, 30.0), part('Германия', 10.0), part('Италия', 20.0)]),
        offered([part('Китай', 99.0)]),
      ],
    );

    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(1);
  });

  it('starts a closing subtotal’s parts afresh on the next sheet', () => {
    const checker = check(
      ['Tonnes'],
      [
        offered([part('Wheat', 100), subtotal('Total grain', 0, 100), part('Rice', 40)], 0),
        offered([part('Coal', 50), subtotal('Total dry bulk', 0, 50)], 0),
      ],
      'after',
    );

    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(2);
  });

  it('keeps the mismatches and the count of earlier sheets', () => {
    const checker = check(
      ['экспорт'],
      [
        offered([total('Всего', 31.0), part('Германия', 10.0), part('Италия', 20.0)]),
        offered([total('Всего', 5.0), part('Франция', 5.0)]),
      ],
    );

    expect(checker.mismatches).toEqual([
      mismatch({ row: 6, label: 'Всего', column: 'экспорт', stated: 31, sum: 30, parts: 2 }),
    ]);
    expect(checker.checked).toBe(2);
  });
});

describe('AggregateChecker, tables that list only some members, and blank rows', () => {
  const columns = ['2023'];

  it('passes a total above the sum of its rows in a selection table, and still reports one below it', () => {
    const checker = new AggregateChecker(columns, 'before', true);
    for (const row of offered([
      total('Total', 100),
      subtotal('Europe', 0, 50),
      part('Austria', 10),
      part('Belarus', 20), // Europe 50 > 30: other European countries are not listed
      subtotal('Asia', 0, 20),
      part('Kazakhstan', 25), // Asia 20 < 25: a row counted twice or in the wrong group
    ]))
      checker.offer(row);
    checker.finish();
    expect(checker.mismatches).toEqual([
      mismatch({ row: 10, label: 'Asia', column: '2023', stated: 20, sum: 25, parts: 1 }),
    ]);
    expect(checker.checked).toBe(3);
  });

  it('ends the groups headed above a blank row, so a row after it belongs to none of them', () => {
    const checker = new AggregateChecker(columns, 'before');
    const [oceania, australia, undefinedCountry] = offered([
      subtotal('Australia and Oceania', 0, 5),
      part('Australia', 5),
      part('Undefined country', 300),
    ]);
    checker.offer(oceania!);
    checker.offer(australia!);
    checker.breakGroups();
    checker.offer(undefinedCountry!);
    checker.finish();
    expect(checker.mismatches).toEqual([]);
    expect(checker.checked).toBe(1);
  });
});
