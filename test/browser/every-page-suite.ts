/**
 * Every page of the console in a real browser: the security headers of the contract on each
 * answer, the navigation and a title, every file the page asks for served (its CSS and JS are
 * the console's own), no console error, nothing fetched beyond 127.0.0.1 (use-console.ts checks
 * the last two after each test); an unknown path is a 404 page; only GET and HEAD are answered.
 */
import { describe, expect, it } from 'vitest';
import { acceptErrorStatus } from '../helpers/browser.ts';
import { query } from '../helpers/warehouse-query.ts';
import type { ConsoleUnderTest } from './use-console.ts';

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function everyPageTests(consoleUnderTest: ConsoleUnderTest): void {
  describe('every page', () => {
    function paths(): string[] {
      const [run] = query<{ run_id: number; load_id: number }>(
        consoleUnderTest.warehouse().db,
        'select run_id, load_id from load_files order by load_id limit 1',
      );
      return [
        '/',
        '/?reporter=KAZ&partner=PAK',
        '/runs',
        `/runs/${run!.run_id}`,
        `/rejects?file=${run!.load_id}`,
        '/rejects',
        '/findings',
        '/tables',
        '/tables/trade_flows',
        '/tables/trade_by_category?category=potash',
        '/sql',
        `/sql?q=${encodeURIComponent('select reporter_iso3, count(*) as n from trade_flows group by 1 order by 1')}`,
      ];
    }

    it('sends the security headers, the navigation and a title, and serves every file it asks for', async () => {
      const { page } = await consoleUnderTest.open();
      const failed: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      for (const path of paths()) {
        const response = await page.goto(`${consoleUnderTest.url()}${path}`);
        expect(response?.status(), path).toBe(200);
        const headers = response!.headers();
        expect(headers['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
        expect(headers['x-content-type-options'], path).toBe('nosniff');
        expect(headers['referrer-policy'], path).toBe('no-referrer');
        expect(await page.locator('nav[data-testid="nav"]').count(), path).toBe(1);
        expect((await page.locator('h1').first().textContent())?.trim(), path).not.toBe('');
        // A page fails when it could not be drawn: no error box and no stack trace.
        expect(await page.locator('body').textContent(), path).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
      expect(failed).toEqual([]);
      // The console's own stylesheet and script, from the console itself.
      const files = await page
        .locator('link[rel="stylesheet"], script[src]')
        .evaluateAll((elements) =>
          elements.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''),
        );
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(new URL(file, page.url()).origin).toBe(new URL(page.url()).origin);
    });

    it('answers an unknown path with a 404 page that still has the navigation', async () => {
      const { page, problems } = await consoleUnderTest.open();
      const response = await page.goto(`${consoleUnderTest.url()}/no-such-page`);
      expect(response?.status()).toBe(404);
      acceptErrorStatus(problems, 404);
      expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.locator('nav[data-testid="nav"]').count()).toBe(1);
    });

    it('answers only GET and HEAD', async () => {
      const post = await fetch(`${consoleUnderTest.url()}/sql?q=select%201`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toMatch(/GET/);
      expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const head = await fetch(`${consoleUnderTest.url()}/runs`, { method: 'HEAD' });
      expect(head.status).toBe(200);
    });
  });
}
