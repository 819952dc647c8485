/**
 * `corridor serve` as a user starts it: the real bin/corridor.js in a child process on a free
 * port prints the address, Chromium opens it, and SIGTERM ends the console with exit 0.
 */
import { describe, expect, it } from 'vitest';
import { startCli, stopLeftoverChildren } from '../helpers/cli-child.ts';
import type { ConsoleUnderTest } from './use-console.ts';

export function commandTests(consoleUnderTest: ConsoleUnderTest): void {
  describe('corridor serve, the command', () => {
    it('prints its address on 127.0.0.1, serves the overview there, and stops on SIGTERM', async () => {
      const { folder, db } = consoleUnderTest.warehouse();
      const child = startCli(['serve', '--port', '0', '--db', db], folder);
      try {
        await child.waitFor(/http:\/\/127\.0\.0\.1:\d+/);
        const url = /http:\/\/127\.0\.0\.1:\d+\/?/.exec(child.stdout())![0];
        const { page } = await consoleUnderTest.open();
        const response = await page.goto(url);
        expect(response?.status()).toBe(200);
        expect(await page.locator('form[data-testid="pair-form"]').count()).toBe(1);
        expect(
          await page.locator('figure[data-testid="chart-trade-by-category"] .mark').count(),
        ).toBeGreaterThan(0);
        child.process.kill('SIGTERM');
        expect(await child.exited).toBe(0);
      } finally {
        await stopLeftoverChildren();
      }
    });
  });
}
