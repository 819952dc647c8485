/**
 * The load journal (`load_runs`, `load_files`, warehouse/dictionary/journal-tables.ts) in the
 * console: `/runs` lists the runs, newest first, 50 a page; `/runs/<id>` the files of one run
 * with their counts and errors, each linking to its rejects. The same columns `corridor runs`
 * prints, so the console and the terminal tell one story.
 */
import { formatDuration } from '../../human-format.ts';
import type { WarehouseReader } from '../../query/warehouse-reader.ts';
import { html } from '../html.ts';
import type { Page, PageRequest, PageResponse } from '../page.ts';
import {
  baseName,
  countOf,
  figure,
  idOf,
  listing,
  notFound,
  PAGE_SIZE,
  pageOf,
  pager,
  type Row,
} from './journal-listing.ts';

const took = (ms: unknown) => (ms === null || ms === undefined ? 'running' : formatDuration(Number(ms)));

async function runList(request: PageRequest): Promise<PageResponse> {
  const { reader, params } = request;
  const page = pageOf(params);
  const total = await countOf(reader, 'select count(*) from load_runs');
  const runs = await listing(
    reader,
    `select run_id, pipeline, status, started_at, duration_ms, files_total, files_loaded, files_skipped, files_failed,
            rows_read, rows_loaded, rows_rejected, rows_aggregate, exit_code, message
     from load_runs order by run_id desc limit ? offset ?`,
    [PAGE_SIZE, (page - 1) * PAGE_SIZE],
  );
  if (total === 0)
    return {
      kind: 'page',
      title: 'Runs',
      body: html`<p data-testid="empty">No runs yet. Load something with <code>corridor load &lt;file&gt;</code> or <code>npm start</code>.</p>`,
    };
  return {
    kind: 'page',
    title: 'Runs',
    body: html`<p>Every load and pipeline run, newest first. Rows read = loaded + rejected + aggregate (totals checked, not loaded).</p>
      <table data-testid="runs">
        <thead><tr>
          <th>run</th><th>pipeline</th><th>status</th><th>started</th><th>took</th>
          <th>files loaded</th><th>skipped</th><th>failed</th>
          <th>rows read</th><th>loaded</th><th>rejected</th><th>aggregate</th><th>message</th>
        </tr></thead>
        <tbody>${runs.map(runRow)}</tbody>
      </table>
      ${pager('/runs', params, page, total)}`,
  };
}

const runRow = (r: Row) => html`<tr data-run-id="${r.run_id}" data-status="${r.status}">
  <td><a href="/runs/${r.run_id}">${r.run_id}</a></td>
  <td>${r.pipeline}</td>
  <td class="status status-${r.status}">${r.status}</td>
  <td><time datetime="${r.started_at}">${r.started_at}</time></td>
  <td class="num duration">${took(r.duration_ms)}</td>
  <td class="num files">${figure(r.files_loaded)} of ${figure(r.files_total)}</td>
  <td class="num">${figure(r.files_skipped)}</td>
  <td class="num">${figure(r.files_failed)}</td>
  <td class="num rows-read">${figure(r.rows_read)}</td>
  <td class="num rows-loaded">${figure(r.rows_loaded)}</td>
  <td class="num rows-rejected">${Number(r.rows_rejected) > 0 ? html`<a href="/rejects?run=${r.run_id}">${figure(r.rows_rejected)}</a>` : figure(r.rows_rejected)}</td>
  <td class="num">${figure(r.rows_aggregate)}</td>
  <td class="message">${r.message}</td>
</tr>`;

async function runFiles(reader: WarehouseReader, runId: number): Promise<PageResponse> {
  const [run] = await listing(
    reader,
    `select run_id, pipeline, status, started_at, finished_at, duration_ms, rows_read, rows_loaded, rows_rejected, message
     from load_runs where run_id = ?`,
    [runId],
  );
  if (run === undefined)
    return notFound(
      `Run ${runId}`,
      `There is no run ${runId} in this warehouse.`,
      'See /runs for the runs it holds.',
    );
  const files = await listing(
    reader,
    `select load_id, source, file_name, path, status, rows_read, rows_loaded, rows_inserted, rows_changed,
            rows_unchanged, rows_retired, rows_rejected, rejects_stored, rows_aggregate, duration_ms,
            same_as_load_id, error_code, error_message, notes
     from load_files where run_id = ? order by load_id`,
    [runId],
  );
  const title = `Run ${runId}`;
  return {
    kind: 'page',
    title,
    body: html`<p><a href="/runs">← all runs</a></p>
      <dl class="run-summary">
        <dt>pipeline</dt><dd>${run.pipeline}</dd>
        <dt>status</dt><dd class="status status-${run.status}">${run.status}</dd>
        <dt>started</dt><dd>${run.started_at}</dd>
        <dt>took</dt><dd>${took(run.duration_ms)}</dd>
        <dt>rows</dt><dd>${figure(run.rows_read)} read, ${figure(run.rows_loaded)} loaded, ${figure(run.rows_rejected)} rejected</dd>
        ${run.message === null ? null : html`<dt>message</dt><dd>${run.message}</dd>`}
      </dl>
      ${
        files.length === 0
          ? html`<p data-testid="empty">Run ${runId} read no files.</p>`
          : html`<table data-testid="run-files">
        <thead><tr>
          <th>load</th><th>file</th><th>source</th><th>status</th><th>read</th><th>inserted</th><th>changed</th>
          <th>unchanged</th><th>retired</th><th>rejected</th><th>aggregate</th><th>took</th><th>error</th>
        </tr></thead>
        <tbody>${files.map(fileRow)}</tbody>
      </table>`
      }`,
  };
}

/** The notes a load left (encoding guessed, columns not read, rejects capped), as a list. */
function notesOf(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  try {
    const notes: unknown = JSON.parse(text);
    return Array.isArray(notes) ? notes.map(String) : [text];
  } catch {
    return [text];
  }
}

function fileRow(f: Row) {
  const notes = notesOf(f.notes);
  return html`<tr data-file-id="${f.load_id}" data-status="${f.status}">
  <td>${f.load_id}</td>
  <td class="file" title="${f.path}">${f.file_name ?? baseName(f.path)}${
    notes.length === 0
      ? null
      : html`<details class="notes"><summary>${notes.length} note${notes.length === 1 ? '' : 's'}</summary><ul>${notes.map((n) => html`<li>${n}</li>`)}</ul></details>`
  }</td>
  <td>${f.source}</td>
  <td class="status status-${f.status}">${f.status}${f.same_as_load_id === null ? null : html` (same as load ${f.same_as_load_id})`}</td>
  <td class="num rows-read">${figure(f.rows_read)}</td>
  <td class="num rows-inserted">${figure(f.rows_inserted)}</td>
  <td class="num rows-changed">${figure(f.rows_changed)}</td>
  <td class="num rows-unchanged">${figure(f.rows_unchanged)}</td>
  <td class="num rows-retired">${figure(f.rows_retired)}</td>
  <td class="num rows-rejected"><a data-testid="file-rejects" href="/rejects?file=${f.load_id}">${figure(f.rows_rejected ?? 0)} rejected</a>${
    Number(f.rejects_stored) < Number(f.rows_rejected) ? html` (${figure(f.rejects_stored)} kept)` : null
  }</td>
  <td class="num">${figure(f.rows_aggregate)}</td>
  <td class="num duration">${took(f.duration_ms)}</td>
  <td class="error">${f.error_code === null ? null : html`<code class="error-code">${f.error_code}</code> `}${f.error_message}</td>
</tr>`;
}

async function render(request: PageRequest): Promise<PageResponse> {
  const path = request.path.replace(/\/+$/, '');
  if (path === '/runs') return runList(request);
  const id = idOf(path.slice('/runs/'.length));
  if (id === null)
    return notFound(
      'Run not found',
      `"${path.slice('/runs/'.length)}" is not a run number.`,
      'Runs are numbered 1, 2, 3…: see /runs for them.',
    );
  return runFiles(request.reader, id);
}

/** A family (src/serve/server.ts, pageFor): `/runs` lists the runs, `/runs/<id>` one run's files. */
export const runsPage: Page = { path: '/runs/', nav: 'Runs', render };
