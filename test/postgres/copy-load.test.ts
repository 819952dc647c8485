/**
 * Issue 21, point 2: on PostgreSQL, fact rows go in by COPY and merge set by set
 * (src/load/postgres/copy-flow-writer.ts), and must give what SQLite's row-by-row merge gives.
 * The same generated files (BACI and Comtrade layouts: a first load, a revised release with
 * changed, retired, unchanged and new rows, files repeating keys, a second year) are loaded
 * through the CLI into a SQLite and a PostgreSQL warehouse, and the two are compared row by
 * row: trade_flows, trade_flows_history, each load's counts and the rejected row numbers.
 * Every route of the writer is taken: a new year's table, COPY straight into the table, the
 * fall-back from it to staging on a repeated key, and staging from the start.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyField, copyIn } from '../../src/db/postgres/copy-text.ts';
import { openWarehouse, type Warehouse } from '../../src/db/warehouse.ts';
import { createPgDatabase } from '../helpers/backends.ts';
import { csvText, PLUS_HEADER, tradeRow } from '../helpers/comtrade-csv.ts';
import { realSubheadings } from '../helpers/hs-codes.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let database: Awaited<ReturnType<typeof createPgDatabase>>;
/** The SQLite warehouse lives across the file's tests, as the PostgreSQL database does. */
let sqliteDir: string;
let sqlitePath: string;

beforeAll(async () => {
  // Windows of 50 rows: each file spans several COPYs, so a repeated key can break one midway.
  process.env.CORRIDOR_COPY_WINDOW_ROWS = '50';
  database = await createPgDatabase();
  sqliteDir = mkdtempSync(join(tmpdir(), 'corridor-copy-load-'));
  sqlitePath = join(sqliteDir, 'w.db');
  for (const db of [sqlitePath, database.url]) {
    const init = await cli(['init', '--db', db]);
    expect(init.code, init.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  delete process.env.CORRIDOR_COPY_WINDOW_ROWS;
  await database?.drop();
  if (sqliteDir !== undefined) rmSync(sqliteDir, { recursive: true, force: true });
});

const RELEASE = '202401b';
/** BACI code, ISO code: the countries of the generated BACI files. */
const BACI_COUNTRIES: readonly (readonly [number, string, string])[] = [
  [4, 'AFG', 'Afghanistan'],
  [156, 'CHN', 'China'],
  [398, 'KAZ', 'Kazakhstan'],
  [586, 'PAK', 'Pakistan'],
  [699, 'IND', 'India'],
  [860, 'UZB', 'Uzbekistan'],
];
const HS17 = realSubheadings('H5', 40);
/** Enough products for a file of more than one batch (the reader cuts a batch per 256 KiB read). */
const MANY_HS17 = realSubheadings('H5', 400);

/** A BACI release folder: the companion lists and one data file per year given. */
function writeBaciRelease(
  dir: string,
  files: Readonly<Record<number, readonly string[]>>,
  products: readonly string[] = HS17,
): string[] {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `country_codes_V${RELEASE}.csv`),
    `country_code,country_name,country_iso2,country_iso3\n${BACI_COUNTRIES.map(([c, iso3, name]) => `${c},${name},${iso3.slice(0, 2)},${iso3}`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, `product_codes_HS17_V${RELEASE}.csv`),
    `code,description\n${products.map((c) => `${c},"Product ${c}, for the test"`).join('\n')}\n`,
  );
  return Object.entries(files).map(([year, lines]) => {
    const path = join(dir, `BACI_HS17_Y${year}_V${RELEASE}.csv`);
    writeFileSync(path, `t,i,j,k,v,q\n${lines.join('\n')}\n`);
    return path;
  });
}

/**
 * Every exporter × importer × product of `year`, sorted as BACI ships them; `change(n)` may
 * alter the n-th row's line (a revised value) or drop it (null).
 */
function baciLines(
  year: number,
  change: (n: number, line: string) => string | null = (_, l) => l,
  exporters: (code: number) => boolean = () => true,
  products: readonly string[] = HS17,
): string[] {
  const lines: string[] = [];
  let n = 0;
  for (const [i] of BACI_COUNTRIES.filter(([code]) => exporters(code)))
    for (const [j] of BACI_COUNTRIES)
      if (i !== j)
        for (const [p, k] of products.entries()) {
          n += 1;
          const weight = n % 7 === 0 ? 'NA' : (p * 1.25 + n / 8).toFixed(3);
          const line = change(n, `${year},${i},${j},${k},${(n * 2.5 + 0.125).toFixed(3)},${weight}`);
          if (line !== null) lines.push(line);
        }
  return lines;
}

const PARTNERS = ['KAZ', 'CHN', 'UZB', 'AFG', 'IND'];
const CODES = realSubheadings('H5', 30);

/** A Comtrade file of `reporter`'s exports in `year`: partners × codes, with `change` as above. */
function comtradeFile(
  name: string,
  reporter: string,
  year: number,
  change: (n: number, usd: number) => number | null = (_, usd) => usd,
  extra: readonly (readonly (string | number | null)[])[] = [],
): string {
  const rows = [];
  let n = 0;
  for (const partner of PARTNERS.filter((p) => p !== reporter))
    for (const code of CODES) {
      n += 1;
      const usd = change(n, 1000 + n * 17);
      if (usd !== null)
        rows.push(tradeRow({ reporter, partner, code, usd, year, ...(n % 3 === 0 ? {} : { kg: n * 2 }) }));
    }
  const path = join(tmp(), name);
  writeFileSync(path, csvText(PLUS_HEADER, [...rows, ...extra]));
  return path;
}

/** Loads on both backends; both must exit alike. */
async function loadBoth(args: readonly string[]): Promise<void> {
  const codes: number[] = [];
  for (const db of [sqlitePath, database.url]) {
    const run = await cli(['load', ...args, '--no-derive', '--db', db]);
    codes.push(run.code);
    expect(run.code, `${db}: ${run.stderr}`).toBe(0);
  }
}

const KEY_ORDER =
  'source, reporter_iso3, period, flow, partner_iso3, partner2_iso3, hs_edition, hs_code, mode_of_transport, customs_procedure';

const BACI_KEY = 'reporter_code, period, partner_code, hs_edition, hs_code';
const TRADE_KEY = KEY_ORDER.replace('source, ', 'source, year, ');

async function readBoth<T = Record<string, unknown>>(sql: string): Promise<[T[], T[]]> {
  const result: T[][] = [];
  for (const db of [sqlitePath, database.url]) {
    const warehouse: Warehouse = await openWarehouse(db, { readonly: true });
    try {
      result.push(await warehouse.sql.all<T>(sql));
    } finally {
      await warehouse.close();
    }
  }
  return [result[0]!, result[1]!];
}

/** The two warehouses hold the same rows, history, counts and rejects. */
async function expectSameWarehouses(): Promise<void> {
  const [flowsA, flowsB] = await readBoth(`select * from trade_flows order by ${KEY_ORDER}`);
  expect(flowsB.length).toBe(flowsA.length);
  expect(flowsB).toEqual(flowsA);
  const [historyA, historyB] = await readBoth(
    `select * from trade_flows_history order by ${KEY_ORDER}, valid_from_load, coalesce(valid_to_load, 0)`,
  );
  expect(historyB).toEqual(historyA);
  // The stored tables too: which load last carried each figure (seen_load, seen_row) is not in the views.
  for (const table of ['baci_flows', 'trade_flow_rows']) {
    const key = table === 'baci_flows' ? BACI_KEY : TRADE_KEY;
    const [currentA, currentB] = await readBoth(`select * from ${table} order by ${key}`);
    expect(currentB).toEqual(currentA);
    const [closedA, closedB] = await readBoth(
      `select * from ${table}_closed order by ${key}, load_id, valid_to_load`,
    );
    expect(closedB).toEqual(closedA);
  }
  const [loadsA, loadsB] = await readBoth(
    `select load_id, file_name, status, rows_read, rows_loaded, rows_rejected, rows_inserted, rows_changed,
       rows_unchanged, rows_retired, slices
     from load_files order by load_id`,
  );
  expect(loadsB).toEqual(loadsA);
  const [rejectsA, rejectsB] = await readBoth(
    'select load_id, row_number, code, message from rejects order by 1, 2, 3',
  );
  expect(rejectsB).toEqual(rejectsA);
}

describe('a file loaded by COPY into PostgreSQL gives what SQLite gives', () => {
  it('BACI: a first year, a revised release of it, a second year, and files repeating keys', async () => {
    const [first] = writeBaciRelease(join(tmp(), 'v1'), { 2019: baciLines(2019) });
    await loadBoth([first!, '--source', 'baci']);
    await expectSameWarehouses();

    // The revision changes every 5th value, drops every 11th row and leaves the rest as they were.
    const [revised] = writeBaciRelease(join(tmp(), 'v2'), {
      2019: baciLines(2019, (n, line) =>
        n % 11 === 0
          ? null
          : n % 5 === 0
            ? line.replace(/,([\d.]+),([^,]+)$/, (_, v, q) => `,${v}9,${q}`)
            : line,
      ),
    });
    await loadBoth([revised!, '--source', 'baci']);

    // A new year whose file repeats two keys (the second of each is rejected), then the same
    // year again with a repeat: one taken while staging.
    const repeated = (year: number) => {
      const lines = baciLines(year);
      return [...lines.slice(0, 10), lines[3]!, ...lines.slice(10, 500), lines[400]!, ...lines.slice(500)];
    };
    const [second] = writeBaciRelease(join(tmp(), 'v3'), { 2020: repeated(2020) });
    await loadBoth([second!, '--source', 'baci']);
    const [again] = writeBaciRelease(join(tmp(), 'v4'), {
      2020: repeated(2020).reverse().slice(1).reverse(),
    });
    await loadBoth([again!, '--source', 'baci', '--force']);
    await expectSameWarehouses();

    // 2021: Uzbekistan's exports first (a new year's table); then the other exporters, whose
    // first batch goes straight into the table and whose second repeats a key of the first.
    const [uzbekistan] = writeBaciRelease(
      join(tmp(), 'v5'),
      { 2021: baciLines(2021, undefined, (code) => code === 860, MANY_HS17) },
      MANY_HS17,
    );
    await loadBoth([uzbekistan!, '--source', 'baci']);
    const others = baciLines(2021, undefined, (code) => code !== 860, MANY_HS17);
    const [rest] = writeBaciRelease(join(tmp(), 'v6'), { 2021: [...others, others[0]!] }, MANY_HS17);
    await loadBoth([rest!, '--source', 'baci']);
    await expectSameWarehouses();
    const [[repeat]] = await readBoth<{ message: string }>(
      `select message from rejects where code = 'duplicate_key' and file like '%v6%'`,
    );
    expect(repeat!.message).toMatch(/repeats the flow of row 2 /);

    const [[counts]] = await readBoth<{ n: number }>(
      `select count(*) as n from rejects where code = 'duplicate_key'`,
    );
    expect(Number(counts!.n)).toBe(5);
  }, 240_000);

  it('Comtrade: merge, revision with --replace-scope, a new reporter of a loaded year, repeated keys', async () => {
    await loadBoth([comtradeFile('pak_2021.csv', 'PAK', 2021), '--source', 'comtrade']);
    // Changed (every 4th), absent (every 9th, retired by the scope) and new rows (a new code).
    const revision = comtradeFile(
      'pak_2021_rev.csv',
      'PAK',
      2021,
      (n, usd) => (n % 9 === 0 ? null : n % 4 === 0 ? usd + 1 : usd),
      [
        tradeRow({
          reporter: 'PAK',
          partner: 'KAZ',
          code: realSubheadings('H5', 31)[30]!,
          usd: 5,
          year: 2021,
        }),
      ],
    );
    await loadBoth([revision, '--source', 'comtrade', '--replace-scope', 'reporter,period']);
    // KAZ in 2021: the year's partition holds rows, but none where this file starts, so it is
    // copied straight in, until its repeated key breaks the COPY and the rows go to staging.
    const kaz = comtradeFile('kaz_2021.csv', 'KAZ', 2021, undefined, [
      tradeRow({ reporter: 'KAZ', partner: 'CHN', code: CODES[2]!, usd: 99, year: 2021 }),
    ]);
    await loadBoth([kaz, '--source', 'comtrade']);
    // A merge-only reload of PAK's first file over the revision: its figures back, nothing retired.
    await loadBoth([comtradeFile('pak_2021.csv', 'PAK', 2021), '--source', 'comtrade', '--force']);
    await expectSameWarehouses();
    const [[kazCounts]] = await readBoth<{ rows_rejected: number; rows_inserted: number }>(
      `select rows_rejected, rows_inserted from load_files where file_name = 'kaz_2021.csv'`,
    );
    expect(Number(kazCounts!.rows_rejected)).toBe(1);
    expect(Number(kazCounts!.rows_inserted)).toBe(120);
    const [[repeat]] = await readBoth<{ message: string }>(
      `select message from rejects where code = 'duplicate_key' and file like '%kaz_2021.csv'`,
    );
    expect(repeat!.message).toMatch(/repeats the flow of row 4 /);
  }, 240_000);
});

describe('a small fact table by COPY gives what SQLite gives', () => {
  it('world totals: a first file, a correction that changes and drops codes, a repeated code', async () => {
    const codes = realSubheadings('H5', 20);
    // Free text with a tab, quotes, a line break and non-ASCII letters goes through COPY's escapes.
    const note = 'WITS "world"\t2021, Türkiye\nrev. 1';
    const file = (name: string, rows: readonly (readonly [string, number])[], text = note) => {
      const path = join(tmp(), name);
      writeFileSync(
        path,
        csvText(
          ['year', 'hs_edition', 'hs_code', 'flow', 'value_usd', 'source_note'],
          rows.map(([code, value]) => [2021, 'H5', code, 'X', value, text]),
        ),
      );
      return path;
    };
    const totals = codes.map((c, i): [string, number] => [c, 1_000_000 * (i + 1)]);
    await loadBoth([file('world.csv', totals), '--source', 'world-totals']);
    const corrected = totals
      .filter((_, i) => i % 4 !== 0)
      .map(([c, v], i): [string, number] => [c, i % 3 ? v : v + 1]);
    await loadBoth([file('world-corrected.csv', corrected, `${note} corrected`), '--source', 'world-totals']);
    // One row in 16 rejected is over the default threshold of 5 %, which would fail the run.
    await loadBoth([
      file('world-repeated.csv', [...corrected, corrected[1]!]),
      '--source',
      'world-totals',
      '--reject-threshold',
      '0.5',
    ]);
    for (const table of ['world_trade_totals', 'world_trade_totals_closed']) {
      const [a, b] = await readBoth(
        `select * from ${table} order by source, year, hs_edition, flow, hs_code, load_id`,
      );
      expect(b).toEqual(a);
    }
    const [loadsA, loadsB] = await readBoth(
      `select rows_read, rows_rejected, rows_inserted, rows_changed, rows_unchanged, rows_retired
       from load_files where source = 'world-totals' order by load_id`,
    );
    expect(loadsB).toEqual(loadsA);
    expect(loadsB.map((l) => Number(l.rows_retired))).toEqual([0, 5, 0]);
    expect(loadsB.map((l) => Number(l.rows_rejected))).toEqual([0, 0, 1]);
    const [[stored]] = await readBoth<{ source_note: string }>(
      `select source_note from world_trade_totals where hs_code = '${corrected[1]![0]}'`,
    );
    expect(stored!.source_note).toBe(note);
  }, 120_000);
});

describe('COPY text', () => {
  it('carries NULL, tabs, line breaks, backslashes, quotes and non-ASCII text unchanged', async () => {
    const values = [
      null,
      'a\tb',
      'line\nbreak\r\n',
      'back\\slash \\N',
      `"quoted" 'too'`,
      'Türkiye Ünye 東京',
      '',
      '\\.',
    ];
    const warehouse = await openWarehouse(database.url);
    try {
      await warehouse.sql.begin();
      await warehouse.sql.exec('create temporary table copy_text (n integer, v text) on commit drop');
      const lines = values.map((v, n) => `${n}\t${copyField(v)}\n`);
      expect(await copyIn(warehouse.pg, 'copy copy_text (n, v) from stdin', lines)).toBe(values.length);
      const back = await warehouse.sql.all<{ v: string | null }>('select v from copy_text order by n');
      expect(back.map((r) => r.v)).toEqual(values);
      await warehouse.sql.rollback();
    } finally {
      await warehouse.close();
    }
  });
});
