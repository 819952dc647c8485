/**
 * Loads merge by natural key and keep every version (issue 17), checked through the CLI on real
 * warehouse files: files of one reporter and period never delete each other's figures, a
 * revision changes only what changed, rows are retired only inside a declared coverage, the
 * history answers `--as-of`, `revisions` lists exactly what a load did, and `revert` undoes it.
 * Every load here also keeps read = rejected + inserted + changed + unchanged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

const HEADER =
  'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,netWgt,primaryValue';

type Line = [period: string, flow: 'X' | 'M', partner: string, cmd: string, value: number];
const PARTNER_CODES: Record<string, number> = { KAZ: 398, CHN: 156, AFG: 4, WLD: 0, UZB: 860 };

function extract(name: string, lines: readonly Line[]): string {
  const path = join(tmp(), name);
  const body = lines.map(
    ([period, flow, partner, cmd, value]) =>
      `${period.length === 4 ? 'A' : 'M'},${period.replace('-', '')},586,PAK,${flow},${PARTNER_CODES[partner]},${partner === 'WLD' ? 'W00' : partner},${cmd},,${value}`,
  );
  writeFileSync(path, `${HEADER}\n${body.join('\n')}\n`);
  return path;
}

const load = (file: string, ...extra: string[]) =>
  cli(['load', file, '--source', 'comtrade', '--db', dbPath(), '--no-derive', ...extra]);

const flows = () =>
  query<{ period: string; flow: string; partner_iso3: string; hs_code: string; value_usd: number }>(
    dbPath(),
    'select period, flow, partner_iso3, hs_code, value_usd from trade_flows order by period, flow, partner_iso3, hs_code',
  );

interface Counts {
  load_id: number;
  status: string;
  rows_read: number;
  rows_rejected: number;
  rows_aggregate: number;
  rows_loaded: number;
  rows_inserted: number;
  rows_changed: number;
  rows_unchanged: number;
  rows_retired: number;
}
const loads = () =>
  query<Counts>(
    dbPath(),
    `select load_id, status, rows_read, rows_rejected, rows_aggregate, rows_loaded, rows_inserted, rows_changed,
            rows_unchanged, rows_retired from load_files order by load_id`,
  );

// The invariant of every load in this file: figures read = rejected + inserted + changed + unchanged.
afterEach(() => {
  try {
    for (const l of loads().filter((f) => f.status === 'loaded')) {
      expect(l.rows_read).toBe(
        l.rows_rejected + l.rows_aggregate + l.rows_inserted + l.rows_changed + l.rows_unchanged,
      );
      expect(l.rows_loaded).toBe(l.rows_inserted + l.rows_changed + l.rows_unchanged);
    }
  } catch (error) {
    if (!/no such table|unable to open/i.test(String(error))) throw error;
  }
});

const EXPORTS_2023: Line[] = [
  ['2023', 'X', 'KAZ', 'TOTAL', 183917420],
  ['2023', 'X', 'KAZ', '52', 55000000],
  ['2023', 'X', 'CHN', 'TOTAL', 2500000000],
];
const IMPORTS_2023: Line[] = [
  ['2023', 'M', 'KAZ', 'TOTAL', 15582936],
  ['2023', 'M', 'KAZ', '31', 9000000],
];

describe('files of one reporter and period', () => {
  it.each([
    ['exports, then imports', EXPORTS_2023, IMPORTS_2023],
    ['imports, then exports', IMPORTS_2023, EXPORTS_2023],
  ])('keeps both when loading %s', async (_, first, second) => {
    expect((await load(extract('first.csv', first))).code).toBe(0);
    const run = await load(extract('second.csv', second));

    expect(run.code).toBe(0);
    expect(flows()).toHaveLength(5);
    expect(scalar(dbPath(), "select count(*) from trade_flows where flow = 'X'")).toBe(3);
    expect(scalar(dbPath(), "select count(*) from trade_flows where flow = 'M'")).toBe(2);
    expect(loads()[1]).toMatchObject({ rows_inserted: second.length, rows_changed: 0, rows_retired: 0 });
    expect(scalar(dbPath(), 'select count(*) from trade_flows_history where valid_to_load is not null')).toBe(
      0,
    );
  });

  it('keeps a by-partner extract and a World-only extract of one period, and two months of one year', async () => {
    expect((await load(extract('by_partner.csv', EXPORTS_2023))).code).toBe(0);
    expect((await load(extract('world.csv', [['2023', 'X', 'WLD', 'TOTAL', 27000000000]]))).code).toBe(0);
    expect((await load(extract('jan.csv', [['2023-01', 'X', 'KAZ', 'TOTAL', 15000000]]))).code).toBe(0);
    expect((await load(extract('feb.csv', [['2023-02', 'X', 'KAZ', 'TOTAL', 16000000]]))).code).toBe(0);

    expect(flows().map((f) => `${f.period} ${f.partner_iso3} ${f.hs_code}`)).toEqual([
      '2023 CHN TOTAL',
      '2023 KAZ 52',
      '2023 KAZ TOTAL',
      '2023 W00 TOTAL',
      '2023-01 KAZ TOTAL',
      '2023-02 KAZ TOTAL',
    ]);
  });
});

/** The first release: seven figures of PAK 2023. */
const V1: Line[] = [
  ['2023', 'X', 'KAZ', 'TOTAL', 100],
  ['2023', 'X', 'KAZ', '52', 40],
  ['2023', 'X', 'KAZ', '31', 10],
  ['2023', 'X', 'CHN', 'TOTAL', 500],
  ['2023', 'M', 'KAZ', 'TOTAL', 70],
  ['2023', 'M', 'AFG', 'TOTAL', 5],
  ['2023', 'M', 'UZB', 'TOTAL', 6],
];
/** The revision: three values changed, two rows (AFG, UZB imports) no longer there. */
const V2: Line[] = [
  ['2023', 'X', 'KAZ', 'TOTAL', 101],
  ['2023', 'X', 'KAZ', '52', 41],
  ['2023', 'X', 'KAZ', '31', 10],
  ['2023', 'X', 'CHN', 'TOTAL', 500],
  ['2023', 'M', 'KAZ', 'TOTAL', 72],
];

describe('a revised release', () => {
  it('merges only by default: the 3 changed figures change, the 2 absent rows remain', async () => {
    expect((await load(extract('pak_2023.csv', V1))).code).toBe(0);
    const run = await load(extract('pak_2023_rev.csv', V2));

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/5 rows loaded \(0 new, 3 changed, 2 unchanged\)/);
    expect(loads()[1]).toMatchObject({
      rows_inserted: 0,
      rows_changed: 3,
      rows_unchanged: 2,
      rows_retired: 0,
    });
    expect(flows()).toHaveLength(7);
    expect(flows().find((f) => f.partner_iso3 === 'KAZ' && f.flow === 'M')!.value_usd).toBe(72);
  });

  it('retires the 2 absent rows with --replace-scope, says so, and keeps them in the history', async () => {
    expect((await load(extract('pak_2023.csv', V1))).code).toBe(0);
    const run = await load(extract('pak_2023_rev.csv', V2), '--replace-scope', 'reporter,period,flow');

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /retired 2 earlier rows this file no longer holds \(coverage: reporter × period × flow, declared by --replace-scope\)/,
    );
    expect(loads()[1]).toMatchObject({ rows_changed: 3, rows_unchanged: 2, rows_retired: 2 });
    expect(flows()).toHaveLength(5);
    expect(
      query(
        dbPath(),
        'select partner_iso3, value_usd, closed_by, valid_to_load from trade_flows_history where valid_to_load is not null order by closed_by, flow, partner_iso3, hs_code',
      ),
    ).toEqual([
      { partner_iso3: 'KAZ', value_usd: 70, closed_by: 'changed', valid_to_load: 2 },
      { partner_iso3: 'KAZ', value_usd: 40, closed_by: 'changed', valid_to_load: 2 },
      { partner_iso3: 'KAZ', value_usd: 100, closed_by: 'changed', valid_to_load: 2 },
      { partner_iso3: 'AFG', value_usd: 5, closed_by: 'retired', valid_to_load: 2 },
      { partner_iso3: 'UZB', value_usd: 6, closed_by: 'retired', valid_to_load: 2 },
    ]);
  });

  it('answers --as-of before the revision with the old figures, and lists exactly the 5 revisions', async () => {
    expect((await load(extract('pak_2023.csv', V1), '--release', '2024-01')).code).toBe(0);
    expect(
      (await load(extract('pak_2023_rev.csv', V2), '--replace-scope', 'reporter,period,flow')).code,
    ).toBe(0);
    const sum = 'select sum(value_usd) as total, count(*) as n from trade_flows';

    for (const asOf of ['1', '2024-01']) {
      const before = await cli(['sql', sum, '--as-of', asOf, '--format', 'json', '--db', dbPath()]);
      expect(before.code, before.stderr).toBe(0);
      expect(JSON.parse(before.stdout)).toEqual([{ total: 731, n: 7 }]);
    }
    const now = await cli(['sql', sum, '--format', 'json', '--db', dbPath()]);
    expect(JSON.parse(now.stdout)).toEqual([{ total: 724, n: 5 }]);
    const unknown = await cli(['sql', sum, '--as-of', 'V1999', '--db', dbPath()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/releases: 2024-01/);

    const revisions = await cli(['revisions', '--run', '2', '--json', '--db', dbPath()]);
    expect(revisions.code).toBe(0);
    const listed = JSON.parse(revisions.stdout) as {
      change: string;
      partner: string;
      old_value: number;
      new_value: number | null;
      changed_columns: string | null;
    }[];
    expect(listed.map((r) => [r.change, r.partner, r.old_value, r.new_value, r.changed_columns])).toEqual([
      ['changed', 'KAZ', 70, 72, 'value_usd'],
      ['changed', 'KAZ', 40, 41, 'value_usd'],
      ['changed', 'KAZ', 100, 101, 'value_usd'],
      ['retired', 'AFG', 5, null, null],
      ['retired', 'UZB', 6, null, null],
    ]);
  });

  it('writes no new version on a forced reload of an unchanged file', async () => {
    const file = extract('pak_2023.csv', V1);
    expect((await load(file)).code).toBe(0);
    const skipped = await load(file);
    expect(skipped.stderr).toMatch(/SKIP/);
    const forced = await load(file, '--force', '--replace-scope', 'reporter,period');

    expect(forced.code).toBe(0);
    expect(loads()[2]).toMatchObject({
      rows_inserted: 0,
      rows_changed: 0,
      rows_unchanged: 7,
      rows_retired: 0,
    });
    expect(scalar(dbPath(), 'select count(*) from trade_flow_rows_closed')).toBe(0);
    expect(new Set(query(dbPath(), 'select load_id from trade_flows').map((r) => r.load_id))).toEqual(
      new Set([1]),
    );
  });

  it('reverts a load: its figures closed, the ones it superseded current again, the history kept', async () => {
    expect((await load(extract('pak_2023.csv', V1))).code).toBe(0);
    const before = flows();
    expect(
      (await load(extract('pak_2023_rev.csv', V2), '--replace-scope', 'reporter,period,flow')).code,
    ).toBe(0);

    const revert = await cli(['revert', '2', '--no-derive', '--db', dbPath()]);

    expect(revert.code, revert.stderr).toBe(0);
    expect(revert.stdout).toMatch(
      /Reverted load 2 \(pak_2023_rev\.csv\) as load 3 \(run 3\): 3 figures closed, 5 earlier figures reopened/,
    );
    expect(flows()).toEqual(before);
    const asOfRevision = await cli([
      'sql',
      'select count(*) as n from trade_flows',
      '--as-of',
      '2',
      '--format',
      'json',
      '--db',
      dbPath(),
    ]);
    expect(JSON.parse(asOfRevision.stdout)).toEqual([{ n: 5 }]);
    const again = await cli(['revert', '2', '--db', dbPath()]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/load 3 already reverted it/);
    // The reverted file is no longer "already loaded": offered again, it loads.
    const reload = await load(join(tmp(), 'pak_2023_rev.csv'));
    expect(reload.stderr).not.toMatch(/SKIP/);
  });

  it('refuses a --replace-scope dimension the table does not have, naming those it has', async () => {
    const run = await load(extract('pak_2023.csv', V1), '--replace-scope', 'reporter,country');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /"country" is not a dimension of trade_flows\. Use some of: reporter, partner, period, flow, freq, edition/,
    );
    expect(run.stderr).not.toMatch(/ at .*\.ts:\d+/);
  });
});
