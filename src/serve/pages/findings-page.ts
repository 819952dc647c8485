/**
 * `/findings?check=&severity=&status=`: what `corridor check` and the loads found wrong with
 * the data (`dq_findings`, src/db/dq-findings.ts), worst first: severity, check, subject (the
 * table or file and the item), the figures expected and found, the message. Open findings by
 * default; resolved ones on request. 50 a page.
 */
import { html } from '../html.ts';
import type { Page, PageRequest, PageResponse } from '../page.ts';
import { countOf, figure, listing, options, PAGE_SIZE, pageOf, pager, type Row } from './journal-listing.ts';

const SEVERITIES = ['error', 'warning', 'info'] as const;
const STATUSES = { open: 'resolved_at is null', resolved: 'resolved_at is not null', all: '1 = 1' } as const;
type Status = keyof typeof STATUSES;

const statusOf = (text: string | null): Status =>
  text !== null && Object.hasOwn(STATUSES, text) ? (text as Status) : 'open';

const findingRow = (f: Row) => html`<tr data-check="${f.check_name}" data-severity="${f.severity}">
  <td class="severity severity-${f.severity}">${f.severity}</td>
  <td class="check"><code>${f.check_name}</code></td>
  <td class="subject">${f.table_name} › ${f.finding_key}</td>
  <td class="num expected">${figure(f.expected)}</td>
  <td class="num found">${figure(f.found)}</td>
  <td class="message">${f.message}</td>
  <td><time datetime="${f.last_seen_at}">${f.last_seen_at}</time></td>
  <td>${f.resolved_at === null ? 'open' : html`resolved <time datetime="${f.resolved_at}">${f.resolved_at}</time>`}</td>
</tr>`;

async function render(request: PageRequest): Promise<PageResponse> {
  const { reader, params } = request;
  const check = /^[a-z][a-z0-9_]{0,63}$/.test(params.get('check') ?? '') ? params.get('check')! : '';
  const severity = (SEVERITIES as readonly string[]).includes(params.get('severity') ?? '')
    ? params.get('severity')!
    : '';
  const status = statusOf(params.get('status'));
  const page = pageOf(params);

  const conditions: string[] = [STATUSES[status]];
  const values: unknown[] = [];
  if (check !== '') {
    conditions.push('check_name = ?');
    values.push(check);
  }
  if (severity !== '') {
    conditions.push('severity = ?');
    values.push(severity);
  }
  const where = `where ${conditions.join(' and ')}`;
  const checks = await listing(
    reader,
    `select check_name, count(*) as n from dq_findings where ${STATUSES[status]} group by check_name order by check_name`,
  );
  const total = await countOf(reader, `select count(*) from dq_findings ${where}`, values);
  const rows = await listing(
    reader,
    `select check_name, severity, table_name, finding_key, expected, found, message, last_seen_at, resolved_at
     from dq_findings ${where}
     order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, check_name, table_name, finding_key
     limit ? offset ?`,
    [...values, PAGE_SIZE, (page - 1) * PAGE_SIZE],
  );
  const checkChoices = checks.map((c) => ({
    value: String(c.check_name),
    label: `${c.check_name} (${figure(c.n)})`,
  }));
  return {
    kind: 'page',
    title: 'Findings',
    body: html`<p>What the data-quality checks found: <code>corridor check</code> on the warehouse, and the loads on the tables they read (printed subtotals). A finding no longer found when its check runs again is resolved.</p>
      <form method="get" action="/findings" data-testid="findings-filter">
        <label>check <select name="check">${options(checkChoices, check, 'every check')}</select></label>
        <label>severity <select name="severity">${options(
          SEVERITIES.map((s) => ({ value: s, label: s })),
          severity,
          'every severity',
        )}</select></label>
        <label>status <select name="status">${(Object.keys(STATUSES) as Status[]).map(
          (s) => html`<option value="${s}" ${s === status ? html`selected` : null}>${s}</option>`,
        )}</select></label>
        <button type="submit">Show</button>
      </form>
      ${
        total === 0
          ? html`<p data-testid="empty">No ${status === 'all' ? '' : `${status} `}findings${check === '' ? '' : ` of ${check}`}${severity === '' ? '' : ` at ${severity}`}. Run <code>corridor check</code> to look for them.</p>`
          : html`<table data-testid="findings">
        <thead><tr><th>severity</th><th>check</th><th>subject</th><th>expected</th><th>found</th><th>message</th><th>last seen</th><th>status</th></tr></thead>
        <tbody>${rows.map(findingRow)}</tbody>
      </table>
      ${pager('/findings', params, page, total)}`
      }`,
  };
}

export const findingsPage: Page = { path: '/findings', nav: 'Findings', render };
