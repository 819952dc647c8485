/**
 * The scaffolding of a browser test file: the hand-made warehouse and the console over it for
 * the whole file, and watched pages (test/helpers/browser.ts), checked and closed when each test
 * ends: no console error, no dialog, no request leaving 127.0.0.1, no internal error logged.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { useBrowser, type WatchedPage } from '../helpers/browser.ts';
import {
  buildConsoleWarehouse,
  type ConsoleWarehouse,
  startTestConsole,
  type TestConsole,
} from './console-warehouse.ts';

export interface ConsoleUnderTest {
  /** The console's root URL, without a trailing slash: `http://127.0.0.1:41234`. */
  url(): string;
  warehouse(): ConsoleWarehouse;
  /** A fresh page; what it did wrong is checked after the test. */
  open(): Promise<WatchedPage>;
}

export function useConsole(): ConsoleUnderTest {
  const newPage = useBrowser();
  let warehouse: ConsoleWarehouse | null = null;
  let running: TestConsole | null = null;
  const opened: WatchedPage[] = [];
  beforeAll(async () => {
    warehouse = await buildConsoleWarehouse();
    running = await startTestConsole(warehouse.db);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    warehouse?.remove();
  });
  afterEach(async () => {
    const pages = opened.splice(0);
    await Promise.all(pages.map(({ page }) => page.close()));
    const problems = pages.map((p) => p.problems);
    expect(
      problems.flatMap((p) => p.errors),
      'console errors and uncaught exceptions',
    ).toEqual([]);
    expect(
      problems.flatMap((p) => p.dialogs),
      'dialogs opened (script ran)',
    ).toEqual([]);
    expect(
      problems.flatMap((p) => p.offsite),
      'requests that left 127.0.0.1',
    ).toEqual([]);
    expect(running?.internalErrors.splice(0) ?? [], 'internal errors the server logged').toEqual([]);
  });
  return {
    url: () => {
      if (running === null) throw new Error('The console did not start: see the beforeAll error above.');
      return running.url;
    },
    warehouse: () => {
      if (warehouse === null) throw new Error('The warehouse was not built: see the beforeAll error above.');
      return warehouse;
    },
    open: async () => {
      const watched = await newPage();
      opened.push(watched);
      return watched;
    },
  };
}
