/**
 * HS code validation end to end: every trade row's code must exist in the HS edition the row
 * states (Comtrade's classificationCode), or in any edition when it states none ("HS"). Small
 * Comtrade+ CSV files written into a temp folder, loaded through the CLI into a real SQLite
 * warehouse, read back directly from the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

function writeFile(name: string, content: string): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

// Every file here holds a few rows, some of them rejected on purpose: no threshold.
const loadComtrade = (files: readonly string[], ...extra: string[]) =>
  cli(['load', ...files, '--source', 'comtrade', '--db', dbPath(), '--reject-threshold', '1', ...extra]);

/** A row of `code` as reported under `edition`. */
const coded = (edition: string, code: string, value = 1000) =>
  plusRow({ classificationCode: edition, cmdCode: code, primaryValue: value, fobvalue: value });

interface RejectRow {
  row_number: number;
  column_name: string | null;
  code: string;
  message: string;
  value: string | null;
}

const rejects = () =>
  query<RejectRow>(
    dbPath(),
    'select row_number, column_name, code, message, value from rejects order by row_number, reject_id',
  );
const loaded = () =>
  query<{ source_row: number; hs_edition: string; hs_code: string; hs_level: number }>(
    dbPath(),
    'select source_row, hs_edition, hs_code, hs_level from trade_flows order by source_row',
  );
const journal = () =>
  query<{ status: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
    dbPath(),
    'select status, rows_read, rows_loaded, rows_rejected from load_files order by load_id',
  );

const H_EDITIONS = ['H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6'] as const;

afterEach(() => {
  delete process.env.CORRIDOR_PARALLEL_MIN_BYTES;
});

describe('a code must exist in the HS edition its row states', () => {
  it('rejects 100190 (wheat other than durum, HS 1992–2007) under H5 as unknown_hs_code, naming HS 2017, and loads it under H0–H3', async () => {
    const file = writeFile(
      'wheat_100190.csv',
      csvText(PLUS_HEADER, [
        coded('H0', '100190'), // row 2
        coded('H1', '100190'),
        coded('H2', '100190'),
        coded('H3', '100190'), // row 5
        coded('H5', '100190'), // row 6: HS 2012 split it into 100191 and 100199
      ]),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(journal()).toEqual([{ status: 'loaded', rows_read: 5, rows_loaded: 4, rows_rejected: 1 }]);
    expect(loaded()).toEqual([
      { source_row: 2, hs_edition: 'H0', hs_code: '100190', hs_level: 6 },
      { source_row: 3, hs_edition: 'H1', hs_code: '100190', hs_level: 6 },
      { source_row: 4, hs_edition: 'H2', hs_code: '100190', hs_level: 6 },
      { source_row: 5, hs_edition: 'H3', hs_code: '100190', hs_level: 6 },
    ]);
    expect(rejects()).toEqual([
      {
        row_number: 6,
        column_name: 'cmdCode',
        code: 'unknown_hs_code',
        value: '100190',
        message: expect.stringMatching(/^100190 is not a subheading of HS 2017 \(H5\)\./),
      },
    ]);
    expect(run.stderr).toMatch(/row 6, column "cmdCode": 100190 is not a subheading of HS 2017 \(H5\)/);
  });

  it('rejects 100199 (created by HS 2012) under H3 as unknown_hs_code, naming HS 2007, and loads it under H4–H6', async () => {
    const file = writeFile(
      'wheat_100199.csv',
      csvText(PLUS_HEADER, [
        coded('H3', '100199'), // row 2
        coded('H4', '100199'),
        coded('H5', '100199'),
        coded('H6', '100199'),
      ]),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(journal()).toEqual([{ status: 'loaded', rows_read: 4, rows_loaded: 3, rows_rejected: 1 }]);
    expect(loaded()).toEqual([
      { source_row: 3, hs_edition: 'H4', hs_code: '100199', hs_level: 6 },
      { source_row: 4, hs_edition: 'H5', hs_code: '100199', hs_level: 6 },
      { source_row: 5, hs_edition: 'H6', hs_code: '100199', hs_level: 6 },
    ]);
    expect(rejects()).toEqual([
      {
        row_number: 2,
        column_name: 'cmdCode',
        code: 'unknown_hs_code',
        value: '100199',
        message: expect.stringMatching(/^100199 is not a subheading of HS 2007 \(H3\)\./),
      },
    ]);
  });

  it('rejects the same way when the file is read in a worker thread', async () => {
    process.env.CORRIDOR_PARALLEL_MIN_BYTES = '0';
    const file = writeFile(
      'wheat_worker.csv',
      csvText(PLUS_HEADER, [coded('H3', '100190'), coded('H5', '100190'), coded('H3', '100199')]),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(loaded()).toEqual([{ source_row: 2, hs_edition: 'H3', hs_code: '100190', hs_level: 6 }]);
    expect(rejects().map((r) => [r.row_number, r.column_name, r.code, r.value])).toEqual([
      [3, 'cmdCode', 'unknown_hs_code', '100190'],
      [4, 'cmdCode', 'unknown_hs_code', '100199'],
    ]);
    expect(rejects()[0]!.message).toMatch(/HS 2017 \(H5\)/);
    expect(rejects()[1]!.message).toMatch(/HS 2007 \(H3\)/);
  });
});

describe('special codes', () => {
  it('loads TOTAL, 99, 9999, 999999, 9801 and 990120 under every edition and under HS', async () => {
    const specials = [
      ['TOTAL', 0],
      ['99', 2],
      ['9999', 4],
      ['999999', 6],
      ['9801', 4],
      ['990120', 6],
    ] as const;
    const editions = [...H_EDITIONS, 'HS'];
    const rows = editions.flatMap((edition) => specials.map(([code]) => coded(edition, code)));
    const file = writeFile('specials.csv', csvText(PLUS_HEADER, rows));

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(rejects()).toEqual([]);
    expect(journal()).toEqual([
      { status: 'loaded', rows_read: rows.length, rows_loaded: rows.length, rows_rejected: 0 },
    ]);
    expect(loaded()).toEqual(
      editions.flatMap((edition, e) =>
        specials.map(([code, level], s) => ({
          source_row: 2 + e * specials.length + s,
          hs_edition: edition,
          hs_code: code,
          hs_level: level,
        })),
      ),
    );
  });
});

describe('a code that lost its leading zero', () => {
  it('loads 80521 under H5 as 080521 (mandarins), and checks the restored code, not the digits as read', async () => {
    const file = writeFile(
      'leading_zero.csv',
      csvText(PLUS_HEADER, [
        coded('H5', '80521'), // row 2: 080521 is an HS 2017 subheading
        coded('H5', '30613'), // row 3: 030613 is not (HS 2012 split heading 0306's shrimps)
      ]),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(
      query(
        dbPath(),
        'select source_row, hs_edition, hs_code, typeof(hs_code) as t, hs_level from trade_flows order by source_row',
      ),
    ).toEqual([{ source_row: 2, hs_edition: 'H5', hs_code: '080521', t: 'text', hs_level: 6 }]);
    expect(rejects()).toEqual([
      {
        row_number: 3,
        column_name: 'cmdCode',
        code: 'unknown_hs_code',
        value: '30613',
        message: expect.stringMatching(/^030613 is not a subheading of HS 2017 \(H5\)\./),
      },
    ]);
  });
});

describe('classification HS: the edition is not stated', () => {
  it('accepts a code of any edition, keeps the edition as HS, and still rejects a code of none', async () => {
    const file = writeFile(
      'unstated.csv',
      csvText(PLUS_HEADER, [
        coded('HS', '100190'), // row 2: HS 1992–2007 only
        coded('HS', '100199'), // row 3: HS 2012 onwards
        coded('HS', '030613'), // row 4: HS 1992–2007 only
        coded('HS', '030617'), // row 5: HS 2012 onwards
        coded('HS', '100000'), // row 6: in no edition
      ]),
    );

    const run = await loadComtrade([file]);

    expect(run.code).toBe(0);
    expect(loaded()).toEqual([
      { source_row: 2, hs_edition: 'HS', hs_code: '100190', hs_level: 6 },
      { source_row: 3, hs_edition: 'HS', hs_code: '100199', hs_level: 6 },
      { source_row: 4, hs_edition: 'HS', hs_code: '030613', hs_level: 6 },
      { source_row: 5, hs_edition: 'HS', hs_code: '030617', hs_level: 6 },
    ]);
    expect(rejects()).toEqual([
      {
        row_number: 6,
        column_name: 'cmdCode',
        code: 'unknown_hs_code',
        value: '100000',
        message: expect.stringMatching(/^100000 is not a subheading of HS \(edition not stated\)\./),
      },
    ]);
  });
});
