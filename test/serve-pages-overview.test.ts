/**
 * The console's overview page (issue 23) over a real SQLite warehouse built through the CLI:
 * the derive contract's hand-made Comtrade file (Pakistan and Kazakhstan, 2021–2022, HS6 rows),
 * the bundled Karachi and Port Qasim samples (`corridor run ports`), then `corridor derive`.
 * And over an empty warehouse, where every chart says what to load and the page still renders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_PRESETS } from '../src/chart/chart-presets.ts';
import { WarehouseReader } from '../src/query/warehouse-reader.ts';
import { escapeHtml } from '../src/serve/html.ts';
import { OVERVIEW_PRESETS } from '../src/serve/pages/overview-charts.ts';
import { overviewPage } from '../src/serve/pages/overview-page.ts';
import { csvText, PLUS_HEADER } from './helpers/comtrade-csv.ts';
import { DERIVE_FIXTURE } from './helpers/derive-fixture.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';

let folder = '';
let loaded: WarehouseReader;
let empty: WarehouseReader;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'corridor-serve-overview-'));
  const db = join(folder, 'w.db');
  expect((await cli(['init', '--db', db])).code).toBe(0);
  expect((await cli(['init', '--db', join(folder, 'empty.db')])).code).toBe(0);
  const trade = join(folder, 'pak-kaz.csv');
  writeFileSync(trade, csvText(PLUS_HEADER, DERIVE_FIXTURE));
  const load = await cli(['load', trade, '--source', 'sample-comtrade', '--db', db]);
  expect(load.code, load.stderr).toBe(0);
  const ports = await cli(['run', 'ports', '--db', db], PROJECT_ROOT);
  expect(ports.code, ports.stderr).toBe(0);
  // The same pair's 2021 under a second source, named comtrade: one year against two.
  const oneYear = join(folder, 'pak-kaz-2021.csv');
  writeFileSync(
    oneYear,
    csvText(
      PLUS_HEADER,
      DERIVE_FIXTURE.filter((row) => row.includes(2021)),
    ),
  );
  const second = await cli(['load', oneYear, '--source', 'comtrade', '--db', db]);
  expect(second.code, second.stderr).toBe(0);
  const derive = await cli(['derive', '--db', db]);
  expect(derive.code, derive.stderr).toBe(0);
  loaded = await WarehouseReader.open(db);
  empty = await WarehouseReader.open(join(folder, 'empty.db'));
}, 120_000);
afterAll(async () => {
  await loaded?.close();
  await empty?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function overview(reader: WarehouseReader, query = ''): Promise<string> {
  const response = await overviewPage.render({
    path: '/',
    params: new URLSearchParams(query),
    reader,
    location: 'w.db',
    signal: new AbortController().signal,
  });
  if (response.kind !== 'page') throw new Error('the overview answered a download');
  expect(response.status ?? 200).toBe(200);
  return response.body.text;
}

/** The markup of `figure[data-testid="chart-<name>"]`. */
const figureOf = (text: string, name: string) =>
  text.match(new RegExp(`<figure data-testid="chart-${name}"[\\s\\S]*?</figure>`))?.[0];

describe('the overview', () => {
  it('has the pair form, PAK and KAZ chosen, the countries of the warehouse by name, Karachi and Port Qasim ticked', async () => {
    const text = await overview(loaded);
    const form = text.match(/<form[^>]*data-testid="pair-form"[\s\S]*?<\/form>/)?.[0];
    expect(form).toBeDefined();
    expect(form).toMatch(
      /<select name="reporter">[\s\S]*<option value="PAK" selected>Pakistan \(PAK\)<\/option>[\s\S]*<\/select>/,
    );
    expect(form).toMatch(/<option value="KAZ" selected>Kazakhstan \(KAZ\)<\/option>/);
    // Reporters are the two countries loaded, not the whole reference list.
    const reporters = form!.match(/<select name="reporter">([\s\S]*?)<\/select>/)![1]!;
    expect(reporters.match(/<option/g)).toHaveLength(2);
    expect(form).toMatch(/name="ports" value="PKKHI" checked/);
    expect(form).toMatch(/name="ports" value="PKBQM" checked/);
  });

  it('has a figure per preset, with a caption and the figures, or the message of a preset that failed', async () => {
    const text = await overview(loaded);
    for (const name of OVERVIEW_PRESETS) {
      const figure = figureOf(text, name);
      expect(figure, name).toBeDefined();
      expect(figure, name).toContain('<figcaption>');
    }
  });

  it.skipIf(CHART_PRESETS.length === 0)(
    'draws the presets with data as SVG marks, the figures under each (skipped while src/chart has no presets)',
    async () => {
      const text = await overview(loaded);
      for (const name of ['trade-by-category', 'balance', 'top-products', 'port-throughput']) {
        const figure = figureOf(text, name)!;
        expect(figure, `${name}: ${figure.slice(0, 400)}`).toMatch(
          /<svg[\s\S]*class="mark"[^>]*data-value="[-0-9.e]+"/,
        );
        expect(figure, name).toMatch(/<details class="chart-figures">[\s\S]*<td class="num">/);
      }
      // PAK's exports to KAZ in 2021: 40 % of 100 M.
      expect(figureOf(text, 'balance')).toContain('40,000,000');
    },
  );

  it('draws from the source with the most years of the pair unless one is chosen, and offers each', async () => {
    const text = await overview(loaded);
    // A name is no guide: the source called comtrade holds one year of the pair, the other two.
    expect(figureOf(text, 'trade-by-category')).toContain('Source sample-comtrade,');
    expect(figureOf(text, 'balance')).toContain('Source sample-comtrade,');
    const sources = text.match(/<select name="source">([\s\S]*?)<\/select>/)?.[1];
    expect(sources).toMatch(/<option value="" selected>the one with the most years<\/option>/);
    expect(sources).toMatch(/<option value="sample-comtrade" >sample-comtrade \(2 years\)<\/option>/);
    expect(sources).toMatch(/<option value="comtrade" >comtrade \(1 year\)<\/option>/);
    const chosen = await overview(loaded, 'source=comtrade');
    expect(figureOf(chosen, 'trade-by-category')).toContain('Source comtrade,');
    expect(chosen).toMatch(/<option value="comtrade" selected>/);
  });

  it('says why the port ↔ trade coverage has no ratio: the rows are there, each with its null reason', async () => {
    // The hand-made file has no split by mode of transport, so no customs figure by sea.
    const figure = figureOf(await overview(loaded), 'port-trade-coverage')!;
    expect(figure).toMatch(
      /are loaded, but none of the \d+ rows has a ratio \(null_reason: \d+ missing_input\)\. For none of them is a customs net weight by sea/,
    );
    expect(figure).not.toContain('No figures for this chart yet');
  });

  it('totals each port by fiscal year (July–June), as the months add up', async () => {
    const text = await overview(loaded);
    const table = text.match(/<table data-testid="port-fiscal-years">[\s\S]*?<\/table>/)?.[0];
    expect(table).toBeDefined();
    // DOMAIN.md §7: KPT FY2021-22 51.71 Mt; test/port-throughput.test.ts checks the same sample.
    const karachi = table!.match(
      /<tr data-port="PKKHI" data-fiscal-year="2021-22" data-unit="t">[\s\S]*?<\/tr>/,
    )?.[0];
    expect(karachi).toMatch(/<td class="num total">51,710,000<\/td>/);
    expect(karachi).toMatch(/<td class="months">12<\/td>/);
    expect(table).toMatch(/data-port="PKBQM"/);
  });

  it('keeps a value that is not a country code out, showing it as text', async () => {
    const bad = '<script>alert(1)</script>';
    const text = await overview(
      loaded,
      new URLSearchParams({ reporter: bad, ports: 'PKKHI nope' }).toString(),
    );
    expect(text).toContain(escapeHtml(bad));
    expect(text).not.toContain(bad);
    expect(text).toMatch(/data-testid="notice">The reporter/);
    expect(text).toMatch(/Not UN\/LOCODEs, left out: nope/);
    expect(text).toMatch(/name="ports" value="PKKHI" checked/);
    expect(text).not.toMatch(/name="ports" value="PKBQM" checked/);
  });

  it('over an empty warehouse: every figure says what to load, and the ports table says so too', async () => {
    const text = await overview(empty);
    for (const name of OVERVIEW_PRESETS) {
      const figure = figureOf(text, name)!;
      expect(figure, name).toMatch(
        /class="no-data">No figures for this chart yet\. |data-testid="chart-error"/,
      );
      expect(figure, name).not.toContain('class="mark"');
    }
    expect(text).toContain('data-testid="no-port-figures"');
    expect(text).toContain('corridor run ports');
  });
});
