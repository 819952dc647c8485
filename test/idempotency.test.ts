/**
 * Re-running, revising and failing: the load guarantees of the README, checked on a real
 * warehouse file. "Nothing lost, nothing doubled; re-running changes nothing; revisions merge
 * by key and keep the old values; a file is the unit of atomicity."
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

const HEADER =
  'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,netWgt,primaryValue';

interface Flow {
  period: string;
  flow: 'X' | 'M';
  partner: [number, string];
  cmd: string;
  value: number;
  weight?: number;
}

const line = (f: Flow) =>
  `A,${f.period},586,PAK,${f.flow},${f.partner[0]},${f.partner[1]},${f.cmd},${f.weight ?? ''},${f.value}`;

function writeFile(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

const writeFlows = (name: string, flows: readonly Flow[]) =>
  writeFile(name, `${HEADER}\n${flows.map(line).join('\n')}\n`);

const load = (file: string, ...extra: string[]) =>
  cli(['load', file, '--source', 'comtrade', '--db', dbPath(), ...extra]);

const KAZ: [number, string] = [398, 'KAZ'];
const CHN: [number, string] = [156, 'CHN'];
const AFG: [number, string] = [4, 'AFG'];

const V1_2023: Flow[] = [
  { period: '2023', flow: 'X', partner: KAZ, cmd: 'TOTAL', value: 183917420.518 },
  { period: '2023', flow: 'M', partner: KAZ, cmd: 'TOTAL', value: 15582936.405 },
  { period: '2023', flow: 'X', partner: KAZ, cmd: '520512', value: 1000, weight: 250 },
  { period: '2023', flow: 'X', partner: CHN, cmd: 'TOTAL', value: 2500000000 },
  { period: '2023', flow: 'M', partner: AFG, cmd: '080521', value: 77, weight: 10 },
];

const V1_2022: Flow[] = [
  { period: '2022', flow: 'X', partner: KAZ, cmd: 'TOTAL', value: 112604873.29 },
  { period: '2022', flow: 'M', partner: KAZ, cmd: 'TOTAL', value: 64291307.846 },
  { period: '2022', flow: 'M', partner: CHN, cmd: '720851', value: 4444, weight: 5000 },
];

/** v1 2023 revised: two values changed, the AFG row withdrawn. */
const V2_2023: Flow[] = [
  { ...V1_2023[0]!, value: 184000000 },
  V1_2023[1]!,
  { ...V1_2023[2]!, value: 1100, weight: 260 },
  V1_2023[3]!,
];

const ORDER =
  'source, reporter_iso3, period, flow, partner_iso3, partner2_iso3, hs_edition, hs_code, mode_of_transport, customs_procedure';

/** Every trade_flows row, in key order, with every column. */
const dump = () => query<Record<string, unknown>>(dbPath(), `select * from trade_flows order by ${ORDER}`);
const rejectsDump = () => query(dbPath(), 'select * from rejects order by reject_id');

interface LoadFileRow {
  load_id: number;
  file_name: string;
  status: string;
  sha256: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_replaced: number;
  rows_inserted: number;
  rows_changed: number;
  rows_unchanged: number;
  rows_retired: number;
  same_as_load_id: number | null;
  superseded_by: number | null;
  error_code: string | null;
  error_message: string | null;
  notes: string | null;
}

const loadFiles = () => query<LoadFileRow>(dbPath(), 'select * from load_files order by load_id');

/** The rows a file of `flows` should leave, as (period, flow, partner, hs_code, value). */
const expectedRows = (flows: readonly Flow[]) =>
  flows
    .map((f) => ({
      period: f.period,
      flow: f.flow,
      partner_iso3: f.partner[1],
      hs_code: f.cmd,
      value_usd: f.value,
      net_weight_kg: f.weight ?? null,
    }))
    .sort((a, b) =>
      `${a.period}|${a.flow}|${a.partner_iso3}|${a.hs_code}`.localeCompare(
        `${b.period}|${b.flow}|${b.partner_iso3}|${b.hs_code}`,
      ),
    );

const currentRows = () =>
  query(
    dbPath(),
    `select period, flow, partner_iso3, hs_code, value_usd, net_weight_kg from trade_flows order by period, flow, partner_iso3, hs_code`,
  );

function expectJournalBalanced(): void {
  for (const f of loadFiles().filter((l) => l.status === 'loaded'))
    expect(f.rows_read, f.file_name).toBe(f.rows_loaded + f.rows_rejected);
}

describe('re-running a load', () => {
  it('skips a file whose bytes are already loaded, under any name, and leaves trade_flows unchanged', async () => {
    const file = writeFlows('pak_2022_2023.csv', [...V1_2022, ...V1_2023]);
    expect((await load(file)).code).toBe(0);
    const before = dump();

    const again = await load(file);
    const copy = join(tmp(), 'renamed_copy.csv');
    copyFileSync(file, copy);
    const renamed = await load(copy);

    expect(again.code).toBe(0);
    expect(renamed.code).toBe(0);
    expect(again.stdout).toMatch(/skipped/);
    expect(again.stderr).toMatch(/SKIP/);
    const [first, second, third] = loadFiles();
    expect(second).toMatchObject({
      status: 'skipped',
      same_as_load_id: first!.load_id,
      sha256: first!.sha256,
    });
    expect(third).toMatchObject({
      status: 'skipped',
      file_name: 'renamed_copy.csv',
      same_as_load_id: first!.load_id,
    });
    expect(first!.superseded_by).toBeNull();
    expect(dump()).toEqual(before);
    expect(
      query(
        dbPath(),
        'select status, files_skipped, files_loaded, rows_loaded from load_runs order by run_id',
      ),
    ).toEqual([
      { status: 'succeeded', files_skipped: 0, files_loaded: 1, rows_loaded: 8 },
      { status: 'succeeded', files_skipped: 1, files_loaded: 0, rows_loaded: 0 },
      { status: 'succeeded', files_skipped: 1, files_loaded: 0, rows_loaded: 0 },
    ]);
  });

  it('reloads with --force and yields identical rows, writing no new version', async () => {
    const file = writeFlows('pak_2022_2023.csv', [...V1_2022, ...V1_2023]);
    expect((await load(file)).code).toBe(0);
    const before = dump();

    const forced = await load(file, '--force');

    expect(forced.code).toBe(0);
    const [first, second] = loadFiles();
    expect(second).toMatchObject({
      status: 'loaded',
      rows_read: 8,
      rows_loaded: 8,
      rows_inserted: 0,
      rows_changed: 0,
      rows_unchanged: 8,
      rows_replaced: 0,
    });
    // A newer load of the same file: the first is its older version.
    expect(first!.superseded_by).toBe(second!.load_id);
    expect(dump()).toEqual(before);
    expect(scalar(dbPath(), 'select count(*) from trade_flow_rows_closed')).toBe(0);
    expectJournalBalanced();
  });
});

describe('revisions', () => {
  it('merges a revised file by key: changed figures versioned, a row it no longer holds kept (merge only)', async () => {
    expect((await load(writeFlows('pak_2023.csv', V1_2023))).code).toBe(0);

    const revised = await load(writeFlows('pak_2023_revised_2024-06.csv', V2_2023));

    expect(revised.code).toBe(0);
    const [v1, v2] = loadFiles();
    expect(v2).toMatchObject({
      status: 'loaded',
      rows_read: 4,
      rows_loaded: 4,
      rows_changed: 2,
      rows_unchanged: 2,
      rows_retired: 0,
    });
    // Another file name: not a newer version of the same file.
    expect(v1!.superseded_by).toBeNull();
    expect(currentRows()).toEqual(expectedRows([...V2_2023, V1_2023[4]!]));
    // The figures of another file changed: the journal says which, as a warning.
    expect(v2!.notes ?? '').toContain('gave 2 figures of pak_2023.csv (load 1) new values');
    expect(revised.stderr).toMatch(/new values/);
    expectJournalBalanced();
  });

  it('retires what a revision no longer holds only inside the scope declared with --replace-scope', async () => {
    expect((await load(writeFlows('pak_2022_2023.csv', [...V1_2022, ...V1_2023]))).code).toBe(0);
    const rows2022 = () =>
      query(dbPath(), `select * from trade_flows where period = '2022' order by ${ORDER}`);
    const before2022 = rows2022();

    const revised = await load(
      writeFlows('pak_2023_revised.csv', V2_2023),
      '--replace-scope',
      'reporter,period',
    );

    expect(revised.code).toBe(0);
    const [v1, v2] = loadFiles();
    expect(v2).toMatchObject({ rows_loaded: 4, rows_changed: 2, rows_retired: 1, rows_replaced: 3 });
    expect(rows2022()).toEqual(before2022);
    expect(new Set(before2022.map((r) => r.load_id))).toEqual(new Set([v1!.load_id]));
    expect(currentRows()).toEqual(expectedRows([...V1_2022, ...V2_2023]));
    expect(scalar(dbPath(), "select closed_by from trade_flows_history where partner_iso3 = 'AFG'")).toBe(
      'retired',
    );
    expectJournalBalanced();
  });

  it('changes nothing when a file and its partial revision are loaded again together', async () => {
    const full = writeFlows('pak_2022_2023.csv', [...V1_2022, ...V1_2023]);
    const revision = writeFlows('pak_2023_revised.csv', V2_2023);
    expect((await cli(['load', full, revision, '--source', 'comtrade', '--db', dbPath()])).code).toBe(0);
    const before = dump();

    const again = await cli(['load', full, revision, '--source', 'comtrade', '--db', dbPath()]);

    expect(again.code).toBe(0);
    expect(
      loadFiles()
        .slice(2)
        .map((f) => f.status),
    ).toEqual(['skipped', 'skipped']);
    expect(dump()).toEqual(before);
    expect(currentRows()).toEqual(expectedRows([...V1_2022, ...V2_2023, V1_2023[4]!]));
  });

  it('skips an earlier version after a revision (its bytes are loaded); --force makes its figures current again', async () => {
    const v1File = writeFlows('pak_2023.csv', V1_2023);
    expect((await load(v1File)).code).toBe(0);
    expect((await load(writeFlows('pak_2023_v2.csv', V2_2023))).code).toBe(0);

    const back = await load(v1File);
    expect(back.code).toBe(0);
    expect(loadFiles()[2]).toMatchObject({ status: 'skipped', same_as_load_id: 1 });

    const forced = await load(v1File, '--force');
    expect(forced.code).toBe(0);
    expect(loadFiles()[3]).toMatchObject({
      status: 'loaded',
      rows_loaded: 5,
      rows_changed: 2,
      rows_unchanged: 3,
    });
    expect(currentRows()).toEqual(expectedRows(V1_2023));
    // Every value each key ever had is in the history.
    expect(
      scalar(
        dbPath(),
        "select count(*) from trade_flows_history where partner_iso3 = 'KAZ' and hs_code = 'TOTAL' and flow = 'X'",
      ),
    ).toBe(3);
    expectJournalBalanced();
  });
});

describe('a failure in the middle of a file', () => {
  /** A warehouse with PAK 2021 rows, a reject, and another reporter's rows. */
  async function seedWarehouse(): Promise<void> {
    const seed = writeFile(
      'pak_2021_first.csv',
      [
        HEADER,
        'A,2021,586,PAK,X,398,KAZ,TOTAL,,68912305.664',
        'A,2021,586,PAK,M,398,KAZ,TOTAL,,128087641.352',
        'A,2021,586,PAK,M,398,KAZ,8703.2,,18450.25',
        'A,2021,398,KAZ,X,586,PAK,TOTAL,,65892535.39',
        '',
      ].join('\n'),
    );
    const run = await load(seed, '--reject-threshold', '1');
    expect(run.code).toBe(0);
    expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(3);
    expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(1);
  }

  function snapshot() {
    return {
      flows: dump(),
      rejects: rejectsDump(),
      earlierLoads: query(dbPath(), 'select * from load_files order by load_id'),
    };
  }

  it('leaves the warehouse as it was when a CSV turns out not to be UTF-8 after 600 KB of valid rows', async () => {
    await seedWarehouse();
    const before = snapshot();
    // Rows of the same slice (PAK 2021) and of a new one (PAK 2020), some of them bad, so the
    // failing file has already replaced, inserted and rejected rows when it fails.
    const rows: string[] = [HEADER];
    let size = 0;
    for (let i = 0; size < 600 * 1024; i++) {
      const bad = i % 500 === 7;
      const row = `A,${i % 2 === 0 ? 2021 : 2020},586,PAK,X,156,CHN,${bad ? 'x' : 100000 + i},,${i + 1}`;
      rows.push(row);
      size += row.length + 1;
    }
    const valid = Buffer.from(`${rows.join('\n')}\n`, 'utf8');
    const file = writeFile(
      'pak_2020_2021_broken.csv',
      Buffer.concat([
        valid,
        Buffer.from('A,2021,586,PAK,X,4,AFG,', 'utf8'),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe]), // an invalid UTF-8 sequence
        Buffer.from(',,1\nA,2021,586,PAK,X,4,AFG,52,,2\n', 'utf8'),
      ]),
    );

    const run = await load(file);

    expect(run.code).toBe(1);
    const failed = loadFiles().at(-1)!;
    expect(failed).toMatchObject({ file_name: 'pak_2020_2021_broken.csv', status: 'failed', rows_loaded: 0 });
    expect(failed.error_message).toMatch(/UTF-8/);
    expect(failed.error_message).toMatch(/byte/);
    expect(run.stderr).toContain(failed.error_message!);
    expect(snapshot().flows).toEqual(before.flows);
    expect(snapshot().rejects).toEqual(before.rejects);
    // The journal gained only the failed file; the earlier loads are not marked superseded.
    expect(
      query(dbPath(), 'select * from load_files where load_id < ? order by load_id', failed.load_id),
    ).toEqual(before.earlierLoads);
  });

  it('refuses a CSV whose first 200 KB are UTF-8 with accented names and then holds an invalid byte, rather than garbling it as Windows-1252', async () => {
    await seedWarehouse();
    const before = snapshot();
    const rows: string[] = ['reporterCode,partnerDesc,flowCode,period,cmdCode,primaryValue'];
    let size = 0;
    for (let i = 0; size < 200 * 1024; i++) {
      const row = `586,Côte d'Ivoire,M,2021,${100000 + i},${i + 1}`;
      rows.push(row);
      size += Buffer.byteLength(row) + 1;
    }
    const file = writeFile(
      'pak_civ_2021.csv',
      Buffer.concat([
        Buffer.from(`${rows.join('\n')}\n586,China,M,2021,`, 'utf8'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(',1\n', 'utf8'),
      ]),
    );

    const run = await load(file);

    expect(run.code).toBe(1);
    expect(loadFiles().at(-1)).toMatchObject({ status: 'failed', error_code: 'bad_encoding' });
    expect(snapshot().flows).toEqual(before.flows);
  });

  it('leaves the warehouse as it was when a JSON reply is cut off in the middle of record 3000', async () => {
    await seedWarehouse();
    const before = snapshot();
    const records = Array.from({ length: 4000 }, (_, i) => ({
      freqCode: 'A',
      period: i % 2 === 0 ? '2021' : '2019',
      reporterCode: 586,
      reporterISO: 'PAK',
      flowCode: 'M',
      partnerCode: 156,
      partnerISO: 'CHN',
      cmdCode: i % 700 === 3 ? 'not-hs' : String(100000 + i),
      netWgt: null,
      primaryValue: i + 0.5,
    }));
    const text = JSON.stringify({ elapsedTime: '9.1 secs', count: records.length, data: records, error: '' });
    const cut = text.indexOf(`"cmdCode":"${100000 + 2999}"`); // record 3000 (1-based)
    expect(cut).toBeGreaterThan(0);
    const file = writeFile('pak_cut_off.json', text.slice(0, cut + 14));

    const run = await load(file);

    expect(run.code).toBe(1);
    const failed = loadFiles().at(-1)!;
    expect(failed).toMatchObject({ file_name: 'pak_cut_off.json', status: 'failed', rows_loaded: 0 });
    expect(failed.error_message).toMatch(/pak_cut_off\.json looks cut off: the JSON ends at byte [\d,]+/);
    expect(run.stderr).toContain('pak_cut_off.json');
    expect(run.stderr).not.toContain('    at ');
    expect(snapshot().flows).toEqual(before.flows);
    expect(snapshot().rejects).toEqual(before.rejects);
    expect(
      query(dbPath(), 'select * from load_files where load_id < ? order by load_id', failed.load_id),
    ).toEqual(before.earlierLoads);
  });
});
