/** STUB (being written). */
import { html } from '../html.ts';
import type { Page } from '../page.ts';

export const findingsPage: Page = {
  path: '/findings',
  async render() {
    return { kind: 'page', title: 'findings', body: html`<p>Not built yet.</p>` };
  },
};
