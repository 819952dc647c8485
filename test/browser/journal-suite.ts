/**
 * The console's journal pages in a real browser: from /runs to the run of the file with a
 * rejected row, to its rejects with the message and the registry's fix; and the rejected cell,
 * `<script>alert(1)</script>`, shown as text on every page that shows it, never run.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/error-codes.ts';
import { query } from '../helpers/warehouse-query.ts';
import { SCRIPT_TEXT } from './console-warehouse.ts';
import type { ConsoleUnderTest } from './use-console.ts';

export function journalTests(consoleUnderTest: ConsoleUnderTest): void {
  describe('the journal pages', () => {
    /** The run and file ids of the file with the rejected row, read from the warehouse directly. */
    function rejectedLoad(): { runId: number; loadId: number } {
      const [row] = query<{ run_id: number; load_id: number }>(
        consoleUnderTest.warehouse().db,
        'select run_id, load_id from load_files where file_name = ?',
        consoleUnderTest.warehouse().rejectedFile,
      );
      if (row === undefined) throw new Error('The fixture loaded no file with rejects.');
      return { runId: row.run_id, loadId: row.load_id };
    }

    it('leads from /runs to the run, its file and the file’s rejects, each with its message and fix', async () => {
      const { page } = await consoleUnderTest.open();
      const { runId, loadId } = rejectedLoad();
      await page.goto(`${consoleUnderTest.url()}/runs`);
      expect(await page.locator('nav[data-testid="nav"]').count()).toBe(1);
      const runs = page.locator('table[data-testid="runs"] tr[data-run-id]');
      // Three runs: the two loads and the port pipeline (derive and check are not load runs).
      expect(await runs.count()).toBeGreaterThanOrEqual(3);

      await page.locator(`tr[data-run-id="${runId}"] a[href*="/runs/${runId}"]`).first().click();
      await page.waitForURL(`**/runs/${runId}`);
      const file = page.locator(`table[data-testid="run-files"] tr[data-file-id="${loadId}"]`);
      expect(await file.count()).toBe(1);
      expect(await file.textContent()).toContain(consoleUnderTest.warehouse().rejectedFile);

      await file.locator('a[href*="/rejects"]').first().click();
      await page.waitForURL('**/rejects?**');
      expect(await page.locator('form[data-testid="rejects-filter"]').count()).toBe(1);
      const reject = page.locator('table[data-testid="rejects"] tr[data-code="bad_number"]');
      expect(await reject.count()).toBe(1);
      expect(await reject.locator('td.place').textContent()).toContain(
        consoleUnderTest.warehouse().rejectedFile,
      );
      // The place names the column; the message is the stored one; the fix is the registry's, word for word.
      const [stored] = query<{ message: string; column_name: string }>(
        consoleUnderTest.warehouse().db,
        "select message, column_name from rejects where code = 'bad_number'",
      );
      expect(await reject.locator('td.place').textContent()).toContain(stored!.column_name);
      expect(await reject.locator('td.message').textContent()).toContain(stored!.message);
      expect(stored!.message).toMatch(/not a number/);
      expect((await reject.locator('td.fix').textContent())?.trim()).toContain(ERROR_CODES.bad_number.fix);
    });

    it('filters the rejects by code: another code shows none', async () => {
      const { page } = await consoleUnderTest.open();
      const { loadId } = rejectedLoad();
      await page.goto(`${consoleUnderTest.url()}/rejects?file=${loadId}&code=bad_number`);
      expect(await page.locator('table[data-testid="rejects"] tr[data-code="bad_number"]').count()).toBe(1);
      await page.goto(`${consoleUnderTest.url()}/rejects?file=${loadId}&code=bad_hs_code`);
      expect(await page.locator('tr[data-code]').count()).toBe(0);
    });

    it('shows the rejected `<script>` cell as text: no dialog, no script element made from data', async () => {
      const { page } = await consoleUnderTest.open();
      const { loadId } = rejectedLoad();
      await page.goto(`${consoleUnderTest.url()}/rejects?file=${loadId}`);
      const reject = page.locator('table[data-testid="rejects"] tr[data-code="bad_number"]');
      expect(await reject.count()).toBe(1);
      expect(await reject.locator('td.raw-row').textContent()).toContain(SCRIPT_TEXT);
      const scripts = await page
        .locator('script')
        .evaluateAll((elements) =>
          elements.map((e) => `${e.getAttribute('src') ?? ''} ${e.textContent ?? ''}`),
        );
      expect(scripts.filter((s) => s.includes('alert'))).toEqual([]);

      // The same cell through the SQL page and the rejects table's own page.
      await page.goto(
        `${consoleUnderTest.url()}/sql?q=${encodeURIComponent("select value from rejects where code = 'bad_number'")}`,
      );
      expect(await page.locator('table[data-testid="sql-result"]').textContent()).toContain(SCRIPT_TEXT);
      await page.goto(`${consoleUnderTest.url()}/tables/rejects`);
      expect(await page.locator('table[data-testid="table-rows"]').textContent()).toContain(SCRIPT_TEXT);
      expect(await page.locator('script:not([src])').count()).toBe(0);
      // The afterEach hook fails the test on any dialog (an alert that ran).
    });

    it('lists the mirror gap `corridor check` found in /findings', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/findings`);
      const gaps = page.locator('table[data-testid="findings"] tr[data-check="mirror_gap"]');
      expect(await gaps.count()).toBeGreaterThanOrEqual(1);
      expect(await gaps.first().textContent()).toMatch(/2023/);
    });
  });
}
