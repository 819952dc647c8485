/**
 * The console's overview in a real browser: the trade-by-category chart draws exactly the
 * hand-made figures (one mark per year and top-level category, plus "Other", the published total
 * less the categories), and choosing another pair in the form reloads the page with that pair.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIGURES, KARACHI_WHEAT_KT, SCRIPT_COUNTRY_NAME, TOP_CATEGORY_OF } from './console-warehouse.ts';
import type { ConsoleUnderTest } from './use-console.ts';

type Mark = readonly [series: string, year: string, value: number];

/** The marks the chart must draw for the pair's exports, worked out from the hand-made figures. */
function expectedMarks(reporter: string, partner: string): Mark[] {
  const exports = FIGURES.filter(([r, p, flow]) => r === reporter && p === partner && flow === 'X');
  const marks: Mark[] = [];
  for (const year of [...new Set(exports.map(([, , , y]) => y))].sort()) {
    const sums = new Map<string, number>();
    let total = 0;
    for (const [, , , y, code, usd] of exports) {
      if (y !== year) continue;
      if (code === 'TOTAL') total = usd;
      else sums.set(TOP_CATEGORY_OF[code]!, (sums.get(TOP_CATEGORY_OF[code]!) ?? 0) + usd);
    }
    for (const [category, usd] of sums) marks.push([category, String(year), usd]);
    const other = total - [...sums.values()].reduce((a, b) => a + b, 0);
    if (other !== 0) marks.push(['Other', String(year), other]);
  }
  return marks.sort((a, b) => `${a[0]}|${a[1]}`.localeCompare(`${b[0]}|${b[1]}`));
}

async function drawnMarks(page: Page): Promise<Mark[]> {
  const marks = await page
    .locator('figure[data-testid="chart-trade-by-category"] .mark')
    .evaluateAll((elements) =>
      elements.map((e) => [
        e.getAttribute('data-series') ?? '',
        e.getAttribute('data-category') ?? '',
        e.getAttribute('data-value') ?? '',
      ]),
    );
  return marks
    .map(([series, year, value]): Mark => [series!, year!, Number(value)])
    .sort((a, b) => `${a[0]}|${a[1]}`.localeCompare(`${b[0]}|${b[1]}`));
}

/** Picks `value` in the form's field `name`, a select or a text input. */
async function choose(form: Locator, name: string, value: string): Promise<void> {
  const field = form.locator(`[name="${name}"]`);
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
}

async function submit(page: Page, form: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation(), form.locator('[type="submit"], button').first().click()]);
}

export function overviewTests(consoleUnderTest: ConsoleUnderTest): void {
  describe('the overview', () => {
    it('draws one mark per year and category of Pakistan’s exports to Kazakhstan, with the figures', async () => {
      const expected = expectedMarks('PAK', 'KAZ');
      // Three years of fertilizers (potash), grain and textiles, and Other above them.
      expect(expected).toHaveLength(12);
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/`);
      expect(await page.locator('figure[data-testid="chart-trade-by-category"] svg').count()).toBe(1);
      const drawn = await drawnMarks(page);
      expect(drawn.map(([s, y]) => [s, y])).toEqual(expected.map(([s, y]) => [s, y]));
      for (const [i, [, , value]] of expected.entries()) expect(drawn[i]![2]).toBeCloseTo(value, 3);
      // Each mark has its tooltip.
      const titled = await page
        .locator('figure[data-testid="chart-trade-by-category"] .mark')
        .evaluateAll((m) => m.filter((e) => e.querySelector('title') !== null).length);
      expect(titled).toBe(expected.length);
    });

    it('shows a country named with markup as text: in the lists, with no element or dialog made from it', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/?reporter=CHN&partner=PAK`);
      const chosen = page.locator('form[data-testid="pair-form"] [name="reporter"] option[value="CHN"]');
      expect(await chosen.textContent()).toBe(`${SCRIPT_COUNTRY_NAME} (CHN)`);
      expect(await page.locator('img').count()).toBe(0);
      const inline = await page.locator('script:not([src])').count();
      expect(inline).toBe(0);
      // use-console.ts fails the test after it when a dialog opened (a script ran).
    });

    it('shows the fiscal-year totals of the Karachi table', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/?ports=PKKHI`);
      const table = page.locator('table[data-testid="port-fiscal-years"]');
      expect(await table.count()).toBe(1);
      const text = (await table.textContent()) ?? '';
      expect(text).toContain('2023-24');
      // 10 + 11 + … + 21 thousand tonnes of wheat: 186,000 t, however the page groups the digits.
      const tonnes = KARACHI_WHEAT_KT.reduce((a, b) => a + b, 0) * 1000;
      expect(text.replace(/[\s,\u202f]/g, '')).toContain(String(tonnes));
    });

    it('reloads with the pair chosen in the form: Kazakhstan’s exports to Pakistan', async () => {
      const { page } = await consoleUnderTest.open();
      await page.goto(`${consoleUnderTest.url()}/`);
      const form = page.locator('form[data-testid="pair-form"]');
      await choose(form, 'reporter', 'KAZ');
      // The partner list may follow the reporter: then Pakistan is offered once KAZ is the reporter.
      const partnerOffered = await form
        .locator('[name="partner"]')
        .evaluate(
          (e) =>
            e.tagName !== 'SELECT' ||
            [...e.querySelectorAll('option')].some((o) => o.getAttribute('value') === 'PAK'),
        );
      if (!partnerOffered) await submit(page, form);
      await choose(form, 'partner', 'PAK');
      await submit(page, form);

      const url = new URL(page.url());
      expect([url.searchParams.get('reporter'), url.searchParams.get('partner')]).toEqual(['KAZ', 'PAK']);
      const expected = expectedMarks('KAZ', 'PAK');
      expect(expected).toHaveLength(6);
      const drawn = await drawnMarks(page);
      expect(drawn.map(([s, y]) => [s, y])).toEqual(expected.map(([s, y]) => [s, y]));
      for (const [i, [, , value]] of expected.entries()) expect(drawn[i]![2]).toBeCloseTo(value, 3);
      // The form shows the pair it drew.
      expect(await form.locator('[name="reporter"]').inputValue()).toBe('KAZ');
      expect(await form.locator('[name="partner"]').inputValue()).toBe('PAK');
    });
  });
}
