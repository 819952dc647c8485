/** Every page of the console, in the navigation's order. */
import type { Page } from '../page.ts';
import { findingsPage } from './findings-page.ts';
import { overviewPage } from './overview-page.ts';
import { rejectsPage } from './rejects-page.ts';
import { runsPage } from './runs-page.ts';
import { sqlPage } from './sql-page.ts';
import { tablesPage } from './tables-page.ts';

export const PAGES: readonly Page[] = [
  overviewPage,
  runsPage,
  rejectsPage,
  findingsPage,
  tablesPage,
  sqlPage,
];
