/**
 * The console's SQL page in a real browser: a statement typed into the form gives its rows, the
 * address it lands on is the share link (opened fresh: the same rows), and a write is refused
 * in the page while the warehouse keeps its rows.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { acceptErrorStatus } from '../helpers/browser.ts';
import { scalar } from '../helpers/warehouse-query.ts';
import { FIGURES } from './console-warehouse.ts';
import type { ConsoleUnderTest } from './use-console.ts';

/** The rows of a result table as text, numbers without their thousands separators. */
async function tableRows(page: Page, testId: string): Promise<string[][]> {
  return page
    .locator(`table[data-testid="${testId}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) =>
        [...r.querySelectorAll('td')].map((td) =>
          td.classList.contains('num')
            ? (td.textContent ?? '').replace(/[\s,\u202f]/g, '')
            : (td.textContent ?? ''),
        ),
      ),
    );
}

const STATEMENT = `select period, value_usd from trade_flows
where reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and flow = 'X' and hs_code = 'TOTAL'
order by period`;

/** What STATEMENT must answer, from the hand-made figures. */
const EXPECTED = FIGURES.filter(
  ([r, p, f, , code]) => r === 'PAK' && p === 'KAZ' && f === 'X' && code === 'TOTAL',
).map(([, , , year, , usd]) => [String(year), String(usd)]);

export function sqlPageTests(consoleUnderTest: ConsoleUnderTest): void {
  describe('the SQL page', () => {
    it('runs a statement typed into the form, and its address opened fresh gives the same rows', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/sql`);
      await page.locator('form[data-testid="sql-form"] textarea[name="q"]').fill(STATEMENT);
      await Promise.all([
        page.waitForURL('**/sql?**'),
        page.locator('form[data-testid="sql-form"] [type="submit"]').first().click(),
      ]);
      expect(EXPECTED).toHaveLength(3);
      expect(await tableRows(page, 'sql-result')).toEqual(EXPECTED);
      expect(await page.locator('[data-testid="sql-error"]').count()).toBe(0);
      // The statement stays in the editor, and the share link is this address.
      expect(await page.locator('textarea[name="q"]').inputValue()).toBe(STATEMENT);
      // The form sends the textarea's line breaks as CRLF, as every browser does.
      const shared = page.url();
      const statementOf = (url: string) => new URL(url, shared).searchParams.get('q')?.replace(/\r\n/g, '\n');
      expect(statementOf(shared)).toBe(STATEMENT);
      const share = await page.locator('a[data-testid="share-link"]').getAttribute('href');
      expect(statementOf(share ?? '')).toBe(STATEMENT);

      const fresh = await consoleUnderTest.open();
      await fresh.page.goto(shared);
      expect(await tableRows(fresh.page, 'sql-result')).toEqual(EXPECTED);
    });

    it('refuses `delete from trade_flows` in the page, and the table keeps its rows', async () => {
      const db = consoleUnderTest.warehouse().db;
      const before = scalar(db, 'select count(*) from trade_flows');
      expect(before).toBeGreaterThan(0);
      const { page, problems } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/sql`);
      await page.locator('textarea[name="q"]').fill('delete from trade_flows');
      const [answer] = await Promise.all([
        page.waitForNavigation(),
        page.locator('form[data-testid="sql-form"] [type="submit"]').first().click(),
      ]);
      // A refused statement may be answered 400 (Chromium then logs it) or 200; never a server error.
      const status = answer?.status() ?? 0;
      expect([200, 400]).toContain(status);
      if (status === 400) acceptErrorStatus(problems, 400);
      const refusal = page.locator('[data-testid="sql-error"]');
      expect(await refusal.count()).toBe(1);
      expect(await refusal.textContent()).toMatch(/read|write|refus/i);
      expect(await page.locator('table[data-testid="sql-result"]').count()).toBe(0);
      expect(scalar(db, 'select count(*) from trade_flows')).toBe(before);

      await page.goto(
        `${consoleUnderTest.url()}/sql?q=${encodeURIComponent('select count(*) as n from trade_flows')}`,
      );
      expect(await tableRows(page, 'sql-result')).toEqual([[String(before)]]);
    });

    it('draws a chart when the result fits one: a bar per year', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/sql?q=${encodeURIComponent(STATEMENT)}`);
      const marks = page.locator('figure[data-testid="sql-chart"] .mark');
      expect(
        (await marks.evaluateAll((m) => m.map((e) => e.getAttribute('data-value')))).map(Number),
      ).toEqual(EXPECTED.map(([, usd]) => Number(usd)));
    });
  });
}
