/** STUB (being written). */
import { html } from '../html.ts';
import type { Page } from '../page.ts';

export const rejectsPage: Page = {
  path: '/rejects',
  async render() {
    return { kind: 'page', title: 'rejects', body: html`<p>Not built yet.</p>` };
  },
};
