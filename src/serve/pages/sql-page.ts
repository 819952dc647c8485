/** STUB (being written). */
import { html } from '../html.ts';
import type { Page } from '../page.ts';

export const sqlPage: Page = {
  path: '/sql',
  async render() {
    return { kind: 'page', title: 'sql', body: html`<p>Not built yet.</p>` };
  },
};
