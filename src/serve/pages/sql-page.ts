/**
 * The SQL page (`/sql?q=<statement>`): an editor (a GET form, so the address is the share
 * link), the statement run through the reader's bounded query as `corridor sql` runs it
 * (read-only, a time limit: 30 s unless `timeout=` says otherwise; a write refused), at most
 * 1,000 rows shown (the page says how many more and how to export them all), and a chart when
 * the result's shape fits one (src/chart/fit-chart.ts).
 */
import { chartOfRows } from '../../chart/fit-chart.ts';
import { renderSvg } from '../../chart/svg-chart.ts';
import { CorridorError } from '../../errors.ts';
import { formatCount } from '../../human-format.ts';
import { type BoundedQuery, queryError } from '../../query/bounded-query.ts';
import type { WarehouseReader } from '../../query/warehouse-reader.ts';
import { type Html, html, trustedHtml } from '../html.ts';
import type { Page, PageResponse } from '../page.ts';
import { resultTable } from '../result-table.ts';

/** Rows the page shows; the rest are counted, and the page says how to export them. */
export const SQL_MAX_ROWS = 1_000;
/** The console's time limit, in seconds, unless the form's `timeout` says otherwise. */
export const SQL_DEFAULT_TIMEOUT_SECONDS = 30;
/** The longest limit the console takes: a page that runs longer is a job for corridor sql. */
export const SQL_MAX_TIMEOUT_SECONDS = 600;

const TOTALS_EXAMPLE =
  'select reporter_iso3, partner_iso3, period, sum(value_usd) as value_usd\nfrom trade_flows\ngroup by 1, 2, 3\norder by 1, 2, 3';
/** Statements to start from: the totals by pair and period, and the tables, as the backend lists them. */
const EXAMPLES: Readonly<Record<WarehouseReader['backend'], readonly string[]>> = {
  sqlite: [TOTALS_EXAMPLE, "select name, type from sqlite_master where type in ('table', 'view') order by 1"],
  postgres: [
    TOTALS_EXAMPLE,
    'select table_name, table_type from information_schema.tables where table_schema = current_schema() order by 1',
  ],
};

interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly unknown[][];
  /** Rows beyond those shown; null when they could not be counted in time. */
  readonly more: number | null;
  readonly reader: boolean;
}

/** Runs the statement: its first SQL_MAX_ROWS rows, then a count of the rest. */
async function runQuery(
  reader: WarehouseReader,
  sql: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<QueryResult> {
  let running: BoundedQuery | null = null;
  const stop = () => running?.close();
  signal.addEventListener('abort', stop, { once: true });
  let read = 0;
  try {
    running = await reader.start(sql, { timeoutMs, what: 'The query' });
    const rows: unknown[][] = [];
    let leftOut = 0;
    for await (const batch of running.batches()) {
      read += batch.length;
      const room = SQL_MAX_ROWS - rows.length;
      rows.push(...batch.slice(0, room));
      leftOut = batch.length - Math.min(room, batch.length);
      if (rows.length >= SQL_MAX_ROWS) break;
    }
    let more: number | null = 0;
    if (rows.length >= SQL_MAX_ROWS && running.reader) {
      // Counting runs the statement to its end, within the same limit; past it, "more" stays uncounted.
      more = await running.countRest().then(
        (rest) => leftOut + rest,
        () => null,
      );
    }
    return { columns: running.columns.map((c) => c.name), rows, more, reader: running.reader };
  } catch (error) {
    throw queryError(error, 'The query', timeoutMs, read, reader.backend);
  } finally {
    signal.removeEventListener('abort', stop);
    running?.close();
    await running?.exited;
  }
}

/** The time limit the form asks for, in seconds, or a message saying what it takes. */
function timeoutOf(text: string | null): number | string {
  if (text === null || text.trim() === '') return SQL_DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > SQL_MAX_TIMEOUT_SECONDS)
    return `The time limit "${text}" is not a number of seconds from 0.001 to ${SQL_MAX_TIMEOUT_SECONDS}.`;
  return seconds;
}

function shareUrl(sql: string, timeout: string | null): string {
  const params = new URLSearchParams({ q: sql });
  if (timeout !== null && timeout !== '') params.set('timeout', timeout);
  return `/sql?${params.toString()}`;
}

function editor(sql: string, timeout: string | null): Html {
  return html`<form method="get" action="/sql" data-testid="sql-form">
<label for="q">One read-only statement (SQLite or PostgreSQL, as the warehouse is):</label>
<textarea id="q" name="q" rows="8" spellcheck="false" autofocus>${sql}</textarea>
<div class="controls">
<button type="submit">Run</button>
<label>Time limit <input type="number" name="timeout" min="0.001" max="${SQL_MAX_TIMEOUT_SECONDS}" step="any" value="${timeout ?? ''}" placeholder="${SQL_DEFAULT_TIMEOUT_SECONDS}"> s</label>
<span class="hint">Ctrl-Enter runs it too.</span>
</div>
</form>`;
}

function errorBox(error: CorridorError): Html {
  return html`<div class="error" data-testid="sql-error" role="alert" data-code="${error.code}">
<p class="message">${error.message}</p>
${error.code === 'query_timeout' ? html`<p class="fix">Here: raise the time limit beside Run (up to ${SQL_MAX_TIMEOUT_SECONDS} s), or run it with corridor sql.</p>` : ''}
</div>`;
}

function resultOf(sql: string, result: QueryResult): Html {
  if (!result.reader) return html`<p data-testid="sql-no-rows">The statement returns no rows.</p>`;
  const shown = result.rows.length;
  const count =
    result.more === 0
      ? html`<p data-testid="sql-count">${formatCount(shown)} row${shown === 1 ? '' : 's'}.</p>`
      : html`<p data-testid="sql-count">${formatCount(shown)} rows shown of ${
          result.more === null
            ? 'more (the rest were not counted within the time limit)'
            : formatCount(shown + result.more)
        }: ${result.more === null ? '' : `${formatCount(result.more)} more. `}For all of them: <code>corridor export --query "${sql.replace(/\s+/g, ' ').trim()}" --out rows.csv</code>, or <code>corridor sql "…" --format csv &gt; rows.csv</code>.</p>`;
  const chart = result.rows.length === 0 ? null : chartOfRows(result.columns, result.rows, 'Query result');
  return html`${count}
${chart === null ? '' : html`<figure data-testid="sql-chart">${trustedHtml(renderSvg(chart))}</figure>`}
${resultTable(
  'sql-result',
  result.columns.map((name) => ({ name })),
  result.rows,
)}`;
}

export const sqlPage: Page = {
  path: '/sql',
  nav: 'SQL',
  async render(request): Promise<PageResponse> {
    const sql = request.params.get('q') ?? '';
    const timeoutText = request.params.get('timeout');
    const title = 'SQL';
    if (sql.trim() === '') {
      return {
        kind: 'page',
        title,
        body: html`${editor(sql, timeoutText)}
<p class="hint">Analysts' SQL is read-only: a statement that would write is refused. Examples:</p>
<ul>${EXAMPLES[request.reader.backend].map((e) => html`<li><a href="${shareUrl(e, null)}"><code>${e.replace(/\s+/g, ' ')}</code></a></li>`)}</ul>`,
      };
    }
    const share = html`<p><a data-testid="share-link" href="${shareUrl(sql, timeoutText)}">Link to this query</a> <span class="hint">(the address runs it again)</span></p>`;
    const timeout = timeoutOf(timeoutText);
    if (typeof timeout === 'string')
      return {
        kind: 'page',
        title,
        status: 400,
        body: html`${editor(sql, timeoutText)}<div class="error" data-testid="sql-error" role="alert"><p class="message">${timeout}</p></div>`,
      };
    try {
      const result = await runQuery(request.reader, sql, timeout * 1000, request.signal);
      return { kind: 'page', title, body: html`${editor(sql, timeoutText)}${share}${resultOf(sql, result)}` };
    } catch (error) {
      if (!(error instanceof CorridorError)) throw error;
      return {
        kind: 'page',
        title,
        status: error.code === 'query_timeout' ? 503 : 400,
        body: html`${editor(sql, timeoutText)}${share}${errorBox(error)}`,
      };
    }
  },
};
