/**
 * The `port-table` source on issue 18, points 1 and 2: one layout (a commodity column, periods
 * as columns, the unit in a title, a closing total) declared in a pipeline file, loaded through
 * the CLI over port tables written here: machine-made period headers
 * (`Port_cargo_throughput_2014`), year-and-month headers ("2023 1"), sheets before the table,
 * lower-case headers, "'000 tonnes" in a title line, and a table that states no unit, refused
 * until `declare: { unit }` gives it.
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

/** Cargo by commodity, in the table's unit (thousand tonnes unless a test says otherwise); null is "-". */
const CARGO = [
  { label: 'Wheat', figures: [1200.5, 1300.25, 980] },
  { label: 'Coal', figures: [3400, null, 2100.75] },
  { label: 'POL products', figures: [8000, 8500.5, 7999] },
  { label: 'Fertiliser (Urea)', figures: [150.25, 175, 160.5] },
] as const;

const totalOf = (i: number) => Number(CARGO.reduce((sum, c) => sum + (c.figures[i] ?? 0), 0).toFixed(2));

interface PortSheet {
  readonly titles?: readonly string[];
  readonly commodityHeader?: string;
  readonly periodHeaders: readonly string[];
}

/** A port's sheet: titles, a blank row, the header, one row per commodity, the total. */
function portRows(o: PortSheet): Cell[][] {
  const n = o.periodHeaders.length;
  return [
    ...(o.titles ?? ['Karachi Port Trust: cargo handled by commodity', "('000 tonnes)"]).map((t) => [t]),
    [],
    [o.commodityHeader ?? 'Commodity', ...o.periodHeaders],
    ...CARGO.map((c) => [c.label, ...c.figures.slice(0, n).map((f) => f ?? '-')]),
    ['Total', ...Array.from({ length: n }, (_, i) => totalOf(i))],
  ];
}

const LAYOUT = {
  columns: { commodity: { labels: ['Commodity'] } },
  wide: { kind: 'periods', into: 'period', value: 'quantity' },
  aggregates: { column: 'commodity', totals: ['Total'], position: 'after' },
  map: {
    port: { value: 'PKKHI' },
    period: { column: 'period' },
    commodity: { column: 'commodity' },
    quantity: { column: 'quantity' },
  },
} as const;

let runs = 0;
async function load(
  file: string,
  sheets: readonly SheetSpec[],
  extra: { entry?: Record<string, unknown>; layout?: Record<string, unknown> } = {},
) {
  const path = await writeWorkbook(join(tmp(), file), sheets);
  runs++;
  const name = `port-variant-${runs}`;
  return runEntry(tmp(), db(), name, {
    source: 'port-table',
    files: [path],
    portTable: { ...LAYOUT, name, ...extra.layout },
    ...extra.entry,
  });
}

interface Stored {
  port_locode: string;
  commodity_raw: string;
  period: string;
  freq: string;
  year: number;
  month: number | null;
  direction: string;
  unit: string;
  quantity: number;
}

/**
 * Each commodity's figure under each period, in tonnes (× `scale`); the "-" not stored; the
 * commodities add up to the printed total, which is checked and not loaded.
 */
function expectCargo(periods: readonly string[], port = 'PKKHI', scale = 1000) {
  const stored = query<Stored>(
    db(),
    `select port_locode, commodity_raw, period, freq, year, month, direction, unit, quantity
       from port_throughput order by period, commodity_raw`,
  );
  const expected = periods.flatMap((period, i) =>
    CARGO.filter((c) => c.figures[i] !== null)
      .map((c) => ({
        port_locode: port,
        commodity_raw: c.label,
        period,
        freq: period.length === 4 ? 'A' : 'M',
        year: Number(period.slice(0, 4)),
        month: period.length === 4 ? null : Number(period.slice(5)),
        direction: 'total',
        unit: 't',
        quantity: Number((c.figures[i]! * scale).toPrecision(15)),
      }))
      .sort((a, b) => (a.commodity_raw < b.commodity_raw ? -1 : 1)),
  );
  expect(stored).toEqual(expected);
  periods.forEach((period, i) => {
    const sum = stored.filter((r) => r.period === period).reduce((a, r) => a + r.quantity, 0);
    expect(sum).toBeCloseTo(totalOf(i) * scale, 6);
  });
  expect(scalar(db(), 'select count(*) from rejects')).toBe(0);
  expect(scalar(db(), 'select count(*) from load_warnings')).toBe(0);
  expect(scalar(db(), 'select sum(rows_aggregate) from load_files')).toBe(periods.length);
}

const unitFact = () =>
  query<{ sheet: string; value: string; origin: string; place: string }>(
    db(),
    "select sheet, value, origin, place from load_facts where fact = 'unit'",
  );
const errorCode = () =>
  scalar<string | null>(db(), 'select error_code from load_files order by load_id desc');

describe('port-table: periods and units as port tables write them', () => {
  it('machine-made headers Port_cargo_throughput_2014 and _2015 are the years 2014 and 2015, in tonnes from "\'000 tonnes"', async () => {
    const run = await load('kpt_machine.xlsx', [
      {
        name: 'Sheet1',
        rows: portRows({ periodHeaders: ['Port_cargo_throughput_2014', 'Port_cargo_throughput_2015'] }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectCargo(['2014', '2015']);
    expect(unitFact()).toEqual([
      { sheet: 'Sheet1', value: "'000 tonnes (t ×1000)", origin: 'file', place: `"('000 tonnes)"` },
    ]);
  });

  it('year-and-month headers "2023 1", "2023 2", "2023 3" are months 2023-01 … 2023-03, placed in fiscal year 2022-23', async () => {
    const run = await load('kpt_months.xlsx', [
      { name: 'Monthly', rows: portRows({ periodHeaders: ['2023 1', '2023 2', '2023 3'] }) },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectCargo(['2023-01', '2023-02', '2023-03']);
    expect(query(db(), 'select distinct fiscal_year from port_throughput')).toEqual([
      { fiscal_year: '2022-23' },
    ]);
  });

  it('cover, contents, legend and methodology sheets before the table, lower-case headers, the unit inside the title line', async () => {
    const run = await load('pqa.xlsx', [
      ...FRONT_SHEETS,
      {
        name: 'Cargo',
        rows: portRows({
          titles: ["cargo handled at port qasim by commodity ('000 tonnes)"],
          commodityHeader: 'commodity',
          periodHeaders: ['2021', '2022', '2023'],
        }),
      },
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectCargo(['2021', '2022', '2023']);
    const notes = notesOf(query<{ notes: string | null }>(db(), 'select notes from load_files'));
    for (const sheet of FRONT_SHEETS) expect(notes).toContain(`sheet ${sheet.name} passed over`);
    // The methodology's "thousand US dollars" is not this table's unit.
    expect(unitFact().map((f) => [f.sheet, f.value])).toEqual([['Cargo', "'000 tonnes (t ×1000)"]]);
  });
});

describe('port-table: a table that states no unit', () => {
  const silent: SheetSpec[] = [
    {
      name: 'Sheet1',
      rows: portRows({
        titles: ['Karachi Port Trust: cargo handled by commodity'],
        periodHeaders: ['2022', '2023'],
      }),
    },
  ];

  it('is refused in one message naming --unit, storing nothing; declare: { unit: "thousand tonnes" } loads it × 1000, origin declaration', async () => {
    const refused = await load('kpt_silent.xlsx', silent);
    expect(refused.code).toBe(1);
    expect(errorCode()).toBe('unknown_unit');
    expect(refused.stderr).toContain(
      'kpt_silent.xlsx › Sheet1: no unit Corridor knows is named for column "2022"',
    );
    expect(refused.stderr).toContain('--unit');
    expect(refused.stderr).toContain('thousand tonnes');
    expect(scalar(db(), 'select count(*) from port_throughput')).toBe(0);
    expect(scalar(db(), 'select count(*) from rejects')).toBe(0);

    const declared = await load('kpt_silent.xlsx', silent, {
      entry: { declare: { unit: 'thousand tonnes' } },
    });
    expect(declared.code, declared.stderr).toBe(0);
    expectCargo(['2022', '2023']);
    expect(unitFact()).toEqual([
      {
        sheet: 'Sheet1',
        value: 'thousand tonnes (t ×1000)',
        origin: 'declaration',
        place: 'declared (--unit)',
      },
    ]);
  });

  it('declared in tonnes, the figures are stored as written; a declaration against the title is refused, and loads with override', async () => {
    const asTonnes = await load('kpt_t.xlsx', silent, { entry: { declare: { unit: 'tonnes' } } });
    expect(asTonnes.code, asTonnes.stderr).toBe(0);
    expectCargo(['2022', '2023'], 'PKKHI', 1);

    const titled: SheetSpec[] = [{ name: 'Sheet1', rows: portRows({ periodHeaders: ['2022', '2023'] }) }];
    const against = await load('kpt_against.xlsx', titled, { entry: { declare: { unit: 'tonnes' } } });
    expect(against.code).toBe(1);
    expect(errorCode()).toBe('declaration_contradicts_file');
    expect(against.stderr).toContain(
      `--unit declares tonnes (t ×1), but the file says '000 tonnes (t ×1000)`,
    );
    const overridden = await load('kpt_against.xlsx', titled, {
      entry: { declare: { unit: 'tonnes', override: true } },
    });
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(unitFact().at(-1)).toMatchObject({ value: 'tonnes (t ×1)', origin: 'override' });
  });

  it('a flow declared for a port table does not apply: refused before any file (bad_declaration, exit 2), naming the option to drop', async () => {
    const run = await load('kpt_flow.xlsx', silent, { entry: { declare: { flow: 'M', unit: 'tonnes' } } });
    // A usage error, found when the pipeline is read: exit 2, no file read.
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--flow (declare.flow) does not apply to source port-table');
    expect(run.stderr).toContain('Drop it');
    expect(scalar(db(), 'select count(*) from load_files')).toBe(0);
    expect(scalar(db(), 'select count(*) from port_throughput')).toBe(0);
  });
});
