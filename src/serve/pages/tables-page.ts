/**
 * The Tables pages. `/tables`: the data dictionary (warehouse/dictionary/, what `corridor docs`
 * prints), every table and view with its description, linked when this warehouse has it.
 * `/tables/<name>`: its rows, 100 a page in the export's stable order, filtered by
 * `?<column>=<value>`, with downloads through the export code (table-download.ts).
 */
import { DICTIONARY, DICTIONARY_AREAS } from '../../../warehouse/dictionary/index.ts';
import type { ColumnDoc } from '../../../warehouse/dictionary/table-doc.ts';
import { ConfigError } from '../../errors.ts';
import { listRelations } from '../../export/catalog.ts';
import { type Html, html } from '../html.ts';
import type { Page, PageRequest, PageResponse } from '../page.ts';
import { resultTable } from '../result-table.ts';
import { DOWNLOAD_TYPES, isDownloadFormat, tableDownload } from './table-download.ts';
import { pageOfRows, ROWS_PER_PAGE, selectTable, type TableSelection } from './table-selection.ts';

/** The dictionary's Markdown `code` spans as <code>, the rest as text. */
export function inlineCode(text: string): Html {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

const tableHref = (name: string) => `/tables/${encodeURIComponent(name)}`;

async function dictionaryPage(request: PageRequest): Promise<PageResponse> {
  const present = new Map((await listRelations(request.reader.warehouse)).map((r) => [r.name, r.kind]));
  const documented = new Set(DICTIONARY.map((t) => t.name));
  const row = (
    name: string,
    kind: string,
    columns: number | null,
    description: Html | string,
  ) => html`<tr data-table="${name}">
<td>${present.has(name) ? html`<a href="${tableHref(name)}">${name}</a>` : html`${name} <span class="muted">(not in this warehouse)</span>`}</td>
<td>${kind}</td><td class="num">${columns ?? ''}</td><td>${description}</td></tr>`;
  const areas = DICTIONARY_AREAS.map(
    (area) => html`<tbody>
<tr class="area"><th colspan="4" scope="rowgroup">${area.title}</th></tr>
${DICTIONARY.filter((t) => t.area === area.area).map((t) => row(t.name, t.kind, t.columns.length, inlineCode(t.description)))}
</tbody>`,
  );
  const others = [...present].filter(([name]) => !documented.has(name));
  const rest =
    others.length === 0
      ? ''
      : html`<tbody>
<tr class="area"><th colspan="4" scope="rowgroup">Not in the data dictionary</th></tr>
${others.map(([name, kind]) => row(name, kind, null, 'Internal to Corridor, or added by hand.'))}
</tbody>`;
  return {
    kind: 'page',
    title: 'Tables',
    body: html`<p>Every table and view of the warehouse, as the data dictionary describes it (<code>corridor docs</code> prints the full dictionary). Open one to browse, filter and download its rows. Query the views (<code>trade_flows</code>, <code>port_throughput</code>); the tables behind them are the loader's.</p>
<table data-testid="dictionary">
<thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Columns</th><th scope="col">Description</th></tr></thead>
${areas}${rest}
</table>`,
  };
}

/** A Tables URL with these parameters. */
function urlOf(path: string, params: Iterable<readonly [string, string]>): string {
  const query = new URLSearchParams([...params].map(([k, v]) => [k, v] as [string, string])).toString();
  return query === '' ? path : `${path}?${query}`;
}

const columnTitle = (column: ColumnDoc | { name: string; description: string; unit?: string }) =>
  [column.description, column.unit === undefined ? '' : `(${column.unit})`]
    .filter((t) => t !== '')
    .join(' ') || undefined;

async function browsePage(request: PageRequest, selection: TableSelection): Promise<PageResponse> {
  const { rows, more } = await pageOfRows(request.reader, selection);
  const base = tableHref(selection.table);
  const filtered = selection.filters;
  const pageUrl = (page: number) =>
    urlOf(base, [...filtered, ...(page === 1 ? [] : [['page', String(page)] as const])]);
  const first = (selection.page - 1) * ROWS_PER_PAGE;
  const shown =
    rows.length === 0
      ? selection.page === 1
        ? 'No rows.'
        : `No rows on page ${selection.page}.`
      : `Rows ${(first + 1).toLocaleString('en-US')}–${(first + rows.length).toLocaleString('en-US')}${more ? '' : ' (the last)'}.`;
  const value = (column: string) => filtered.find(([c]) => c === column)?.[1] ?? '';
  const downloads = Object.keys(DOWNLOAD_TYPES).map(
    (format) =>
      html`<a data-testid="download-${format}" href="${urlOf(`${base}/download.${format}`, filtered)}" download>${format.toUpperCase()}</a>`,
  );
  return {
    kind: 'page',
    title: selection.table,
    body: html`<p>${selection.doc === null ? html`<span class="muted">A ${selection.kind} the data dictionary does not describe.</span>` : inlineCode(selection.doc.description)} <a href="/tables">All tables</a></p>
<details${filtered.length > 0 ? html` open` : ''}><summary>Filter${filtered.length > 0 ? html` (${filtered.length} applied)` : ''}</summary>
<form method="get" action="${base}" class="filters" data-testid="table-filter">
${selection.shape.names.map((name) => html`<label>${name}<input name="${name}" value="${value(name)}"></label>`)}
<button type="submit">Filter</button> <a href="${base}">Clear</a>
</form></details>
${filtered.length === 0 ? '' : html`<p data-testid="filters-applied">Only rows where ${filtered.map(([c, v], i) => html`${i > 0 ? ' and ' : ''}<code>${c}</code> = <code>${v}</code>`)}.</p>`}
<div class="downloads">Download${filtered.length > 0 ? ' these rows' : ''}: ${downloads}</div>
<nav class="pager" data-testid="pager" aria-label="Pages">
${selection.page > 1 ? html`<a rel="prev" data-testid="page-prev" href="${pageUrl(selection.page - 1)}">← Previous</a>` : ''}
<span data-testid="page-rows">${shown}</span>
${more ? html`<a rel="next" data-testid="page-next" href="${pageUrl(selection.page + 1)}">Next →</a>` : ''}
</nav>
${resultTable(
  'table-rows',
  selection.shape.columns.map((c) => ({ name: c.name, title: columnTitle(c) })),
  rows,
)}`,
  };
}

/** `/tables/<name>` or `/tables/<name>/download.<ext>`: the name and, for a download, the format. */
function parsePath(path: string): { name: string; download: string | null } {
  const rest = path.slice('/tables/'.length);
  const match = /^([^/]+)(?:\/download\.([a-z]+))?$/.exec(rest);
  if (match === null)
    throw new ConfigError(`Nothing is at ${path}: a table's address is /tables/<name>.`, {
      code: 'unknown_table',
    });
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    throw new ConfigError(`${path} is not a well-formed address (a broken %-escape).`, {
      code: 'bad_arguments',
    });
  }
  return { name, download: match[2] ?? null };
}

export const tablesPage: Page = {
  path: '/tables/',
  nav: 'Tables',
  async render(request) {
    if (request.path === '/tables' || request.path === '/tables/') return dictionaryPage(request);
    const { name, download } = parsePath(request.path);
    if (download !== null && !isDownloadFormat(download))
      throw new ConfigError(
        `The console downloads CSV, JSON or Parquet, not "${download}". For other formats: corridor export ${name} --format xlsx.`,
        {
          code: 'bad_arguments',
        },
      );
    const selection = await selectTable(request.reader, name, request.params);
    if (download === null) return browsePage(request, selection);
    if (request.params.has('page'))
      throw new ConfigError('A download has every row the filters select: drop page= from its address.', {
        code: 'bad_arguments',
      });
    return tableDownload(
      request.location,
      selection,
      download as keyof typeof DOWNLOAD_TYPES,
      request.signal,
    );
  },
};
