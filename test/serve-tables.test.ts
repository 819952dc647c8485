/**
 * The Tables pages of the console over a real SQLite warehouse loaded through the CLI: the data
 * dictionary, browsing with filters and pages, a rejected row's `<script>` shown as text, and
 * downloads made by the export code (the CSV equals what `corridor export` writes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import {
  byTestId,
  decode,
  FIGURE_COUNT,
  SCRIPT_TEXT,
  tableCells,
  useServedWarehouse,
} from './helpers/serve-warehouse.ts';

const served = useServedWarehouse();
const warehouse = () => served.warehouse();
const get = (path: string) => served.get(`${path}`);

/** The column index of `name` in the table-rows header. */
function columnIndex(page: string, name: string): number {
  const head = byTestId(page, 'table-rows')!;
  const names = [...head.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
  return names.indexOf(name);
}

describe('corridor serve: /tables', () => {
  it('lists the data dictionary, each table linked when the warehouse has it', async () => {
    const page = await get('/tables');
    expect(page.status).toBe(200);
    const dictionary = byTestId(page.text, 'dictionary')!;
    expect(dictionary).toContain('<tr data-table="trade_flows">');
    expect(dictionary).toContain('<a href="/tables/trade_flows">trade_flows</a>');
    expect(dictionary).toContain('<a href="/tables/rejects">rejects</a>');
    expect(dictionary).toMatch(/<tr class="area"><th colspan="4" scope="rowgroup">Trade flows<\/th><\/tr>/);
  });

  it('shows a rejected row whose raw text is <script>alert(1)</script> as text, never as markup', async () => {
    const page = await get('/tables/rejects');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(SCRIPT_TEXT);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const rows = tableCells(byTestId(page.text, 'table-rows')!);
    expect(rows).toHaveLength(1);
    expect(rows[0]![columnIndex(page.text, 'raw')]).toContain(SCRIPT_TEXT);
  });

  it('pages 100 rows at a time in a stable order, with links to the next and previous page', async () => {
    const first = await get('/tables/trade_flows');
    const firstRows = tableCells(byTestId(first.text, 'table-rows')!);
    expect(firstRows).toHaveLength(100);
    expect(byTestId(first.text, 'page-rows')).toBe('Rows 1–100.');
    expect(first.text).toContain('<a rel="next" data-testid="page-next" href="/tables/trade_flows?page=2">');
    expect(first.text).not.toContain('data-testid="page-prev"');

    const second = await get('/tables/trade_flows?page=2');
    const secondRows = tableCells(byTestId(second.text, 'table-rows')!);
    expect(secondRows).toHaveLength(FIGURE_COUNT - 100);
    expect(byTestId(second.text, 'page-rows')).toBe(`Rows 101–${FIGURE_COUNT} (the last).`);
    expect(second.text).toContain('href="/tables/trade_flows">← Previous</a>');
    expect(second.text).not.toContain('data-testid="page-next"');

    const code = columnIndex(first.text, 'hs_code');
    const seen = [...firstRows, ...secondRows].map((r) => r[code]);
    expect(new Set(seen).size).toBe(FIGURE_COUNT);
    expect(new Set(seen)).toEqual(new Set(warehouse().codes));
    // The same address gives the same rows.
    expect(tableCells(byTestId((await get('/tables/trade_flows')).text, 'table-rows')!)).toEqual(firstRows);
  });

  it('filters on a column by exact value, bound as a parameter, and keeps the filter in the links', async () => {
    const code = warehouse().codes[7]!;
    const page = await get(`/tables/trade_flows?hs_code=${code}`);
    const rows = tableCells(byTestId(page.text, 'table-rows')!);
    expect(rows).toHaveLength(1);
    expect(rows[0]![columnIndex(page.text, 'value_usd')]).toBe('1007');
    expect(page.text).toContain(`href="/tables/trade_flows/download.csv?hs_code=${code}"`);

    // A numeric column matches a number; a quote in a value is a value, not SQL.
    expect(
      tableCells(byTestId((await get('/tables/trade_flows?value_usd=1007')).text, 'table-rows')!),
    ).toHaveLength(1);
    const quoted = await get(`/tables/trade_flows?hs_code=${encodeURIComponent("' or 1=1 --")}`);
    expect(quoted.status).toBe(200);
    expect(tableCells(byTestId(quoted.text, 'table-rows')!)).toHaveLength(0);
    // Empty fields of the filter form are no filter.
    expect(
      tableCells(byTestId((await get('/tables/trade_flows?hs_code=&flow=X')).text, 'table-rows')!),
    ).toHaveLength(100);
  });

  it('refuses a filter on a column the table does not have, an unknown table, a bad page, as error pages', async () => {
    const column = await get('/tables/trade_flows?nope=1');
    expect(column.status).toBe(400);
    expect(decode(byTestId(column.text, 'error')!)).toContain(
      'trade_flows has no column "nope" to filter on',
    );
    expect(column.text).not.toMatch(/at .*\.ts:\d+/);

    const table = await get('/tables/trade_flow');
    expect(table.status).toBe(404);
    expect(decode(byTestId(table.text, 'error')!)).toMatch(
      /No table or view "trade_flow".*Did you mean trade_flows/,
    );

    expect((await get('/tables/trade_flows?page=0')).status).toBe(400);
    expect((await get('/tables/trade_flows/download.xlsx')).status).toBe(400);
  });

  it('downloads the CSV corridor export writes, byte for byte', async () => {
    const out = join(warehouse().folder, 'export');
    const run = await cli([
      'export',
      'trade_flows',
      '--format',
      'csv',
      '--out',
      `${out}/`,
      '--db',
      warehouse().db,
    ]);
    expect(run.code).toBe(0);
    const expected = readFileSync(join(out, 'trade_flows.csv'));

    const download = await get('/tables/trade_flows/download.csv');
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toContain('filename="trade_flows.csv"');
    expect(download.body.equals(expected)).toBe(true);
  });

  it('applies the filters to a download, and serves JSON and Parquet', async () => {
    const code = warehouse().codes[3]!;
    const csv = await get(`/tables/trade_flows/download.csv?hs_code=${code}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('filename="trade_flows-filtered.csv"');
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(code);

    const json = await get(`/tables/trade_flows/download.json?hs_code=${code}`);
    expect(json.status).toBe(200);
    const parsed = JSON.parse(json.text) as unknown;
    const records = (Array.isArray(parsed) ? parsed : (parsed as { data: unknown[] }).data) as Record<
      string,
      unknown
    >[];
    expect(records.map((r) => r.hs_code)).toEqual([code]);

    const parquet = await get('/tables/trade_flows/download.parquet');
    expect(parquet.status).toBe(200);
    expect(parquet.body.subarray(0, 4).toString()).toBe('PAR1');
  });
});
