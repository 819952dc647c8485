/**
 * What an export does with cells a spreadsheet would run as formulas, with numbers, with
 * integers too big for a double, and with tables longer than a sheet: on a small warehouse
 * table written with better-sqlite3 (a table the data dictionary does not know, so its columns
 * come from SQLite's declared types), exported through the CLI and read back with papaparse and
 * exceljs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardCell, needsGuard, recoverGuardedText } from '../src/export/formula-guard.ts';
import { cli } from './helpers/run-cli.ts';

/** Texts a spreadsheet would evaluate, and texts it would not; each is the label of one row. */
const LABELS = [
  '=1+1',
  '+33 1 23 45 67 89',
  '-x',
  '@SUM(A1)',
  '\tTAB',
  '\rCR',
  "'=already quoted",
  "'plain apostrophe",
  '-1',
  'Pakistan',
  '010121',
  '',
];

let dir = '';
let db = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-guard-'));
  db = join(dir, 'scratch.db');
  const scratch = new Database(db);
  scratch.exec(
    'create table notes (id integer primary key, label text not null, amount real, big integer); create table counts (n integer primary key, label text)',
  );
  const insert = scratch.prepare('insert into notes values (?, ?, ?, ?)');
  // Inserted in reverse: the export sorts by the primary key, not by the order rows went in.
  for (let i = LABELS.length - 1; i >= 0; i--) {
    insert.run(i + 1, LABELS[i], i === 0 ? -12.5 : i * 1.25, i === 1 ? 2n ** 60n + 1n : i);
  }
  const count = scratch.prepare('insert into counts values (?, ?)');
  for (let n = 700; n >= 1; n--) count.run(n, `=row ${n}`);
  scratch.close();
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const exportTo = (out: string, ...args: string[]) =>
  cli(['export', ...args, '--out', out, '--db', db, '--quiet']);

function readCsv(path: string): string[][] {
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

async function readSheets(path: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: sheet.name, views: sheet.views, rows, bold: sheet.getRow(1).font?.bold === true, sheet };
  });
}

describe('the formula guard, as a rule', () => {
  it.each(LABELS)('writes %j so that it can be recovered exactly', (label) => {
    const written = guardCell(label);
    expect(recoverGuardedText(written)).toBe(label);
  });

  it('guards text that starts with = + - @ tab or CR, and nothing else', () => {
    expect(LABELS.filter(needsGuard)).toEqual([
      '=1+1',
      '+33 1 23 45 67 89',
      '-x',
      '@SUM(A1)',
      '\tTAB',
      '\rCR',
      "'=already quoted",
    ]);
    expect(guardCell('=1+1')).toBe("'=1+1");
    expect(guardCell("'=already quoted")).toBe("''=already quoted");
  });

  it('never touches a number, and leaves text that is a plain number as it is', () => {
    expect(guardCell(-12.5)).toBe(-12.5);
    expect(guardCell(null)).toBe(null);
    expect(guardCell('-12.5')).toBe('-12.5');
    expect(guardCell('+1e5')).toBe('+1e5');
    expect(guardCell('-1+2')).toBe("'-1+2");
  });
});

describe('CSV', () => {
  it('puts an apostrophe before text a spreadsheet would run, keeps numbers as number literals', async () => {
    const out = join(dir, 'csv');
    const run = await exportTo(`${out}/`, 'notes');
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(join(out, 'notes.csv'), 'utf8');
    const [header, ...rows] = readCsv(join(out, 'notes.csv'));
    expect(header).toEqual(['id', 'label', 'amount', 'big']);
    expect(rows.map((r) => r[0])).toEqual(LABELS.map((_, i) => String(i + 1)));
    expect(rows.map((r) => r[1])).toEqual([
      "'=1+1",
      "'+33 1 23 45 67 89",
      "'-x",
      "'@SUM(A1)",
      "'\tTAB",
      "'\rCR",
      "''=already quoted",
      "'plain apostrophe",
      '-1',
      'Pakistan',
      '010121',
      '',
    ]);
    // Guarded fields are quoted as well; the negative number is a bare literal.
    expect(text).toContain('\r\n1,"\'=1+1",-12.5,0\r\n');
    expect(rows.map((r) => recoverGuardedText(r[1]!))).toEqual(LABELS);
    // 2^60 + 1 does not fit a double: written with every digit.
    expect(rows[1]![3]).toBe('1152921504606846977');
  });

  it('writes text unguarded with --raw', async () => {
    const out = join(dir, 'csv-raw');
    expect((await exportTo(`${out}/`, 'notes', '--raw')).code).toBe(0);
    const [, ...rows] = readCsv(join(out, 'notes.csv'));
    expect(rows.map((r) => r[1])).toEqual(LABELS);
    const pkg = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8'));
    expect(pkg.resources[0].formulaGuard).toBeUndefined();
  });

  it('starts with a byte order mark with --bom, for Excel', async () => {
    const out = join(dir, 'csv-bom');
    expect((await exportTo(`${out}/`, 'notes', '--bom')).code).toBe(0);
    const bytes = readFileSync(join(out, 'notes.csv'));
    expect([...bytes.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x69]); // BOM, then "id"
  });

  it('types an undocumented table from its declared types', async () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'csv', 'datapackage.json'), 'utf8'));
    const [resource] = pkg.resources;
    expect(resource.schema.fields.map((f: { type: string }) => f.type)).toEqual([
      'integer',
      'string',
      'number',
      'integer',
    ]);
    expect(resource.schema.primaryKey).toEqual(['id']);
  });
});

describe('JSON', () => {
  it('keeps text as it is and writes an integer beyond 2^53 as a string of its digits', async () => {
    const out = join(dir, 'json');
    expect((await exportTo(`${out}/`, 'notes', '--format', 'json')).code).toBe(0);
    const rows = JSON.parse(readFileSync(join(out, 'notes.json'), 'utf8')) as Record<string, unknown>[];
    expect(rows.map((r) => r.label)).toEqual(LABELS);
    expect(rows[0]).toEqual({ id: 1, label: '=1+1', amount: -12.5, big: 0 });
    expect(rows[1]!.big).toBe('1152921504606846977');
  });
});

describe('XLSX', () => {
  it('writes guarded text as strings, never formulas, and numbers as numbers', async () => {
    const out = join(dir, 'xlsx');
    expect((await exportTo(`${out}/`, 'notes', '--format', 'xlsx')).code).toBe(0);
    const [sheet, ...others] = await readSheets(join(out, 'notes.xlsx'));
    expect(others).toEqual([]);
    expect(sheet!.name).toBe('notes');
    expect(sheet!.bold).toBe(true);
    expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const [header, ...rows] = sheet!.rows;
    expect(header).toEqual(['id', 'label', 'amount', 'big']);
    const labels = rows.map((r) => r[1] ?? '');
    expect(labels.every((l) => typeof l === 'string')).toBe(true);
    // XML turns a carriage return into a line feed: the writer does so first, and a text that
    // starts with a line feed is no formula.
    expect(labels[5]).toBe('\nCR');
    expect(labels.map((l) => recoverGuardedText(l as string))).toEqual(
      LABELS.map((l) => l.replace('\r', '\n')),
    );
    expect(labels[0]).toBe("'=1+1");
    expect(rows[0]![2]).toBe(-12.5);
    expect(rows[1]![3]).toBe('1152921504606846977');
    // exceljs reports a formula cell as an object with `formula`: there is none.
    sheet!.sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
    );
  });

  it('writes the text as it is with --raw, still as strings', async () => {
    const out = join(dir, 'xlsx-raw');
    expect((await exportTo(`${out}/`, 'notes', '--format', 'xlsx', '--raw')).code).toBe(0);
    const [sheet] = await readSheets(join(out, 'notes.xlsx'));
    expect(sheet!.rows[1]![1]).toBe('=1+1');
    sheet!.sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
    );
  });

  describe('past the rows a sheet holds', () => {
    afterEach(() => {
      delete process.env.CORRIDOR_XLSX_MAX_ROWS;
    });

    it('goes on in "<name> (2)" and "(3)", each with the header, no row lost or repeated', async () => {
      process.env.CORRIDOR_XLSX_MAX_ROWS = '250';
      const out = join(dir, 'rollover');
      const run = await exportTo(`${out}/`, 'counts', '--format', 'xlsx');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Exported 700 rows of counts/);
      const sheets = await readSheets(join(out, 'counts.xlsx'));
      expect(sheets.map((s) => [s.name, s.rows.length])).toEqual([
        ['counts', 251],
        ['counts (2)', 251],
        ['counts (3)', 201],
      ]);
      for (const s of sheets) {
        expect(s.rows[0]).toEqual(['n', 'label']);
        expect(s.bold).toBe(true);
        expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      }
      const data = sheets.flatMap((s) => s.rows.slice(1));
      expect(data).toEqual(Array.from({ length: 700 }, (_, i) => [i + 1, `'=row ${i + 1}`]));
      const pkg = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8'));
      expect(pkg.resources[0].sheets).toEqual(['counts', 'counts (2)', 'counts (3)']);
    });
  });
});
