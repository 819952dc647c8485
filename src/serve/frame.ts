/**
 * The console's frame around every page: the navigation (`nav[data-testid="nav"]`), the page's
 * title as its h1, and a footer naming the warehouse. And the pages the server itself answers
 * with: an error (its message and its fix, never a stack trace), 404, 405, 401.
 */
import { ERROR_CODES, type ErrorCode } from '../error-codes.ts';
import { CorridorError } from '../errors.ts';
import type { Assets } from './assets.ts';
import { type Html, html } from './html.ts';
import type { Page } from './page.ts';

export interface FrameContext {
  readonly pages: readonly Page[];
  readonly assets: Assets;
  /**
   * The warehouse as messages name it: a file path, or a PostgreSQL URL without its password;
   * null on the pages shown to a visitor without the access token, who is not told where it is.
   */
  readonly warehouse: string | null;
}

/** Where a page's navigation link points: its path, a family's without the trailing slash. */
export const navHref = (page: Page): string =>
  page.path !== '/' && page.path.endsWith('/') ? page.path.slice(0, -1) : page.path;

/** The page the link belongs to is the current one (its family included). */
function isCurrent(page: Page, path: string): boolean {
  const href = navHref(page);
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

export function framePage(context: FrameContext, path: string, title: string, body: Html): string {
  const css = context.assets.get('console.css');
  const js = context.assets.get('console.js');
  const links = context.pages
    .filter((p) => p.nav !== undefined)
    .map(
      (p) =>
        html`<a href="${navHref(p)}"${isCurrent(p, path) ? html` aria-current="page"` : ''}>${p.nav}</a>`,
    );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Corridor</title>
${css === undefined ? '' : html`<link rel="stylesheet" href="${css.href}">`}
${js === undefined ? '' : html`<script src="${js.href}" defer></script>`}
</head>
<body>
<header><nav data-testid="nav"><a class="brand" href="/">Corridor</a>${links}</nav></header>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>${context.warehouse === null ? null : html`Warehouse: <code data-testid="warehouse">${context.warehouse}</code> · `}read-only</footer>
</body>
</html>
`.text;
}

/** A page that says what went wrong and what to do about it. */
export interface ErrorPage {
  readonly status: number;
  readonly title: string;
  readonly body: Html;
}

export function messagePage(status: number, title: string, message: string, fix?: string): ErrorPage {
  return {
    status,
    title,
    body: html`<div class="error" data-testid="error" role="alert">
<p class="message">${message}</p>
${fix === undefined ? '' : html`<p class="fix"><strong>Fix:</strong> ${fix}</p>`}
</div>`,
  };
}

export const notFoundPage = (path: string): ErrorPage =>
  messagePage(404, 'Not found', `Nothing is at ${path}.`, 'Pick a page from the navigation above.');

/** The HTTP status of a Corridor error: 404 for what is not there, 400 for a bad request, 503 for a busy or unreachable warehouse, else 500. */
function statusOf(code: ErrorCode): number {
  if (code === 'unknown_table' || code === 'unknown_run' || code === 'warehouse_missing') return 404;
  if (code === 'warehouse_busy' || code === 'database_unreachable' || code === 'query_timeout') return 503;
  const entry = ERROR_CODES[code];
  return entry.kind === 'usage' || code === 'bad_query' || code === 'query_refused' ? 400 : 500;
}

/**
 * A failure as a page. A CorridorError's message already names the place and the fix; the code's
 * registry entry adds its general fix. Anything else is Corridor's own failure: the page says
 * so without details, and `logInternal` gets the error (the server prints its stack once).
 */
export function errorPage(error: unknown, logInternal: (error: unknown) => void): ErrorPage {
  if (error instanceof CorridorError) {
    const entry = ERROR_CODES[error.code];
    return {
      status: statusOf(error.code),
      title: 'Error',
      body: html`<div class="error" data-testid="error" role="alert" data-code="${error.code}">
<p class="message">${error.message}</p>
${entry === undefined ? '' : html`<p class="fix"><strong>Fix:</strong> ${entry.fix}</p>`}
<p class="code muted">Code: <code>${error.code}</code></p>
</div>`,
    };
  }
  logInternal(error);
  return messagePage(
    500,
    'Internal error',
    'Corridor failed while answering this page; the console printed the details where it runs.',
    'Report it as a bug with that output. Other pages still work.',
  );
}
