/**
 * The warehouse the console's browser tests look at, built once (console.test.ts) through the
 * CLI in this process: hand-made Comtrade+ files (Pakistan–Kazakhstan both ways, three years, potash,
 * grain and textiles codes, so every bar of the category chart is known), one Karachi port
 * table, and a file with a rejected row whose cell is `<script>alert(1)</script>`; then
 * `corridor derive` and `corridor check`, and China renamed in the countries table to markup. Then the console itself, in this process, on
 * 127.0.0.1 and a free port.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startConsole } from '../../src/serve/server.ts';
import { type Cell, csvText, PLUS_HEADER, tradeRow } from '../helpers/comtrade-csv.ts';
import { writeKptPipeline, writeKptWorkbook } from '../helpers/kpt-port-files.ts';
import { type CliRun, cli } from '../helpers/run-cli.ts';

/** One hand-made figure: reporter, partner, flow, year, HS code (or TOTAL), US dollars. */
export type Figure = readonly [string, string, 'X' | 'M', number, string, number];

/**
 * What each reporter told Comtrade. Potash is 310420 (heading 3104, under fertilizers), grain
 * wheat 100199 (1001), textiles raw cotton 520100 (ch. 52) and trousers 620342 (ch. 62). Each
 * export year has every category, so each is a figure (never an absent row read as 0 or NULL),
 * and a published TOTAL above their sum (the chart's "Other"). KAZ reported nothing for 2021.
 */
export const FIGURES: readonly Figure[] = [
  ['PAK', 'KAZ', 'X', 2021, 'TOTAL', 5_000_000],
  ['PAK', 'KAZ', 'X', 2021, '520100', 3_000_000],
  ['PAK', 'KAZ', 'X', 2021, '100199', 1_000_000],
  ['PAK', 'KAZ', 'X', 2021, '310420', 200_000],
  ['PAK', 'KAZ', 'M', 2021, 'TOTAL', 4_000_000],
  ['PAK', 'KAZ', 'M', 2021, '310420', 2_000_000],
  ['PAK', 'KAZ', 'X', 2022, 'TOTAL', 6_000_000],
  ['PAK', 'KAZ', 'X', 2022, '620342', 4_000_000],
  ['PAK', 'KAZ', 'X', 2022, '100199', 700_000],
  ['PAK', 'KAZ', 'X', 2022, '310420', 500_000],
  ['PAK', 'KAZ', 'M', 2022, 'TOTAL', 3_000_000],
  ['PAK', 'KAZ', 'M', 2022, '310420', 2_500_000],
  ['PAK', 'KAZ', 'X', 2023, 'TOTAL', 9_000_000],
  ['PAK', 'KAZ', 'X', 2023, '520100', 5_000_000],
  ['PAK', 'KAZ', 'X', 2023, '620342', 1_200_000],
  ['PAK', 'KAZ', 'X', 2023, '100199', 1_500_000],
  ['PAK', 'KAZ', 'X', 2023, '310420', 800_000],
  ['PAK', 'KAZ', 'M', 2023, 'TOTAL', 3_500_000],
  ['PAK', 'KAZ', 'M', 2023, '310420', 3_000_000],
  ['KAZ', 'PAK', 'X', 2022, 'TOTAL', 8_000_000],
  ['KAZ', 'PAK', 'X', 2022, '310420', 7_000_000],
  ['KAZ', 'PAK', 'X', 2022, '100199', 500_000],
  ['KAZ', 'PAK', 'M', 2022, 'TOTAL', 4_500_000],
  ['KAZ', 'PAK', 'M', 2022, '520100', 4_000_000],
  ['KAZ', 'PAK', 'X', 2023, 'TOTAL', 9_000_000],
  ['KAZ', 'PAK', 'X', 2023, '310420', 8_000_000],
  ['KAZ', 'PAK', 'X', 2023, '100199', 600_000],
  // Far below PAK's 9 M of exports to KAZ: a mirror gap `corridor check` reports (|9 − 2| / 11).
  ['KAZ', 'PAK', 'M', 2023, 'TOTAL', 2_000_000],
  ['KAZ', 'PAK', 'M', 2023, '620342', 1_500_000],
];

/**
 * The top-level corridor category of each hand-made HS code, by its name in
 * warehouse/reference/categories.csv (potash is under Fertilizers).
 */
export const TOP_CATEGORY_OF: Readonly<Record<string, string>> = {
  '310420': 'Fertilizers',
  '100199': 'Grain (cereals)',
  '520100': 'Textiles and clothing',
  '620342': 'Textiles and clothing',
};

/** The cell of the rejected row: text a careless page would run as script. */
export const SCRIPT_TEXT = '<script>alert(1)</script>';

/** China's name in the countries table of the test warehouse: markup a careless page would run. */
export const SCRIPT_COUNTRY_NAME = '<img src=x onerror=alert(2)>China<script>alert(3)</script>';

const figureRow = ([reporter, partner, flow, year, code, usd]: Figure): Cell[] =>
  tradeRow({ reporter, partner, flow, year, code, usd });

/** Karachi's wheat, '000 tonnes a month of fiscal year 2023-24 (test/helpers/kpt-port-files.ts). */
export const KARACHI_WHEAT_KT = Array.from({ length: 12 }, (_, i) => 10 + i);

async function writePortTable(folder: string): Promise<void> {
  await writeKptWorkbook(join(folder, 'kpt.xlsx'), '2023-24', [
    ['WHEAT GRAIN', 'Import', ...KARACHI_WHEAT_KT],
    ['Total dry cargo', null, ...KARACHI_WHEAT_KT],
    ['Grand total', null, ...KARACHI_WHEAT_KT],
  ]);
  writeKptPipeline(folder, ['kpt.xlsx']);
}

export interface ConsoleWarehouse {
  readonly folder: string;
  readonly db: string;
  /** The rejected file's name, as /runs/<id> lists it. */
  readonly rejectedFile: string;
  remove(): void;
}

function expectOk(what: string, run: CliRun): void {
  if (run.code !== 0)
    throw new Error(`${what} exited ${run.code}:\n${run.stdout}\n${run.stderr}`.slice(0, 4000));
}

/** Builds the warehouse in a new temp folder (a few seconds). */
export async function buildConsoleWarehouse(): Promise<ConsoleWarehouse> {
  const folder = mkdtempSync(join(tmpdir(), 'corridor-console-'));
  const db = join(folder, 'w.db');
  for (const reporter of ['PAK', 'KAZ'])
    writeFileSync(
      join(folder, `${reporter}.csv`),
      csvText(PLUS_HEADER, FIGURES.filter(([r]) => r === reporter).map(figureRow)),
    );
  // China's file: four good rows and one whose value is script text (bad_number).
  const rejectedFile = 'CHN-rejects.csv';
  const chinaRows: Cell[][] = [2021, 2022, 2023].map((year) =>
    tradeRow({ reporter: 'CHN', partner: 'PAK', year, code: 'TOTAL', usd: 1_000_000 * (year - 2020) }),
  );
  const bad = tradeRow({ reporter: 'CHN', partner: 'PAK', year: 2023, code: '520100', usd: 1 });
  bad[PLUS_HEADER.indexOf('primaryValue')] = SCRIPT_TEXT;
  writeFileSync(join(folder, rejectedFile), csvText(PLUS_HEADER, [...chinaRows, bad]));
  await writePortTable(folder);

  const steps: [string, readonly string[]][] = [
    ['load PAK and KAZ', ['load', 'PAK.csv', 'KAZ.csv', '--source', 'comtrade', '--no-derive']],
    [
      'load the rejects file',
      ['load', rejectedFile, '--source', 'comtrade', '--reject-threshold', '0.5', '--no-derive'],
    ],
    ['run kpt', ['run', 'kpt']],
    ['derive', ['derive']],
    ['check', ['check']],
  ];
  for (const [what, args] of steps) {
    const run = await cli([...args, '--db', db], folder);
    // `check` exits non-zero when it finds something; the findings page shows them.
    if (what !== 'check') expectOk(what, run);
  }
  // A country name from the data that is markup: the overview's lists show it as text.
  const sqlite = new Database(db);
  sqlite.prepare("update countries set name = ? where iso3 = 'CHN'").run(SCRIPT_COUNTRY_NAME);
  sqlite.close();
  return { folder, db, rejectedFile, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export interface TestConsole {
  /** The root, without its trailing slash: `http://127.0.0.1:41234`. */
  readonly url: string;
  /** What the server logged as internal errors (each a bug: pages show errors, never stacks). */
  readonly internalErrors: string[];
  close(): Promise<void>;
}

/** The console over `db` on 127.0.0.1, a free port, in this process. */
export async function startTestConsole(db: string): Promise<TestConsole> {
  const internalErrors: string[] = [];
  const running = await startConsole({
    location: db,
    host: '127.0.0.1',
    port: 0,
    log: (text) => internalErrors.push(text),
  });
  return { url: running.url.replace(/\/$/, ''), internalErrors, close: () => running.close() };
}
