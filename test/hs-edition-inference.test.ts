/**
 * HS editions inferred for files whose classification says only "HS" (docs/hs-editions.md):
 * the codes first, then the period, else the edition in force, flagged; `--edition` and a
 * pipeline's `edition:` declare it. Comtrade+ CSVs and a generic table written here, loaded
 * through the CLI into a real warehouse and read back from the SQLite file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EditionBook, editionInForce, inferHsEditions } from '../src/normalize/hs-edition-inference.ts';
import { type Cell, csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();
beforeEach(() => warehouseAt(dbPath()));
afterEach(() => {
  delete process.env.CORRIDOR_PARALLEL_MIN_BYTES;
});

// Codes by the editions that hold them (warehouse/reference/hs, checked in the first test):
const H5_ONLY = ['293131', '293132']; // phosphonates: created by HS 2017, gone in HS 2022
const H4_TO_H6 = ['010121', '010129']; // pure-bred and other horses: HS 2012 onwards
const H0_TO_H2 = ['020820']; // frog legs as 020820: HS 1992–2002
const H0_TO_H3 = ['100190']; // wheat other than durum, before HS 2012 split it
const H4_ON = ['100199'];

/** A Comtrade+ row of `code` in `year`, classification "HS" unless said otherwise. */
const hsRow = (code: string, year: number, over: Partial<Record<(typeof PLUS_HEADER)[number], Cell>> = {}) =>
  plusRow({
    classificationCode: 'HS',
    cmdCode: code,
    refYear: year,
    period: String(year),
    primaryValue: 100,
    fobvalue: 100,
    ...over,
  });

function comtradeFile(name: string, rows: readonly Cell[][]): string {
  const path = join(tmp(), name);
  writeFileSync(path, csvText(PLUS_HEADER, rows));
  return path;
}

const load = (file: string, ...extra: string[]) =>
  cli(['load', file, '--source', 'comtrade', '--db', dbPath(), '--no-derive', ...extra]);

const editions = () =>
  query<{ period: string; hs_code: string; hs_edition: string }>(
    dbPath(),
    'select period, hs_code, hs_edition from trade_flows order by period, hs_code',
  );
const notesOf = (fileName: string): string[] =>
  JSON.parse(
    scalar<string | null>(dbPath(), 'select notes from load_files where file_name = ?', fileName) ?? '[]',
  );

describe('the codes decide first', () => {
  it('checks the fixture codes against the reference: each is valid in exactly the editions named above', () => {
    const holders = (code: string) =>
      query<{ edition: string }>(
        dbPath(),
        "select edition from hs_codes where code = ? and edition <> 'HS' order by edition",
        code,
      ).map((r) => r.edition);
    expect(H5_ONLY.map(holders)).toEqual([['H5'], ['H5']]);
    expect(H4_TO_H6.map(holders)).toEqual([
      ['H4', 'H5', 'H6'],
      ['H4', 'H5', 'H6'],
    ]);
    expect(holders(H0_TO_H2[0]!)).toEqual(['H0', 'H1', 'H2']);
    expect(holders(H0_TO_H3[0]!)).toEqual(['H0', 'H1', 'H2', 'H3']);
    expect(holders(H4_ON[0]!)).toEqual(['H4', 'H5', 'H6']);
  });

  it('loads codes valid only in HS 2017 as H5 even in 2023, when HS 2022 was in force, and shows them in trade_flows_converted', async () => {
    const file = comtradeFile('hs_2023.csv', [
      hsRow('TOTAL', 2023, { primaryValue: 500, fobvalue: 500 }),
      ...H5_ONLY.map((c) => hsRow(c, 2023)),
    ]);

    const run = await load(file);

    expect(run.code, run.stderr).toBe(0);
    expect(editions()).toEqual([
      { period: '2023', hs_code: '293131', hs_edition: 'H5' },
      { period: '2023', hs_code: '293132', hs_edition: 'H5' },
      { period: '2023', hs_code: 'TOTAL', hs_edition: 'H5' },
    ]);
    expect(notesOf('hs_2023.csv')).toContain(
      'HS edition H5 inferred for 2023: every one of 2 codes is valid in H5 and in no other edition (H6 was in force in 2023; the codes win).',
    );
    // Converted into the target edition like any H5 file: every reported code, its whole value.
    const converted = query<{ reported_hs_edition: string; reported_hs_code: string; value_usd: number }>(
      dbPath(),
      `select reported_hs_edition, reported_hs_code, round(sum(value_usd), 6) as value_usd
       from trade_flows_converted group by reported_hs_edition, reported_hs_code order by reported_hs_code`,
    );
    expect(converted).toEqual([
      { reported_hs_edition: 'H5', reported_hs_code: '293131', value_usd: 100 },
      { reported_hs_edition: 'H5', reported_hs_code: '293132', value_usd: 100 },
      { reported_hs_edition: 'H5', reported_hs_code: 'TOTAL', value_usd: 500 },
    ]);
  });

  it('keeps a file whose codes no edition holds together as HS, says why in the run summary, and loads every row', async () => {
    const file = comtradeFile('mixed.csv', [hsRow(H0_TO_H3[0]!, 2021), hsRow(H4_ON[0]!, 2021)]);

    const run = await load(file);

    expect(run.code, run.stderr).toBe(0);
    expect(editions().map((r) => r.hs_edition)).toEqual(['HS', 'HS']);
    const [note] = notesOf('mixed.csv').filter((n) => n.startsWith('HS edition'));
    expect(note).toMatch(/^HS edition not inferred for 2021: no edition holds every one of its 2 codes/);
    expect(note).toBe(
      'HS edition not inferred for 2021: no edition holds every one of its 2 codes: H5 holds 1, but 100190 (row 2) is in H0–H3 only. Its rows keep the edition HS (not stated) and stay out of the converted views; split the file by edition, or check the codes.',
    );
    expect(run.stdout + run.stderr).toContain('HS edition not inferred for 2021');
  });
});

describe('then the period, among the editions the codes allow', () => {
  it('gives codes valid in H4, H5 and H6 the edition in force in each year of a file that spans editions', async () => {
    const file = comtradeFile(
      'horses.csv',
      [2015, 2019, 2023].flatMap((year) => H4_TO_H6.map((c) => hsRow(c, year))),
    );

    const run = await load(file);

    expect(run.code, run.stderr).toBe(0);
    expect(editions().map((r) => `${r.period} ${r.hs_code} ${r.hs_edition}`)).toEqual([
      '2015 010121 H4',
      '2015 010129 H4',
      '2019 010121 H5',
      '2019 010129 H5',
      '2023 010121 H6',
      '2023 010129 H6',
    ]);
    expect(notesOf('horses.csv')).toEqual(
      expect.arrayContaining([
        'HS edition H4 inferred for 2015: every one of 2 codes is valid in H4–H6; H4 was in force in 2015.',
        'HS edition H5 inferred for 2019: every one of 2 codes is valid in H4–H6; H5 was in force in 2019.',
        'HS edition H6 inferred for 2023: every one of 2 codes is valid in H4–H6; H6 was in force in 2023.',
      ]),
    );
  });

  it('flags the newest edition that holds codes of older editions only, when the one in force does not (reporters lag)', async () => {
    const file = comtradeFile('frogs.csv', [hsRow(H0_TO_H2[0]!, 2020)]);

    expect((await load(file)).code).toBe(0);

    expect(editions()).toEqual([{ period: '2020', hs_code: '020820', hs_edition: 'H2' }]);
    expect(notesOf('frogs.csv').join('\n')).toContain(
      'HS edition H2 inferred for 2020 (flagged: nearest to the edition in force): every one of 1 code is valid in H0–H2 but not all in H5, in force in 2020',
    );
  });

  it('gives a file of TOTAL and chapter rows only the edition in force, flagged as assumed', async () => {
    const file = comtradeFile('totals.csv', [
      hsRow('TOTAL', 2016),
      hsRow('TOTAL', 2020),
      hsRow('52', 2020),
      hsRow('TOTAL', 2020, { partnerCode: 0, partnerISO: 'W00', partnerDesc: 'World' }),
    ]);

    expect((await load(file)).code).toBe(0);

    expect(editions().map((r) => `${r.period} ${r.hs_code} ${r.hs_edition}`)).toEqual([
      '2016 TOTAL H4',
      '2020 52 H5',
      '2020 TOTAL H5',
      '2020 TOTAL H5',
    ]);
    const notes = notesOf('totals.csv');
    expect(notes).toContain(
      'HS edition H4 assumed for 2016 (flagged: the codes do not tell): the file holds only codes that every edition shares (TOTAL); H4 was in force in 2016. Declare --edition if the reporter used another.',
    );
    expect(notes.some((n) => n.startsWith('HS edition H5 assumed for 2020 (flagged'))).toBe(true);
  });
});

describe('a file that spans an edition change', () => {
  it('infers each year by its own codes: a year whose codes fit the edition in force keeps it, whatever a later year holds', async () => {
    // 2016 holds only chapter 52 (valid in every edition); 2018 holds codes that exist from HS 2017 on.
    const file = comtradeFile('span.csv', [hsRow('52', 2016), ...H5_ONLY.map((c) => hsRow(c, 2018))]);
    expect((await load(file)).code).toBe(0);
    expect(editions().map((r) => `${r.period} ${r.hs_code} ${r.hs_edition}`)).toEqual([
      '2016 52 H4',
      '2018 293131 H5',
      '2018 293132 H5',
    ]);
    expect(notesOf('span.csv').some((n) => n.startsWith('HS edition H4 assumed for 2016 (flagged'))).toBe(
      true,
    );
  });
});

describe('a declared edition', () => {
  it('--edition H4 gives the rows H4 where the period alone would have chosen H5, and says it was declared', async () => {
    const file = comtradeFile(
      'declared.csv',
      H4_TO_H6.map((c) => hsRow(c, 2019)),
    );

    const run = await load(file, '--edition', 'h4');

    expect(run.code, run.stderr).toBe(0);
    expect(editions().map((r) => r.hs_edition)).toEqual(['H4', 'H4']);
    expect(notesOf('declared.csv')).toContain(
      'HS edition H4 declared; every code of the file is valid in it',
    );
  });

  it('--edition that contradicts the codes fails the file, naming the codes, their rows and the edition that fits; nothing loads', async () => {
    const file = comtradeFile('wrong.csv', [
      hsRow(H4_TO_H6[0]!, 2019),
      ...H5_ONLY.map((c) => hsRow(c, 2019)),
    ]);

    const run = await load(file, '--edition', 'H4');

    expect(run.code).toBe(1);
    const [journal] = query<{ status: string; error_code: string; error_message: string }>(
      dbPath(),
      'select status, error_code, error_message from load_files',
    );
    expect(journal).toMatchObject({ status: 'failed', error_code: 'hs_edition_contradicted' });
    expect(journal!.error_message).toBe(
      'wrong.csv: H4 was declared as its HS edition (--edition, or edition: in the pipeline), but 2 of its 3 codes are not codes of H4: 293131 (row 3), 293132 (row 4). Every code is valid in H5: declare that edition, or leave --edition out and Corridor infers it.',
    );
    expect(run.stderr).toContain('293131 (row 3)');
    expect(scalar(dbPath(), 'select count(*) from trade_flow_rows')).toBe(0);
  });

  it('--edition on a file whose rows state another edition fails, naming the row', async () => {
    const file = comtradeFile('stated.csv', [hsRow('TOTAL', 2019, { classificationCode: 'H5' })]);

    const run = await load(file, '--edition', 'H4');

    expect(run.code).toBe(1);
    expect(scalar(dbPath(), 'select error_message from load_files')).toBe(
      'stated.csv row 2 states the HS edition H5, but H4 was declared (--edition, or edition: in the pipeline). Leave the declaration out for files that state their edition.',
    );
  });

  it('refuses --edition that is not an edition code before loading anything', async () => {
    const file = comtradeFile('bad_option.csv', [hsRow('TOTAL', 2019)]);
    const run = await load(file, '--edition', 'HS2017');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/edition.*H0 \(HS 1992\)/);
  });
});

describe('a declaration where it does not apply', () => {
  it('refuses --edition for BACI, whose file name states the edition, and loads nothing', async () => {
    const sample = join(
      PROJECT_ROOT,
      'sources',
      'baci',
      'samples',
      'BACI_HS17_Y2021_V202401b_illustrative.csv',
    );
    const run = await cli([
      'load',
      sample,
      '--source',
      'baci',
      '--db',
      dbPath(),
      '--no-derive',
      '--edition',
      'H5',
    ]);
    expect(run.code).toBe(1);
    expect(query(dbPath(), 'select status, error_code, error_message from load_files')).toEqual([
      {
        status: 'failed',
        error_code: 'edition_not_applicable',
        error_message:
          'BACI_HS17_Y2021_V202401b_illustrative.csv: --edition (edition: in a pipeline) is for trade files whose classification says only HS; the baci source reads the edition from the file name. Leave it out.',
      },
    ]);
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(0);
  });
});

describe('the generic table source and a pipeline entry', () => {
  function tablePipeline(name: string, extra: string): void {
    mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
    writeFileSync(
      join(tmp(), 'exports.csv'),
      'Partner,Year,Code,Value\nKazakhstan,2018,293131,10\nKazakhstan,2018,010121,20\nUzbekistan,2018,010121,5\n',
    );
    writeFileSync(
      join(tmp(), 'pipelines', `${name}.pipeline.ts`),
      `export default { name: '${name}', sources: [{ source: 'table', files: ['exports.csv'], ${extra}
        table: {
          columns: { partner: { labels: ['Partner'] }, year: { labels: ['Year'] }, code: { labels: ['Code'] }, value: { labels: ['Value'] } },
          figures: ['value'], unit: { default: 'US dollars' },
          map: { reporter: { value: 'PAK' }, partner: { column: 'partner' }, flow: { value: 'X' }, period: { column: 'year' },
                 value: { column: 'value' }, hsCode: { column: 'code' }, hsEdition: { value: 'HS' } },
        } }] };\n`,
    );
  }

  it('infers the edition of a table whose hsEdition constant says HS', async () => {
    tablePipeline('inferred', '');
    const run = await cli(['run', 'inferred', '--db', dbPath(), '--no-derive'], tmp());
    expect(run.code, run.stderr).toBe(0);
    expect([...new Set(editions().map((r) => r.hs_edition))]).toEqual(['H5']);
    expect(notesOf('exports.csv')).toContain(
      'HS edition H5 inferred for 2018: every one of 2 codes is valid in H5 and in no other edition.',
    );
  });

  it("takes the edition a pipeline entry declares with edition: 'H5'", async () => {
    tablePipeline('declared-h5', "edition: 'H5',");
    const run = await cli(['run', 'declared-h5', '--db', dbPath(), '--no-derive'], tmp());
    expect(run.code, run.stderr).toBe(0);
    expect([...new Set(editions().map((r) => r.hs_edition))]).toEqual(['H5']);
    expect(notesOf('exports.csv')).toContain('HS edition H5 declared; every code of the file is valid in it');
  });
});

describe('held rows, and rows loaded before', () => {
  it('holds a large file without an edition outside memory and writes every row with it, in order, duplicates rejected (worker thread)', async () => {
    process.env.CORRIDOR_PARALLEL_MIN_BYTES = '1';
    const codes = query<{ code: string }>(
      dbPath(),
      "select code from hs_codes where edition = 'H5' and level = 6 and code not like '98%' and code not like '99%' order by code limit 1000",
    ).map((r) => r.code);
    const months = Array.from({ length: 12 }, (_, i) => i + 1);
    const rows = months.flatMap((m) =>
      codes.map((c) =>
        hsRow(c, 2021, { freqCode: 'M', refMonth: m, period: `2021${String(m).padStart(2, '0')}` }),
      ),
    );
    rows.push(rows[7000]!); // row 12,002 repeats row 7,002
    const file = comtradeFile('monthly.csv', rows);

    const run = await load(file, '--reject-threshold', '1');

    expect(run.code, run.stderr).toBe(0);
    expect(query(dbPath(), 'select hs_edition, count(*) as n from trade_flows group by hs_edition')).toEqual([
      { hs_edition: 'H5', n: 12_000 },
    ]);
    expect(query(dbPath(), 'select rows_read, rows_loaded, rows_rejected from load_files')).toEqual([
      { rows_read: 12_001, rows_loaded: 12_000, rows_rejected: 1 },
    ]);
    expect(query(dbPath(), 'select row_number, code from rejects')).toEqual([
      { row_number: 12_002, code: 'duplicate_key' },
    ]);
  });

  it('gives the flows an earlier load kept as HS the edition a later file of them has: one flow, its figure versioned', async () => {
    // Load 1 cannot infer (codes of two editions): both rows stay HS.
    const first = comtradeFile('first.csv', [hsRow('100190', 2021), hsRow('100199', 2021)]);
    expect((await load(first)).code).toBe(0);
    // Load 2 holds 100199 alone: H5 in 2021. Load 1's 100199 is the same flow, revised.
    const second = await load(
      comtradeFile('second.csv', [hsRow('100199', 2021, { primaryValue: 120, fobvalue: 120 })]),
    );
    expect(second.code, second.stderr).toBe(0);

    expect(
      query(dbPath(), 'select hs_code, hs_edition, value_usd, load_id from trade_flows order by hs_code'),
    ).toEqual([
      { hs_code: '100190', hs_edition: 'HS', value_usd: 100, load_id: 1 },
      { hs_code: '100199', hs_edition: 'H5', value_usd: 120, load_id: 2 },
    ]);
    expect(
      query(
        dbPath(),
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
    expect(
      query(dbPath(), 'select rows_inserted, rows_changed, rows_retired from load_files where load_id = 2'),
    ).toEqual([{ rows_inserted: 0, rows_changed: 1, rows_retired: 0 }]);
    expect(notesOf('second.csv')).toContain(
      "gave 1 row of load 1, stored with the edition not stated (HS), the edition this file's rows of the same flows have, so that each flow is one figure",
    );
  });

  it('retires an earlier HS row whose flow an earlier load already holds under the edition given now', async () => {
    // Load 1: 100199 declared H5. Load 2: the same flow as HS (beside 100190, so not inferred).
    expect((await load(comtradeFile('declared.csv', [hsRow('100199', 2021)]), '--edition', 'H5')).code).toBe(
      0,
    );
    expect((await load(comtradeFile('mixed.csv', [hsRow('100190', 2021), hsRow('100199', 2021)]))).code).toBe(
      0,
    );
    // Load 3: 100199 alone, H5 inferred: it revises load 1's H5 row, and load 2's HS twin goes.
    const third = await load(
      comtradeFile('third.csv', [hsRow('100199', 2021, { primaryValue: 130, fobvalue: 130 })]),
    );
    expect(third.code, third.stderr).toBe(0);

    expect(
      query(dbPath(), 'select hs_code, hs_edition, value_usd, load_id from trade_flows order by hs_code'),
    ).toEqual([
      { hs_code: '100190', hs_edition: 'HS', value_usd: 100, load_id: 2 },
      { hs_code: '100199', hs_edition: 'H5', value_usd: 130, load_id: 3 },
    ]);
    expect(
      query(
        dbPath(),
        'select hs_edition, load_id, valid_to_load, closed_by from trade_flow_rows_closed order by load_id',
      ),
    ).toEqual([
      { hs_edition: 'H5', load_id: 1, valid_to_load: 3, closed_by: 'changed' },
      { hs_edition: 'HS', load_id: 2, valid_to_load: 3, closed_by: 'retired' },
    ]);
    expect(scalar(dbPath(), 'select rows_retired from load_files where load_id = 3')).toBe(1);
    expect(notesOf('third.csv')).toContain(
      'retired 1 row of load 2 stored with the edition not stated (HS): this file holds them under the edition it now has',
    );
  });
});

describe('the rules alone', () => {
  const EDITIONS = ['H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6'];
  /** A book where `100190` is in H0–H3, `100199` in H4–H6 and every other code everywhere. */
  const book: EditionBook = {
    editions: ['HS', ...EDITIONS],
    problem: (edition, code) =>
      (code === '100190' && edition > 'H3') || (code === '100199' && edition < 'H4') ? 'not here' : null,
  };
  const evidence = (year: number, ...codes: string[]) =>
    new Map([[year, new Map(codes.map((c, i) => [c, i + 2]))]]);

  it('takes the UN dates: each edition from 1 January of its year, none before 1988', () => {
    expect(
      [1987, 1988, 1995, 1996, 2001, 2002, 2006, 2007, 2011, 2012, 2016, 2017, 2021, 2022, 2030].map((y) =>
        editionInForce(y, EDITIONS),
      ),
    ).toEqual([null, 'H0', 'H0', 'H1', 'H1', 'H2', 'H2', 'H3', 'H3', 'H4', 'H4', 'H5', 'H5', 'H6', 'H6']);
  });

  it('infers nothing for a year before the Harmonized System, whatever the codes', () => {
    const [choice] = inferHsEditions(evidence(1985, 'TOTAL'), book);
    expect(choice).toMatchObject({ year: 1985, edition: null, basis: 'none' });
  });

  it('decides per year when the file as a whole fits no edition', () => {
    const choices = inferHsEditions(
      new Map([
        [2011, new Map([['100190', 2]])],
        [2012, new Map([['100199', 3]])],
      ]),
      book,
    );
    expect(choices.map((c) => [c.year, c.edition, c.basis, c.scope])).toEqual([
      [2011, 'H3', 'codes_and_period', 'year'],
      [2012, 'H4', 'codes_and_period', 'year'],
    ]);
  });
});
