/**
 * `corridor export`: the samples loaded once, then trade_flows and an indicator table written to
 * CSV, JSON, NDJSON and XLSX and read back with papaparse, JSON.parse and exceljs, value by
 * value and type by type against the warehouse (read independently with better-sqlite3); the
 * order, datapackage.json, queries, and the errors that must leave nothing behind.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable } from '../src/export/export-table.ts';
import { recoverGuardedText } from '../src/export/formula-guard.ts';
import { tableDoc } from '../warehouse/dictionary/index.ts';
import { cli } from './helpers/run-cli.ts';
import { query } from './helpers/warehouse-query.ts';

type Cell = string | number | null;
type Row = Record<string, Cell>;

interface Field {
  name: string;
  type: 'string' | 'integer' | 'number';
  unit?: string;
  description?: string;
}
interface Resource {
  name: string;
  path: string;
  format: string;
  schema: { fields: Field[]; primaryKey?: string[] };
  sources: { title: string; path?: string }[];
  licenses: { name?: string; title: string }[];
  sheets?: string[];
  formulaGuard?: string;
}
interface DataPackage {
  profile: string;
  resources: Resource[];
}

let dir = '';
let db = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-export-'));
  db = join(dir, 'w.db');
  const run = await cli(['run', 'nightly', '--db', db, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const exportTo = (out: string, ...args: string[]) =>
  cli(['export', ...args, '--out', out, '--db', db, '--quiet']);

const readPackage = (folder: string) =>
  JSON.parse(readFileSync(join(folder, 'datapackage.json'), 'utf8')) as DataPackage;

/** The warehouse's rows in the dictionary's key order, ties by the other columns, as objects. */
function warehouseRows(table: string): { columns: string[]; rows: Row[] } {
  const columns = query<{ name: string }>(
    db,
    'select name from pragma_table_info(?) order by cid',
    table,
  ).map((c) => c.name);
  const key = tableDoc(table)!.key;
  const order = [...key, ...columns.filter((c) => !key.includes(c))].map((c) => `"${c}"`).join(', ');
  return { columns, rows: query<Row>(db, `select * from "${table}" order by ${order}`) };
}

/** A CSV read back as a reader that trusts datapackage.json would: typed by its fields. */
function readCsv(path: string, fields: readonly Field[]): { header: string[]; rows: Row[] } {
  const text = readFileSync(path, 'utf8');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const [header, ...lines] = parsed.data as [string[], ...string[][]];
  const rows = lines.map((line) =>
    Object.fromEntries(
      fields.map((f, i) => {
        const cell = line[i]!;
        if (cell === '') return [f.name, null];
        return [f.name, f.type === 'string' ? recoverGuardedText(cell) : Number(cell)];
      }),
    ),
  );
  return { header, rows };
}

async function readXlsx(
  path: string,
): Promise<{ sheets: { name: string; header: Cell[]; rows: Cell[][] }[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return {
    sheets: workbook.worksheets.map((sheet) => {
      const all: Cell[][] = [];
      sheet.eachRow({ includeEmpty: true }, (row) => {
        const values = (row.values as Cell[]).slice(1);
        all.push(Array.from({ length: sheet.columnCount }, (_, i) => values[i] ?? null));
      });
      const [header, ...rows] = all;
      return { name: sheet.name, header: header!, rows };
    }),
  };
}

/** Rows read back from any format, as objects keyed by column. */
async function readBack(format: string, path: string, fields: readonly Field[]): Promise<Row[]> {
  if (format === 'csv') return readCsv(path, fields).rows;
  if (format === 'json') return JSON.parse(readFileSync(path, 'utf8')) as Row[];
  if (format === 'ndjson') {
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    return text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
  }
  const { sheets } = await readXlsx(path);
  return sheets.flatMap((s) =>
    s.rows.map((cells) =>
      Object.fromEntries(
        fields.map((f, i) => {
          const cell = cells[i] ?? null;
          return [f.name, typeof cell === 'string' ? recoverGuardedText(cell) : cell];
        }),
      ),
    ),
  );
}

const FORMATS = ['csv', 'json', 'ndjson', 'xlsx'] as const;

describe.each(['trade_flows', 'ind_trade_balance'])('%s', (table) => {
  const out = () => join(dir, `formats-${table}`);

  beforeAll(async () => {
    for (const format of FORMATS) {
      const run = await exportTo(`${out()}/`, table, '--format', format);
      expect(run.code, run.stderr).toBe(0);
    }
  });

  it.each(FORMATS)(
    'reads back from %s with the same values, types and order as the warehouse',
    async (format) => {
      const expected = warehouseRows(table);
      expect(expected.rows.length).toBeGreaterThan(100);
      const resource = readPackage(out()).resources.find((r) => r.path === `${table}.${format}`)!;
      expect(resource.schema.fields.map((f) => f.name)).toEqual(expected.columns);
      const rows = await readBack(format, join(out(), `${table}.${format}`), resource.schema.fields);
      // A spreadsheet cell, and a CSV field to a reader that ignores quotes, holds no empty text:
      // '' reads back as empty, as NULL does (ind_trade_balance.classification is '' for totals).
      const blank = format === 'csv' || format === 'xlsx';
      const wanted = expected.rows.map((r) =>
        blank ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v])) : r,
      );
      expect(rows).toEqual(wanted);
      // toEqual would not tell "010121" from 10121 if both sides were numbers: check the codes' type.
      const code = table === 'trade_flows' ? 'hs_code' : 'product';
      const padded = rows.filter((r) => typeof r[code] === 'string' && /^0\d+$/.test(r[code] as string));
      expect(padded.length).toBeGreaterThan(0);
      const measure = table === 'trade_flows' ? 'value_usd' : 'exports_usd';
      expect(rows.every((r) => r[measure] === null || typeof r[measure] === 'number')).toBe(true);
    },
  );

  it('writes the header first and each format in its own shape', async () => {
    const { columns } = warehouseRows(table);
    const csv = readFileSync(join(out(), `${table}.csv`), 'utf8');
    expect(csv.startsWith(`${columns.join(',')}\r\n`)).toBe(true);
    // An empty text is `""`, NULL nothing: a reader that heeds quotes tells them apart.
    const empties = query<{ n: number }>(
      db,
      `select count(*) as n from "${table}" where ${columns.map((c) => `"${c}" = ''`).join(' or ')}`,
    )[0]!.n;
    expect(csv.includes(',"",') || csv.includes(',""\r\n')).toBe(empties > 0);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    const json = readFileSync(join(out(), `${table}.json`), 'utf8');
    expect(json.startsWith('[\n{')).toBe(true);
    expect(json.endsWith('}\n]\n')).toBe(true);
    const { sheets } = await readXlsx(join(out(), `${table}.xlsx`));
    expect(sheets.map((s) => s.name)).toEqual([table]);
    expect(sheets[0]!.header).toEqual(columns);
  });

  it('formats XLSX numbers by unit and keeps codes as text', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out(), `${table}.xlsx`));
    const sheet = workbook.worksheets[0]!;
    const { columns } = warehouseRows(table);
    const cell = (name: string) => sheet.getRow(2).getCell(columns.indexOf(name) + 1);
    const formats: Record<string, string> =
      table === 'trade_flows'
        ? { value_usd: '#,##0.00', net_weight_kg: '#,##0.###' }
        : { balance_usd: '#,##0.00', normalised_balance: '0.0000' };
    for (const [name, numFmt] of Object.entries(formats)) expect(cell(name).numFmt, name).toBe(numFmt);
    const code = cell(table === 'trade_flows' ? 'hs_code' : 'product');
    expect(code.type).toBe(ExcelJS.ValueType.String);
    expect(code.numFmt).toBeUndefined();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).font?.bold).toBe(true);
  });

  it('describes the file in datapackage.json: types, units, key, sources', () => {
    const pkg = readPackage(out());
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.resources.map((r) => r.path).sort()).toEqual(FORMATS.map((f) => `${table}.${f}`).sort());
    const declared = query<{ name: string; type: string }>(
      db,
      'select name, type from pragma_table_info(?) order by cid',
      table,
    );
    const doc = tableDoc(table)!;
    for (const resource of pkg.resources) {
      const expectedTypes = declared.map((c) => {
        // A view's computed column declares no type: the dictionary's word is the one to match.
        const t = c.type === '' ? doc.columns.find((d) => d.name === c.name)!.type : c.type.toLowerCase();
        return { text: 'string', integer: 'integer', real: 'number' }[t];
      });
      expect(resource.schema.fields.map((f) => f.type)).toEqual(expectedTypes);
      expect(resource.schema.primaryKey).toEqual(doc.key);
      expect(resource.sources.length).toBeGreaterThan(0);
    }
    const csv = pkg.resources.find((r) => r.format === 'csv')!;
    expect(csv.name).toBe(table);
    const money = table === 'trade_flows' ? 'value_usd' : 'balance_usd';
    expect(csv.schema.fields.find((f) => f.name === money)).toMatchObject({ type: 'number', unit: 'USD' });
    expect(csv.schema.fields.find((f) => f.name === money)!.description).toMatch(/\S/);
    expect(csv.formulaGuard).toMatch(/remove one leading apostrophe/);
    expect(pkg.resources.find((r) => r.format === 'json')!.formulaGuard).toBeUndefined();
  });
});

describe('order and stability', () => {
  it.each(['csv', 'json', 'ndjson'])('exports the same bytes twice (%s)', async (format) => {
    const a = join(dir, 'twice-a');
    const b = join(dir, 'twice-b');
    for (const folder of [a, b])
      expect((await exportTo(`${folder}/`, 'trade_flows', '--format', format)).code).toBe(0);
    const bytes = (folder: string) => readFileSync(join(folder, `trade_flows.${format}`));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(readFileSync(join(a, 'datapackage.json'), 'utf8')).toBe(
      readFileSync(join(b, 'datapackage.json'), 'utf8'),
    );
  });

  it('sorts a view by its key, whatever order SQLite reads its rows in', async () => {
    // trade_flows reads trade_flow_rows (comtrade) before baci_flows; sorted, baci comes first.
    const key = tableDoc('trade_flows')!.key;
    // Every key column is ASCII text, where JavaScript's < is SQLite's BINARY order.
    const keyOf = (r: Row) => key.map((k) => r[k]).join('\u0000');
    const ascending = (keys: readonly string[]) => keys.every((k, i) => i === 0 || keys[i - 1]! < k);
    const stored = query<Row>(db, 'select * from trade_flows').map(keyOf);
    expect(ascending(stored)).toBe(false);
    const out = join(dir, 'order');
    expect((await exportTo(`${out}/`, 'trade_flows', '--format', 'ndjson')).code).toBe(0);
    const lines = readFileSync(join(out, 'trade_flows.ndjson'), 'utf8').trim().split('\n');
    const exported = lines.map((l) => keyOf(JSON.parse(l) as Row));
    expect(ascending(exported)).toBe(true);
    expect([...exported].sort()).toEqual([...stored].sort());
  });
});

describe('destinations and datapackage.json', () => {
  it('writes a named file, its format taken from the name, with datapackage.json beside it', async () => {
    const folder = join(dir, 'named');
    const run = await exportTo(join(folder, 'balance.ndjson'), 'ind_trade_balance');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^Exported \d[\d,]* rows of ind_trade_balance to .*balance\.ndjson \(\+ datapackage\.json\) in \d/,
    );
    expect(readdirSync(folder).sort()).toEqual(['balance.ndjson', 'datapackage.json']);
    const [resource] = readPackage(folder).resources;
    expect(resource).toMatchObject({ name: 'ind_trade_balance', path: 'balance.ndjson', format: 'ndjson' });
  });

  it('adds to a datapackage.json already there, replacing only the resource of the same file', async () => {
    const folder = join(dir, 'merge');
    mkdirSync(folder);
    const other = {
      name: 'someone-else',
      path: 'theirs.csv',
      profile: 'tabular-data-resource',
      schema: { fields: [] },
    };
    writeFileSync(
      join(folder, 'datapackage.json'),
      JSON.stringify({ profile: 'tabular-data-package', name: 'mine', resources: [other] }),
    );
    expect((await exportTo(`${folder}/`, 'ports', '--format', 'csv')).code).toBe(0);
    expect((await exportTo(`${folder}/`, 'ports', '--format', 'json')).code).toBe(0);
    expect((await exportTo(`${folder}/`, 'ports', '--format', 'csv')).code).toBe(0);
    const pkg = readPackage(folder) as DataPackage & { name: string; licenses: { name?: string }[] };
    expect(pkg.name).toBe('mine');
    expect(pkg.resources.map((r) => [r.name, r.path])).toEqual([
      ['someone-else', 'theirs.csv'],
      ['ports', 'ports.csv'],
      ['ports-json', 'ports.json'],
    ]);
    expect(pkg.licenses.map((l) => l.name)).toContain('Apache-2.0');
  });

  it('names the sources of the rows and their licences, and says when they are the illustrative samples', () => {
    const resource = readPackage(join(dir, 'formats-trade_flows')).resources[0]!;
    const titles = resource.sources.map((s) => s.title).join('\n');
    expect(titles).toMatch(/illustrative samples in the layout of UN Comtrade/);
    expect(titles).toMatch(/illustrative samples in the layout of CEPII BACI/);
  });

  it('cites the publisher and its licence for data that is not a sample', async () => {
    // The same BACI rows, loaded under a file name without "illustrative".
    const copy = join(dir, 'baci-real');
    mkdirSync(copy);
    const samples = join(import.meta.dirname, '..', 'sources', 'baci', 'samples');
    for (const f of readdirSync(samples).filter((f) => f.endsWith('.csv')))
      writeFileSync(join(copy, f.replace('_illustrative', '')), readFileSync(join(samples, f)));
    const realDb = join(dir, 'real.db');
    const load = await cli([
      'load',
      join(copy, 'BACI_HS17_Y2021_V202401b.csv'),
      '--source',
      'baci',
      '--db',
      realDb,
      '--no-derive',
      '--quiet',
    ]);
    expect(load.code, load.stderr).toBe(0);
    const out = join(dir, 'real-out');
    const run = await cli(['export', 'trade_flows', '--out', `${out}/`, '--db', realDb, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const resource = readPackage(out).resources[0]!;
    expect(resource.sources).toEqual([
      expect.objectContaining({
        title: expect.stringMatching(/^CEPII BACI/),
        path: expect.stringContaining('cepii.fr'),
      }),
    ]);
    expect(resource.licenses).toEqual([expect.objectContaining({ name: 'etalab-2.0' })]);
  });
});

describe('--query', () => {
  it('exports the rows of a query in its own order, typed by its values', async () => {
    const sql =
      'select partner_iso3, flow, sum(value_usd) as total, count(*) as flows from trade_flows where reporter_iso3 = ? group by 1, 2 order by total desc, 1, 2';
    const out = join(dir, 'query');
    const run = await exportTo(join(out, 'pak.csv'), '--query', sql.replace('?', "'PAK'"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/rows of the query to .*pak\.csv/);
    const [resource] = readPackage(out).resources;
    expect(resource!.name).toBe('pak');
    expect(resource!.schema.primaryKey).toBeUndefined();
    expect(resource!.schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['partner_iso3', 'string'],
      ['flow', 'string'],
      ['total', 'number'],
      ['flows', 'integer'],
    ]);
    const expected = query<Row>(db, sql, 'PAK');
    expect(readCsv(join(out, 'pak.csv'), resource!.schema.fields).rows).toEqual(expected);
  });

  it('takes a query that starts with a comment', async () => {
    const out = join(dir, 'query-comment');
    const run = await exportTo(
      `${out}/`,
      '--query',
      '-- the ports\nselect locode from ports order by 1',
      '-f',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(out, 'query.json'), 'utf8')) as { locode: string }[];
    expect(rows.map((r) => r.locode)).toEqual(
      query<{ locode: string }>(db, 'select locode from ports order by 1').map((r) => r.locode),
    );
  });
});

describe('errors leave nothing behind', () => {
  const leftovers = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);

  it('stops after the batch in flight when asked (Ctrl-C), removing what it wrote', async () => {
    const out = join(dir, 'stopped');
    const controller = new AbortController();
    const stopped = exportTable({
      warehouse: db,
      subject: {
        query:
          'with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000) select i from n',
      },
      format: 'csv',
      out: `${out}/`,
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(stopped).rejects.toThrow(/was stopped after 5,000 rows; nothing was written/);
    expect(leftovers(out)).toEqual([]);
  });

  it('names close tables for an unknown one (exit 2)', async () => {
    const out = join(dir, 'unknown');
    const run = await exportTo(`${out}/`, 'trade_flow');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /No table or view "trade_flow" in the warehouse .*w\.db\. Did you mean trade_flows/,
    );
    expect(leftovers(out)).toEqual([]);
  });

  it.each([
    ['delete from trade_flow_rows', /would write to the warehouse/],
    ["attach 'x.db' as x", /ATTACH is refused/],
    ['select x from nowhere', /does not run: no such table: nowhere/],
  ])('refuses the query %s (exit 2)', async (sql, message) => {
    const out = join(dir, 'refused');
    const run = await exportTo(`${out}/`, '--query', sql);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(leftovers(out)).toEqual([]);
    expect(query(db, 'select count(*) as n from trade_flow_rows')[0]).not.toEqual({ n: 0 });
  });

  it('refuses a table and a query together, and --bom on JSON', async () => {
    expect((await exportTo(join(dir, 'x'), 'ports', '--query', 'select 1')).code).toBe(2);
    const bom = await exportTo(join(dir, 'x'), 'ports', '--format', 'json', '--bom');
    expect(bom.code).toBe(2);
    expect(bom.stderr).toMatch(/--bom is for CSV/);
  });

  it.each(['csv', 'xlsx', 'ndjson'])(
    'removes a %s that failed halfway and keeps the earlier export of the same name',
    async (format) => {
      const out = join(dir, `failed-${format}`);
      const file = join(out, `numbers.${format}`);
      const good = await exportTo(file, '--query', 'select 1 as n');
      expect(good.code, good.stderr).toBe(0);
      const before = readFileSync(file);
      const packageBefore = readFileSync(join(out, 'datapackage.json'), 'utf8');
      // 12,000 rows, then a runtime error: two batches are written before it.
      const failing = `with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000)
        select case when i > 12000 then json('{bad') else i end as n from n`;
      const run = await exportTo(file, '--query', failing);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/The --query failed while running: malformed JSON/);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(readFileSync(join(out, 'datapackage.json'), 'utf8')).toBe(packageBefore);
      expect(leftovers(out).sort()).toEqual([`numbers.${format}`, 'datapackage.json'].sort());
    },
  );
});
