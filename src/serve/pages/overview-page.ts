/**
 * `/` (params reporter, partner, source, ports, year): the corridor at a glance. A form picks the pair
 * of countries (Pakistan and Kazakhstan unless told otherwise) and the ports (Karachi and Port
 * Qasim); the charts of src/chart's presets follow, each with its figures, then each port's
 * fiscal-year totals. Works without JavaScript: the form is a GET.
 */
import { sourceOf } from '../../chart/preset-parameters.ts';
import type { WarehouseReader } from '../../query/warehouse-reader.ts';
import { type Html, html } from '../html.ts';
import type { Page, PageRequest, PageResponse } from '../page.ts';
import { listing, type Row } from './journal-listing.ts';
import { chartFigure, OVERVIEW_PRESETS } from './overview-charts.ts';
import { chosenPorts, fiscalYearTable, portChoices } from './overview-ports.ts';

const ISO3 = /^[A-Z]{3}$/;
const DEFAULTS = { reporter: 'PAK', partner: 'KAZ' } as const;

/** A country code from the query string, or the default with a word on what was wrong. */
function countryParam(params: URLSearchParams, name: 'reporter' | 'partner', notes: string[]): string {
  const given = params.get(name)?.trim().toUpperCase() ?? '';
  if (given === '') return DEFAULTS[name];
  if (ISO3.test(given)) return given;
  notes.push(
    `The ${name} "${params.get(name)}" is not an ISO 3166 alpha-3 code (PAK, KAZ); showing ${DEFAULTS[name]}.`,
  );
  return DEFAULTS[name];
}

/** `<option>`s of countries, named from `countries`; the chosen one kept even when it has no rows. */
function countryOptions(countries: readonly Row[], chosen: string): Html {
  const list = countries.some((c) => c.iso3 === chosen)
    ? countries
    : [{ iso3: chosen, name: chosen }, ...countries];
  return html`${list.map(
    (c) =>
      html`<option value="${c.iso3}" ${c.iso3 === chosen ? html`selected` : null}>${c.name} (${c.iso3})</option>`,
  )}`;
}

/** Reporters in the warehouse; as partners, those of the reporter and every reporter (read through indexes on the reporter). */
async function countriesPresent(
  reader: WarehouseReader,
  reporter: string,
): Promise<{ reporters: Row[]; partners: Row[] }> {
  const named = (inner: string) =>
    `select t.iso3, coalesce(c.name, t.iso3) as name from (${inner}) t left join countries c on c.iso3 = t.iso3 order by name`;
  const reporters = await listing(reader, named('select distinct reporter_iso3 as iso3 from trade_flows'));
  const partners = await listing(
    reader,
    named('select distinct partner_iso3 as iso3 from trade_flows where reporter_iso3 = ?'),
    [reporter],
  );
  // Every reporter is offered as a partner too, so a pair can be turned round in one go (KAZ → PAK).
  const offered = new Set(partners.map((p) => p.iso3));
  const both = [...partners, ...reporters.filter((r) => !offered.has(r.iso3))];
  return { reporters, partners: both.sort((a, b) => String(a.name).localeCompare(String(b.name))) };
}

/**
 * The trade sources with figures for the pair, with their years; the charts take the one with
 * the most years unless one is chosen (src/chart/chart-presets.ts).
 */
async function pairSources(reader: WarehouseReader, reporter: string, partner: string): Promise<Row[]> {
  return listing(
    reader,
    `select source, count(distinct year) as years from ind_trade_sums
      where reporter_iso3 = ? and partner_iso3 = ? and freq = 'A' group by source order by years desc, source`,
    [reporter, partner],
  );
}

/** A source name from the query string, or '' (the one with the most years) with a word on what was wrong. */
function sourceParam(params: URLSearchParams, notes: string[]): string {
  const given = params.get('source')?.trim() ?? '';
  try {
    return sourceOf(given);
  } catch {
    notes.push(
      `The source "${given}" is not a source name (comtrade, baci); showing the one with the most years.`,
    );
    return '';
  }
}

function sourceOptions(sources: readonly Row[], chosen: string): Html {
  const list =
    chosen === '' || sources.some((s) => s.source === chosen)
      ? sources
      : [{ source: chosen, years: 0 }, ...sources];
  return html`<option value="" ${chosen === '' ? html`selected` : null}>the one with the most years</option>${list.map(
    (s) =>
      html`<option value="${s.source}" ${s.source === chosen ? html`selected` : null}>${s.source} (${s.years} ${Number(s.years) === 1 ? 'year' : 'years'})</option>`,
  )}`;
}

async function render(request: PageRequest): Promise<PageResponse> {
  const { reader, params } = request;
  const notes: string[] = [];
  const reporter = countryParam(params, 'reporter', notes);
  const partner = countryParam(params, 'partner', notes);
  const yearText = params.get('year')?.trim() ?? '';
  const year = /^(19|20)[0-9]{2}$/.test(yearText) ? yearText : '';
  if (yearText !== '' && year === '')
    notes.push(`The year "${yearText}" is not a year (2023); showing the latest.`);
  const { ports, rejected } = await chosenPorts(reader, params);
  if (rejected.length > 0)
    notes.push(
      `Not UN/LOCODEs, left out: ${rejected.join(', ')} (Karachi is PKKHI; corridor ports lists them).`,
    );

  const source = sourceParam(params, notes);

  const { reporters, partners } = await countriesPresent(reader, reporter);
  const sources = await pairSources(reader, reporter, partner);
  const parameters: Record<string, string> = { reporter, partner };
  if (source !== '') parameters.source = source;
  // Without ports (none asked for, and none by the default names) each preset takes its own default.
  if (ports.length > 0) parameters.ports = ports.join(' ');
  if (year !== '') parameters.year = year;
  // One at a time: the reader has one connection, and SQLite answers one statement at a time anyway.
  const charts: Html[] = [];
  for (const name of OVERVIEW_PRESETS) {
    if (request.signal.aborted) break;
    charts.push(await chartFigure(reader, name, parameters));
  }
  const fiscalYears = await fiscalYearTable(reader, ports);
  const title = 'Overview';
  return {
    kind: 'page',
    title,
    body: html`${notes.map((n) => html`<p class="notice" data-testid="notice">${n}</p>`)}
      <form method="get" action="/" data-testid="pair-form" class="pair-form">
        <label>reporter <select name="reporter">${countryOptions(reporters, reporter)}</select></label>
        <label>partner <select name="partner">${countryOptions(partners, partner)}</select></label>
        <label>source <select name="source">${sourceOptions(sources, source)}</select></label>
        <label>year <input name="year" inputmode="numeric" pattern="[0-9]{4}" size="4" value="${year}" placeholder="latest"></label>
        <fieldset><legend>ports</legend>${await portChoices(reader, ports)}</fieldset>
        <button type="submit">Show</button>
      </form>
      <section class="charts" aria-label="charts">${charts}</section>
      <section aria-labelledby="fiscal-years"><h2 id="fiscal-years">Port throughput by fiscal year</h2>${fiscalYears}</section>`,
  };
}

export const overviewPage: Page = { path: '/', nav: 'Overview', render };
