/** STUB (being written). */
import { html } from '../html.ts';
import type { Page } from '../page.ts';

export const overviewPage: Page = {
  path: '/',
  async render() {
    return { kind: 'page', title: 'overview', body: html`<p>Not built yet.</p>` };
  },
};
