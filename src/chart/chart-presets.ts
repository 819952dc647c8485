/**
 * The console's charts by name (`corridor chart <preset>`, the overview page), each a query on
 * the warehouse's indicator tables with its parameters. The figures are the ones the indicator
 * tables already resolved (published totals, sums along the HS tree, NULL where a figure is
 * missing), never raw HS rows summed again here. Parameters are checked (preset-parameters.ts)
 * and bound to the statements; parameters a preset does not take are ignored, so a page can
 * pass the same set to every preset. Plain SQL, the same on SQLite and PostgreSQL.
 */
import { ConfigError } from '../errors.ts';
import { closeNames } from '../export/export-source.ts';
import type { WarehouseReader } from '../query/warehouse-reader.ts';
import type { ChartSeries, ChartSpec } from './chart-spec.ts';
import { numberOfCell } from './fit-chart.ts';
import {
  COUNTRY,
  FLOW,
  flowOf,
  givenValue,
  isoCode,
  PARTNER,
  PORTS,
  type PresetParameter,
  portCodes,
  REPORTER,
  SOURCE,
  sourceOf,
  YEAR,
  yearOf,
} from './preset-parameters.ts';

export type { PresetParameter } from './preset-parameters.ts';

export interface ChartPreset {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly PresetParameter[];
}

/** The chart of a preset, with the rows it was drawn from (the console shows them as a table too). */
export interface PresetResult {
  readonly spec: ChartSpec;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

type Parameters = Readonly<Record<string, string>>;

interface PresetDefinition extends ChartPreset {
  draw(reader: WarehouseReader, parameters: Parameters): Promise<ChartSpec>;
}

/** Top categories drawn as their own segment; the rest go into "Other". */
const MAX_CATEGORY_SEGMENTS = 11;
const TOP_PRODUCTS = 10;
const FLOW_WORD = { X: 'exports', M: 'imports' } as const;

const num = (v: unknown): number | null => numberOfCell(v) ?? null;
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Of `sources` (one entry per figure), the one with the most figures, the first by name among equals. */
function mostFigures(sources: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const source of sources) if (source !== '') counts.set(source, (counts.get(source) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0]?.[0] ?? '';
}

/**
 * The source to draw from: the one asked for, else the one with figures for the most years (a
 * name is no guide: a warehouse may hold comtrade, sample-comtrade or a bureau's tables), the
 * first by name among equals. Empty when no source has rows: the chart then says what to load.
 */
async function chosenSource(
  reader: WarehouseReader,
  table: string,
  where: string,
  bound: unknown[],
  asked: string,
) {
  if (asked !== '') return asked;
  const { rows } = await reader.rows(
    `select source from ${table} where ${where}
      group by source order by count(distinct year) desc, source limit 1`,
    bound,
  );
  return text(rows[0]?.[0]);
}

/** The pair's parameters, checked. */
async function pairOf(reader: WarehouseReader, parameters: Parameters, table: string) {
  const reporter = isoCode(givenValue(parameters, REPORTER), 'reporter');
  const partner = isoCode(givenValue(parameters, PARTNER), 'partner');
  // Annual figures: what every trade preset draws.
  const source = await chosenSource(
    reader,
    table,
    "reporter_iso3 = ? and partner_iso3 = ? and freq = 'A'",
    [reporter, partner],
    sourceOf(givenValue(parameters, SOURCE)),
  );
  return { reporter, partner, source };
}

/** One series per name from rows of (category, series, value), in the order first seen. */
function pivot(rows: readonly (readonly unknown[])[], categories: readonly string[]): ChartSeries[] {
  const names: string[] = [];
  const cells = new Map<string, number | null>();
  for (const [category, name, value] of rows) {
    if (!names.includes(text(name))) names.push(text(name));
    cells.set(JSON.stringify([text(category), text(name)]), num(value));
  }
  return names.map((name) => ({
    name,
    values: categories.map((k) => cells.get(JSON.stringify([k, name])) ?? null),
  }));
}

const tradeByCategory: PresetDefinition = {
  name: 'trade-by-category',
  title: 'Trade by category',
  description:
    'One bar a year, one segment per top-level category (scheme corridor: fertilizers, grain, textiles…), from ind_trade_sums; Other is the published total less the categories drawn.',
  parameters: [REPORTER, PARTNER, FLOW, SOURCE],
  async draw(reader, parameters) {
    const { reporter, partner, source } = await pairOf(reader, parameters, 'ind_trade_sums');
    const flow = flowOf(givenValue(parameters, FLOW));
    const bound = [source, reporter, partner, flow];
    const pairWhere = `s.source = ? and s.reporter_iso3 = ? and s.partner_iso3 = ? and s.flow = ? and s.freq = 'A'`;
    const totals = await reader.rows(
      `select s.year, s.value_usd from ind_trade_sums s where ${pairWhere} and s.product_kind = 'total' order by s.year`,
      bound,
    );
    const parts = await reader.rows(
      `select s.year, coalesce(h.name, s.product), s.value_usd
         from ind_trade_sums s
         join hs_categories h on h.scheme = 'corridor' and h.category = s.product and h.parent is null
        where ${pairWhere} and s.product_kind = 'category' and s.classification = 'corridor'
        order by s.year, s.product`,
      bound,
    );
    const years = [...new Set([...totals.rows, ...parts.rows].map((r) => text(r[0])))].sort();
    const all = pivot(parts.rows, years).filter((s) => s.values.some((v) => v !== null && v !== 0));
    const weight = (s: ChartSeries) => s.values.reduce<number>((a, v) => a + Math.abs(v ?? 0), 0);
    const ranked = [...all].sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name));
    const kept = ranked.slice(0, MAX_CATEGORY_SEGMENTS);
    const total = new Map(totals.rows.map((r) => [text(r[0]), num(r[1])]));
    // Other is left blank for a year where a category drawn has no figure: it would hold that category.
    const other = years.map((year, i) => {
      const sum = total.get(year);
      if (sum === null || sum === undefined || kept.some((s) => s.values[i] === null)) return null;
      const rest = sum - kept.reduce((a, s) => a + (s.values[i] ?? 0), 0);
      return Math.abs(rest) < Math.max(1, Math.abs(sum) * 1e-9) ? null : rest;
    });
    const series = [...kept, ...(other.some((v) => v !== null) ? [{ name: 'Other', values: other }] : [])];
    return {
      kind: 'stacked-bar',
      title: `${reporter} ${FLOW_WORD[flow]} ${flow === 'X' ? 'to' : 'from'} ${partner} by category`,
      subtitle: `Source ${source}, as reported by ${reporter}; calendar years; ind_trade_sums`,
      categories: years,
      series,
      unit: 'USD',
    };
  },
};

const balance: PresetDefinition = {
  name: 'balance',
  title: 'Trade balance',
  description:
    "The reporter's exports to and imports from the partner by year, and the balance (ind_trade_balance).",
  parameters: [REPORTER, PARTNER, SOURCE],
  async draw(reader, parameters) {
    const { reporter, partner, source } = await pairOf(reader, parameters, 'ind_trade_balance');
    const { rows } = await reader.rows(
      `select year, exports_usd, imports_usd, balance_usd from ind_trade_balance
        where source = ? and reporter_iso3 = ? and partner_iso3 = ? and freq = 'A' and product_kind = 'total'
        order by year`,
      [source, reporter, partner],
    );
    return {
      kind: 'grouped-bar',
      title: `${reporter} trade with ${partner}: exports, imports and balance`,
      subtitle: `Source ${source}, as reported by ${reporter} (exports FOB, imports CIF); ind_trade_balance`,
      categories: rows.map((r) => text(r[0])),
      series: ['Exports', 'Imports', 'Balance'].map((name, i) => ({
        name,
        values: rows.map((r) => num(r[i + 1])),
      })),
      unit: 'USD',
    };
  },
};

const topProducts: PresetDefinition = {
  name: 'top-products',
  title: 'Top products',
  description: `The ${TOP_PRODUCTS} largest HS6 codes of the pair's trade in a year (ind_trade_balance).`,
  parameters: [REPORTER, PARTNER, YEAR, FLOW, SOURCE],
  async draw(reader, parameters) {
    const { reporter, partner, source } = await pairOf(reader, parameters, 'ind_trade_balance');
    const flow = flowOf(givenValue(parameters, FLOW));
    const column = flow === 'X' ? 'b.exports_usd' : 'b.imports_usd';
    const where = `b.source = ? and b.reporter_iso3 = ? and b.partner_iso3 = ? and b.freq = 'A'
                   and b.product_kind = 'hs' and b.hs_level = 6 and ${column} > 0`;
    const bound = [source, reporter, partner];
    const asked = yearOf(givenValue(parameters, YEAR));
    const latest = await reader.rows(`select max(b.year) from ind_trade_balance b where ${where}`, bound);
    const year = asked ?? num(latest.rows[0]?.[0]);
    const { rows } =
      year === null
        ? { rows: [] }
        : await reader.rows(
            `select b.product, h.description, ${column}
               from ind_trade_balance b
               left join hs_codes h on h.edition = b.classification and h.code = b.product
              where ${where} and b.year = ?
              order by ${column} desc, b.product
              limit ${TOP_PRODUCTS}`,
            [...bound, year],
          );
    return {
      kind: 'horizontal-bar',
      title: `${reporter} top ${FLOW_WORD[flow]} ${flow === 'X' ? 'to' : 'from'} ${partner}${year === null ? '' : `, ${year}`}`,
      subtitle: `HS6 codes, source ${source}, as reported by ${reporter}; ind_trade_balance`,
      categories: rows.map((r) => (r[1] ? `${text(r[0])} ${text(r[1])}` : text(r[0]))),
      series: [
        {
          name: FLOW_WORD[flow][0]!.toUpperCase() + FLOW_WORD[flow].slice(1),
          values: rows.map((r) => num(r[2])),
        },
      ],
      unit: 'USD',
    };
  },
};

const portThroughput: PresetDefinition = {
  name: 'port-throughput',
  title: 'Port throughput',
  description:
    'Tonnes handled each month by each port, every direction and cargo together (ind_port_growth, level total).',
  parameters: [PORTS],
  async draw(reader, parameters) {
    const ports = portCodes(givenValue(parameters, PORTS));
    const { rows } = await reader.rows(
      `select g.period, coalesce(p.name, g.port_locode), g.source, g.port_locode, sum(g.quantity)
         from ind_port_growth g left join ports p on p.locode = g.port_locode
        where g.level = 'total' and g.item = '*' and g.unit = 't' and g.freq = 'M'
          and g.port_locode in (${ports.map(() => '?').join(', ')})
        group by g.period, p.name, g.source, g.port_locode
        order by g.period, g.port_locode, g.source`,
      ports,
    );
    // A port loaded under two sources is two series, never added together.
    const sourcesOf = new Map<string, Set<string>>();
    for (const r of rows) sourcesOf.set(text(r[3]), (sourcesOf.get(text(r[3])) ?? new Set()).add(text(r[2])));
    const named = rows.map((r) => [
      r[0],
      (sourcesOf.get(text(r[3]))?.size ?? 0) > 1 ? `${text(r[1])} (${text(r[2])})` : text(r[1]),
      r[4],
    ]);
    const months = [...new Set(rows.map((r) => text(r[0])))];
    return {
      kind: 'line',
      title: `Port throughput: ${ports.join(', ')}`,
      subtitle: 'Tonnes a month, all directions and cargo; ind_port_growth',
      categories: months,
      series: pivot(named, months),
      unit: 't',
    };
  },
};

const portTradeCoverage: PresetDefinition = {
  name: 'port-trade-coverage',
  title: 'Port tonnes against customs',
  description:
    "Tonnes through a country's ports per category against the net weight its customs recorded by sea with the world, in a year (ind_port_trade_coverage). Modelled: ports publish no partner split, so the partner does not apply.",
  parameters: [COUNTRY, YEAR],
  async draw(reader, parameters) {
    const country = isoCode(givenValue(parameters, COUNTRY), 'reporter');
    const asked = yearOf(givenValue(parameters, YEAR));
    const latest = await reader.rows(
      'select max(year) from ind_port_trade_coverage where country_iso3 = ? and coverage_ratio is not null',
      [country],
    );
    const year = asked ?? num(latest.rows[0]?.[0]) ?? (await latestYearOfAnyRow(reader, country));
    const { rows } = await reader.rows(
      `select coalesce(h.name, c.category), case c.flow when 'M' then 'Imports' else 'Exports' end, c.coverage_ratio,
              c.customs_source, c.null_reason
         from ind_port_trade_coverage c
         left join hs_categories h on h.scheme = 'corridor' and h.category = c.category
        where c.country_iso3 = ? and c.year = ?
        order by c.category, c.flow desc, c.customs_source`,
      [country, year ?? 0],
    );
    const source = mostFigures(rows.filter((r) => num(r[2]) !== null).map((r) => text(r[3])));
    // No source with a ratio: nothing to draw, and the rows' null reasons say why.
    const used = source === '' ? [] : rows.filter((r) => text(r[3]) === source);
    const categories = [...new Set(used.map((r) => text(r[0])))];
    return {
      kind: 'grouped-bar',
      title: `${country} port tonnes against customs tonnes by sea${year === null ? '' : `, ${year}`}`,
      subtitle: `Ratio of port tonnes to customs net weight (${source || 'no customs source'}); modelled, ind_port_trade_coverage`,
      categories,
      series: pivot(used, categories),
      unit: 'ratio',
      ...(source === '' && rows.length > 0 ? { noFigures: coverageWithoutRatios(country, year, rows) } : {}),
    };
  },
};

/** The latest year of `country`'s coverage rows, with a ratio or not. */
async function latestYearOfAnyRow(reader: WarehouseReader, country: string): Promise<number | null> {
  const { rows } = await reader.rows('select max(year) from ind_port_trade_coverage where country_iso3 = ?', [
    country,
  ]);
  return num(rows[0]?.[0]);
}

/**
 * What to load when a year's coverage rows are there but none has a ratio: their null reasons,
 * counted, and what the rows say is missing: customs figures by sea (no customs source), else
 * months of a port or net weights of the customs rows (missing_input covers all three).
 */
function coverageWithoutRatios(country: string, year: number | null, rows: readonly (readonly unknown[])[]) {
  const reasons = new Map<string, number>();
  for (const r of rows) {
    const reason = text(r[4]) || 'none';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const counted = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  const withoutCustoms = rows.filter((r) => text(r[3]) === '').length;
  const missing =
    withoutCustoms > 0
      ? ` ${withoutCustoms === rows.length ? 'For none of them' : `For ${withoutCustoms} of them`} is a customs net weight by sea (Comtrade motCode 2100, partner World) loaded for ${country}: load its trade with the mode of transport, then corridor derive.`
      : ` Their customs figures are loaded: a port without its 12 months of the year, or customs rows without a net weight, leave the ratio out (ind_port_trade_coverage's complete_year and customs_weights_complete say which).`;
  return `The ports' tonnes of ${country}${year === null ? '' : ` in ${year}`} are loaded, but none of the ${rows.length} rows has a ratio (null_reason: ${counted}).${missing}`;
}

const DEFINITIONS: readonly PresetDefinition[] = [
  tradeByCategory,
  balance,
  topProducts,
  portThroughput,
  portTradeCoverage,
];

export const CHART_PRESETS: readonly ChartPreset[] = DEFINITIONS.map(
  ({ name, title, description, parameters }) => ({
    name,
    title,
    description,
    parameters,
  }),
);

/** A preset by name, or a ConfigError naming the closest ones. */
export function chartPreset(name: string): ChartPreset {
  const found = CHART_PRESETS.find((p) => p.name === name);
  if (found !== undefined) return found;
  const names = CHART_PRESETS.map((p) => p.name);
  const close = closeNames(name, names);
  throw new ConfigError(
    `There is no chart preset "${name}".${close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : ''} The presets: ${names.join(', ')} (corridor chart --list).`,
    { code: 'bad_arguments' },
  );
}

/** The spec's figures as a table: the category, then one column per series. */
export function tableOfSpec(spec: ChartSpec, categoryHeading: string): Omit<PresetResult, 'spec'> {
  return {
    columns: [categoryHeading, ...spec.series.map((s) => s.name)],
    rows: spec.categories.map((k, i) => [k, ...spec.series.map((s) => s.values[i] ?? null)]),
  };
}

const HEADINGS: Readonly<Record<string, string>> = {
  'top-products': 'product',
  'port-throughput': 'month',
  'port-trade-coverage': 'category',
};

export async function presetData(
  reader: WarehouseReader,
  name: string,
  parameters: Readonly<Record<string, string>>,
): Promise<PresetResult> {
  chartPreset(name);
  const definition = DEFINITIONS.find((p) => p.name === name)!;
  const spec = await definition.draw(reader, parameters);
  return { spec, ...tableOfSpec(spec, HEADINGS[name] ?? 'year') };
}
