/**
 * `corridor serve` end to end in headless Chromium (npm run test:browser): one hand-made
 * warehouse, one console over it and one browser for all the page suites, built once because
 * loading, deriving and starting the browser cost more than the pages' tests themselves. Skips,
 * with one line saying why, where there is no Chromium (test/helpers/browser.ts).
 */
import { describe } from 'vitest';
import { NO_BROWSER } from '../helpers/browser.ts';
import { commandTests } from './command-suite.ts';
import { everyPageTests } from './every-page-suite.ts';
import { journalTests } from './journal-suite.ts';
import { overviewTests } from './overview-suite.ts';
import { sqlPageTests } from './sql-suite.ts';
import { tablesTests } from './tables-suite.ts';
import { useConsole } from './use-console.ts';

describe.skipIf(NO_BROWSER !== null)('corridor serve in Chromium', () => {
  const consoleUnderTest = useConsole();
  overviewTests(consoleUnderTest);
  journalTests(consoleUnderTest);
  sqlPageTests(consoleUnderTest);
  tablesTests(consoleUnderTest);
  everyPageTests(consoleUnderTest);
  commandTests(consoleUnderTest);
});
