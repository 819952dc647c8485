/**
 * `corridor export <fact table> --since <run>` (issue 17): only what changed after a run, for a
 * copy exported then. Real warehouse files loaded through the CLI: a first release (run 1),
 * then a revision that changes, adds and drops figures (run 2). SDMX-CSV writes ACTION A for a
 * new or changed observation and D, dimensions only, for one no longer held; CSV and JSON have
 * an `action` column (merge, delete). A key changed or dropped and then reverted inside the
 * window comes out as it stands now.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');
const outDir = () => `${join(tmp(), 'out')}/`;

const HEADER =
  'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,netWgt,primaryValue';
type Line = [period: string, flow: 'X' | 'M', partner: string, cmd: string, value: number];
const PARTNER_CODES: Record<string, number> = { KAZ: 398, CHN: 156, AFG: 4, UZB: 860 };

function extract(name: string, lines: readonly Line[]): string {
  const path = join(tmp(), name);
  const body = lines.map(
    ([period, flow, partner, cmd, value]) =>
      `A,${period},586,PAK,${flow},${PARTNER_CODES[partner]},${partner},${cmd},,${value}`,
  );
  writeFileSync(path, `${HEADER}\n${body.join('\n')}\n`);
  return path;
}

const load = (file: string, ...extra: string[]) =>
  cli(['load', file, '--source', 'comtrade', '--db', dbPath(), '--no-derive', ...extra]);
const revise = (file: string) => load(file, '--replace-scope', 'reporter,period,flow');

const SDMX = ['--format', 'sdmx', '--agency', 'CORRIDOR', '--dataflow', 'TRADE_FLOWS', '--version', '1.0.0'];
const exportOf = (table: string, ...args: string[]) =>
  cli(['export', table, ...args, '--out', outDir(), '--db', dbPath()]);

/** The first release, run 1. */
const V1: Line[] = [
  ['2023', 'X', 'KAZ', 'TOTAL', 100],
  ['2023', 'X', 'KAZ', '52', 40],
  ['2023', 'X', 'CHN', 'TOTAL', 500],
  ['2023', 'M', 'KAZ', 'TOTAL', 70],
  ['2023', 'M', 'AFG', 'TOTAL', 5],
];
/** The revision, run 2: two values changed, one key added (UZB exports), one dropped (AFG imports). */
const V2: Line[] = [
  ['2023', 'X', 'KAZ', 'TOTAL', 101],
  ['2023', 'X', 'KAZ', '52', 40],
  ['2023', 'X', 'CHN', 'TOTAL', 500],
  ['2023', 'X', 'UZB', 'TOTAL', 9],
  ['2023', 'M', 'KAZ', 'TOTAL', 72],
];

async function firstAndRevision(): Promise<void> {
  expect((await load(extract('pak_2023.csv', V1))).code).toBe(0);
  const revision = await revise(extract('pak_2023_rev.csv', V2));
  expect(revision.code, revision.stderr).toBe(0);
  // One run a load: the revision is run 2.
  expect(query(dbPath(), 'select load_id, run_id from load_files order by load_id')).toEqual([
    { load_id: 1, run_id: 1 },
    { load_id: 2, run_id: 2 },
  ]);
}

interface SdmxLine {
  ACTION: string;
  TRADE_FLOW: string;
  COUNTERPART_AREA: string;
  COMMODITY: string;
  TIME_PERIOD: string;
  OBS_VALUE: string;
  UNIT_MEASURE: string;
  UNIT_MULT: string;
  OBS_STATUS: string;
  [dimension: string]: string;
}

function readSdmx(file: string): { header: string[]; lines: SdmxLine[]; text: string } {
  const text = readFileSync(join(outDir(), file), 'utf8');
  const parsed = Papa.parse<SdmxLine>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.meta.fields ?? [], lines: parsed.data, text };
}

/** `X KAZ TOTAL` for a line or a row. */
const keyOf = (l: { TRADE_FLOW: string; COUNTERPART_AREA: string; COMMODITY: string }) =>
  `${l.TRADE_FLOW} ${l.COUNTERPART_AREA} ${l.COMMODITY}`;

describe('export trade_flows --format sdmx --since <run>', () => {
  it('writes the 3 new or changed observations as A and the dropped one as D, dimensions only', async () => {
    await firstAndRevision();

    const run = await exportOf('trade_flows', ...SDMX, '--since', '1');

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Exported the changes to trade_flows after run 1, 3 to merge and 1 to delete, to .*trade_flows-since-1\.sdmx\.csv/,
    );
    const { header, lines, text } = readSdmx('trade_flows-since-1.sdmx.csv');
    expect(header.slice(0, 3)).toEqual(['STRUCTURE', 'STRUCTURE_ID', 'ACTION']);
    expect(lines.map((l) => [l.ACTION, keyOf(l), l.OBS_VALUE])).toEqual([
      ['D', 'M AFG TOTAL', ''],
      ['A', 'M KAZ TOTAL', '72'],
      ['A', 'X KAZ TOTAL', '101'],
      ['A', 'X UZB TOTAL', '9'],
    ]);
    // A merge line is the observation as a full export writes it.
    for (const l of lines.filter((x) => x.ACTION === 'A')) {
      expect(l).toMatchObject({ STRUCTURE: 'dataflow', STRUCTURE_ID: 'CORRIDOR:TRADE_FLOWS(1.0.0)' });
      expect(l).toMatchObject({ FREQ: 'A', REF_AREA: 'PAK', TIME_PERIOD: '2023', UNIT_MEASURE: 'USD' });
      expect(l.UNIT_MULT).toBe('0');
    }
    // A delete line: every dimension (an empty one would be a wildcard), the measure and the
    // attributes empty, so the whole observation goes (SDMX-CSV 2.0, action D).
    const [deleted] = lines.filter((l) => l.ACTION === 'D');
    const dimensions = header.slice(3, header.indexOf('OBS_VALUE'));
    expect(dimensions).toEqual([
      'FREQ',
      'SOURCE',
      'REF_AREA',
      'COUNTERPART_AREA',
      'SECOND_PARTNER',
      'TRADE_FLOW',
      'CLASSIFICATION',
      'COMMODITY',
      'TRANSPORT_MODE',
      'CUSTOMS_PROCEDURE',
      'TIME_PERIOD',
    ]);
    for (const d of dimensions) expect(deleted![d], d).not.toBe('');
    expect(deleted).toMatchObject({ REF_AREA: 'PAK', TIME_PERIOD: '2023', SOURCE: 'comtrade' });
    expect([deleted!.OBS_VALUE, deleted!.UNIT_MEASURE, deleted!.UNIT_MULT, deleted!.OBS_STATUS]).toEqual([
      '',
      '',
      '',
      '',
    ]);
    expect(text.split('\r\n').filter((l) => l !== '')).toHaveLength(5);

    const pkg = JSON.parse(readFileSync(join(outDir(), 'datapackage.json'), 'utf8'));
    const resource = pkg.resources.find((r: { path: string }) => r.path === 'trade_flows-since-1.sdmx.csv');
    expect(resource.name).toBe('trade_flows-since-1');
    expect(resource.description).toMatch(/after run 1/);
    expect(resource.schema.fields.find((f: { name: string }) => f.name === 'ACTION').description).toMatch(
      /A, append.*D, delete/,
    );
  });

  it('writes the header alone, and says so, when nothing changed after the run', async () => {
    await firstAndRevision();

    const run = await exportOf('trade_flows', ...SDMX, '--since', '2');

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Nothing in trade_flows changed after run 2: wrote .* with its header only/);
    const { header, lines } = readSdmx('trade_flows-since-2.sdmx.csv');
    expect(header[2]).toBe('ACTION');
    expect(lines).toEqual([]);
  });

  it('leaves the full export as it was: every current observation, ACTION I', async () => {
    await firstAndRevision();

    const run = await exportOf('trade_flows', ...SDMX);

    expect(run.code, run.stderr).toBe(0);
    const { lines } = readSdmx('trade_flows.sdmx.csv');
    expect(lines.map((l) => [l.ACTION, keyOf(l), l.OBS_VALUE])).toEqual([
      ['I', 'M KAZ TOTAL', '72'],
      ['I', 'X CHN TOTAL', '500'],
      ['I', 'X KAZ 52', '40'],
      ['I', 'X KAZ TOTAL', '101'],
      ['I', 'X UZB TOTAL', '9'],
    ]);
  });
});

describe('changes inside the window: the state now wins', () => {
  it('a figure changed and then reverted is a merge at its current value; a key added and reverted, a delete', async () => {
    await firstAndRevision();
    // Run 3 changes CHN and adds AFG exports; run 4 reverts that load (load 3).
    const third = await load(
      extract('pak_2023_x.csv', [
        ['2023', 'X', 'CHN', 'TOTAL', 550],
        ['2023', 'X', 'AFG', 'TOTAL', 3],
      ]),
    );
    expect(third.code, third.stderr).toBe(0);
    const revert = await cli(['revert', '3', '--no-derive', '--db', dbPath()]);
    expect(revert.code, revert.stderr).toBe(0);

    const run = await exportOf('trade_flows', ...SDMX, '--since', '2');

    expect(run.code, run.stderr).toBe(0);
    expect(
      readSdmx('trade_flows-since-2.sdmx.csv').lines.map((l) => [l.ACTION, keyOf(l), l.OBS_VALUE]),
    ).toEqual([
      ['D', 'X AFG TOTAL', ''],
      ['A', 'X CHN TOTAL', '500'],
    ]);
  });

  it('a key dropped and then back is a merge; one changed and then dropped is a single delete', async () => {
    await firstAndRevision();
    // Run 3: AFG imports are back (6); KAZ imports are dropped after run 2 changed them.
    const third = await revise(extract('pak_2023_m.csv', [['2023', 'M', 'AFG', 'TOTAL', 6]]));
    expect(third.code, third.stderr).toBe(0);

    const run = await exportOf('trade_flows', ...SDMX, '--since', '1');

    expect(run.code, run.stderr).toBe(0);
    expect(
      readSdmx('trade_flows-since-1.sdmx.csv').lines.map((l) => [l.ACTION, keyOf(l), l.OBS_VALUE]),
    ).toEqual([
      ['A', 'M AFG TOTAL', '6'],
      ['D', 'M KAZ TOTAL', ''],
      ['A', 'X KAZ TOTAL', '101'],
      ['A', 'X UZB TOTAL', '9'],
    ]);
  });
});

describe('--since in CSV and JSON: an action column', () => {
  it('adds action (merge, delete) after the columns; a delete shows the last version', async () => {
    await firstAndRevision();

    const csv = await exportOf('trade_flows', '--since', '1');
    const json = await exportOf('trade_flows', '--format', 'json', '--since', '1', '--json');

    expect(csv.code, csv.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(
      readFileSync(join(outDir(), 'trade_flows-since-1.csv'), 'utf8'),
      { header: true, skipEmptyLines: true },
    );
    expect(rows.meta.fields?.at(-1)).toBe('action');
    expect(rows.data.map((r) => [r.action, r.flow, r.partner_iso3, r.hs_code, r.value_usd])).toEqual([
      ['delete', 'M', 'AFG', 'TOTAL', '5'],
      ['merge', 'M', 'KAZ', 'TOTAL', '72'],
      ['merge', 'X', 'KAZ', 'TOTAL', '101'],
      ['merge', 'X', 'UZB', 'TOTAL', '9'],
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ changes: { since: 1, merged: 3, deleted: 1 } });
    const records = JSON.parse(readFileSync(join(outDir(), 'trade_flows-since-1.json'), 'utf8'));
    expect(records.map((r: { action: string }) => r.action)).toEqual(['delete', 'merge', 'merge', 'merge']);
  });
});

describe('--since on port_throughput', () => {
  function portTable(lines: readonly string[]): void {
    writeFileSync(join(tmp(), 'kpt-long.csv'), `Period,Direction,Commodity,Figure\n${lines.join('\n')}\n`);
  }

  it('exports changed, new and retired port figures', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
    writeFileSync(
      join(tmp(), 'pipelines', 'long.pipeline.ts'),
      `export default { name: 'long', sources: [{ source: 'port-table', files: ['kpt-long.csv'], portTable: {
        name: 'kpt-long', unit: { default: "tonnes" },
        columns: { period: { labels: ['Period'] }, direction: { labels: ['Direction'] },
                   commodity: { labels: ['Commodity'] }, quantity: { labels: ['Figure'] } },
        map: { port: { value: 'PKKHI' }, period: { column: 'period' }, direction: { column: 'direction' },
               commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
    );
    portTable(['2023-07,import,Wheat,120', '2023-07,export,Rice,80', '2023-08,import,Wheat,99']);
    const first = await cli(['run', 'long', '--db', dbPath(), '--no-derive'], tmp());
    expect(first.code, first.stderr).toBe(0);
    // The port table covers its port × period × direction × unit: Rice is retired, Cotton new.
    portTable(['2023-07,import,Wheat,130', '2023-07,export,Cotton,50', '2023-08,import,Wheat,99']);
    const second = await cli(['run', 'long', '--db', dbPath(), '--no-derive'], tmp());
    expect(second.code, second.stderr).toBe(0);
    const since = query<{ run_id: number }>(dbPath(), 'select min(run_id) as run_id from load_files')[0]!
      .run_id;

    const run = await exportOf(
      'port_throughput',
      '--format',
      'sdmx',
      '--agency',
      'CORRIDOR',
      '--dataflow',
      'PORTS',
      '--version',
      '1.0',
      '--since',
      String(since),
    );

    expect(run.code, run.stderr).toBe(0);
    const { lines } = readSdmx(`port_throughput-since-${since}.sdmx.csv`);
    expect(lines.map((l) => [l.ACTION, l.DIRECTION, l.COMMODITY, l.TIME_PERIOD, l.OBS_VALUE])).toEqual([
      ['D', 'export', 'Rice', '2023-07', ''],
      ['A', 'export', 'Cotton', '2023-07', '50'],
      ['A', 'import', 'Wheat', '2023-07', '130'],
    ]);
  });
});

describe('--since: what it refuses (exit 2)', () => {
  it('a run the warehouse never had', async () => {
    await firstAndRevision();
    const run = await exportOf('trade_flows', ...SDMX, '--since', '9');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--since 9: no run 9 in the warehouse .* \(runs go up to 2\)/);
  });

  it('a run id that is not a number', async () => {
    await firstAndRevision();
    const run = await exportOf('trade_flows', '--since', 'yesterday');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Give a run id/);
  });

  it('a table that is not a fact table, or a query, naming the tables it takes', async () => {
    await firstAndRevision();
    const table = await exportOf('load_files', '--since', '1');
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/it takes trade_flows and port_throughput, not load_files/);
    const q = await cli([
      'export',
      '--query',
      'select * from trade_flows',
      '--since',
      '1',
      '--out',
      outDir(),
      '--db',
      dbPath(),
    ]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/it takes trade_flows and port_throughput, not a --query/);
  });
});
