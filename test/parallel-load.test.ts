/**
 * Large files are read and validated in a worker thread while the main thread writes. The
 * result must be the same rows, rejects and journal as the single-thread path, and a failure
 * inside the worker must leave the warehouse as it was.
 *
 * Each load starts from a copy of one prepared warehouse, and only the loads under test go
 * through a worker: starting one (tsx registering itself in the new thread) is the slow part of
 * this file on a busy machine, not the 6,000 rows.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { realSubheadings } from './helpers/hs-codes.ts';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const warehouseAt = usePreparedWarehouse();
const HEADER =
  'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,netWgt,primaryValue';

/**
 * 3,000 real HS 2022 subheadings (the file states no edition, so any edition's codes are valid):
 * fewer than 6,000 exist, so each is used once as an export and once as an import.
 */
const CODES = realSubheadings('H6', 3000);

/** 6,000 rows over three batches, with a bad row, a duplicate of row 2 far away, and a blank line. */
function sample(): string {
  const lines = [HEADER];
  for (let i = 0; i < 6000; i++)
    lines.push(`A,2021,586,PAK,${i < 3000 ? 'X' : 'M'},398,KAZ,${CODES[i % 3000]},${i},${i + 1}`);
  lines.push('A,2021,586,PAK,X,398,KAZ,0306.1,1,1');
  lines.push('');
  lines.push(lines[1]!);
  return `${lines.join('\n')}\n`;
}

const ORDER = 'reporter_iso3, period, flow, partner_iso3, hs_code';
const snapshot = (db: string) => ({
  rows: query(db, `select * from trade_flows order by ${ORDER}`).map(({ load_id: _, ...r }) => r),
  rejects: query(
    db,
    'select row_number, column_name, code, message, raw from rejects order by row_number, reject_id',
  ),
  files: query(db, 'select status, rows_read, rows_loaded, rows_rejected, rejects_stored from load_files'),
});

const IN_THIS_THREAD = '1000000000';
const IN_A_WORKER = '0';

/** Loads `file` into `db`, a copy of the prepared warehouse unless it exists already. */
async function loadWith(parallelMinBytes: string, file: string, db: string, ...extra: string[]) {
  if (!existsSync(db)) warehouseAt(db);
  process.env.CORRIDOR_PARALLEL_MIN_BYTES = parallelMinBytes;
  return cli(['load', file, '--source', 'comtrade', '--db', db, ...extra]);
}

/** HS 2017 subheadings for the BACI file, with its release's companion lists written beside it. */
const HS17 = realSubheadings('H5', 5000);
const BACI_COUNTRIES = [
  [156, 'China', 'CN', 'CHN'],
  [398, 'Kazakhstan', 'KZ', 'KAZ'],
  [586, 'Pakistan', 'PK', 'PAK'],
  [699, 'India', 'IN', 'IND'],
  [860, 'Uzbekistan', 'UZ', 'UZB'],
] as const;
const BACI_ROWS = BACI_COUNTRIES.length * (BACI_COUNTRIES.length - 1) * HS17.length;

/**
 * 100,002 BACI rows, about 3.4 MB: the reader posts a batch per 256 KiB chunk of text, so some
 * thirteen batches go through the few packed buffers that go round between the threads, each
 * buffer filled again while the writer holds another. The last two rows repeat a row of the
 * first chunk and one of the middle.
 */
function baciSample(dir: string): string {
  writeFileSync(
    join(dir, 'country_codes_V202401b.csv'),
    `country_code,country_name,country_iso2,country_iso3\n${BACI_COUNTRIES.map((c) => c.join(',')).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'product_codes_HS17_V202401b.csv'),
    `code,description\n${HS17.map((code) => `${code},Product ${code}`).join('\n')}\n`,
  );
  const lines = ['t,i,j,k,v,q'];
  for (const [exporter] of BACI_COUNTRIES)
    for (const [importer] of BACI_COUNTRIES)
      if (importer !== exporter)
        for (const code of HS17)
          lines.push(
            `2021,${exporter},${importer},${code},${lines.length}.5,${lines.length % 7 === 0 ? 'NA' : lines.length}`,
          );
  lines.push(lines[2]!, lines[50001]!);
  const file = join(dir, 'BACI_HS17_Y2021_V202401b.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The BACI rows as one text, in key order: comparing 100,000 objects one by one is slow. */
const baciRows = (db: string) =>
  query(
    db,
    `select reporter_iso3, partner_iso3, hs_code, value_usd, net_weight_kg, source_row from trade_flows order by ${ORDER}`,
  )
    .map((r) => Object.values(r).join(','))
    .join('\n');

afterEach(() => {
  delete process.env.CORRIDOR_PARALLEL_MIN_BYTES;
});

describe('loading in a worker thread', () => {
  it('gives the same rows, rejects and journal as loading in one thread', async () => {
    const file = join(tmp(), 'pak_2021.csv');
    writeFileSync(file, sample());
    const single = await loadWith(IN_THIS_THREAD, file, join(tmp(), 'single.db'));
    const parallel = await loadWith(IN_A_WORKER, file, join(tmp(), 'parallel.db'));

    expect(single.code).toBe(0);
    expect(parallel.code).toBe(0);
    const a = snapshot(join(tmp(), 'single.db'));
    expect(a.files).toEqual([
      { status: 'loaded', rows_read: 6002, rows_loaded: 6000, rows_rejected: 2, rejects_stored: 2 },
    ]);
    expect(a.rejects.map((r) => r.code)).toEqual(['bad_hs_code', 'duplicate_key']);
    expect(JSON.parse(String(a.rejects[1]!.raw))).toMatchObject({
      cmdCode: CODES[0],
      flowCode: 'X',
      primaryValue: '1',
    });
    expect(snapshot(join(tmp(), 'parallel.db'))).toEqual(a);
  });

  it('keeps every cell of a rejected row, those of columns no field reads included', async () => {
    // The reader leaves the cells of unread columns empty (RawTable.readsOnly); a reject's raw
    // row is the file's, whole.
    const file = join(tmp(), 'remarks.csv');
    // The bad row comes past the reader's first chunk (256 KiB), whose rows are split whole
    // while the header is looked for.
    const remark = `"fine, and read${'.'.repeat(100)}"`;
    const good = CODES.map((code) => `A,2021,586,PAK,X,398,KAZ,${code},1,2,${remark}`);
    const bad = 'A,2021,586,PAK,X,398,KAZ,0306.1,1,1,"kept, as written"';
    writeFileSync(file, `${[`${HEADER},remark`, ...good, bad].join('\n')}\n`);
    for (const [threshold, db] of [
      [IN_THIS_THREAD, 'one.db'],
      [IN_A_WORKER, 'two.db'],
    ] as const) {
      expect((await loadWith(threshold, file, join(tmp(), db))).code).toBe(0);
      const [reject] = snapshot(join(tmp(), db)).rejects;
      expect(JSON.parse(String(reject!.raw))).toMatchObject({
        cmdCode: '0306.1',
        remark: 'kept, as written',
      });
    }
  });

  it('gives the same for a BACI file, whose rows cross as packed numbers in buffers that go round', async () => {
    const file = baciSample(tmp());
    // The rows are under test, not the indicators: --no-derive keeps the test short.
    const baci = ['--source', 'baci', '--no-derive'];
    expect((await loadWith(IN_THIS_THREAD, file, join(tmp(), 'single.db'), ...baci)).code).toBe(0);
    expect((await loadWith(IN_A_WORKER, file, join(tmp(), 'parallel.db'), ...baci)).code).toBe(0);
    expect(
      query(join(tmp(), 'single.db'), 'select status, rows_read, rows_loaded, rows_rejected from load_files'),
    ).toEqual([{ status: 'loaded', rows_read: BACI_ROWS + 2, rows_loaded: BACI_ROWS, rows_rejected: 2 }]);
    const rejects = (db: string) =>
      query(join(tmp(), db), 'select row_number, code, message, raw from rejects order by row_number');
    expect(rejects('single.db').map((r) => [r.row_number, r.code])).toEqual([
      [BACI_ROWS + 2, 'duplicate_key'],
      [BACI_ROWS + 3, 'duplicate_key'],
    ]);
    expect(rejects('parallel.db')).toEqual(rejects('single.db'));
    // Every row's own figures: a buffer filled again too early would show another row's.
    const single = baciRows(join(tmp(), 'single.db'));
    const values = single.split('\n').map((line) => Number(line.split(',')[3]));
    expect(values.sort((x, y) => x - y)).toEqual(
      Array.from({ length: BACI_ROWS }, (_, i) => (i + 1.5) * 1000),
    );
    expect(baciRows(join(tmp(), 'parallel.db')) === single).toBe(true);
  });

  it('gives the same for a workbook, whose records the worker only reads and this thread maps', async () => {
    const file = join(tmp(), 'pak_2021.xlsx');
    // Written as a stream, with shared strings as Excel writes them: a quarter of the time of
    // building the workbook in memory first.
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const sheet = workbook.addWorksheet('Trade');
    for (const line of sample().trim().split('\n')) sheet.addRow(line === '' ? [] : line.split(',')).commit();
    await workbook.commit();
    const single = await loadWith(IN_THIS_THREAD, file, join(tmp(), 'single.db'));
    const parallel = await loadWith(IN_A_WORKER, file, join(tmp(), 'parallel.db'));
    expect(single.code).toBe(0);
    expect(parallel.code).toBe(0);
    const a = snapshot(join(tmp(), 'single.db'));
    expect(a.rejects.map((r) => r.code)).toEqual(['bad_hs_code', 'duplicate_key']);
    expect(snapshot(join(tmp(), 'parallel.db'))).toEqual(a);
  });

  it('fails the file and leaves the warehouse unchanged when the worker finds a whole-file error', async () => {
    const db = join(tmp(), 'w.db');
    const good = join(tmp(), 'good.csv');
    writeFileSync(good, sample());
    // What is already there: loaded in this thread, as the failures under test are the worker's.
    expect((await loadWith(IN_THIS_THREAD, good, db)).code).toBe(0);
    const before = snapshot(db);

    const missing = join(tmp(), 'missing.csv');
    writeFileSync(missing, 'freqCode,period,reporterCode\nA,2021,586\n');
    const noColumn = await loadWith(IN_A_WORKER, missing, db);
    expect(noColumn.code).toBe(1);
    expect(noColumn.stderr).toMatch(/missing\.csv: no column for the partner code/);

    const late = join(tmp(), 'late.csv');
    const text = sample().replace(HEADER, HEADER).split('\n');
    writeFileSync(
      late,
      Buffer.concat([
        Buffer.from(text.slice(0, 5000).join('\n').replace(/2021/g, '2022')),
        Buffer.from([0x0a, 0xff, 0xfe, 0x0a]),
      ]),
    );
    const broken = await loadWith(IN_A_WORKER, late, db);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/not valid UTF-8/);

    expect(snapshot(db).rows).toEqual(before.rows);
    expect(query(db, 'select status from load_files order by load_id').map((f) => f.status)).toEqual([
      'loaded',
      'failed',
      'failed',
    ]);
  });
});
