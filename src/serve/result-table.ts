/**
 * Rows as an HTML table, for the Tables and SQL pages: a number right-aligned, NULL marked as
 * such (not an empty string), a blob as its size; every value escaped by `html`.
 */
import { cellText } from '../human-format.ts';
import { type Html, html } from './html.ts';

export interface ResultColumn {
  readonly name: string;
  /** Shown as the header's tooltip: the dictionary's description and unit. */
  readonly title?: string | undefined;
}

function cell(value: unknown): Html {
  if (value === null || value === undefined) return html`<td class="null"></td>`;
  if (typeof value === 'number' || typeof value === 'bigint')
    return html`<td class="num">${cellText(value)}</td>`;
  return html`<td>${cellText(value)}</td>`;
}

export function resultTable(
  testId: string,
  columns: readonly ResultColumn[],
  rows: readonly (readonly unknown[])[],
): Html {
  return html`<table data-testid="${testId}">
<thead><tr>${columns.map((c) => html`<th scope="col"${c.title === undefined ? '' : html` title="${c.title}"`}>${c.name}</th>`)}</tr></thead>
<tbody>
${rows.map((row) => html`<tr>${row.map(cell)}</tr>\n`)}</tbody>
</table>`;
}
