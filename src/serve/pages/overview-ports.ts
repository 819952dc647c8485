/**
 * The ports of the overview: which ones to show (Karachi and Port Qasim unless the query string
 * names others), the ports with figures to choose from, and each port's fiscal-year totals.
 * Fiscal years are the warehouse's own (`port_throughput.fiscal_year`, by the port's
 * `fiscal_year_start`: July–June at Pakistani ports), so the console adds up the same months
 * `ind_port_growth` does. Units are never added together, nor sources, nor months with years.
 */
import type { WarehouseReader } from '../../query/warehouse-reader.ts';
import { type Html, html } from '../html.ts';
import { figure, listing, type Row } from './journal-listing.ts';

/** A UN/LOCODE: country and place (`PKKHI`). */
const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

/** The names the overview shows by default, looked up in the ports reference for their codes. */
const DEFAULT_PORT_NAMES = ['Karachi', 'Port Qasim'];

/**
 * The ports asked for (`?ports=PKKHI PKBQM`, or one `ports=` per checkbox), the valid codes
 * only; the defaults when none is asked for. `rejected` lists what was not a LOCODE.
 */
export async function chosenPorts(
  reader: WarehouseReader,
  params: URLSearchParams,
): Promise<{ ports: string[]; rejected: string[] }> {
  const asked = params
    .getAll('ports')
    .flatMap((p) => p.split(/[\s,]+/))
    .filter((p) => p !== '');
  const ports = [...new Set(asked.filter((p) => LOCODE.test(p)))];
  const rejected = asked.filter((p) => !LOCODE.test(p));
  if (ports.length > 0) return { ports, rejected };
  const defaults = await listing(
    reader,
    `select locode from ports where name in (${DEFAULT_PORT_NAMES.map(() => '?').join(', ')}) order by locode desc`,
    DEFAULT_PORT_NAMES,
  );
  return { ports: defaults.map((p) => String(p.locode)), rejected };
}

/** Ports with figures in the warehouse, and the chosen ones even without, as checkboxes. */
export async function portChoices(reader: WarehouseReader, chosen: readonly string[]): Promise<Html> {
  const present = await listing(
    reader,
    `select p.locode, p.name from ports p
      where exists (select 1 from port_throughput t where t.port_locode = p.locode) order by p.name`,
  );
  const known = new Set(present.map((p) => String(p.locode)));
  const all = [...present, ...chosen.filter((c) => !known.has(c)).map((c) => ({ locode: c, name: c }))];
  return html`${all.map(
    (p) =>
      html`<label class="port"><input type="checkbox" name="ports" value="${p.locode}" ${
        chosen.includes(String(p.locode)) ? html`checked` : null
      }> ${p.name} (${p.locode})</label>`,
  )}`;
}

const fiscalRow = (
  r: Row,
) => html`<tr data-port="${r.port_locode}" data-fiscal-year="${r.fiscal_year}" data-unit="${r.unit}">
  <td>${r.port_name ?? r.port_locode} (${r.port_locode})</td>
  <td>${r.source}</td>
  <td>${r.freq === 'FY' ? `FY${r.fiscal_year}` : r.fiscal_year}</td>
  <td>${r.unit}</td>
  <td class="num imports">${figure(r.imports)}</td>
  <td class="num exports">${figure(r.exports)}</td>
  <td class="num other">${figure(r.other)}</td>
  <td class="num total">${figure(r.total)}</td>
  <td class="months">${
    r.freq === 'FY'
      ? 'published for the year'
      : Number(r.months) >= 12
        ? '12'
        : html`<span class="incomplete" title="not a whole fiscal year">${r.months} of 12</span>`
  }</td>
</tr>`;

/** `table[data-testid="port-fiscal-years"]`: per port, source, unit and fiscal year. */
export async function fiscalYearTable(reader: WarehouseReader, ports: readonly string[]): Promise<Html> {
  if (ports.length === 0)
    return html`<p data-testid="no-ports">No port chosen, and Karachi and Port Qasim are not in the ports reference: <code>corridor ports</code> lists the codes.</p>`;
  const rows = await listing(
    reader,
    `select port_locode, max(port_name) as port_name, source, fiscal_year, freq, unit,
            sum(case when direction = 'import' then quantity end) as imports,
            sum(case when direction = 'export' then quantity end) as exports,
            sum(case when direction not in ('import', 'export') then quantity end) as other,
            sum(quantity) as total,
            count(distinct month) as months
     from port_throughput
     where port_locode in (${ports.map(() => '?').join(', ')}) and freq in ('M', 'FY') and fiscal_year is not null
     group by port_locode, source, fiscal_year, freq, unit
     order by max(port_name), port_locode, source, unit, fiscal_year, freq`,
    ports,
  );
  if (rows.length === 0)
    return html`<p data-testid="no-port-figures">No monthly or fiscal-year figures for ${ports.join(', ')}. Load port tables (<code>corridor run ports</code> loads the bundled Karachi and Port Qasim samples).</p>`;
  return html`<table data-testid="port-fiscal-years">
    <caption>Port throughput by fiscal year (July–June at Pakistani ports), as the months add up; a year with fewer than 12 months loaded is marked.</caption>
    <thead><tr><th>port</th><th>source</th><th>fiscal year</th><th>unit</th><th>imports</th><th>exports</th><th>transit, transshipment, not split</th><th>total</th><th>months</th></tr></thead>
    <tbody>${rows.map(fiscalRow)}</tbody>
  </table>`;
}
