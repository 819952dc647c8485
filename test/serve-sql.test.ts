/**
 * The console's SQL page over a real SQLite warehouse loaded through the CLI: rows from the
 * reader's bounded query, a write refused, the time limit, the 1,000-row cap, the share link.
 */
import { describe, expect, it } from 'vitest';
import { byTestId, decode, SCRIPT_TEXT, tableCells, useServedWarehouse } from './helpers/serve-warehouse.ts';

const served = useServedWarehouse();
const warehouse = () => served.warehouse();
const sql = (q: string, extra = '') => served.get(`/sql?q=${encodeURIComponent(q)}${extra}`);

describe('corridor serve: /sql', () => {
  it('shows the editor, a GET form with a textarea named q', async () => {
    const page = await served.get(`/sql`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form method="get" action="\/sql" data-testid="sql-form">/);
    expect(page.text).toMatch(/<textarea id="q" name="q"[^>]*><\/textarea>/);
  });

  it('runs a query and shows its rows, escaped, with the statement back in the editor and a share link', async () => {
    const q = `select hs_code, value_usd, '${SCRIPT_TEXT}' as note from trade_flows where value_usd < 1003 order by value_usd`;
    const page = await sql(q);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(SCRIPT_TEXT);
    const rows = tableCells(byTestId(page.text, 'sql-result')!);
    expect(rows).toEqual([
      [warehouse().codes[0], '1000', SCRIPT_TEXT],
      [warehouse().codes[1], '1001', SCRIPT_TEXT],
      [warehouse().codes[2], '1002', SCRIPT_TEXT],
    ]);
    expect(byTestId(page.text, 'sql-count')).toBe('3 rows.');
    expect(decode(/<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(page.text)![1]!)).toBe(q);
    const share = /<a data-testid="share-link" href="([^"]+)"/.exec(page.text)![1]!;
    expect(new URL(decode(share), 'http://x').searchParams.get('q')).toBe(q);
  });

  it("refuses a statement that writes, with the reader's message, and the rows stay", async () => {
    const page = await sql('delete from rejects');
    expect(page.status).toBe(400);
    const error = decode(byTestId(page.text, 'sql-error')!);
    expect(error).toMatch(/would write to the warehouse, and analysts' SQL is read-only/);
    const count = await sql('select count(*) as n from rejects');
    expect(tableCells(byTestId(count.text, 'sql-result')!)).toEqual([['1']]);
  });

  it('says a query that does not compile does not run, and why', async () => {
    const page = await sql('select * from no_such_table');
    expect(page.status).toBe(400);
    expect(decode(byTestId(page.text, 'sql-error')!)).toMatch(
      /The query does not run: no such table: no_such_table/,
    );
  });

  it('stops a query at its time limit and says how to give it more', async () => {
    const page = await sql(
      'with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c',
      '&timeout=0.3',
    );
    expect(page.status).toBe(503);
    const error = decode(byTestId(page.text, 'sql-error')!);
    expect(error).toMatch(/The query was stopped at its time limit of 0\.3 s/);
    expect(error).toMatch(/raise the time limit beside Run/);
  });

  it('shows at most 1,000 rows and says how many more there are and how to export them all', async () => {
    const page = await sql(
      'with recursive c(x) as (select 1 union all select x + 1 from c where x < 1234) select x from c',
    );
    expect(page.status).toBe(200);
    expect(tableCells(byTestId(page.text, 'sql-result')!)).toHaveLength(1000);
    const count = decode(byTestId(page.text, 'sql-count')!.replace(/<[^>]+>/g, ''));
    expect(count).toMatch(/^1,000 rows shown of 1,234: 234 more\. For all of them: corridor export --query/);
  });

  it('refuses a time limit that is not a number of seconds', async () => {
    const page = await sql('select 1', '&timeout=forever');
    expect(page.status).toBe(400);
    expect(decode(byTestId(page.text, 'sql-error')!)).toContain('"forever" is not a number of seconds');
  });
});
