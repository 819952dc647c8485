/**
 * How a table made for people is laid out, declared by a source (or a pipeline file, for the
 * generic `table` source) instead of hand-coded: which sheets hold it, which rows are the
 * header, which columns are kept, which become records (wide to long), where the unit is
 * written, which rows are totals to check rather than load, and how "no value" is spelled.
 * `laid-out-table.ts` reads a file by it and gives the same RawTable every reader gives.
 *
 * Header cells of a multi-row header are read as paths joined with " › " ("Экспорт › Всего");
 * labels below match them folded (case, spaces and punctuation ignored), or as a regular
 * expression when given as one.
 */
import { foldName } from '../normalize/fold-name.ts';
import type { StatedFlow } from './flow-words.ts';
import type { UnitDimension } from './unit-phrase.ts';

/** A header label to look for: text matched folded, or a pattern matched against the path as written. */
export type HeaderLabel = string | RegExp;

export interface SheetSelection {
  /** Sheets by name (folded match). */
  readonly names?: readonly string[] | undefined;
  /** Sheets whose name matches. */
  readonly pattern?: RegExp | undefined;
  /**
   * Read every matching visible sheet in which the header is found, and pass over the others
   * (a cover, a legend, a methodology note) with a note; otherwise only the first that has it.
   * @default false
   */
  readonly every?: boolean | undefined;
}

export interface KeptColumn {
  /** The column's header labels (any one matches). */
  readonly labels?: readonly HeaderLabel[] | undefined;
  /** 0-based position, for a column whose header cell is blank (row labels in column A). */
  readonly index?: number | undefined;
  /** The table works without this column. @default false */
  readonly optional?: boolean | undefined;
}

/** Columns whose headers are periods become one record each: a year, month, quarter or fiscal year per column. */
export interface WidePeriods {
  readonly kind: 'periods';
  /** Output column for the period ("2019", "2021-07", "2021-Q1", "2022-23"). */
  readonly into: string;
  /** Output column for the figure. */
  readonly value: string;
  /** Read numbers in header cells as Excel date serials (months typed as dates). @default false */
  readonly serialDates?: boolean | undefined;
  /**
   * The figures are year-to-date (Jul, Jul–Aug, …): each month's own figure is its column minus
   * the one before it, starting again under each year heading. A month that comes out
   * negative (a revision of an earlier month) is reported, not loaded. @default false
   */
  readonly cumulative?: boolean | undefined;
  /**
   * The month a fiscal year starts (7 for Pakistan's July–June): months under a fiscal-year
   * heading are placed by it. Without it, by their order under the heading.
   */
  readonly fiscalYearStart?: number | undefined;
}

/** Named columns become one record each, the key going into `into` (Экспорт → X, Импорт → M). */
export interface WideColumns {
  readonly kind: 'columns';
  readonly into: string;
  readonly value: string;
  /** Key → header labels of its column. */
  readonly columns: Readonly<Record<string, readonly HeaderLabel[]>>;
}

export type WideLayout = WidePeriods | WideColumns;

export interface UnitLayout {
  /**
   * The unit when neither the titles nor the headers name one, as a phrase findUnit knows
   * ("thousand US dollars"). Without it, a table that names no unit is refused.
   */
  readonly default?: string | undefined;
  /** The kind of unit the figures must be in (a trade table in money, a port table in mass or boxes). */
  readonly dimension?: UnitDimension | readonly UnitDimension[] | undefined;
  /** Output column for the canonical unit the figures were converted into ("USD", "t"). @default 'unit' */
  readonly into?: string | undefined;
}

/**
 * A subtotal's label, with its nesting level when the table's indentation cannot be trusted
 * (the Kazakh bureau indents " Страны вне ЕАЭС" but not its sibling "Страны ЕАЭС" in one year).
 */
export type SubtotalLabel = HeaderLabel | { readonly label: HeaderLabel; readonly level: number };

export interface AggregateLayout {
  /** Output column that holds the row label. */
  readonly column: string;
  /**
   * Labels of subtotal rows (groups of the rows around them): checked, not loaded. Nesting is
   * the declared level, else the label's indentation (leading spaces).
   */
  readonly labels: readonly SubtotalLabel[];
  /** Labels of grand-total rows: checked against every other row, not loaded. */
  readonly totals: readonly HeaderLabel[];
  /**
   * Where a subtotal stands relative to its parts: `before` heads them (national tables:
   * "Europe" then its countries), `after` closes them (port tables: "Total dry bulk").
   * Nesting is read from the label's indentation (leading spaces).
   * @default 'before'
   */
  readonly position?: 'before' | 'after' | undefined;
  /**
   * The table lists only some members of each aggregate (main partners): a total above the sum
   * of its rows is expected; one below it is still a warning. @default false
   */
  readonly selection?: boolean | undefined;
  /**
   * Load grand-total rows as well, with this text in place of their label (`World`, which
   * resolves to W00): for a selection table, the only place its total survives. They are still
   * checked.
   */
  readonly loadTotalsAs?: string | undefined;
  /**
   * Load subtotal rows as well, under their own label (a bureau's groupings, "Страны СНГ",
   * "The EU", which resolve to group codes and are kept out of partner sums). They are still
   * checked against their parts. @default false
   */
  readonly loadSubtotals?: boolean | undefined;
}

/** A value taken once per sheet from its name or its title rows: the first capture group of the first pattern that matches. */
export interface SheetContext {
  readonly from: 'sheet' | 'title';
  readonly pattern: RegExp;
}

/**
 * A publisher's dataset, recognised by its code in the file's name, where the file itself says
 * nothing (the Uzbek agency's SDMX export 1105 is exports, 1176 imports, both in thousand US
 * dollars, as the agency documents them). Asked only when the table is silent.
 */
export interface NamedDataset {
  readonly pattern: RegExp;
  /** "dataset 1176 (imports of goods by country)": how messages and the journal name it. */
  readonly says: string;
  readonly flow?: StatedFlow | undefined;
  /** A unit phrase findUnit knows ("thousand US dollars"). */
  readonly unit?: string | undefined;
}

/**
 * Facts a table states once for all its figures, read from its sheet name, titles and header
 * (stated-facts.ts): each goes into an output column of every record.
 */
export interface TableFacts {
  /** The trade flow (X, M, RX, RM), for tables whose figures carry none of their own. */
  readonly flow?: { readonly into: string } | undefined;
  /**
   * The period the whole table covers ("за январь-декабрь 2021 года", sheet "12_2021"), as
   * "2021", "2021-03", "2021-Q1" or "2021-01/2021-06"; `wholeYears` refuses any other.
   */
  readonly period?: { readonly into: string; readonly wholeYears?: boolean | undefined } | undefined;
  readonly datasets?: readonly NamedDataset[] | undefined;
}

export interface TableLayout {
  /** @default the first visible sheet */
  readonly sheets?: SheetSelection | undefined;
  /** Rows in the header block (a two-row merged header is 2). @default 1 */
  readonly headerRows?: number | undefined;
  /** Columns kept as they are, by output name. */
  readonly columns: Readonly<Record<string, KeptColumn>>;
  /** Columns that become records (wide to long); without it, each row is a record. */
  readonly wide?: WideLayout | undefined;
  /** Output columns (of `columns`) that hold figures: read as numbers and scaled by the unit. Wide values always are. */
  readonly figures?: readonly string[] | undefined;
  readonly unit?: UnitLayout | undefined;
  readonly aggregates?: AggregateLayout | undefined;
  /** Cell texts meaning "no value" besides the built-in "-", "…", "x", "n.a." and blanks. */
  readonly nilMarkers?: readonly string[] | undefined;
  /** Decimal mark of figures stored as text. @default 'auto' */
  readonly decimal?: '.' | ',' | 'auto' | undefined;
  /** Values per sheet, by output name: tried in order. */
  readonly context?: Readonly<Record<string, readonly SheetContext[]>> | undefined;
  readonly facts?: TableFacts | undefined;
}

/** Output column of a wide record's heading: its figure column's header path above the period (or the whole path for named columns). */
export const HEADING_COLUMN = 'heading';

/** The separator of multi-row header paths. */
export const PATH_SEPARATOR = ' › ';

/**
 * A test of text against labels, each folded once: built per sheet and run on every row.
 * Labels of punctuation only ("%", "-") fold to nothing and are compared as written.
 */
export function labelTest(labels: readonly HeaderLabel[]): (text: string) => boolean {
  const tests = labels.map((label) => {
    if (typeof label !== 'string') {
      // A /g or /y pattern remembers where it stopped; every test starts from the beginning.
      return (trimmed: string) => {
        label.lastIndex = 0;
        return label.test(trimmed);
      };
    }
    const own = foldName(label);
    const written = label.trim();
    return own === ''
      ? (trimmed: string) => trimmed === written
      : (_trimmed: string, folded: string) => folded === own;
  });
  return (text) => {
    const trimmed = text.trim();
    if (trimmed === '') return false;
    const folded = foldName(text);
    return tests.some((test) => test(trimmed, folded));
  };
}

/** True when a header path (or a label) matches one of the labels. */
export function matchesLabel(text: string, labels: readonly HeaderLabel[]): boolean {
  return labelTest(labels)(text);
}

/**
 * The nesting level of a label among subtotal labels, or null when it is none of them: the
 * declared level, else the label's indentation (leading spaces).
 */
export function subtotalLevels(subtotals: readonly SubtotalLabel[]): (label: string) => number | null {
  const entries = subtotals.map((entry) => {
    const declared = typeof entry === 'object' && !(entry instanceof RegExp);
    return { test: labelTest([declared ? entry.label : entry]), level: declared ? entry.level : null };
  });
  return (label) => {
    const entry = entries.find((e) => e.test(label));
    if (entry === undefined) return null;
    return entry.level ?? label.length - label.replace(/^[\s\u00a0]+/, '').length;
  };
}

/** The nesting level of one subtotal label (subtotalLevels, for a single question). */
export function subtotalLevel(label: string, subtotals: readonly SubtotalLabel[]): number | null {
  return subtotalLevels(subtotals)(label);
}

/** The output columns of a laid-out table, in order. */
export function outputColumns(layout: TableLayout): string[] {
  const names = Object.keys(layout.columns);
  // A wide record also says which heading its figure stood under ("Imports › Dry bulk"), for
  // tables whose header levels carry a dimension.
  if (layout.wide !== undefined) names.push(layout.wide.into, layout.wide.value, HEADING_COLUMN);
  names.push(...Object.keys(layout.context ?? {}));
  names.push(...factColumns(layout));
  names.push(layout.unit?.into ?? 'unit', 'status');
  return names;
}

/** The output columns of a layout's stated facts, in order: flow, then period. */
export function factColumns(layout: TableLayout): string[] {
  const facts = layout.facts;
  return [facts?.flow?.into, facts?.period?.into].filter((n): n is string => n !== undefined);
}
