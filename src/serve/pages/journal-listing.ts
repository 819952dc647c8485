/**
 * What the journal pages (runs, rejects, findings) share: reading a listing with bound
 * parameters, the query string's page and ids read strictly, a pager, counts as people read
 * them, and a page that says what was not found and how to get there.
 */
import { formatCount } from '../../human-format.ts';
import type { WarehouseReader } from '../../query/warehouse-reader.ts';
import { messagePage } from '../frame.ts';
import { type Html, html } from '../html.ts';
import type { PageResponse } from '../page.ts';

/** Rows per page of every journal listing. */
export const PAGE_SIZE = 50;

export type Row = Readonly<Record<string, unknown>>;

/**
 * Every row of one of the console's own statements, with `?` parameters bound by the driver
 * (src/db/sql-session.ts numbers them on PostgreSQL): values from the query string never
 * become SQL text.
 */
export function listing(
  reader: WarehouseReader,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  return reader.warehouse.sql.all<Row>(sql, params);
}

/** A count from either backend (PostgreSQL's count(*) arrives as text). */
export async function countOf(
  reader: WarehouseReader,
  sql: string,
  params: readonly unknown[] = [],
): Promise<number> {
  return Number((await reader.warehouse.sql.value(sql, params)) ?? 0);
}

/** A positive whole number as the query string or path writes it (`12`), else null. */
export function idOf(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^[1-9][0-9]{0,14}$/.test(text)) return null;
  return Number(text);
}

/** `?page=n`, 1 when absent or not a page number. */
export const pageOf = (params: URLSearchParams): number => idOf(params.get('page')) ?? 1;

/** A figure with thousands separators; blank for NULL. */
export function figure(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  return Number.isFinite(n) ? formatCount(n) : String(value);
}

/** `path?kept params&page=n`. */
function pageLink(path: string, params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  if (page === 1) next.delete('page');
  else next.set('page', String(page));
  const query = next.toString();
  return query === '' ? path : `${path}?${query}`;
}

/** "Rows 51–100 of 420", with links to the previous and next pages; nothing when one page holds all. */
export function pager(path: string, params: URLSearchParams, page: number, total: number): Html {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);
  return html`<nav class="pager" data-testid="pager" aria-label="pages">
    <span>${first === 0 ? 'None' : `${formatCount(first)}–${formatCount(last)}`} of ${formatCount(total)} (page ${page} of ${pages})</span>
    ${page > 1 ? html`<a rel="prev" href="${pageLink(path, params, page - 1)}">← previous</a>` : null}
    ${page < pages ? html`<a rel="next" href="${pageLink(path, params, page + 1)}">next →</a>` : null}
  </nav>`;
}

/** `<option>`s of a filter select: an "all" option first, the chosen one selected. */
export function options(
  choices: readonly { readonly value: string; readonly label: string }[],
  chosen: string,
  all = 'all',
): Html {
  return html`<option value="" ${chosen === '' ? html`selected` : null}>${all}</option>${choices.map(
    (c) => html`<option value="${c.value}" ${c.value === chosen ? html`selected` : null}>${c.label}</option>`,
  )}`;
}

/** A page that says what was asked for, that it is not there, and where to look instead (the frame's error page). */
export function notFound(title: string, message: string, fix: string): PageResponse {
  return { kind: 'page', ...messagePage(404, title, message, fix) };
}

/** The file's name without its folder, as the journal's messages show it. */
export const baseName = (path: unknown): string =>
  String(path ?? '')
    .split(/[\\/]/)
    .pop() ?? '';
