/**
 * The console's Tables pages in a real browser: the dictionary lists the tables, a table's page
 * filters its rows by a column, and its CSV download (the export code) holds the header row and
 * exactly the filtered rows.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { scalar } from '../helpers/warehouse-query.ts';
import type { ConsoleUnderTest } from './use-console.ts';

export function tablesTests(consoleUnderTest: ConsoleUnderTest): void {
  describe('the Tables pages', () => {
    it('lists trade_flows in the dictionary and opens it', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/tables`);
      const row = page.locator('table[data-testid="dictionary"] tr[data-table="trade_flows"]');
      expect(await row.count()).toBe(1);
      await Promise.all([page.waitForURL('**/tables/trade_flows'), row.locator('a').first().click()]);
      expect(await page.locator('h1').textContent()).toContain('trade_flows');
      expect(await page.locator('table[data-testid="table-rows"] tbody tr').count()).toBeGreaterThan(0);
    });

    it('downloads the filtered rows as CSV, starting with the header row', async () => {
      const db = consoleUnderTest.warehouse().db;
      const kazakh = scalar(db, "select count(*) from trade_flows where reporter_iso3 = 'KAZ'");
      expect(kazakh).toBeGreaterThan(0);
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/tables/trade_flows?reporter_iso3=KAZ`);
      const shown = page.locator('table[data-testid="table-rows"] tbody tr');
      expect(await shown.count()).toBe(kazakh);
      const headers = await page
        .locator('table[data-testid="table-rows"] thead th')
        .evaluateAll((ths) => ths.map((th) => th.textContent?.trim() ?? ''));

      const link = page.locator('a[data-testid="download-csv"]');
      expect(
        new URL((await link.getAttribute('href')) ?? '', page.url()).searchParams.get('reporter_iso3'),
      ).toBe('KAZ');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const text = await readFile(await download.path(), 'utf8');
      const lines = text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split(/\r?\n/);
      const header = lines[0]!.split(',');
      expect(header).toEqual(
        expect.arrayContaining(['reporter_iso3', 'partner_iso3', 'flow', 'hs_code', 'value_usd']),
      );
      expect(header[0]).toBe(headers[0]);
      expect(lines).toHaveLength(1 + kazakh);
      const reporterAt = header.indexOf('reporter_iso3');
      expect(new Set(lines.slice(1).map((l) => l.split(',')[reporterAt]))).toEqual(new Set(['KAZ']));
    });
  });
}
