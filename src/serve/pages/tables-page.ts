/** STUB (being written). */
import { html } from '../html.ts';
import type { Page } from '../page.ts';

export const tablesPage: Page = {
  path: '/tables',
  async render() {
    return { kind: 'page', title: 'tables', body: html`<p>Not built yet.</p>` };
  },
};
