/**
 * One chart of the overview: the preset's SVG (src/chart), a caption, and the figures it was
 * drawn from as a table under it, so the numbers can be read and copied. A preset without data
 * says so and what to load; one that fails shows its message in place of the picture, and the
 * rest of the page still renders.
 */
import { CHART_PRESETS, type PresetResult, presetData } from '../../chart/chart-presets.ts';
import { renderSvg } from '../../chart/svg-chart.ts';
import type { WarehouseReader } from '../../query/warehouse-reader.ts';
import { type Html, html, trustedHtml } from '../html.ts';
import { figure } from './journal-listing.ts';

/** The overview's charts, in page order. */
export const OVERVIEW_PRESETS = [
  'trade-by-category',
  'balance',
  'top-products',
  'port-throughput',
  'port-trade-coverage',
] as const;
export type OverviewPreset = (typeof OVERVIEW_PRESETS)[number];

/** What to load when a preset finds nothing, as a user would type it. */
const WHAT_TO_LOAD: Readonly<Record<OverviewPreset, (p: Readonly<Record<string, string>>) => Html>> = {
  'trade-by-category': (p) =>
    html`Load ${p.reporter}'s trade with ${p.partner} at HS6 (<code>corridor load &lt;comtrade file&gt; --source comtrade</code>), then <code>corridor derive</code>.`,
  balance: (p) =>
    html`Load ${p.reporter}'s exports to and imports from ${p.partner} (<code>corridor load &lt;file&gt; --source comtrade</code>), then <code>corridor derive</code>.`,
  'top-products': (p) =>
    html`Load ${p.reporter}'s trade with ${p.partner} by HS6 product${p.year ? ` for ${p.year}` : ''} (<code>corridor load &lt;file&gt; --source comtrade</code>).`,
  'port-throughput': (p) =>
    html`Load the port tables of ${p.ports ?? 'Karachi and Port Qasim'}: <code>corridor run ports</code> loads the bundled samples; see <code>corridor ports</code> for the codes.`,
  'port-trade-coverage': (p) =>
    html`Needs both the port tables of ${p.ports ?? 'Karachi and Port Qasim'} (<code>corridor run ports</code>) and ${p.reporter}'s seaborne trade by HS6, then <code>corridor derive</code>.`,
};

/** True when the preset found figures to draw. */
const hasData = (result: PresetResult): boolean =>
  result.rows.length > 0 && result.spec.series.some((s) => s.values.some((v) => v !== null));

function dataTable(result: PresetResult): Html {
  return html`<details class="chart-figures"><summary>The figures (${figure(result.rows.length)} ${result.rows.length === 1 ? 'row' : 'rows'})</summary>
    <table class="chart-data">
      <thead><tr>${result.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
      <tbody>${result.rows.map(
        (r) =>
          html`<tr>${r.map((v) => (typeof v === 'number' ? html`<td class="num">${figure(v)}</td>` : html`<td>${v}</td>`))}</tr>`,
      )}</tbody>
    </table></details>`;
}

/** `figure[data-testid="chart-<name>"]`, whatever the preset answers. */
export async function chartFigure(
  reader: WarehouseReader,
  name: OverviewPreset,
  parameters: Readonly<Record<string, string>>,
): Promise<Html> {
  const preset = CHART_PRESETS.find((p) => p.name === name);
  const caption = html`<figcaption><strong>${preset?.title ?? name}</strong>${
    preset === undefined ? null : html` — ${preset.description}`
  }</figcaption>`;
  let result: PresetResult;
  let svg: string;
  try {
    result = await presetData(reader, name, parameters);
    if (!hasData(result))
      return html`<figure data-testid="chart-${name}" class="chart chart-empty">
        <p class="no-data">${
          result.spec.noFigures === undefined
            ? html`No figures for this chart yet. ${WHAT_TO_LOAD[name](parameters)}`
            : result.spec.noFigures
        }</p>${caption}${result.rows.length > 0 ? dataTable(result) : null}</figure>`;
    svg = renderSvg(result.spec);
  } catch (error) {
    return html`<figure data-testid="chart-${name}" class="chart chart-failed">
      <p class="error" data-testid="chart-error">This chart could not be drawn: ${(error as Error).message}</p>${caption}</figure>`;
  }
  return html`<figure data-testid="chart-${name}" class="chart">${trustedHtml(svg)}${caption}${dataTable(result)}</figure>`;
}
