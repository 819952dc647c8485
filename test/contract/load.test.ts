/**
 * `corridor load` on the backend under test (SQLite in `npm test`, PostgreSQL in `npm run
 * test:pg`), with the same assertions on both: the journal's counts, rejects placed by file,
 * row, column and code, a revised file's versions, an imports file that leaves exports alone,
 * a failing file that leaves the warehouse as it was, and `corridor revert`. Comtrade+ CSVs are
 * written into a temp folder and loaded through the CLI; every assertion reads the warehouse
 * directly (test/helpers/backends.ts), never through Corridor's own query code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestWarehouse, testWarehouse } from '../helpers/backends.ts';
import {
  type Cell,
  csvText,
  PLUS_HEADER,
  plusRow,
  type TradeFigure,
  tradeRow,
} from '../helpers/comtrade-csv.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let warehouse: TestWarehouse;

beforeEach(async () => {
  warehouse = await testWarehouse(tmp());
  const init = await cli(['init', '--db', warehouse.db], tmp());
  if (init.code !== 0) throw new Error(`corridor init failed (exit ${init.code}): ${init.stderr}`);
});
afterEach(async () => {
  await warehouse.dispose();
});

function comtradeFile(name: string, rows: readonly (readonly Cell[])[]): string {
  const path = join(tmp(), name);
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return path;
}

const tradeFile = (name: string, figures: readonly TradeFigure[]) =>
  comtradeFile(name, figures.map(tradeRow));

const load = (file: string, ...extra: string[]) =>
  cli(['load', file, '--source', 'comtrade', '--db', warehouse.db, '--no-derive', ...extra], tmp());

interface LoadFile {
  load_id: number;
  run_id: number;
  file_name: string;
  status: string;
  error_code: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rejects_stored: number;
  rows_inserted: number;
  rows_changed: number;
  rows_unchanged: number;
  rows_retired: number;
  reverted_by: number | null;
  reverts_load_id: number | null;
}

const loadFiles = () =>
  warehouse.query<LoadFile>(
    `select load_id, run_id, file_name, status, error_code, rows_read, rows_loaded, rows_rejected, rejects_stored,
       rows_inserted, rows_changed, rows_unchanged, rows_retired, reverted_by, reverts_load_id
     from load_files order by load_id`,
  );

/** Current figures, one line each, in a stable order. */
const flows = async () =>
  (
    await warehouse.query<{ flow: string; partner_iso3: string; hs_code: string; value_usd: number }>(
      'select flow, partner_iso3, hs_code, value_usd from trade_flows order by flow, partner_iso3, hs_code',
    )
  ).map((f) => `${f.flow} ${f.partner_iso3} ${f.hs_code} ${f.value_usd}`);

const FIRST: readonly TradeFigure[] = [
  { partner: 'KAZ', code: 'TOTAL', usd: 100 },
  { partner: 'KAZ', code: '01', usd: 40 },
  { partner: 'CHN', code: 'TOTAL', usd: 300 },
  { partner: 'UZB', code: 'TOTAL', usd: 6 },
];

describe('a first file', () => {
  it('journals read = rejected + inserted + changed + unchanged, and places each reject by file, row, column and code', async () => {
    const file = comtradeFile('pak_2021.csv', [
      ...FIRST.map(tradeRow),
      plusRow({ partnerISO: 'XXX', partnerCode: 999, partnerDesc: 'Nowhere' }),
      plusRow({ primaryValue: 'lots', fobvalue: 'lots' }),
      tradeRow({ partner: 'KAZ', code: 'TOTAL', usd: 100 }),
    ]);

    const run = await load(file, '--reject-threshold', '0.5');

    expect(run.code, run.stderr).toBe(0);
    const [journal] = await loadFiles();
    expect(journal).toMatchObject({
      status: 'loaded',
      rows_read: 7,
      rows_loaded: 4,
      rows_rejected: 3,
      rows_inserted: 4,
      rows_changed: 0,
      rows_unchanged: 0,
      rows_retired: 0,
    });
    expect(journal!.rows_read).toBe(
      journal!.rows_rejected + journal!.rows_inserted + journal!.rows_changed + journal!.rows_unchanged,
    );
    expect(journal!.rejects_stored).toBeGreaterThanOrEqual(3);
    expect(await flows()).toEqual(['X CHN TOTAL 300', 'X KAZ 01 40', 'X KAZ TOTAL 100', 'X UZB TOTAL 6']);

    const rejects = await warehouse.query<{
      run_id: number;
      load_id: number;
      file: string;
      row_number: number;
      column_name: string | null;
      code: string;
      raw: string;
    }>(
      'select run_id, load_id, file, row_number, column_name, code, raw from rejects order by row_number, reject_id',
    );
    expect(new Set(rejects.map((r) => r.file))).toEqual(new Set([file]));
    expect(new Set(rejects.map((r) => r.load_id))).toEqual(new Set([journal!.load_id]));
    expect(rejects.find((r) => r.row_number === 6)).toMatchObject({
      column_name: 'partnerCode',
      code: 'unknown_country',
    });
    expect(rejects.find((r) => r.row_number === 7)).toMatchObject({ column_name: 'primaryValue' });
    expect(rejects.filter((r) => r.row_number === 8)).toMatchObject([
      { code: 'duplicate_key', column_name: null },
    ]);
    // The row's cells are kept as the file had them.
    expect(JSON.parse(rejects.find((r) => r.row_number === 7)!.raw)).toMatchObject({ primaryValue: 'lots' });

    const shown = await cli(['rejects', '--db', warehouse.db], tmp());
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('pak_2021.csv › row 8 [duplicate_key]: repeats the flow of row 2');
    expect(shown.stdout).toMatch(/pak_2021\.csv › row 7, column "primaryValue" \[\w+\]/);

    const runs = await cli(['runs', '--json', '--db', warehouse.db], tmp());
    expect(runs.code, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toMatchObject([
      { run_id: journal!.run_id, pipeline: 'load', status: 'succeeded', files_loaded: 1 },
    ]);
    const files = await cli(
      ['runs', '--files', String(journal!.run_id), '--json', '--db', warehouse.db],
      tmp(),
    );
    expect(files.code, files.stderr).toBe(0);
    expect(JSON.parse(files.stdout)).toMatchObject([
      { load_id: journal!.load_id, rows_read: 7, rows_rejected: 3 },
    ]);
  });

  it('loads the same bytes once: the second run skips the file and writes nothing', async () => {
    const file = tradeFile('pak_2021.csv', FIRST);
    expect((await load(file)).code).toBe(0);

    const again = await load(file);

    expect(again.code, again.stderr).toBe(0);
    expect((await loadFiles()).map((f) => f.status)).toEqual(['loaded', 'skipped']);
    expect(await warehouse.scalar('select count(*) from trade_flows')).toBe(4);
  });
});

describe('a revised file', () => {
  it('changes, keeps and retires within --replace-scope, with every version in trade_flows_history', async () => {
    expect((await load(tradeFile('pak_2021.csv', FIRST))).code).toBe(0);
    const revised = tradeFile('pak_2021_rev.csv', [
      { partner: 'KAZ', code: 'TOTAL', usd: 110 },
      { partner: 'KAZ', code: '01', usd: 40 },
      { partner: 'CHN', code: 'TOTAL', usd: 290 },
      { partner: 'TUR', code: 'TOTAL', usd: 7 },
    ]);

    const run = await load(revised, '--replace-scope', 'reporter,period,flow');

    expect(run.code, run.stderr).toBe(0);
    expect((await loadFiles())[1]).toMatchObject({
      rows_read: 4,
      rows_inserted: 1,
      rows_changed: 2,
      rows_unchanged: 1,
      rows_retired: 1,
    });
    expect(await flows()).toEqual(['X CHN TOTAL 290', 'X KAZ 01 40', 'X KAZ TOTAL 110', 'X TUR TOTAL 7']);
    expect(
      await warehouse.query(
        `select partner_iso3, value_usd, valid_from_load, closed_by from trade_flows_history
         where valid_to_load = 2 order by partner_iso3`,
      ),
    ).toEqual([
      { partner_iso3: 'CHN', value_usd: 300, valid_from_load: 1, closed_by: 'changed' },
      { partner_iso3: 'KAZ', value_usd: 100, valid_from_load: 1, closed_by: 'changed' },
      { partner_iso3: 'UZB', value_usd: 6, valid_from_load: 1, closed_by: 'retired' },
    ]);
  });

  it('an imports file retires nothing of the exports, even with the flow outside its scope', async () => {
    expect((await load(tradeFile('pak_x.csv', FIRST))).code).toBe(0);
    const imports = tradeFile('pak_m.csv', [
      { partner: 'KAZ', flow: 'M', code: 'TOTAL', usd: 55 },
      { partner: 'CHN', flow: 'M', code: 'TOTAL', usd: 500 },
    ]);

    const run = await load(imports, '--replace-scope', 'reporter,period,flow');

    expect(run.code, run.stderr).toBe(0);
    expect((await loadFiles())[1]).toMatchObject({ rows_inserted: 2, rows_changed: 0, rows_retired: 0 });
    expect(await flows()).toEqual([
      'M CHN TOTAL 500',
      'M KAZ TOTAL 55',
      'X CHN TOTAL 300',
      'X KAZ 01 40',
      'X KAZ TOTAL 100',
      'X UZB TOTAL 6',
    ]);
    expect(
      await warehouse.scalar('select count(*) from trade_flows_history where valid_to_load is not null'),
    ).toBe(0);
  });
});

describe('rows whose file says only HS', () => {
  /** A Comtrade+ row of `code` in 2021 whose classification says only "HS". */
  const hsRow = (code: string, usd = 100) =>
    plusRow({ classificationCode: 'HS', cmdCode: code, primaryValue: usd, fobvalue: usd });
  const editions = () =>
    warehouse.query('select hs_code, hs_edition, value_usd, load_id from trade_flows order by hs_code');

  it('get the edition their codes fit, and an earlier load kept as HS takes it: one flow, its figure versioned', async () => {
    // Load 1 cannot infer (100190 ends with HS 2007, 100199 starts with HS 2012): both stay HS.
    expect((await load(comtradeFile('first.csv', [hsRow('100190'), hsRow('100199')]))).code).toBe(0);
    // Load 2 holds 100199 alone: H5 in 2021; load 1's 100199 is the same flow, revised.
    const second = await load(comtradeFile('second.csv', [hsRow('100199', 120)]));

    expect(second.code, second.stderr).toBe(0);
    expect(await editions()).toEqual([
      { hs_code: '100190', hs_edition: 'HS', value_usd: 100, load_id: 1 },
      { hs_code: '100199', hs_edition: 'H5', value_usd: 120, load_id: 2 },
    ]);
    expect(
      await warehouse.query(
        'select hs_code, hs_edition, value_usd, load_id, valid_to_load, closed_by from trade_flow_rows_closed',
      ),
    ).toEqual([
      {
        hs_code: '100199',
        hs_edition: 'H5',
        value_usd: 100,
        load_id: 1,
        valid_to_load: 2,
        closed_by: 'changed',
      },
    ]);
    expect((await loadFiles())[1]).toMatchObject({ rows_inserted: 0, rows_changed: 1, rows_retired: 0 });
  });

  it('retire an earlier HS row whose flow an earlier load holds under the edition given now', async () => {
    expect((await load(comtradeFile('declared.csv', [hsRow('100199')]), '--edition', 'H5')).code).toBe(0);
    expect((await load(comtradeFile('mixed.csv', [hsRow('100190'), hsRow('100199')]))).code).toBe(0);

    const third = await load(comtradeFile('third.csv', [hsRow('100199', 130)]));

    expect(third.code, third.stderr).toBe(0);
    expect(await editions()).toEqual([
      { hs_code: '100190', hs_edition: 'HS', value_usd: 100, load_id: 2 },
      { hs_code: '100199', hs_edition: 'H5', value_usd: 130, load_id: 3 },
    ]);
    expect((await loadFiles())[2]).toMatchObject({ rows_changed: 1, rows_retired: 1 });
    expect(
      await warehouse.query(
        'select hs_edition, load_id, valid_to_load, closed_by from trade_flow_rows_closed order by load_id',
      ),
    ).toEqual([
      { hs_edition: 'H5', load_id: 1, valid_to_load: 3, closed_by: 'changed' },
      { hs_edition: 'HS', load_id: 2, valid_to_load: 3, closed_by: 'retired' },
    ]);
  });
});

describe('atomicity', () => {
  /** What the fact tables and rejects hold, in full, to compare before and after. */
  const snapshot = async () => ({
    flows: await warehouse.query('select * from trade_flow_rows order by source_row, hs_code, partner_iso3'),
    closed: await warehouse.query('select * from trade_flow_rows_closed order by source_row, hs_code'),
    rejects: await warehouse.scalar('select count(*) from rejects'),
  });

  it('a file that fails after its rows were written leaves the warehouse as it was, journaled as failed', async () => {
    expect((await load(tradeFile('pak_2021.csv', FIRST))).code).toBe(0);
    const before = await snapshot();
    // Codes of HS 2017 only, declared HS 2012: the contradiction shows after every row is written.
    const hsRow = (code: string, partner: string) =>
      plusRow({ classificationCode: 'HS', cmdCode: code, partnerISO: partner, partnerCode: 398 });
    const wrong = comtradeFile('wrong.csv', [
      hsRow('293131', 'KAZ'),
      hsRow('293132', 'KAZ'),
      plusRow({ primaryValue: 'lots', fobvalue: 'lots' }),
    ]);

    const run = await load(wrong, '--edition', 'H4');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('293131 (row 2)');
    expect((await loadFiles())[1]).toMatchObject({
      file_name: 'wrong.csv',
      status: 'failed',
      error_code: 'hs_edition_contradicted',
      rows_loaded: 0,
      rows_rejected: 0,
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('two loads at once', () => {
  it('into the same table: the second waits for the first and merges against its rows', async () => {
    const figures = (usd: number) =>
      ['KAZ', 'CHN', 'UZB', 'TUR', 'AFG', 'IND', 'RUS', 'IRN'].flatMap((partner) =>
        ['TOTAL', '01', '02', '03', '04', '05'].map((code) => ({ partner, code, usd })),
      );
    const one = tradeFile('one.csv', figures(10));
    const two = tradeFile('two.csv', figures(20));

    const runs = await Promise.all([load(one), load(two)]);

    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const journal = await loadFiles();
    expect(journal.map((f) => f.status)).toEqual(['loaded', 'loaded']);
    // Whichever went first inserted the 48 flows; the other changed every one of them.
    expect(journal.map((f) => [f.rows_inserted, f.rows_changed]).sort()).toEqual([
      [0, 48],
      [48, 0],
    ]);
    expect(await warehouse.scalar('select count(*) from trade_flows')).toBe(48);
    expect(await warehouse.scalar('select count(*) from trade_flow_rows_closed')).toBe(48);
  });
});

describe('corridor revert', () => {
  it('undoes a revision: the earlier figures are current again, the reverted ones stay in the history', async () => {
    expect((await load(tradeFile('pak_2021.csv', FIRST))).code).toBe(0);
    const revised = tradeFile('pak_2021_rev.csv', [
      { partner: 'KAZ', code: 'TOTAL', usd: 110 },
      { partner: 'KAZ', code: '01', usd: 40 },
      { partner: 'CHN', code: 'TOTAL', usd: 300 },
      { partner: 'TUR', code: 'TOTAL', usd: 7 },
    ]);
    expect((await load(revised, '--replace-scope', 'reporter,period,flow')).code).toBe(0);

    const run = await cli(['revert', '2', '--no-derive', '--db', warehouse.db], tmp());

    expect(run.code, run.stderr).toBe(0);
    expect(await flows()).toEqual(['X CHN TOTAL 300', 'X KAZ 01 40', 'X KAZ TOTAL 100', 'X UZB TOTAL 6']);
    const journal = await loadFiles();
    expect(journal[1]).toMatchObject({ load_id: 2, reverted_by: 3 });
    expect(journal[2]).toMatchObject({ load_id: 3, status: 'loaded', reverts_load_id: 2 });
    expect(
      await warehouse.query(
        `select partner_iso3, value_usd from trade_flows_history
         where closed_by = 'reverted' and valid_to_load = 3 order by partner_iso3`,
      ),
    ).toEqual([
      { partner_iso3: 'KAZ', value_usd: 110 },
      { partner_iso3: 'TUR', value_usd: 7 },
    ]);
    // Reverted, the revision's file loads again when offered.
    expect((await load(revised, '--replace-scope', 'reporter,period,flow')).code).toBe(0);
    expect((await loadFiles())[3]).toMatchObject({ status: 'loaded', rows_changed: 1, rows_retired: 1 });

    const refused = await cli(['revert', '2', '--no-derive', '--db', warehouse.db], tmp());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/load 3 already reverted it/);
  });
});
