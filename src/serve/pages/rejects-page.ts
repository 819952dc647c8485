/**
 * `/rejects?file=<load id>&code=<code>&run=<run id>`: the quarantine (`rejects`) in the console,
 * each rejected cell with its place in the file, its code, the message, the whole raw row (the
 * offending column marked) and the fix the error-code registry gives (src/error-codes.ts), so
 * an analyst reads what to change in the file without leaving the page. 50 a page.
 */
import { ERROR_CODES, isErrorCode } from '../../error-codes.ts';
import { html } from '../html.ts';
import type { Page, PageRequest, PageResponse } from '../page.ts';
import {
  baseName,
  countOf,
  figure,
  idOf,
  listing,
  options,
  PAGE_SIZE,
  pageOf,
  pager,
  type Row,
} from './journal-listing.ts';

/** A reject code as the registry writes them (`bad_hs_code`); anything else filters nothing. */
const codeOf = (text: string | null): string =>
  text !== null && /^[a-z][a-z0-9_]{0,63}$/.test(text) ? text : '';

/** The file, sheet, row and column of a reject, as a person finds it in a spreadsheet. */
function place(r: Row) {
  const unit = /\.json(\.gz)?$/i.test(String(r.file)) ? 'record' : 'row';
  return html`<span class="file" title="${r.file}">${baseName(r.file)}</span>${
    r.sheet === null ? null : html` › <span class="sheet">${r.sheet}</span>`
  } › ${unit} <span class="row-number">${r.row_number}</span>${
    r.column_name === null ? null : html` › column <span class="column">${r.column_name}</span>`
  }`;
}

/** The whole row as the file had it, column by column; the rejected column marked. */
function rawRow(raw: unknown, column: unknown) {
  let cells: [string, unknown][];
  try {
    const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (parsed === null || typeof parsed !== 'object') return html`<code>${String(raw ?? '')}</code>`;
    cells = Object.entries(parsed as Record<string, unknown>);
  } catch {
    return html`<code>${String(raw)}</code>`;
  }
  const shown = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return html`<details><summary>${cells.length} cells</summary><dl class="raw">${cells.map(([name, value]) =>
    name === column
      ? html`<dt><mark>${name}</mark></dt><dd><mark>${shown(value)}</mark></dd>`
      : html`<dt>${name}</dt><dd>${shown(value)}</dd>`,
  )}</dl></details>`;
}

const rejectRow = (r: Row) => {
  const code = String(r.code);
  const fix = isErrorCode(code)
    ? ERROR_CODES[code].fix
    : 'Not a code of this version of Corridor: see docs/error-codes.md.';
  return html`<tr data-code="${code}" data-file-id="${r.load_id}">
  <td class="place">${place(r)}</td>
  <td class="code"><code>${code}</code></td>
  <td class="message">${r.message}${r.value === null ? null : html`<div class="value">value: <code>${r.value}</code></div>`}</td>
  <td class="raw-row">${rawRow(r.raw, r.column_name)}</td>
  <td class="fix">${fix}</td>
</tr>`;
};

async function render(request: PageRequest): Promise<PageResponse> {
  const { reader, params } = request;
  const file = idOf(params.get('file'));
  const run = idOf(params.get('run'));
  const code = codeOf(params.get('code'));
  const page = pageOf(params);

  // The filters as bound SQL: `where` text is fixed, only the values vary.
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (file !== null) {
    conditions.push('load_id = ?');
    values.push(file);
  }
  if (run !== null) {
    conditions.push('run_id = ?');
    values.push(run);
  }
  const scope = conditions.length === 0 ? '' : `where ${conditions.join(' and ')}`;
  const withCode = code === '' ? scope : `${scope === '' ? 'where' : `${scope} and`} code = ?`;
  const codeValues = code === '' ? values : [...values, code];

  const codes = await listing(
    reader,
    `select code, count(*) as n from rejects ${scope} group by code order by code`,
    values,
  );
  const files = await listing(
    reader,
    `select load_id, min(file) as file, count(*) as n from rejects group by load_id order by load_id desc`,
  );
  const total = await countOf(reader, `select count(*) from rejects ${withCode}`, codeValues);
  const rows = await listing(
    reader,
    `select reject_id, run_id, load_id, file, sheet, row_number, column_name, code, message, value, raw
     from rejects ${withCode} order by load_id, row_number, reject_id limit ? offset ?`,
    [...codeValues, PAGE_SIZE, (page - 1) * PAGE_SIZE],
  );

  const fileChoices = files.map((f) => ({
    value: String(f.load_id),
    label: `load ${f.load_id}: ${baseName(f.file)} (${figure(f.n)})`,
  }));
  const codeChoices = codes.map((c) => ({ value: String(c.code), label: `${c.code} (${figure(c.n)})` }));
  const what = [
    file === null ? null : `load ${file}`,
    run === null ? null : `run ${run}`,
    code === '' ? null : `code ${code}`,
  ].filter((w) => w !== null);
  return {
    kind: 'page',
    title: 'Rejects',
    body: html`<p>Rows that were not loaded, with the place in the file, what is wrong and how to fix it. A row with two bad cells has two rejects.</p>
      <form method="get" action="/rejects" data-testid="rejects-filter">
        <label>file <select name="file">${options(fileChoices, file === null ? '' : String(file), 'every file')}</select></label>
        <label>code <select name="code">${options(codeChoices, code, 'every code')}</select></label>
        ${run === null ? null : html`<input type="hidden" name="run" value="${run}">`}
        <button type="submit">Show</button>
      </form>
      ${
        total === 0
          ? html`<p data-testid="empty">No rejected rows${what.length === 0 ? ' in this warehouse' : ` for ${what.join(', ')}`}.</p>`
          : html`<table data-testid="rejects">
        <thead><tr><th>place</th><th>code</th><th>message</th><th>raw row</th><th>fix</th></tr></thead>
        <tbody>${rows.map(rejectRow)}</tbody>
      </table>
      ${pager('/rejects', params, page, total)}`
      }`,
  };
}

export const rejectsPage: Page = { path: '/rejects', nav: 'Rejects', render };
