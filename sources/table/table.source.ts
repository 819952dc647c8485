/**
 * The generic `table` source: a table made for people, loaded into `trade_flows` from a
 * layout declared in a pipeline file, without writing TypeScript (docs/adding-a-source.md, "Loading a new
 * table layout"). The layout toolkit reads the table; `map` says which of its output columns,
 * or which constants, give the reporter, partner, flow, period, value and HS code.
 */
import { z } from 'zod';
import type { TableLayout } from '../../src/layout/table-layout.ts';
import type { UnitDimension } from '../../src/layout/unit-phrase.ts';
import type { CountryResolver } from '../../src/normalize/country-resolver.ts';
import { normalizeHsCode, normalizeHsEdition } from '../../src/normalize/hs-code.ts';
import { normalizePeriod, type Period } from '../../src/normalize/period.ts';
import { normalizeFlow } from '../../src/normalize/trade-flow-code.ts';
import { valueOnlyTradeFlow } from '../../src/normalize/value-only-trade-flow.ts';
import { readWrittenPeriod } from '../../src/normalize/written-period.ts';
import { undeclaredAbout } from '../../src/validate/source-about.ts';
import {
  defineTradeSource,
  type FieldIssue,
  type TradeFlowRow,
  type TradeSource,
} from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';
import { fieldMap } from './field-map.ts';
import type { TableOptions } from './table-options.ts';

const FIELDS = ['reporter', 'partner', 'flow', 'period', 'value', 'hsCode', 'hsEdition', 'unit'] as const;
type Field = (typeof FIELDS)[number];

const LABELS: Readonly<Record<Field, string>> = {
  reporter: 'reporter',
  partner: 'partner',
  flow: 'trade flow',
  period: 'period',
  value: 'trade value',
  hsCode: 'HS code',
  hsEdition: 'HS edition',
  unit: 'unit',
};

const rowSchema = z.object({
  reporter: cells.code({ label: 'reporter' }),
  partner: cells.code({ label: 'partner' }),
  flow: cells.code({ label: 'trade flow' }),
  period: cells.code({ label: 'period' }),
  value: cells.number({ label: 'trade value', nonNegative: true }),
  hsCode: cells.code({ label: 'HS code' }),
  hsEdition: cells.code({ label: 'HS edition' }),
  unit: cells.code({ label: 'unit' }),
});

type TableRow = z.infer<typeof rowSchema>;

/** The layout the toolkit reads, from a pipeline's options; `dimension` is the kind of unit its figures must be in. */
export function layoutOf(
  options: Omit<TableOptions, 'name' | 'map'>,
  dimension?: UnitDimension | readonly UnitDimension[],
): TableLayout {
  return {
    columns: options.columns,
    unit: {
      ...(dimension === undefined ? {} : { dimension }),
      ...(options.unit?.default === undefined ? {} : { default: options.unit.default }),
    },
    ...(options.sheets === undefined ? {} : { sheets: options.sheets }),
    ...(options.headerRows === undefined ? {} : { headerRows: options.headerRows }),
    ...(options.wide === undefined ? {} : { wide: options.wide }),
    ...(options.figures === undefined ? {} : { figures: options.figures }),
    ...(options.aggregates === undefined ? {} : { aggregates: options.aggregates }),
    ...(options.nilMarkers === undefined ? {} : { nilMarkers: options.nilMarkers }),
    ...(options.decimal === undefined ? {} : { decimal: options.decimal }),
    ...(options.context === undefined ? {} : { context: options.context }),
  };
}

/** A trade table's period: a year or a month, however written; a fiscal year does not fit trade_flows. */
function periodOf(text: string | null): Period | { problem: string } {
  if (text === null) return normalizePeriod(null, null, null, null);
  const period = readWrittenPeriod(text, { fiscalFirst: false });
  return 'fiscalYear' in period
    ? { problem: `period ${JSON.stringify(text)} is a fiscal year; trade_flows holds years and months.` }
    : period;
}

/** A country cell of unknown kind: a numeric area code, an ISO code, or a name. */
function resolveCountry(countries: CountryResolver, text: string, year: number | undefined, what: string) {
  const query = /^\d{1,3}$/.test(text)
    ? { code: text }
    : /^[A-Z][A-Z0-9_]{1,2}$/.test(text)
      ? { iso: text, name: text }
      : { name: text };
  return countries.resolve({ ...query, ...(year === undefined ? {} : { year }) }, what);
}

/**
 * What the table source reads. Who published a table and on which terms is for its pipeline
 * entry to declare (`about:`, src/pipeline/source-registry.ts); undeclared, it stays unknown.
 */
export const tableSourceAbout = undeclaredAbout({
  dataset: 'a table made for people, as its pipeline declares it',
  fileCovers: 'nothing declared: a file merges, unless its pipeline entry declares replaceScope',
  flows: ['X', 'M', 'RX', 'RM', 'DX', 'FM', 'MIP', 'MOP', 'XIP', 'XOP'],
  units: ['US dollars at the scale the table states (thousand, million, billion)'],
  periods: ['annual', 'monthly'],
});

/** Output column of a flow the table states once (its title), when the map gives no flow column. */
const STATED_FLOW = 'stated flow';

/** True when the table's flow is read from what it states once, not from a column of its rows. */
export const readsStatedFlow = (options: Pick<TableOptions, 'map'>): boolean =>
  options.map.flow === undefined || 'value' in options.map.flow;

export function createTableSource(options: TableOptions): TradeSource<Field, TableRow> {
  const statedFlow = readsStatedFlow(options);
  const { columns, fromColumn, constant } = fieldMap(FIELDS, LABELS, {
    ...options.map,
    ...(statedFlow ? { flow: { column: STATED_FLOW } } : {}),
    unit: { column: 'unit' },
  });
  const layout = layoutOf(options, 'value');

  return defineTradeSource<Field, TableRow>({
    name: options.name,
    about: tableSourceAbout,
    description: 'a table made for people, read by the layout its pipeline declares',
    target: 'trade_flows',
    layout: statedFlow ? { ...layout, facts: { ...layout.facts, flow: { into: STATED_FLOW } } } : layout,
    columns,
    required: fromColumn.filter((f) => f !== 'unit').map((f) => [f]),
    rowSchema,
    begin: ({ countries, hsCodes }) => {
      return (row): TradeFlowRow | FieldIssue<Field>[] => {
        const issues: FieldIssue<Field>[] = [];
        const text = (field: Field, fallback: string | null = null) => {
          const own = row[field as Exclude<Field, 'value'>];
          return typeof own === 'string' ? own : constant(field, fallback);
        };

        if (row.unit !== 'USD')
          issues.push({
            code: 'bad_number',
            field: 'unit',
            message: `figures are in ${row.unit ?? 'no unit'}, not US dollars; trade_flows holds values in US dollars.`,
          });
        const periodText = text('period');
        const period = periodOf(periodText);
        if ('problem' in period)
          issues.push({ code: 'bad_period', field: 'period', message: period.problem });
        const year = 'problem' in period ? undefined : period.year;

        const country = (field: 'reporter' | 'partner') => {
          const given = text(field);
          if (given === null) {
            issues.push({ code: 'missing_value', field, message: `is empty; every row needs a ${field}.` });
            return null;
          }
          const found = resolveCountry(countries, given, year, field);
          if ('iso3' in found) return found.iso3;
          issues.push({
            code: found.problem === 'inconsistent' ? 'inconsistent_country' : 'unknown_country',
            field,
            message: found.message,
          });
          return null;
        };
        const reporter = country('reporter');
        const partner = country('partner');

        const flowText = text('flow');
        const flow = flowText === null ? null : normalizeFlow(flowText);
        if (flow === null)
          issues.push({
            code: flowText === null ? 'missing_value' : 'bad_flow',
            field: 'flow',
            message:
              flowText === null
                ? 'is empty; every row needs a trade flow.'
                : `${JSON.stringify(flowText)} is not a trade flow; use X, M, RX, RM, or Export, Import.`,
          });

        const edition = normalizeHsEdition(text('hsEdition', 'HS'));
        if ('problem' in edition)
          issues.push({ code: 'unsupported_classification', field: 'hsEdition', message: edition.problem });
        const hs = normalizeHsCode(text('hsCode', 'TOTAL') ?? 'TOTAL');
        if ('problem' in hs) issues.push({ code: 'bad_hs_code', field: 'hsCode', message: hs.problem });
        else if (!('problem' in edition)) {
          const unknown = hsCodes.problem(edition.edition, hs.code);
          if (unknown !== null) issues.push({ code: 'unknown_hs_code', field: 'hsCode', message: unknown });
        }
        if (row.value === null)
          issues.push({
            code: 'missing_value',
            field: 'value',
            message: 'is empty; every row needs a trade value.',
          });

        if (issues.length > 0 || 'problem' in period || 'problem' in hs || 'problem' in edition)
          return issues;
        return valueOnlyTradeFlow({
          reporterIso3: reporter!,
          reporterCode: null,
          partnerIso3: partner!,
          partnerCode: null,
          flow: flow!,
          period,
          hs: { edition: edition.edition, code: hs.code, level: hs.level },
          valueUsd: row.value!,
        });
      };
    },
  });
}
