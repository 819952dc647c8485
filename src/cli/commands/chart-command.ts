/**
 * `corridor chart`: a chart of the warehouse as an SVG file, the same picture the console
 * shows (src/chart). Either a preset by name with its parameters, or a read-only query whose
 * result fits a chart (run like corridor sql: time limit, writes refused). The file is written
 * whole or not at all (a temporary file renamed over it).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CHART_PRESETS, chartPreset, presetData } from '../../chart/chart-presets.ts';
import type { ChartKind, ChartSpec } from '../../chart/chart-spec.ts';
import { chartOfRows, FITTING_SHAPES, MAX_CATEGORIES } from '../../chart/fit-chart.ts';
import { renderSvg } from '../../chart/svg-chart.ts';
import { ConfigError, ExitCode, FileAccessError } from '../../errors.ts';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, queryError } from '../../query/bounded-query.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

const KINDS: readonly ChartKind[] = ['line', 'stacked-bar', 'grouped-bar', 'horizontal-bar'];
/** Rows read from a --query: one more than a chart can take tells that it has too many. */
const QUERY_ROW_LIMIT = MAX_CATEGORIES * 12 + 1;

/** The preset parameters that are options of the command. */
const PARAMETER_OPTIONS = ['reporter', 'partner', 'year', 'ports', 'flow', 'source'] as const;

const OPTIONS = {
  out: { type: 'string', short: 'o', value: '<file.svg>', description: 'The SVG file to write.' },
  list: { type: 'boolean', description: 'List the presets with their parameters and defaults.' },
  reporter: { type: 'string', value: '<ISO3>', default: 'PAK', description: 'The reporting economy.' },
  partner: { type: 'string', value: '<ISO3>', default: 'KAZ', description: 'The partner economy.' },
  year: {
    type: 'string',
    value: '<year>',
    default: 'latest',
    description: 'The year (top-products, port-trade-coverage).',
  },
  ports: {
    type: 'string',
    value: '"<LOCODE> …"',
    default: 'PKKHI PKBQM',
    description: 'The ports (port-throughput).',
  },
  flow: { type: 'string', value: 'X|M', default: 'X', description: 'Exports (X) or imports (M).' },
  source: {
    type: 'string',
    value: '<source>',
    default: 'comtrade',
    description: 'The trade source to draw.',
  },
  query: {
    type: 'string',
    value: '"<select …>"',
    description: 'Chart the result of a read-only query.',
  },
  kind: {
    type: 'string',
    value: KINDS.join('|'),
    description: 'The kind of chart for --query (chosen from the result when not given).',
  },
  title: { type: 'string', value: '<text>', description: "The chart's title for --query." },
  timeout: {
    type: 'string',
    value: '<seconds>',
    default: String(DEFAULT_TIMEOUT_SECONDS),
    description: 'Stop the --query after this long.',
  },
} satisfies OptionSpecs;

function listing(): string {
  return CHART_PRESETS.map(
    (p) =>
      `${p.name}: ${p.description}\n${p.parameters
        .map((q) => `    --${q.name}  ${q.description}${q.default === '' ? '' : ` Default: ${q.default}.`}`)
        .join('\n')}`,
  ).join('\n');
}

/** Writes the file whole: a temporary file beside it, renamed over it. */
function writeAtomically(path: string, content: string): void {
  const temporary = resolve(dirname(path), `.${process.pid}.${Date.now()}.chart.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new FileAccessError(
      path,
      `Cannot write ${path}: ${(cause as Error).message}. Check that its folder exists and is writable.`,
      {
        code: 'file_not_writable',
        cause,
      },
    );
  }
}

async function queryChart(
  reader: WarehouseReader,
  sql: string,
  options: { timeoutMs: number; title: string; kind: ChartKind | undefined },
): Promise<ChartSpec> {
  const running = await reader.start(sql, { timeoutMs: options.timeoutMs, what: 'The --query' });
  const rows: unknown[][] = [];
  try {
    for await (const batch of running.batches()) {
      rows.push(...batch);
      if (rows.length >= QUERY_ROW_LIMIT) break;
    }
  } catch (error) {
    throw queryError(error, 'The --query', options.timeoutMs, rows.length, reader.backend);
  } finally {
    running.close();
    await running.exited;
  }
  const columns = running.columns.map((c) => c.name);
  const spec = rows.length >= QUERY_ROW_LIMIT ? null : chartOfRows(columns, rows, options.title);
  if (spec === null)
    throw new ConfigError(
      `The --query result (${rows.length >= QUERY_ROW_LIMIT ? `more than ${QUERY_ROW_LIMIT - 1} rows` : `${rows.length} row${rows.length === 1 ? '' : 's'}`}; columns ${columns.join(', ') || 'none'}) does not fit a chart. ${FITTING_SHAPES}`,
      { code: 'bad_arguments' },
    );
  return options.kind === undefined ? spec : { ...spec, kind: options.kind };
}

export const chartCommand: Command = {
  name: 'chart',
  usage:
    'corridor chart <preset> [--reporter PAK] [--partner KAZ] [--year Y] [--ports "PKKHI PKBQM"] --out <file.svg> | corridor chart --query "<select …>" [--kind line|stacked-bar|grouped-bar|horizontal-bar] [--title T] --out <file.svg> | corridor chart --list',
  synopsis: 'corridor chart <preset> | --query "<select …>" | --list  --out <file.svg>',
  summary: 'draw a chart of the warehouse as an SVG file',
  options: OPTIONS,
  examples: [
    'corridor chart --list',
    'corridor chart trade-by-category --reporter PAK --partner KAZ --out pak-kaz.svg',
    'corridor chart top-products --year 2023 --flow M --out top-imports.svg',
    'corridor chart port-throughput --ports "PKKHI PKBQM" --out ports.svg',
    "corridor chart --query \"select year, balance_usd from ind_trade_balance where reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ' and product = 'TOTAL' order by year\" --kind grouped-bar --out balance.svg",
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const refuse = (message: string) =>
      new ConfigError(`${message}\nUsage: ${this.usage}`, { code: 'bad_arguments' });
    if (values.list === true) {
      ctx.out.line(listing());
      return ExitCode.Success;
    }
    if (positionals.length > 1) throw refuse(`Give one preset, not ${positionals.join(', ')}.`);
    const preset = positionals[0];
    if (preset === undefined && values.query === undefined)
      throw refuse(`Give a preset (${CHART_PRESETS.map((p) => p.name).join(', ')}) or --query.`);
    if (preset !== undefined && values.query !== undefined)
      throw refuse('Give a preset or --query, not both.');
    if (values.out === undefined) throw refuse('Give the file to write with --out <file.svg>.');
    const kind = values.kind as ChartKind | undefined;
    if (kind !== undefined && !KINDS.includes(kind))
      throw refuse(`Invalid value for option "--kind": "${kind}". Use ${KINDS.join(', ')}.`);
    const parameters: Record<string, string> = {};
    for (const name of PARAMETER_OPTIONS) if (values[name] !== undefined) parameters[name] = values[name];
    if (preset !== undefined) {
      const known = chartPreset(preset);
      const extra = Object.keys(parameters).filter((n) => !known.parameters.some((p) => p.name === n));
      if (extra.length > 0 || values.kind !== undefined || values.title !== undefined)
        throw refuse(
          `The preset ${preset} takes ${known.parameters.map((p) => `--${p.name}`).join(', ')}, not ${[...extra, ...(values.kind === undefined ? [] : ['kind']), ...(values.title === undefined ? [] : ['title'])].map((n) => `--${n}`).join(', ')}.`,
        );
    } else if (Object.keys(parameters).length > 0) {
      throw refuse(
        `--${Object.keys(parameters)[0]} is a preset's parameter; a --query says what it reads itself.`,
      );
    }
    const timeoutMs =
      (numberOption('timeout', values.timeout, 0.001, MAX_TIMEOUT_SECONDS) ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const out = resolve(ctx.cwd, values.out);
    const reader = await WarehouseReader.open(warehousePathOf(ctx));
    try {
      const spec =
        preset !== undefined
          ? (await presetData(reader, preset, parameters)).spec
          : await queryChart(reader, values.query!, {
              timeoutMs,
              title: values.title ?? 'Query result',
              kind,
            });
      writeAtomically(out, renderSvg(spec));
      const marks = spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
      ctx.out.message(
        `Wrote ${values.out}: ${spec.title} (${spec.categories.length} ${spec.categories.length === 1 ? 'category' : 'categories'}, ${spec.series.length} series, ${marks} values).`,
      );
      if (marks === 0)
        ctx.out.message(
          `The chart has no figures. ${spec.noFigures ?? 'Nothing in the warehouse matches its parameters: corridor chart --list says what each preset reads.'}`,
        );
      return ExitCode.Success;
    } finally {
      await reader.close();
    }
  },
};
