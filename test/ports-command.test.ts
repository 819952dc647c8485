/**
 * `corridor ports` end to end, through the CLI on a real warehouse: a port and aliases added by
 * a user survive a reload of the bundled reference (`corridor init` after the reference files
 * changed, as after an upgrade), and a port table written here with exceljs, whose port column
 * holds names ("Port Qasim", "KPT", "Suape"), loads with each port's LOCODE and reference name,
 * the unknown one rejected with the closest known port and the commands that fix it.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const ports = (...args: string[]) => cli(['ports', ...args, '--db', db()], tmp());

/** A copy of warehouse/reference that the test may change, as a new release would. */
let savedReference: string | undefined;
beforeEach(() => {
  savedReference = process.env.CORRIDOR_REFERENCE_DIR;
});
afterEach(() => {
  if (savedReference === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
  else process.env.CORRIDOR_REFERENCE_DIR = savedReference;
});
function ownReference(): string {
  const dir = join(tmp(), 'reference');
  cpSync(join(PROJECT_ROOT, 'warehouse', 'reference'), dir, { recursive: true });
  process.env.CORRIDOR_REFERENCE_DIR = dir;
  return dir;
}
const append = (file: string, text: string) => writeFileSync(file, readFileSync(file, 'utf8') + text);

/** A port authority's table with one figure a row and the port in a column, and its pipeline. */
async function portColumnTable(rows: readonly (readonly unknown[])[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Throughput');
  sheet.addRow(['Cargo handled at Pakistani and other ports (test figures)']);
  sheet.addRow(['Port', 'Period', 'Direction', 'Commodity', 'Tonnes']);
  for (const row of rows) sheet.addRow([...row]);
  await workbook.xlsx.writeFile(join(tmp(), 'by-port.xlsx'));
  mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
  writeFileSync(
    join(tmp(), 'pipelines', 'by-port.pipeline.ts'),
    `export default { name: 'by-port', sources: [{ source: 'port-table', files: ['by-port.xlsx'], portTable: {
      name: 'by-port', unit: { default: 'tonnes' },
      columns: { port: { labels: ['Port'] }, period: { labels: ['Period'] }, direction: { labels: ['Direction'] },
                 commodity: { labels: ['Commodity'] }, quantity: { labels: ['Tonnes'] } },
      map: { port: { column: 'port' }, period: { column: 'period' }, direction: { column: 'direction' },
             commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
  );
}

describe('corridor ports: what users add survives a reference reload, and port tables name ports', () => {
  it('adds a port and aliases, keeps them through corridor init, and loads a table by port names', async () => {
    const reference = ownReference();
    expect((await cli(['init', '--db', db()], tmp())).code).toBe(0);

    const added = await ports('add', 'AE JEA', '--name', 'Jebel Ali', '--country', 'are');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Port AEJEA Jebel Ali (ARE, fiscal year from month 1): added.');
    expect((await ports('alias', 'Mina Jebel Ali', 'AEJEA')).code).toBe(0);
    expect((await ports('alias', 'Karachi Harbour', 'PK KHI')).code).toBe(0);

    // A new release: one more port and one more alias in the bundled files, reloaded by init.
    append(join(reference, 'ports.csv'), 'BRRIG,Rio Grande,BRA,1\n');
    append(join(reference, 'port-aliases.csv'), 'Porto do Rio Grande,BRRIG\n');
    const init = await cli(['init', '--db', db()], tmp());
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('ports.csv (9 rows), port-aliases.csv (33 rows)');

    expect(
      query(
        db(),
        "select locode, name, country_iso3, fiscal_year_start, origin from ports where locode in ('AEJEA', 'BRRIG') order by locode",
      ),
    ).toEqual([
      { locode: 'AEJEA', name: 'Jebel Ali', country_iso3: 'ARE', fiscal_year_start: 1, origin: 'user' },
      { locode: 'BRRIG', name: 'Rio Grande', country_iso3: 'BRA', fiscal_year_start: 1, origin: 'reference' },
    ]);
    expect(
      query(
        db(),
        "select alias, locode, origin from port_aliases where origin = 'user' or locode = 'BRRIG' order by alias",
      ),
    ).toEqual([
      { alias: 'Karachi Harbour', locode: 'PKKHI', origin: 'user' },
      { alias: 'Mina Jebel Ali', locode: 'AEJEA', origin: 'user' },
      { alias: 'Porto do Rio Grande', locode: 'BRRIG', origin: 'reference' },
    ]);

    await portColumnTable([
      ['Port Qasim', '2023-07', 'Import', 'Coal', 10],
      ['KPT', '2023-07', 'Import', 'Wheat', 20],
      ['PK KHI', '2023-07', 'Export', 'Rice', 30],
      ['Karachi Harbour', '2023-08', 'Export', 'Rice', 31],
      ['Mina Jebel Ali', '2023-07', 'Import', 'Containers', 40],
      ['BRPNG', '2023-07', 'Export', 'Soybeans', 50],
      ['Porto do Rio Grande', '2023-07', 'Export', 'Soybeans', 60],
      ['Suape', '2023-07', 'Export', 'Sugar', 70],
    ]);
    const run = await cli(['run', 'by-port', '--db', db()], tmp());
    // One row of eight rejected: 12.5 %, past the 5 % threshold.
    expect(run.code, run.stderr).toBe(3);

    expect(
      query(
        db(),
        'select port_locode, port_name, period, commodity_raw, quantity from port_throughput order by source_row',
      ),
    ).toEqual([
      {
        port_locode: 'PKBQM',
        port_name: 'Port Qasim',
        period: '2023-07',
        commodity_raw: 'Coal',
        quantity: 10,
      },
      { port_locode: 'PKKHI', port_name: 'Karachi', period: '2023-07', commodity_raw: 'Wheat', quantity: 20 },
      { port_locode: 'PKKHI', port_name: 'Karachi', period: '2023-07', commodity_raw: 'Rice', quantity: 30 },
      { port_locode: 'PKKHI', port_name: 'Karachi', period: '2023-08', commodity_raw: 'Rice', quantity: 31 },
      {
        port_locode: 'AEJEA',
        port_name: 'Jebel Ali',
        period: '2023-07',
        commodity_raw: 'Containers',
        quantity: 40,
      },
      {
        port_locode: 'BRPNG',
        port_name: 'Paranaguá',
        period: '2023-07',
        commodity_raw: 'Soybeans',
        quantity: 50,
      },
      {
        port_locode: 'BRRIG',
        port_name: 'Rio Grande',
        period: '2023-07',
        commodity_raw: 'Soybeans',
        quantity: 60,
      },
    ]);
    const rejects = query<{
      code: string;
      column_name: string;
      value: string;
      message: string;
      row_number: number;
    }>(db(), 'select code, column_name, value, message, row_number from rejects');
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({
      code: 'unknown_port',
      column_name: 'Port',
      value: 'Suape',
      row_number: 10,
    });
    expect(rejects[0]!.message).toContain(
      '"Suape" is not a port Corridor knows (the closest is CNSHA (Shanghai)).',
    );
    expect(rejects[0]!.message).toContain('corridor ports alias "Suape" <LOCODE>');
    expect(rejects[0]!.message).toContain('corridor ports add <LOCODE> --name "Suape" --country <ISO3>');

    // The fix the message names: once the port is added, the same table loads whole.
    expect((await ports('add', 'BRSUA', '--name', 'Suape', '--country', 'BRA')).code).toBe(0);
    expect((await cli(['run', 'by-port', '--db', db(), '--force'], tmp())).code).toBe(0);
    expect(
      query(db(), "select port_locode, port_name from port_throughput where commodity_raw = 'Sugar'"),
    ).toEqual([{ port_locode: 'BRSUA', port_name: 'Suape' }]);
  });

  it('takes a port a user added, by name, as a pipeline constant, with its fiscal year', async () => {
    expect(
      (await ports('add', 'LKCMB', '--name', 'Colombo', '--country', 'LKA', '--fiscal-year-start', '4')).code,
    ).toBe(0);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cargo');
    sheet.addRow(["('000 tonnes)"]);
    sheet.addRow(['Commodity', 'Direction', '2023-24']);
    sheet.addRow([null, null, 'Mar']);
    sheet.addRow(['Wheat', 'Import', 5]);
    await workbook.xlsx.writeFile(join(tmp(), 'colombo.xlsx'));
    mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
    writeFileSync(
      join(tmp(), 'pipelines', 'colombo.pipeline.ts'),
      `export default { name: 'colombo', sources: [{ source: 'port-table', files: ['colombo.xlsx'], portTable: {
        name: 'colombo', headerRows: 2,
        columns: { commodity: { labels: ['Commodity'] }, direction: { labels: ['Direction'] } },
        wide: { kind: 'periods', into: 'period', value: 'quantity' },
        map: { port: { value: 'colombo' }, period: { column: 'period' }, direction: { column: 'direction' },
               commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
    );
    const run = await cli(['run', 'colombo', '--db', db()], tmp());
    expect(run.code, run.stderr).toBe(0);
    // March under a fiscal year that starts in April is the year's last month: March 2024.
    expect(
      query(db(), 'select port_locode, port_name, period, fiscal_year, quantity from port_throughput'),
    ).toEqual([
      {
        port_locode: 'LKCMB',
        port_name: 'Colombo',
        period: '2024-03',
        fiscal_year: '2023-24',
        quantity: 5000,
      },
    ]);
  });
});

describe('corridor ports: what it refuses, and the file a user keeps', () => {
  it.each([
    [
      ['add', 'PKXYZ', '--name', 'Somewhere', '--country', 'IND'],
      'PKXYZ is a port of the country PK, not of IND (India)',
      'PK is Pakistan: --country PAK',
    ],
    [['add', 'PKX', '--name', 'Somewhere', '--country', 'PAK'], '"PKX" is not a UN/LOCODE', 'as PKKHI'],
    [
      ['add', 'ZZABC', '--name', 'Somewhere', '--country', 'PAK'],
      '"ZZABC" is not a UN/LOCODE',
      'ZZ, are no country',
    ],
    [
      ['add', 'PKXYZ', '--name', 'Somewhere', '--country', 'QQQ'],
      'country "QQQ" is not an ISO alpha-3 code',
      '--country PAK',
    ],
    [
      ['add', 'PKXYZ', '--name', 'KPT', '--country', 'PAK'],
      '"KPT" already names PKKHI (Karachi)',
      'a name of its own',
    ],
    [
      ['add', 'PKKHI', '--name', 'Kemari', '--country', 'PAK'],
      'PKKHI is already in the ports reference',
      '--force',
    ],
    [
      ['add', 'PKXYZ', '--name', 'Somewhere'],
      'needs a UN/LOCODE, --name and --country',
      'Usage: corridor ports add',
    ],
    [
      ['add', 'PKXYZ', '--name', 'X', '--country', 'PAK', '--fiscal-year-start', '13'],
      'not a month from 1 to 12',
      '',
    ],
    [
      ['alias', 'KPT', 'PKBQM'],
      '"KPT" already names PKKHI (Karachi), an alias of the ports reference',
      'Add --force',
    ],
    [
      ['alias', 'Gwadar', 'PKBQM'],
      '"Gwadar" already names PKGWD (Gwadar), as that port\'s name',
      'Add --force',
    ],
    [['alias', 'PKKHI', 'PKBQM'], 'is the UN/LOCODE of PKKHI (Karachi)', ''],
    [
      ['alias', 'Somewhere', 'PKGWX'],
      '"PKGWX" is not the UN/LOCODE of a port Corridor knows (the closest is PKGWD, Gwadar)',
      'corridor ports add',
    ],
    [['list', '--format', 'csv'], '"csv" is not table or json', ''],
    [['frob'], 'Unknown action "frob"', 'Usage:'],
  ])('refuses corridor ports %j with exit code 2 and what to do', async (args, problem, fix) => {
    const run = await ports(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(problem);
    expect(run.stderr).toContain(fix);
    expect(run.stderr).not.toContain('    at ');
  });

  it('repoints an alias with --force, and the load follows it', async () => {
    expect((await ports('alias', 'KPT', 'PKBQM', '--force')).stdout).toContain(
      'Alias "KPT" → PKBQM (Port Qasim): repointed.',
    );
    expect(query(db(), "select locode, origin from port_aliases where alias_key = 'kpt'")).toEqual([
      { locode: 'PKBQM', origin: 'user' },
    ]);
    await portColumnTable([['KPT', '2023-07', 'Import', 'Coal', 1]]);
    expect((await cli(['run', 'by-port', '--db', db()], tmp())).code).toBe(0);
    expect(query(db(), 'select port_locode from port_throughput')).toEqual([{ port_locode: 'PKBQM' }]);
  });

  it('exports what users added to a CSV, and imports it into a new warehouse', async () => {
    await ports('add', 'AEJEA', '--name', 'Jebel Ali', '--country', 'ARE');
    await ports('alias', 'Mina Jebel Ali', 'AEJEA');
    await ports('alias', 'KPT', 'PKBQM', '--force');
    const file = join(tmp(), 'my-ports.csv');
    const exported = await ports('export', file);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      [
        'type,locode,name,country_iso3,fiscal_year_start,origin',
        'port,AEJEA,Jebel Ali,ARE,1,user',
        'alias,PKBQM,KPT,,,user',
        'alias,AEJEA,Mina Jebel Ali,,,user',
        '',
      ].join('\n'),
    );

    const other = join(tmp(), 'other.db');
    const imported = await cli(['ports', 'import', file, '--db', other], tmp());
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(
      'ports 1 added, 0 replaced, 0 unchanged; aliases 1 added, 1 replaced, 0 unchanged',
    );
    const listed = await cli(['ports', 'list', '--format', 'json', '--db', other], tmp());
    const list = JSON.parse(listed.stdout) as {
      locode: string;
      origin: string;
      aliases: { alias: string }[];
    }[];
    expect(list.find((p) => p.locode === 'AEJEA')).toMatchObject({
      origin: 'user',
      aliases: [{ alias: 'Mina Jebel Ali' }],
    });
    expect(list.find((p) => p.locode === 'PKBQM')!.aliases.map((a) => a.alias)).toContain('KPT');
    // Read again, the same file changes nothing.
    expect((await cli(['ports', 'import', file, '--db', other], tmp())).stdout).toContain(
      'ports 0 added, 0 replaced, 1 unchanged; aliases 0 added, 0 replaced, 2 unchanged',
    );
  });

  it('imports nothing from a file with one bad row, naming the file and the row', async () => {
    const file = join(tmp(), 'bad.csv');
    writeFileSync(
      file,
      'type,locode,name,country_iso3,fiscal_year_start,origin\nport,AEJEA,Jebel Ali,ARE,1,user\nport,AEXYZ,Somewhere,PAK,1,user\n',
    );
    const run = await ports('import', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.csv row 3: AEXYZ is a port of the country AE, not of PAK (Pakistan)');
    expect(query(db(), "select count(*) as n from ports where origin = 'user'")).toEqual([{ n: 0 }]);
  });
});
