/**
 * BACI rows kept in `baci_flows` behind the `trade_flows` view (migration 0002), end to end:
 * BACI files and their companion lists written into a temp folder as a release ships them,
 * loaded through the CLI into a real SQLite warehouse, and read back directly from the file.
 * The promise to analysts: `trade_flows` looks and behaves as the table it replaced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../src/db/warehouse.ts';
import { openTable } from '../src/read/open-table.ts';
import { migrations } from '../warehouse/migrations/index.ts';
import { realSubheadings } from './helpers/hs-codes.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

/** One BACI line: t, i, j, k, v (thousand USD), q (tonnes, or NA). */
type BaciLine = readonly [number, number, number, string, number | string, number | string];

const RELEASE = '202401b';

const COUNTRY_CODES = [
  'country_code,country_name,country_iso2,country_iso3',
  '4,Afghanistan,AF,AFG',
  '156,China,CN,CHN',
  '398,Kazakhstan,KZ,KAZ',
  '586,Pakistan,PK,PAK',
  '699,India,IN,IND',
  '860,Uzbekistan,UZ,UZB',
];

/** HS 2017 subheadings; 010121 (pure-bred horses) did not exist in HS 1992. */
const HS17_PRODUCTS = ['010121', '080510', '100630', '520100'];
/** HS 1992 subheadings; 010111 (pure-bred horses) was split in 2012. */
const HS92_PRODUCTS = ['010111', '080510', '520100'];

function writeText(path: string, lines: readonly string[]): string {
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The companion lists of a release, written beside the data files in `dir`. */
function writeCompanions(
  dir: string,
  release: string,
  countryLines: readonly string[] = COUNTRY_CODES,
  products: { readonly HS17?: readonly string[]; readonly HS92?: readonly string[] } = {
    HS17: HS17_PRODUCTS,
    HS92: HS92_PRODUCTS,
  },
): void {
  mkdirSync(dir, { recursive: true });
  writeText(join(dir, `country_codes_V${release}.csv`), countryLines);
  for (const [tag, codes] of Object.entries(products)) {
    writeText(join(dir, `product_codes_${tag}_V${release}.csv`), [
      'code,description',
      ...codes.map((c) => `${c},"Product ${c}, for the test"`),
    ]);
  }
}

/** A BACI data file; its name says the HS revision, year and release, as BACI names them. */
function writeBaci(name: string, lines: readonly BaciLine[], dir: string = tmp()): string {
  return writeText(join(dir, name), ['t,i,j,k,v,q', ...lines.map((l) => l.join(','))]);
}

/** The row numbers of each batch the loader reads from `path`. */
async function batchesOf(path: string): Promise<number[][]> {
  const table = await openTable(path, {});
  const batches: number[][] = [];
  for await (const batch of table.batches) batches.push(batch.map((r) => r.row));
  return batches;
}

const loadBaci = (files: readonly string[], ...extra: string[]) =>
  cli(['load', ...files, '--source', 'baci', '--db', dbPath(), ...extra]);

const TRADE_FLOW_COLUMNS = [
  'source',
  'reporter_iso3',
  'reporter_code',
  'partner_iso3',
  'partner_code',
  'partner2_iso3',
  'flow',
  'freq',
  'period',
  'year',
  'month',
  'hs_edition',
  'hs_code',
  'hs_level',
  'value_usd',
  'cif_value_usd',
  'fob_value_usd',
  'net_weight_kg',
  'net_weight_estimated',
  'gross_weight_kg',
  'qty',
  'qty_unit_code',
  'qty_unit',
  'mode_of_transport',
  'customs_procedure',
  'source_row',
  'load_id',
] as const;

const ORDER = 'source, reporter_iso3, period, flow, partner_iso3, hs_edition, hs_code';

/** Every trade_flows row with every column, in key order. */
const dump = () => query(dbPath(), `select * from trade_flows order by ${ORDER}`);
/** SQLite's storage class of every cell of trade_flows, in the same order. */
const typesDump = () =>
  query<Record<string, string>>(
    dbPath(),
    `select ${TRADE_FLOW_COLUMNS.map((c) => `typeof(${c}) as type_of_${c}`).join(', ')} from trade_flows order by ${ORDER}`,
  );
const baciFlows = () =>
  query(
    dbPath(),
    'select reporter_code, period, partner_code, hs_edition, hs_code, value_usd, net_weight_kg, source_row, load_id from baci_flows order by reporter_code, period, partner_code, hs_edition, hs_code',
  );
const baciCodes = () => query(dbPath(), 'select code, iso3 from baci_country_codes order by code');

interface LoadFileRow {
  load_id: number;
  file_name: string;
  status: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rejects_stored: number;
  rows_replaced: number;
  rows_changed: number;
  rows_retired: number;
  slices: string | null;
  superseded_by: number | null;
  slices_current: number;
  error_code: string | null;
  error_message: string | null;
}

const loadFiles = () => query<LoadFileRow>(dbPath(), 'select * from load_files order by load_id');

/** The warehouse's BACI row counts per HS edition, e.g. `{ H0: 3, H5: 4 }`. */
const countsByEdition = () =>
  Object.fromEntries(
    query<{ hs_edition: string; n: number }>(
      dbPath(),
      "select hs_edition, count(*) as n from trade_flows where source = 'baci' group by hs_edition order by hs_edition",
    ).map((r) => [r.hs_edition, r.n]),
  );

describe('trade_flows as a view over trade_flow_rows and baci_flows', () => {
  it('shows the same 27 columns, in the same order and with the same declared types, as the table behind it', async () => {
    writeCompanions(tmp(), RELEASE);
    const run = await loadBaci([
      writeBaci(`BACI_HS17_Y2021_V${RELEASE}.csv`, [[2021, 586, 398, '520100', 1, 1]]),
    ]);
    expect(run.code).toBe(0);

    const columns = (table: string) =>
      query<{ cid: number; name: string; type: string }>(
        dbPath(),
        `select cid, name, type from pragma_table_info('${table}') order by cid`,
      );

    expect(scalar(dbPath(), "select type from sqlite_master where name = 'trade_flows'")).toBe('view');
    expect(columns('trade_flows')).toHaveLength(27);
    expect(columns('trade_flows').map((c) => c.name)).toEqual([...TRADE_FLOW_COLUMNS]);
    // The table adds the merge's bookkeeping (seen_load, seen_row) after the view's columns.
    expect(columns('trade_flows')).toEqual(columns('trade_flow_rows').slice(0, 27));
    // The declared types an analyst's tool reads, spelled out.
    expect(
      columns('trade_flows')
        .filter((c) => c.type !== 'TEXT')
        .map((c) => `${c.name} ${c.type}`),
    ).toEqual([
      'year INTEGER',
      'month INTEGER',
      'hs_level INTEGER',
      'value_usd REAL',
      'cif_value_usd REAL',
      'fob_value_usd REAL',
      'net_weight_kg REAL',
      'net_weight_estimated INTEGER',
      'gross_weight_kg REAL',
      'qty REAL',
      'source_row INTEGER',
      'load_id INTEGER',
    ]);
  });
});

describe('a BACI load', () => {
  it('shows BACI rows in trade_flows as before: codes and periods as text, HS codes zero-padded, dollars and kilograms', async () => {
    writeCompanions(tmp(), RELEASE);
    const file = writeBaci(`BACI_HS17_Y2021_V${RELEASE}.csv`, [
      [2021, 586, 398, '520100', 1500.25, 812.5],
      [2021, 586, 4, '010121', 0.5, 'NA'],
      [2021, 398, 586, '80510', 12, 3], // a spreadsheet dropped the leading zero
    ]);

    const run = await loadBaci([file]);

    expect(run.code).toBe(0);
    const [load] = loadFiles();
    expect(load).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 3, rows_rejected: 0 });
    const common = {
      source: 'baci',
      partner2_iso3: 'W00',
      flow: 'X',
      freq: 'A',
      period: '2021',
      year: 2021,
      month: null,
      hs_edition: 'H5',
      hs_level: 6,
      cif_value_usd: null,
      net_weight_estimated: null,
      gross_weight_kg: null,
      qty: null,
      qty_unit_code: null,
      qty_unit: null,
      mode_of_transport: '0',
      customs_procedure: 'C00',
      load_id: load!.load_id,
    };
    expect(query(dbPath(), `select * from trade_flows where source = 'baci' order by source_row`)).toEqual([
      {
        ...common,
        reporter_iso3: 'PAK',
        reporter_code: '586',
        partner_iso3: 'KAZ',
        partner_code: '398',
        hs_code: '520100',
        value_usd: 1500250,
        fob_value_usd: 1500250,
        net_weight_kg: 812500,
        source_row: 2,
      },
      {
        ...common,
        reporter_iso3: 'PAK',
        reporter_code: '586',
        partner_iso3: 'AFG',
        partner_code: '4',
        hs_code: '010121',
        value_usd: 500,
        fob_value_usd: 500,
        net_weight_kg: null,
        source_row: 3,
      },
      {
        ...common,
        reporter_iso3: 'KAZ',
        reporter_code: '398',
        partner_iso3: 'PAK',
        partner_code: '586',
        hs_code: '080510',
        value_usd: 12000,
        fob_value_usd: 12000,
        net_weight_kg: 3000,
        source_row: 4,
      },
    ]);
    // SQLite's own types, as a query tool or a join on text codes sees them.
    expect(
      query(
        dbPath(),
        `select distinct typeof(hs_code) as hs_code, typeof(reporter_code) as reporter_code,
           typeof(partner_code) as partner_code, typeof(period) as period, typeof(year) as year,
           typeof(value_usd) as value_usd, typeof(source_row) as source_row
         from trade_flows where source = 'baci'`,
      ),
    ).toEqual([
      {
        hs_code: 'text',
        reporter_code: 'text',
        partner_code: 'text',
        period: 'text',
        year: 'integer',
        value_usd: 'real',
        source_row: 'integer',
      },
    ]);
    expect(
      scalar(dbPath(), "select count(*) from trade_flows where hs_code = '010121' and period = '2021'"),
    ).toBe(1);
    expect(scalar(dbPath(), "select count(*) from trade_flows where reporter_code = '586'")).toBe(2);

    // Physically: numbers in baci_flows, nothing in trade_flow_rows.
    expect(baciFlows()).toEqual([
      {
        reporter_code: 398,
        period: 2021,
        partner_code: 586,
        hs_edition: 'H5',
        hs_code: 80510,
        value_usd: 12000,
        net_weight_kg: 3000,
        source_row: 4,
        load_id: load!.load_id,
      },
      {
        reporter_code: 586,
        period: 2021,
        partner_code: 4,
        hs_edition: 'H5',
        hs_code: 10121,
        value_usd: 500,
        net_weight_kg: null,
        source_row: 3,
        load_id: load!.load_id,
      },
      {
        reporter_code: 586,
        period: 2021,
        partner_code: 398,
        hs_edition: 'H5',
        hs_code: 520100,
        value_usd: 1500250,
        net_weight_kg: 812500,
        source_row: 2,
        load_id: load!.load_id,
      },
    ]);
    expect(
      query(
        dbPath(),
        'select distinct typeof(reporter_code) as r, typeof(period) as t, typeof(partner_code) as p, typeof(hs_code) as k from baci_flows',
      ),
    ).toEqual([{ r: 'integer', t: 'integer', p: 'integer', k: 'integer' }]);
    expect(baciCodes()).toEqual([
      { code: 4, iso3: 'AFG' },
      { code: 398, iso3: 'KAZ' },
      { code: 586, iso3: 'PAK' },
    ]);
    expect(scalar(dbPath(), 'select count(*) from trade_flow_rows')).toBe(0);
  });
});

describe('BACI slices: reporter, year and HS edition', () => {
  const HS92_2020: BaciLine[] = [
    [2020, 586, 398, '010111', 4, 1],
    [2020, 586, 398, '520100', 10, 2],
    [2020, 398, 586, '080510', 7, 'NA'],
  ];
  const HS17_2020: BaciLine[] = [
    [2020, 586, 398, '010121', 5, 1],
    [2020, 586, 398, '520100', 11, 2],
    [2020, 398, 586, '080510', 8, 'NA'],
    [2020, 398, 586, '100630', 9, 3],
  ];
  /** HS17 2020 revised: values changed, one flow withdrawn. */
  const HS17_2020_REVISED: BaciLine[] = [
    [2020, 586, 398, '010121', 6, 1],
    [2020, 586, 398, '520100', 12, 2],
    [2020, 398, 586, '100630', 9.5, 3],
  ];

  it('keeps one year in two HS editions, and a revised HS17 file replaces only the HS17 rows', async () => {
    writeCompanions(tmp(), RELEASE);
    const hs92 = writeBaci(`BACI_HS92_Y2020_V${RELEASE}.csv`, HS92_2020);
    const hs17Name = `BACI_HS17_Y2020_V${RELEASE}.csv`;
    const hs17 = writeBaci(hs17Name, HS17_2020);

    expect((await loadBaci([hs92])).code).toBe(0);
    expect((await loadBaci([hs17])).code).toBe(0);

    expect(countsByEdition()).toEqual({ H0: 3, H5: 4 });
    // The same flow (PAK → KAZ, 520100, 2020) stays in both editions.
    expect(
      query(
        dbPath(),
        "select hs_edition, value_usd from trade_flows where reporter_iso3 = 'PAK' and hs_code = '520100' order by hs_edition",
      ),
    ).toEqual([
      { hs_edition: 'H0', value_usd: 10000 },
      { hs_edition: 'H5', value_usd: 11000 },
    ]);
    const [first92, first17] = loadFiles();
    expect(first17).toMatchObject({
      status: 'loaded',
      rows_loaded: 4,
      rows_replaced: 0,
      superseded_by: null,
    });
    expect(first92!.superseded_by).toBeNull();
    expect(JSON.parse(first17!.slices!)).toEqual(
      expect.arrayContaining([
        { reporter: 'PAK', period: '2020', hs_edition: 'H5' },
        { reporter: 'KAZ', period: '2020', hs_edition: 'H5' },
      ]),
    );
    const hs92Rows = () =>
      query(dbPath(), `select * from trade_flows where hs_edition = 'H0' order by ${ORDER}`);
    const hs92Before = hs92Rows();

    // The revision: other bytes under the same name.
    writeBaci(hs17Name, HS17_2020_REVISED);
    const revised = await loadBaci([hs17]);

    expect(revised.code).toBe(0);
    expect(countsByEdition()).toEqual({ H0: 3, H5: 3 });
    expect(hs92Rows()).toEqual(hs92Before);
    const [v92, v17, v17revised] = loadFiles();
    expect(v17revised).toMatchObject({
      file_name: hs17Name,
      status: 'loaded',
      rows_loaded: 3,
      rows_changed: 3,
      rows_retired: 1,
      rows_replaced: 4,
      superseded_by: null,
    });
    expect(v17!.superseded_by).toBe(v17revised!.load_id);
    // The withdrawn flow and the old values stay in the history, closed by the revision.
    expect(
      query(
        dbPath(),
        "select hs_code, value_usd, closed_by from trade_flows_history where hs_edition = 'H5' and valid_to_load is not null order by hs_code",
      ),
    ).toEqual([
      { hs_code: '010121', value_usd: 5000, closed_by: 'changed' },
      { hs_code: '080510', value_usd: 8000, closed_by: 'retired' },
      { hs_code: '100630', value_usd: 9000, closed_by: 'changed' },
      { hs_code: '520100', value_usd: 11000, closed_by: 'changed' },
    ]);
    expect(v92!.superseded_by).toBeNull();
    expect(
      query(
        dbPath(),
        "select reporter_iso3, hs_code, value_usd, net_weight_kg, load_id from trade_flows where hs_edition = 'H5' order by reporter_iso3, hs_code",
      ),
    ).toEqual([
      {
        reporter_iso3: 'KAZ',
        hs_code: '100630',
        value_usd: 9500,
        net_weight_kg: 3000,
        load_id: v17revised!.load_id,
      },
      {
        reporter_iso3: 'PAK',
        hs_code: '010121',
        value_usd: 6000,
        net_weight_kg: 1000,
        load_id: v17revised!.load_id,
      },
      {
        reporter_iso3: 'PAK',
        hs_code: '520100',
        value_usd: 12000,
        net_weight_kg: 2000,
        load_id: v17revised!.load_id,
      },
    ]);
  });
});

describe('a later release whose country list gives a known code to another country', () => {
  it('refuses a country list that gives a code already in the warehouse another ISO code, naming the code, and changes nothing', async () => {
    writeCompanions(tmp(), RELEASE);
    const first = writeBaci(`BACI_HS17_Y2022_V${RELEASE}.csv`, [
      [2022, 398, 586, '520100', 1, 1],
      [2022, 398, 4, '080510', 2, 2],
      [2022, 586, 398, '100630', 3, 3],
    ]);
    expect((await loadBaci([first])).code).toBe(0);

    // A later release, in its own folder, whose list says 586 is India. Its first thousands of
    // rows are Kazakhstan's 2022 exports (a slice the warehouse holds) to Uzbekistan (a code
    // the warehouse does not know yet), padded so that the row using 586 comes in a later
    // batch: by then the file has replaced a slice and recorded a new code.
    const later = join(tmp(), 'V202501');
    // Real HS 2017 subheadings: a BACI HS17 product must exist in HS 2017 (H5).
    const products = realSubheadings('H5', 1500);
    writeCompanions(
      later,
      '202501',
      COUNTRY_CODES.map((l) => (l.startsWith('586,') ? '586,India,IN,IND' : l)).filter(
        (l) => !l.startsWith('699,'),
      ),
      { HS17: products },
    );
    const padded = ' '.repeat(400);
    const lines: BaciLine[] = [
      ...products.map((k): BaciLine => [2022, 398, 860, k, `${padded}1`, 1]),
      ...products.map((k): BaciLine => [2022, 398, 4, k, `${padded}2`, 2]),
      [2022, 398, 586, products[0]!, 3, 3],
    ];
    const renumbered = writeBaci('BACI_HS17_Y2022_V202501.csv', lines, later);
    // The premise: the row using 586 is read in a later batch than the first rows.
    const batches = await batchesOf(renumbered);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.at(-1)).toContain(lines.length + 1);
    const before = {
      flows: dump(),
      baci: baciFlows(),
      codes: baciCodes(),
      rejects: query(dbPath(), 'select * from rejects'),
    };
    expect(before.baci).toHaveLength(3);

    const run = await loadBaci([renumbered]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/\b586\b/);
    expect(run.stderr).toMatch(/IND/);
    expect(run.stderr).toMatch(/PAK/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const failed = loadFiles().at(-1)!;
    expect(failed).toMatchObject({
      file_name: 'BACI_HS17_Y2022_V202501.csv',
      status: 'failed',
      rows_loaded: 0,
      error_code: 'inconsistent_country',
    });
    expect(failed.error_message).toMatch(/BACI code 586 is IND/);
    expect(failed.error_message).toMatch(/already holds BACI rows where it is PAK/);
    expect(scalar(dbPath(), 'select count(*) from baci_flows')).toBe(3);
    expect(scalar(dbPath(), 'select count(*) from baci_country_codes')).toBe(before.codes.length);
    expect(baciFlows()).toEqual(before.baci);
    expect(baciCodes()).toEqual(before.codes);
    expect(dump()).toEqual(before.flows);
    expect(query(dbPath(), 'select * from rejects')).toEqual(before.rejects);
    expect(loadFiles()[0]).toMatchObject({ status: 'loaded', superseded_by: null, slices_current: 2 });
  });
});

describe('duplicate BACI flows in one file', () => {
  it('loads the first of two rows with the same year, exporter, importer and product and rejects the other as duplicate_key', async () => {
    writeCompanions(tmp(), RELEASE);
    const file = writeBaci(`BACI_HS17_Y2021_V${RELEASE}.csv`, [
      [2021, 586, 398, '520100', 10, 1],
      [2021, 586, 398, '080510', 20, 2],
      [2021, 586, 398, '520100', 99, 9],
      [2021, 586, 398, '80510', 5, 'NA'], // the same product as row 3, its leading zero lost
    ]);

    const run = await loadBaci([file], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    const [load] = loadFiles();
    expect(load).toMatchObject({
      status: 'loaded',
      rows_read: 4,
      rows_loaded: 2,
      rows_rejected: 2,
      rejects_stored: 2,
    });
    expect(load!.rows_read).toBe(load!.rows_loaded + load!.rows_rejected);
    const rejects = query<{
      row_number: number;
      code: string;
      message: string;
      raw: string;
      column_name: null;
    }>(dbPath(), 'select row_number, code, message, raw, column_name from rejects order by row_number');
    expect(rejects.map((r) => [r.row_number, r.code, r.column_name])).toEqual([
      [4, 'duplicate_key', null],
      [5, 'duplicate_key', null],
    ]);
    expect(rejects[0]!.message).toMatch(/\brow 2\b/);
    expect(rejects[1]!.message).toMatch(/\brow 3\b/);
    expect(JSON.parse(rejects[0]!.raw)).toEqual({
      t: '2021',
      i: '586',
      j: '398',
      k: '520100',
      v: '99',
      q: '9',
    });
    expect(JSON.parse(rejects[1]!.raw)).toEqual({
      t: '2021',
      i: '586',
      j: '398',
      k: '80510',
      v: '5',
      q: 'NA',
    });
    // The first of each pair is kept.
    expect(
      query(
        dbPath(),
        "select hs_code, source_row, value_usd from trade_flows where source = 'baci' order by hs_code",
      ),
    ).toEqual([
      { hs_code: '080510', source_row: 3, value_usd: 20000 },
      { hs_code: '520100', source_row: 2, value_usd: 10000 },
    ]);
  });
});

describe('migrating a warehouse that already holds BACI rows', () => {
  /** Rows as the 0001 loader wrote them into the trade_flows table. */
  const BACI_DEFAULTS = {
    source: 'baci',
    partner2_iso3: 'W00',
    flow: 'X',
    freq: 'A',
    period: '2021',
    year: 2021,
    month: null,
    hs_edition: 'H5',
    hs_level: 6,
    cif_value_usd: null,
    net_weight_estimated: null,
    gross_weight_kg: null,
    qty: null,
    qty_unit_code: null,
    qty_unit: null,
    mode_of_transport: '0',
    customs_procedure: 'C00',
    load_id: 1,
  };
  const ROWS: Record<(typeof TRADE_FLOW_COLUMNS)[number], string | number | null>[] = [
    {
      ...BACI_DEFAULTS,
      reporter_iso3: 'CHN',
      reporter_code: '156',
      partner_iso3: 'AFG',
      partner_code: '4',
      hs_code: '080510',
      value_usd: 3788020,
      fob_value_usd: 3788020,
      net_weight_kg: 7408029,
      source_row: 2,
    },
    {
      ...BACI_DEFAULTS,
      reporter_iso3: 'CHN',
      reporter_code: '156',
      partner_iso3: 'KAZ',
      partner_code: '398',
      hs_code: '010121',
      value_usd: 1.5,
      fob_value_usd: 1.5,
      net_weight_kg: null,
      source_row: 3,
    },
    {
      ...BACI_DEFAULTS,
      reporter_iso3: 'KAZ',
      reporter_code: '398',
      partner_iso3: 'CHN',
      partner_code: '156',
      hs_code: '720915',
      value_usd: 16702862,
      fob_value_usd: 16702862,
      net_weight_kg: 17650020,
      source_row: 4,
    },
    {
      source: 'comtrade',
      reporter_iso3: 'PAK',
      reporter_code: '586',
      partner_iso3: 'KAZ',
      partner_code: '398',
      partner2_iso3: 'W00',
      flow: 'M',
      freq: 'M',
      period: '2021-03',
      year: 2021,
      month: 3,
      hs_edition: 'H5',
      hs_code: '0306',
      hs_level: 4,
      value_usd: 12345.5,
      cif_value_usd: 12345.5,
      fob_value_usd: null,
      net_weight_kg: 1500,
      net_weight_estimated: 1,
      gross_weight_kg: 1600,
      qty: 1500,
      qty_unit_code: '8',
      qty_unit: 'kg',
      mode_of_transport: '2100',
      customs_procedure: 'C01',
      source_row: 7,
      load_id: 2,
    },
  ];

  it('moves BACI rows into baci_flows and shows every row through trade_flows exactly as before', async () => {
    const warehouse = await openWarehouse(dbPath());
    try {
      const migrator = new Migrator({
        db: warehouse.db,
        provider: { getMigrations: async () => ({ ...migrations }) },
      });
      const to0001 = await migrator.migrateTo('0001-core');
      expect(to0001.error).toBeUndefined();
      expect(to0001.results?.map((r) => r.migrationName)).toEqual(['0001-core']);
      // The countries the rows use, as a 0001 warehouse held them (the reference loader
      // itself targets the latest schema).
      const country = warehouse.sqlite.prepare(
        "insert into countries (iso3, name, kind) values (?, ?, 'country')",
      );
      for (const [iso3, name] of [
        ['AFG', 'Afghanistan'],
        ['CHN', 'China'],
        ['KAZ', 'Kazakhstan'],
        ['PAK', 'Pakistan'],
      ])
        country.run(iso3, name);
      const insert = warehouse.sqlite.prepare(
        `insert into trade_flows (${TRADE_FLOW_COLUMNS.join(', ')}) values (${TRADE_FLOW_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      );
      for (const row of ROWS) insert.run(row);
      const before = dump();
      const typesBefore = typesDump();
      expect(scalar(dbPath(), "select type from sqlite_master where name = 'trade_flows'")).toBe('table');
      expect(before).toHaveLength(ROWS.length);
      expect(before).toEqual(expect.arrayContaining(ROWS));

      const to0002 = await migrator.migrateTo('0002-baci-flows');

      expect(to0002.error).toBeUndefined();
      expect(to0002.results?.map((r) => [r.migrationName, r.status])).toEqual([
        ['0002-baci-flows', 'Success'],
      ]);
      expect(scalar(dbPath(), "select type from sqlite_master where name = 'trade_flows'")).toBe('view');
      expect(dump()).toEqual(before);
      expect(typesDump()).toEqual(typesBefore);
      expect(typesBefore.map((t) => [t.type_of_reporter_code, t.type_of_hs_code, t.type_of_year])).toEqual(
        ROWS.map(() => ['text', 'text', 'integer']),
      );

      // The BACI rows now sit in baci_flows as numbers; the Comtrade row stays in trade_flow_rows.
      expect(baciFlows()).toEqual([
        {
          reporter_code: 156,
          period: 2021,
          partner_code: 4,
          hs_edition: 'H5',
          hs_code: 80510,
          value_usd: 3788020,
          net_weight_kg: 7408029,
          source_row: 2,
          load_id: 1,
        },
        {
          reporter_code: 156,
          period: 2021,
          partner_code: 398,
          hs_edition: 'H5',
          hs_code: 10121,
          value_usd: 1.5,
          net_weight_kg: null,
          source_row: 3,
          load_id: 1,
        },
        {
          reporter_code: 398,
          period: 2021,
          partner_code: 156,
          hs_edition: 'H5',
          hs_code: 720915,
          value_usd: 16702862,
          net_weight_kg: 17650020,
          source_row: 4,
          load_id: 1,
        },
      ]);
      expect(baciCodes()).toEqual([
        { code: 4, iso3: 'AFG' },
        { code: 156, iso3: 'CHN' },
        { code: 398, iso3: 'KAZ' },
      ]);
      expect(query(dbPath(), 'select * from trade_flow_rows')).toEqual([ROWS[3]]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('a new release of the country reference in a warehouse that holds BACI rows', () => {
  const markReferenceChanged = () => {
    const db = new Database(dbPath());
    db.prepare("update reference_files set sha256 = 'an earlier release'").run();
    db.close();
  };

  it('reloads the reference and keeps the BACI rows and the codes they point at', async () => {
    writeCompanions(tmp(), RELEASE);
    const file = writeBaci(`BACI_HS17_Y2020_V${RELEASE}.csv`, [
      [2020, 586, 398, '080510', 12.5, 3],
      [2020, 398, 586, '520100', 40, 'NA'],
    ]);
    expect((await loadBaci([file])).code).toBe(0);
    const before = dump();
    markReferenceChanged();

    const init = await cli(['init', '--db', dbPath()]);

    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(scalar(dbPath(), "select count(*) from reference_files where sha256 = 'an earlier release'")).toBe(
      0,
    );
    expect(dump()).toEqual(before);
    expect(baciCodes()).toEqual([
      { code: 398, iso3: 'KAZ' },
      { code: 586, iso3: 'PAK' },
    ]);
  });

  it('refuses a reference that drops a country loaded BACI rows use, naming it, and changes nothing', async () => {
    writeCompanions(tmp(), RELEASE);
    const file = writeBaci(`BACI_HS17_Y2020_V${RELEASE}.csv`, [[2020, 586, 398, '080510', 12.5, 3]]);
    expect((await loadBaci([file])).code).toBe(0);
    // A country the shipped reference does not list, as if a new release had dropped it.
    const db = new Database(dbPath());
    db.prepare("insert into countries (iso3, name, kind) values ('ZZZ', 'Gone', 'country')").run();
    db.prepare("insert into baci_country_codes (code, iso3) values (999, 'ZZZ')").run();
    db.close();
    markReferenceChanged();
    const countriesBefore = query(dbPath(), 'select * from countries order by iso3');
    const referenceFilesBefore = query(dbPath(), 'select * from reference_files order by file');

    const init = await cli(['init', '--db', dbPath()]);

    expect(init.code).not.toBe(0);
    expect(init.stderr).toMatch(/ZZZ \(BACI code 999\)/);
    expect(init.stderr).not.toContain('    at ');
    expect(query(dbPath(), 'select * from countries order by iso3')).toEqual(countriesBefore);
    expect(query(dbPath(), 'select * from reference_files order by file')).toEqual(referenceFilesBefore);
  });
});

describe('a revised BACI release of many rows, written 100 rows a statement', () => {
  // The writer sends 100 rows a statement and, once a statement finds every key known, sends
  // the next ones straight to the merge (src/db/merge-lane.ts). The revision below crosses that
  // switch both ways and puts a new key, a known key and a repeated key in one statement.
  const codes = realSubheadings('H5', 650);
  const line = (code: string, value: number): BaciLine => [2021, 586, 398, code, value, 1];
  const first = codes.slice(0, 500).map((c, i) => line(c, 100 + i));
  const revised: BaciLine[] = [
    // Statements 1-3: known keys only, every tenth value revised.
    ...codes.slice(0, 300).map((c, i) => line(c, i % 10 === 0 ? 5000 + i : 100 + i)),
    // Statement 4: 50 known keys (unchanged), 49 new keys and a repeat of its first key.
    ...codes.slice(300, 350).map((c, i) => line(c, 400 + i)),
    ...codes.slice(500, 549).map((c, i) => line(c, 7000 + i)),
    line(codes[300]!, 1),
    // Statement 5: new keys only. Statement 6: known keys, one revised.
    ...codes.slice(549, 649).map((c, i) => line(c, 8000 + i)),
    ...codes.slice(350, 450).map((c, i) => line(c, i === 99 ? 9999 : 450 + i)),
    // codes 450-499 are no longer in the release: retired.
  ];

  it('counts every row once as new, changed, unchanged, rejected or retired, and stores the revised figures', async () => {
    writeCompanions(tmp(), RELEASE, COUNTRY_CODES, { HS17: codes });
    const name = `BACI_HS17_Y2021_V${RELEASE}.csv`;
    expect((await loadBaci([writeBaci(name, first)])).code).toBe(0);
    writeBaci(name, revised);
    const run = await loadBaci([join(tmp(), name)], '--reject-threshold', '1');

    expect(run.code).toBe(0);
    const [, load] = query<LoadFileRow & { rows_inserted: number; rows_unchanged: number }>(
      dbPath(),
      'select * from load_files order by load_id',
    );
    expect(load).toMatchObject({
      rows_read: 600,
      rows_rejected: 1,
      rows_inserted: 149,
      rows_changed: 31,
      rows_unchanged: 419,
      rows_retired: 50,
    });
    expect(load!.rows_read).toBe(
      load!.rows_rejected + load!.rows_inserted + load!.rows_changed + load!.rows_unchanged,
    );
    expect(
      query<{ row_number: number; code: string }>(dbPath(), 'select row_number, code from rejects'),
    ).toEqual([{ row_number: 401, code: 'duplicate_key' }]);
    // Each kept key holds the first value the revision gave it, under the load that last changed it.
    const expected = new Map<string, { value_usd: number; load_id: number }>();
    const firstLoad = load!.load_id - 1;
    for (const [, , , code, value] of first)
      expected.set(code, { value_usd: Number(value) * 1000, load_id: firstLoad });
    // The repeated key (the file's row 401: its 400th line) was rejected.
    for (const [, , , code, value] of revised.filter((_, i) => i !== 399)) {
      const before = expected.get(code);
      const same = before !== undefined && before.value_usd === Number(value) * 1000;
      expected.set(code, { value_usd: Number(value) * 1000, load_id: same ? before.load_id : load!.load_id });
    }
    for (const code of codes.slice(450, 500)) expected.delete(code);
    const stored = query<{ hs_code: string; value_usd: number; load_id: number }>(
      dbPath(),
      "select hs_code, value_usd, load_id from trade_flows where source = 'baci' order by hs_code",
    );
    expect(stored).toEqual(
      [...expected.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([hs_code, v]) => ({ hs_code, ...v })),
    );
  });
});
