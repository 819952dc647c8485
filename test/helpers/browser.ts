/**
 * Headless Chromium for the console's tests (npm run test:browser): the system browser driven by
 * playwright-core, never a downloaded one. Without a browser the tests skip with one line saying
 * why, so a machine without Chromium never fails the suite for it.
 *
 * Each page opened through `watchedPage` records what no console page may do: write to the
 * browser console as an error, throw, open a dialog (an injected `alert`), or ask for anything
 * outside 127.0.0.1 (the console has no network at run time); such a request is refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** The browser's path, or why there is none (the skip reason). */
export type ChromiumLookup = { readonly path: string } | { readonly missing: string };

function whichChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found !== '') return found;
    } catch {
      // Not on the PATH under this name.
    }
  }
  return null;
}

export function findChromium(): ChromiumLookup {
  const chosen = process.env.CORRIDOR_CHROMIUM;
  if (chosen !== undefined && chosen !== '')
    return existsSync(chosen)
      ? { path: chosen }
      : { missing: `CORRIDOR_CHROMIUM=${chosen} does not exist: point it at a Chromium binary.` };
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium' };
  const found = whichChromium();
  return found === null
    ? { missing: 'no chromium on this machine (apt-get install chromium, or set CORRIDOR_CHROMIUM).' }
    : { path: found };
}

export const CHROMIUM = findChromium();
/** The reason the browser tests skip, or null when they run. */
export const NO_BROWSER: string | null = 'missing' in CHROMIUM ? CHROMIUM.missing : null;
if (NO_BROWSER !== null) console.log(`Browser tests skipped: ${NO_BROWSER}`);

/** What a page did that no console page may do. */
export interface PageProblems {
  /** console.error lines and uncaught exceptions. */
  readonly errors: string[];
  /** Dialogs opened (alert, confirm…): injected script ran. */
  readonly dialogs: string[];
  /** Requests to anywhere but 127.0.0.1, refused. */
  readonly offsite: string[];
}

export interface WatchedPage {
  readonly page: Page;
  readonly problems: PageProblems;
}

/**
 * Launches Chromium before the file's tests and closes it after; call at the top of a
 * `describe.skipIf(NO_BROWSER !== null)` block. The returned function opens a watched page (one
 * browser context for the file: the console sets no cookie on 127.0.0.1, and a context per test
 * costs more than the pages themselves on a busy machine).
 */
export function useBrowser(): () => Promise<WatchedPage> {
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  beforeAll(async () => {
    if (!('path' in CHROMIUM)) return;
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      headless: true,
      // Chromium refuses to run as root inside its sandbox.
      args: root ? ['--no-sandbox'] : [],
    });
    context = await browser.newContext({ acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return async () => {
    if (context === null) throw new Error('The browser did not start: see the beforeAll error above.');
    const page = await context.newPage();
    const problems: PageProblems = { errors: [], dialogs: [], offsite: [] };
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'about:')
        return route.continue();
      problems.offsite.push(url.href);
      return route.abort('blockedbyclient');
    });
    page.on('console', (message) => {
      if (message.type() === 'error')
        problems.errors.push(`console.error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.errors.push(`uncaught on ${page.url()}: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.dialogs.push(`${dialog.type()} "${dialog.message()}" on ${page.url()}`);
      void dialog.dismiss();
    });
    return { page, problems };
  };
}

/**
 * Chromium logs a page answered with an error status (a 404 page, a refused statement's 400) as
 * a console error. A test that expects that status takes the one line out, so that any other
 * console error still fails it.
 */
export function acceptErrorStatus(problems: PageProblems, status: number): void {
  const logged = problems.errors.findIndex((e) => e.includes(`status of ${status}`));
  if (logged === -1) throw new Error(`Chromium logged no page answered with status ${status}.`);
  problems.errors.splice(logged, 1);
}
