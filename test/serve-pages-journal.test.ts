/**
 * The console's journal pages (issue 23): /runs, /runs/<id>, /rejects and /findings rendered
 * over a real SQLite warehouse built through the CLI from hand-made Comtrade files: a clean one,
 * one with rejected rows (a partner named `<script>alert(1)</script>`, which must come out as
 * text), and `corridor check` for the findings. Each page's render() is called as the server
 * calls it, and the HTML is read back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/error-codes.ts';
import { WarehouseReader } from '../src/query/warehouse-reader.ts';
import { escapeHtml } from '../src/serve/html.ts';
import type { Page } from '../src/serve/page.ts';
import { findingsPage } from '../src/serve/pages/findings-page.ts';
import { PAGE_SIZE } from '../src/serve/pages/journal-listing.ts';
import { rejectsPage } from '../src/serve/pages/rejects-page.ts';
import { runsPage } from '../src/serve/pages/runs-page.ts';
import { csvText, PLUS_HEADER, plusRow, tradeRow } from './helpers/comtrade-csv.ts';
import { cli } from './helpers/run-cli.ts';

const SCRIPT = '<script>alert(1)</script>';
let folder = '';
let reader: WarehouseReader;
const db = () => join(folder, 'w.db');

async function load(name: string, rows: readonly (readonly (string | number | null)[])[]) {
  const file = join(folder, name);
  writeFileSync(file, csvText(PLUS_HEADER, rows));
  return cli(['load', file, '--source', 'comtrade', '--db', db()]);
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-serve-journal-'));
  expect((await cli(['init', '--db', db()])).code).toBe(0);
  // Run 1: PAK's exports of 2021, KAZ's chapters adding to 6 M against a TOTAL of 5 M (total_vs_chapters).
  const clean = await load('clean.csv', [
    tradeRow({ partner: 'W00', code: 'TOTAL', usd: 10_000_000 }),
    tradeRow({ partner: 'KAZ', code: 'TOTAL', usd: 5_000_000 }),
    tradeRow({ partner: 'KAZ', code: '52', usd: 4_000_000 }),
    tradeRow({ partner: 'KAZ', code: '62', usd: 2_000_000 }),
  ]);
  // 3: the load loaded its rows and found the data-quality error it was made to have.
  expect([0, 3], clean.stderr).toContain(clean.code);
  // Run 2: two good rows and one with an HS code that is not one (bad_hs_code), its partner named a script.
  await load('with-rejects.csv', [
    tradeRow({ partner: 'CHN', code: 'TOTAL', usd: 3_000_000 }),
    tradeRow({ partner: 'CHN', code: '52', usd: 1_000_000 }),
    plusRow({
      partnerCode: 398,
      partnerISO: 'KAZ',
      partnerDesc: SCRIPT,
      cmdCode: '52X9',
      primaryValue: 7,
      fobvalue: 7,
    }),
  ]);
  // Run 3: 55 rows of negative figures, to page through (primaryValue and fobvalue: two rejects a row).
  await load(
    'many-rejects.csv',
    Array.from({ length: 55 }, (_, i) =>
      tradeRow({ partner: 'CHN', code: 'TOTAL', usd: -5, year: 1960 + i }),
    ),
  );
  expect((await cli(['check', '--db', db()])).code).not.toBe(2);
  reader = await WarehouseReader.open(db());
});
afterAll(async () => {
  await reader?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The page's HTML body for a path and query string, as the server would ask for it. */
async function render(page: Page, path: string, query = ''): Promise<{ status: number; text: string }> {
  const response = await page.render({
    path,
    params: new URLSearchParams(query),
    reader,
    location: db(),
    signal: new AbortController().signal,
  });
  if (response.kind !== 'page') throw new Error(`${path} answered a download`);
  return { status: response.status ?? 200, text: response.body.text };
}

/** The `<tr>` elements carrying `attribute`, each as its markup. */
const rowsWith = (text: string, attribute: string) =>
  text.match(new RegExp(`<tr ${attribute}="[^"]*"[\\s\\S]*?</tr>`, 'g')) ?? [];

describe('/runs', () => {
  it('lists each run with its status and counts, newest first, linking to its files', async () => {
    const { text } = await render(runsPage, '/runs');
    expect(text).toContain('data-testid="runs"');
    const runs = rowsWith(text, 'data-run-id');
    expect(runs.map((r) => r.match(/data-run-id="(\d+)"/)![1])).toEqual(['3', '2', '1']);
    const [, second, first] = runs;
    expect(first).toMatch(/class="num rows-read">4</);
    expect(first).toMatch(/class="num rows-loaded">4</);
    expect(second).toMatch(/class="num rows-read">3</);
    expect(second).toMatch(/class="num rows-loaded">2</);
    expect(second).toContain('<a href="/rejects?run=2">1</a>');
    expect(first).toContain('href="/runs/1"');
    expect(first).toMatch(/class="num duration">\d/);
  });

  it('/runs/<id>: the files with read, inserted, rejected and a link to their rejects', async () => {
    const { text } = await render(runsPage, '/runs/2');
    expect(text).toContain('data-testid="run-files"');
    const [file] = rowsWith(text, 'data-file-id');
    const loadId = file!.match(/data-file-id="(\d+)"/)![1];
    expect(file).toContain('with-rejects.csv');
    expect(file).toMatch(/class="num rows-read">3</);
    expect(file).toMatch(/class="num rows-inserted">2</);
    expect(file).toContain(`href="/rejects?file=${loadId}">1 rejected</a>`);
  });

  it('a run that is not there, or not a number, is a 404 that says where to look', async () => {
    const missing = await render(runsPage, '/runs/99');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('There is no run 99');
    const junk = await render(runsPage, '/runs/1%20or%201=1');
    expect(junk.status).toBe(404);
    expect(junk.text).toContain('is not a run number');
  });

  it('pages by 50, keeping the other parameters in its links', async () => {
    const { text } = await render(runsPage, '/runs', 'page=2');
    // Three runs: page 2 is past the end, and says so without a next link.
    expect(rowsWith(text, 'data-run-id')).toHaveLength(0);
    expect(text).toContain('rel="prev" href="/runs"');
    expect(text).not.toContain('rel="next"');
    expect(PAGE_SIZE).toBe(50);
  });
});

describe('/rejects', () => {
  it('shows the place, message, raw row and the registry fix of a reject, the script as text', async () => {
    const { text } = await render(rejectsPage, '/rejects', 'code=bad_hs_code');
    expect(text).toContain('data-testid="rejects-filter"');
    const rows = rowsWith(text, 'data-code');
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toContain('data-code="bad_hs_code"');
    expect(row).toMatch(
      /<td class="place">[\s\S]*with-rejects\.csv[\s\S]*row <span class="row-number">4<\/span>[\s\S]*column <span class="column">cmdCode<\/span>/,
    );
    expect(row).toMatch(/<td class="message">[^<]*52X9/);
    expect(row).toContain(`<td class="fix">${escapeHtml(ERROR_CODES.bad_hs_code.fix)}</td>`);
    expect(row).toMatch(/<td class="raw-row">[\s\S]*<mark>cmdCode<\/mark>[\s\S]*<mark>52X9<\/mark>/);
    // The partner's name is in the raw row, escaped: the page holds no script element.
    expect(row).toContain(escapeHtml(SCRIPT));
    expect(text).not.toContain(SCRIPT);
  });

  it('filters by file and by code, the code select listing the codes present', async () => {
    const all = await render(rejectsPage, '/rejects');
    expect(all.text).toMatch(/<option value="bad_hs_code"\s*>bad_hs_code \(1\)<\/option>/);
    const byFile = all.text.match(/<option value="(\d+)"\s*>load \d+: with-rejects\.csv \(1\)/);
    expect(byFile).not.toBeNull();
    const file = byFile![1];
    expect(
      rowsWith((await render(rejectsPage, '/rejects', `file=${file}&code=bad_hs_code`)).text, 'data-code'),
    ).toHaveLength(1);
    const otherCode = await render(rejectsPage, '/rejects', `file=${file}&code=missing_value`);
    expect(rowsWith(otherCode.text, 'data-code')).toHaveLength(0);
    expect(otherCode.text).toContain(`No rejected rows for load ${file}, code missing_value.`);
    // A file id that is not a number filters nothing rather than reaching the SQL.
    const junk = await render(rejectsPage, '/rejects', "file=1'--&code=bad_hs_code");
    expect(rowsWith(junk.text, 'data-code')).toHaveLength(1);
  });

  it('pages by 50, the links keeping the filter', async () => {
    const first = await render(rejectsPage, '/rejects', 'code=negative_value');
    const total = Number(first.text.match(/ of ([\d,]+) \(page 1 of/)![1]!.replace(/,/g, ''));
    expect(total).toBeGreaterThan(PAGE_SIZE);
    expect(rowsWith(first.text, 'data-code')).toHaveLength(PAGE_SIZE);
    expect(first.text).toContain('rel="next" href="/rejects?code=negative_value&amp;page=2"');
    const lastPage = Math.ceil(total / PAGE_SIZE);
    const last = await render(rejectsPage, '/rejects', `code=negative_value&page=${lastPage}`);
    expect(rowsWith(last.text, 'data-code')).toHaveLength(total - (lastPage - 1) * PAGE_SIZE);
    expect(last.text).not.toContain('rel="next"');
    expect(rowsWith(last.text, 'data-code').every((r) => r.includes('data-code="negative_value"'))).toBe(
      true,
    );
  });
});

describe('/findings', () => {
  it('lists what corridor check found, with severity and message, filtered by check and severity', async () => {
    const { text } = await render(findingsPage, '/findings');
    const findings = rowsWith(text, 'data-check');
    expect(findings.length).toBeGreaterThan(0);
    const chapters = findings.find((f) => f.includes('data-check="total_vs_chapters"'));
    expect(chapters).toBeDefined();
    expect(chapters).toMatch(/<td class="severity severity-(warning|error|info)">/);
    expect(chapters).toMatch(/<td class="message">[^<]+/);
    const filtered = await render(findingsPage, '/findings', 'check=total_vs_chapters');
    expect(
      rowsWith(filtered.text, 'data-check').every((f) => f.includes('data-check="total_vs_chapters"')),
    ).toBe(true);
    const severity = chapters!.match(/data-severity="(\w+)"/)![1];
    const other = ['error', 'warning', 'info'].find((s) => s !== severity)!;
    const none = await render(findingsPage, '/findings', `check=total_vs_chapters&severity=${other}`);
    expect(rowsWith(none.text, 'data-check')).toHaveLength(0);
    expect(none.text).toContain('data-testid="empty"');
  });
});
