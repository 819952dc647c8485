/**
 * The options of the generic `table` source, as a pipeline file declares them: the layout of
 * a table made for people (src/layout/table-layout.ts) and how its columns fill a trade flow.
 * One zod schema, so a typo or a missing mapping fails when the pipeline is read, naming the
 * option, before any file loads.
 */
import { z } from 'zod';
import { describeKnownUnits, findUnit } from '../../src/layout/unit-phrase.ts';

/** A header label: text matched ignoring case, spaces and punctuation, or a regular expression. */
const label = z.union([z.string().min(1), z.instanceof(RegExp)]);

const keptColumn = z
  .strictObject({
    /** Header labels of the column (a multi-row header reads "Exports › Total"). */
    labels: z.array(label).min(1).optional(),
    /** 0-based position, for a column whose header cell is blank. */
    index: z.number().int().min(0).optional(),
    /** The table loads without this column. @default false */
    optional: z.boolean().optional(),
  })
  .refine((c) => c.labels !== undefined || c.index !== undefined, {
    message: 'give the column its header labels or its position (index)',
  });

const wide = z.discriminatedUnion('kind', [
  z.strictObject({
    /** Every column headed by a year, month, quarter or fiscal year becomes one record. */
    kind: z.literal('periods'),
    /** Output column for the period. @default 'period' */
    into: z.string().default('period'),
    /** Output column for the figure. @default 'value' */
    value: z.string().default('value'),
    /** Numbers in header cells are Excel date serials. @default false */
    serialDates: z.boolean().optional(),
    /** The figures are year-to-date: each month is de-cumulated (its column minus the one before). @default false */
    cumulative: z.boolean().optional(),
    /** The month a fiscal year starts (7 for July), placing months under a fiscal-year heading; a port's comes from ports.csv. */
    fiscalYearStart: z.number().int().min(1).max(12).optional(),
  }),
  z.strictObject({
    /** Named columns become one record each, with their key (Exports → X). */
    kind: z.literal('columns'),
    into: z.string(),
    value: z.string().default('value'),
    /** Key → header labels of its column. @example { X: ['Exports'], M: ['Imports'] } */
    columns: z.record(z.string(), z.array(label).min(1)),
  }),
]);

const subtotal = z.union([label, z.strictObject({ label, level: z.number().int().min(0) })]);

/** Where a trade-flow field comes from: an output column of the layout, or a constant. */
export const fieldSource = z.union([
  z.strictObject({ column: z.string().min(1) }),
  z.strictObject({ value: z.string().min(1) }),
]);

/** The layout options every pipeline-declared table takes (table-layout.ts explains each). */
export const layoutOptionFields = {
  sheets: z
    .strictObject({
      names: z.array(z.string()).optional(),
      pattern: z.instanceof(RegExp).optional(),
      every: z.boolean().optional(),
    })
    .optional(),
  /** Rows in the header block. @default 1 */
  headerRows: z.number().int().min(1).max(5).optional(),
  /** Columns kept as they are, by output name. */
  columns: z.record(z.string(), keptColumn),
  wide: wide.optional(),
  /** Output columns (of `columns`) that hold figures, in a table without `wide`. */
  figures: z.array(z.string()).optional(),
  unit: z
    .strictObject({
      /** The unit when the table names none, as a phrase: "thousand US dollars". */
      default: z.string().optional(),
    })
    .optional(),
  aggregates: z
    .strictObject({
      column: z.string(),
      labels: z.array(subtotal).default([]),
      totals: z.array(label).default([]),
      position: z.enum(['before', 'after']).optional(),
      /** The table lists only some members: a total may exceed its rows. @default false */
      selection: z.boolean().optional(),
      /** Load grand totals too, with this label (`World`). */
      loadTotalsAs: z.string().optional(),
      /** Load subtotal rows too, under their own label (groupings resolve to group codes). @default false */
      loadSubtotals: z.boolean().optional(),
    })
    .optional(),
  nilMarkers: z.array(z.string()).optional(),
  decimal: z.enum(['.', ',', 'auto']).optional(),
  context: z
    .record(
      z.string(),
      z.array(z.strictObject({ from: z.enum(['sheet', 'title']), pattern: z.instanceof(RegExp) })).min(1),
    )
    .optional(),
};

/** The name of a table's rows in the warehouse's `source` column and the journal. */
export const sourceNameField = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

const tableOptionsShape = z.strictObject({
  /**
   * Name of these rows in the warehouse's `source` column and the journal: lower case, digits
   * and dashes. @default 'table'
   */
  name: sourceNameField.default('table'),
  ...layoutOptionFields,
  /** How the layout's output columns fill `trade_flows`. */
  map: z.strictObject({
    /** Reporter: an area code, ISO code or name. */
    reporter: fieldSource,
    /** Partner: an area code, ISO code or name. */
    partner: fieldSource,
    /**
     * Flow: a column of X, M, RX, RM, or "Export", "Imports"…; or a constant, which declares the
     * flow of a table that states it once (and is refused if the table's title says another).
     * Left out, the flow is read from the sheet name, titles or header (`--flow` declares it).
     */
    flow: fieldSource.optional(),
    /** Period: a year or a month (2023, 2023-07, Jul 2023, a date, an Excel date serial). */
    period: fieldSource,
    /** The figure, in US dollars once the unit is applied. */
    value: fieldSource,
    /** HS code. @default TOTAL */
    hsCode: fieldSource.optional(),
    /** HS edition: H0…H6, or HS when not stated. @default HS */
    hsEdition: fieldSource.optional(),
  }),
});

type LayoutOptions = z.output<z.ZodObject<typeof layoutOptionFields>>;

/** The names a layout gives its output columns (table-layout.ts outputColumns). */
function outputNames(options: LayoutOptions): string[] {
  return [
    ...Object.keys(options.columns),
    ...(options.wide === undefined ? [] : [options.wide.into, options.wide.value, 'heading']),
    ...Object.keys(options.context ?? {}),
    'unit',
    'status',
  ];
}

/**
 * The options, with the checks that need several of them at once: every column `map`,
 * `figures` or `aggregates` names is one the layout gives, and a default unit is one Corridor
 * knows. A mistake fails when the pipeline is read (exit 2), not file by file.
 */
export function checkLayoutOptions(
  options: LayoutOptions & {
    readonly map: Readonly<Record<string, { column: string } | { value: string } | undefined>>;
  },
  ctx: z.RefinementCtx,
  unitProblem: (fallback: string) => string | null,
): void {
  const names = outputNames(options);
  const known = (name: string, path: (string | number)[], what: string) => {
    if (!names.includes(name))
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${what} "${name}" is not a column of this layout; its columns are ${names.map((n) => `"${n}"`).join(', ')}`,
      });
  };
  for (const [field, spec] of Object.entries(options.map)) {
    if (spec !== undefined && 'column' in spec) known(spec.column, ['map', field, 'column'], 'column');
  }
  for (const [i, field] of (options.figures ?? []).entries()) {
    if (!Object.keys(options.columns).includes(field))
      ctx.addIssue({
        code: 'custom',
        path: ['figures', i],
        message: `"${field}" is not one of the kept columns (${Object.keys(options.columns).join(', ')})`,
      });
  }
  if (options.aggregates !== undefined && !Object.keys(options.columns).includes(options.aggregates.column))
    ctx.addIssue({
      code: 'custom',
      path: ['aggregates', 'column'],
      message: `"${options.aggregates.column}" is not one of the kept columns (${Object.keys(options.columns).join(', ')}); name the column that holds the row labels`,
    });
  const fallback = options.unit?.default;
  const problem = fallback === undefined ? null : unitProblem(fallback);
  if (problem !== null) ctx.addIssue({ code: 'custom', path: ['unit', 'default'], message: problem });
}

export const tableOptionsSchema = tableOptionsShape.superRefine((options, ctx) =>
  checkLayoutOptions(options, ctx, (fallback) => {
    const unit = findUnit(fallback);
    if (unit === null)
      return `"${fallback}" is not a unit Corridor knows; for trade values use one of: ${describeKnownUnits()
        .split('\n')
        .filter((line) => /dollar/i.test(line))
        .join('; ')}`;
    return unit.dimension === 'value'
      ? null
      : `"${fallback}" is a unit of ${unit.dimension}; trade_flows holds values in US dollars`;
  }),
);

export type TableOptionsInput = z.input<typeof tableOptionsSchema>;
export type TableOptions = z.output<typeof tableOptionsSchema>;
