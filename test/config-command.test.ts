/**
 * `corridor config` and the SDMX export's default dataflow (issue 23, point 4): the settings a
 * user may set are kept in the warehouse's `settings` table; an SDMX export without --agency,
 * --dataflow or --version is labelled CORRIDOR:<TABLE>(1.0), the stored sdmx.agency and
 * sdmx.version replacing the defaults and the options replacing both. Real warehouse files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const warehouseAt = usePreparedWarehouse();
const db = () => join(tmp(), 'w.db');
beforeEach(() => warehouseAt(db()));

const config = (...args: string[]) => cli(['config', ...args, '--db', db()], tmp());

describe('corridor config', () => {
  it('sets, gets, lists and unsets sdmx.agency, stored in the settings table', async () => {
    const before = await config('get', 'sdmx.agency');
    expect(before).toMatchObject({ code: 0, stdout: 'CORRIDOR (default)\n' });

    const set = await config('set', 'sdmx.agency', 'PK_PBS');
    expect(set.code).toBe(0);
    expect(await query(db(), "select value from settings where key = 'sdmx.agency'")).toEqual([
      { value: 'PK_PBS' },
    ]);
    expect((await config('get', 'sdmx.agency')).stdout).toBe('PK_PBS\n');

    const list = await config('list', '--json');
    const rows = JSON.parse(list.stdout) as { key: string; value: string; settable: boolean }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'sdmx.agency', value: 'PK_PBS', set: true, settable: true }),
        expect.objectContaining({ key: 'sdmx.version', value: '1.0', set: false, settable: true }),
        // Kept by Corridor, shown read-only.
        expect.objectContaining({ key: 'target_hs_edition', value: 'H6', settable: false }),
      ]),
    );

    const unset = await config('unset', 'sdmx.agency');
    expect(unset.stdout).toBe('sdmx.agency unset: it is the default, CORRIDOR.\n');
    expect(await query(db(), "select value from settings where key = 'sdmx.agency'")).toEqual([]);
  });

  it('refuses a key outside the closed list, naming the closest, and a kept one, naming its command', async () => {
    const typo = await config('set', 'sdmx.agncy', 'X', '--json');
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stdout).error).toMatchObject({
      code: 'bad_arguments',
      message: expect.stringContaining(
        'Unknown setting "sdmx.agncy". Did you mean "sdmx.agency"? Settable: sdmx.agency, sdmx.version.',
      ),
    });
    const kept = await config('set', 'target_hs_edition', 'H5');
    expect(kept.code).toBe(2);
    expect(kept.stderr).toContain('kept by Corridor itself: change it with corridor derive --target-edition');
    const action = await config('sett', 'sdmx.agency', 'X');
    expect(action.stderr).toContain('Unknown action "sett" of corridor config. Did you mean "set"?');
  });

  it('refuses a value that is not an SDMX id, storing nothing', async () => {
    const bad = await config('set', 'sdmx.agency', 'PK PBS');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'Invalid value for setting "sdmx.agency": "PK PBS" is not an SDMX agency id',
    );
    const badVersion = await config('set', 'sdmx.version', 'one');
    expect(badVersion.stderr).toContain('is not an SDMX version');
    expect(await query(db(), "select key from settings where key like 'sdmx.%'")).toEqual([]);
  });
});

describe('corridor export --format sdmx: the default dataflow', () => {
  const HEADER =
    'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,netWgt,primaryValue';
  const structureIds = (file: string) =>
    new Set(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[1]),
    );

  beforeEach(async () => {
    const file = join(tmp(), 'flows.csv');
    writeFileSync(file, `${HEADER}\nA,2023,586,PAK,X,398,KAZ,TOTAL,,100\n`);
    const load = await cli(['load', file, '--source', 'comtrade', '--db', db(), '--no-derive'], tmp());
    expect(load.code).toBe(0);
  });

  const exportSdmx = (...args: string[]) =>
    cli(
      ['export', 'trade_flows', '--format', 'sdmx', '--out', `${join(tmp(), 'out')}/`, '--db', db(), ...args],
      tmp(),
    );
  const written = () => join(tmp(), 'out', 'trade_flows.sdmx.csv');

  it('is CORRIDOR:<TABLE>(1.0) without options or settings, and says so', async () => {
    const run = await exportSdmx();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(', dataflow CORRIDOR:TRADE_FLOWS(1.0) (+ datapackage.json)');
    expect(structureIds(written())).toEqual(new Set(['CORRIDOR:TRADE_FLOWS(1.0)']));
  });

  it('takes the stored agency and version, and the options over both', async () => {
    await config('set', 'sdmx.agency', 'PK_PBS');
    await config('set', 'sdmx.version', '2.1.0');
    const stored = await exportSdmx('--json');
    expect(JSON.parse(stored.stdout).sdmx).toEqual({
      agency: 'PK_PBS',
      dataflow: 'TRADE_FLOWS',
      version: '2.1.0',
    });
    expect(structureIds(written())).toEqual(new Set(['PK_PBS:TRADE_FLOWS(2.1.0)']));

    const given = await exportSdmx('--agency', 'IMF.STA', '--dataflow', 'DOT', '--version', '1.0.0');
    expect(given.code).toBe(0);
    expect(structureIds(written())).toEqual(new Set(['IMF.STA:DOT(1.0.0)']));
  });
});
