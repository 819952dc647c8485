/** STUB (being written). */
import { html } from '../html.ts';
import type { Page } from '../page.ts';

export const runsPage: Page = {
  path: '/runs',
  async render() {
    return { kind: 'page', title: 'runs', body: html`<p>Not built yet.</p>` };
  },
};
