/**
 * A sheet's flow and period, read from what it says (its name, the title lines, the header)
 * and settled against the user's declarations (stated-facts.ts). The file's name counts only
 * when the table is silent: a title is what the publisher wrote, a name is often the user's.
 */
import { CorridorError } from '../errors.ts';
import {
  type CoveredPeriod,
  coveredPeriodOfSheet,
  coveredPeriodOfTitle,
  isWholeYear,
  periodText,
} from './covered-period.ts';
import { FLOW_NAMES, flowsNamed, type StatedFlow } from './flow-words.ts';
import type { SheetText } from './sheet-facts.ts';
import { type Declarations, type Reading, type SettledFact, settleFact } from './stated-facts.ts';
import type { TableLayout } from './table-layout.ts';

const quoted = (text: string) => `"${text.trim().slice(0, 80)}"`;

const FLOW_OPTION = '--flow X (exports) or --flow M (imports)';

/** ", or keep the publisher's dataset code in the file's name (dataset 1105, dataset 1176)": for sources that read it there. */
export function datasetHint(layout: TableLayout): string {
  const named = (layout.facts?.datasets ?? []).map((d) => d.says.split(',')[0]!.trim());
  return named.length === 0
    ? ''
    : `, or keep the publisher's dataset code in the file's name (${named.join(', ')})`;
}

/** The flows a text names, as readings of one place. */
function flowReadings(text: string, place: string): Reading<StatedFlow>[] {
  return flowsNamed(text).map((value) => ({ value, place }));
}

/** A declared flow as the user may write it: X, M, RX, RM, export(s), import(s). */
export function declaredFlow(text: string): StatedFlow {
  const upper = text.trim().toUpperCase();
  if (upper === 'X' || upper === 'M' || upper === 'RX' || upper === 'RM' || upper === 'DX') return upper;
  const named = flowsNamed(text);
  if (named.length === 1) return named[0]!;
  throw new CorridorError(
    'bad_declaration',
    `--flow ${JSON.stringify(text)} is not a trade flow; use X (exports), M (imports), RX or RM.`,
    { exitCode: 2 },
  );
}

/** A declared period: a year ("2023"), a month ("2023-04") or a quarter ("2023-Q1"). */
function declaredPeriod(text: string): CoveredPeriod {
  const m = /^\s*(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?\s*$/i.exec(text);
  if (m === null)
    throw new CorridorError(
      'bad_declaration',
      `--period ${JSON.stringify(text)} is not a period; write a year (2023), a month (2023-04) or a quarter (2023-Q1).`,
      { exitCode: 2 },
    );
  const year = Number(m[1]);
  if (m[2] !== undefined) return { year, firstMonth: Number(m[2]), lastMonth: Number(m[2]), phrase: text };
  if (m[3] !== undefined) {
    const q = Number(m[3]);
    return { year, firstMonth: q * 3 - 2, lastMonth: q * 3, phrase: text };
  }
  return { year, firstMonth: 1, lastMonth: 12, phrase: text };
}

export interface SheetFactValues {
  /** By output column. */
  readonly values: Readonly<Record<string, string>>;
  readonly settled: readonly SettledFact[];
}

/** The flow and period facts a layout asks for, of one sheet. */
export function settleSheetFacts(
  layout: TableLayout,
  text: SheetText,
  fileName: string,
  declared: Declarations,
): SheetFactValues {
  const values: Record<string, string> = {};
  const settled: SettledFact[] = [];
  const facts = layout.facts;
  const override = declared.override ?? false;
  const datasets = (facts?.datasets ?? []).filter((d) => {
    d.pattern.lastIndex = 0;
    return d.pattern.test(fileName);
  });

  if (facts?.flow !== undefined) {
    const readings = [
      ...(text.sheet === null ? [] : flowReadings(text.sheet, `the sheet name ${quoted(text.sheet)}`)),
      ...text.titles.flatMap((t) => flowReadings(t, `the title ${quoted(t)}`)),
      ...text.headerCells.flatMap((t) => flowReadings(t, `the header ${quoted(t)}`)),
    ];
    const fallback = [
      ...datasets
        .filter((d) => d.flow !== undefined)
        .map((d) => ({ value: d.flow!, place: `the file name ${quoted(fileName)}, ${d.says}` })),
      ...flowReadings(fileName.replace(/[_.]+/g, ' '), `the file name ${quoted(fileName)}`),
    ];
    const { value, fact } = settleFact<StatedFlow>({
      fact: 'flow',
      where: text.place,
      sheet: text.sheet,
      readings,
      fallback,
      searched: 'the sheet name, the titles, the header and the file name',
      declared: declared.flow === undefined ? undefined : declaredFlow(declared.flow),
      override,
      option: `${FLOW_OPTION}${datasetHint(layout)}`,
      key: (f) => f,
      describe: (f) => `${FLOW_NAMES[f]} (${f})`,
    });
    values[facts.flow.into] = value;
    settled.push(fact);
  }

  if (facts?.period !== undefined) {
    // Every title line that names the period counts: two that disagree are a contradiction.
    const readings: Reading<CoveredPeriod>[] = [];
    const unclear: string[] = [];
    for (const t of text.titles) {
      const read = coveredPeriodOfTitle(t);
      if (read === null) continue;
      if ('unclear' in read) unclear.push(t);
      else readings.push({ value: read, place: `the title ${quoted(t)}` });
    }
    const bySheet = text.sheet === null ? null : coveredPeriodOfSheet(text.sheet);
    const clearTitle = readings.length > 0;
    // A sheet named by its year ("2023") holds any table of that year: a title of part of it
    // ("за 9 месяцев 2023 года") says more, not something else. "9_2023" says the months too.
    const sheetOnlyNamesTheYear =
      bySheet !== null && isWholeYear(bySheet) && readings.some((r) => r.value.year === bySheet.year);
    if (bySheet !== null && !sheetOnlyNamesTheYear)
      readings.push({ value: bySheet, place: `the sheet name ${quoted(text.sheet!)}` });
    // A title that names a year beside words of a part of it ("9 мес.") is never read as the
    // whole year, nor left for the sheet name to settle: the user says what the table covers.
    if (unclear.length > 0 && !clearTitle && declared.period === undefined)
      throw new CorridorError(
        'unclear_period',
        `${text.place}: the title ${quoted(unclear[0]!)} names a period Corridor cannot read exactly (a part of a year, or a date). Declare the period the table covers with --period 2023 (a year), 2023-04 (a month) or 2023-Q1 (a quarter).`,
      );
    const { value, fact } = settleFact<CoveredPeriod>({
      fact: 'period',
      where: text.place,
      sheet: text.sheet,
      readings,
      searched: `the titles and the sheet name${unclear.length > 0 ? ` (the title ${quoted(unclear[0]!)} is not read exactly)` : ''}`,
      declared: declared.period === undefined ? undefined : declaredPeriod(declared.period),
      override,
      option: '--period 2023 (a year; 2023-04 a month)',
      key: periodText,
      describe: (p) => periodText(p),
    });
    if (facts.period.wholeYears === true && !isWholeYear(value))
      throw new CorridorError(
        'partial_period',
        `${text.place}: the table covers ${periodText(value)} (${quoted(value.phrase)}), part of a year; this source loads whole years only. Load the publisher's January–December table of that year.`,
      );
    values[facts.period.into] = periodText(value);
    settled.push(fact);
  }
  return { values, settled };
}

/** The unit a publisher's dataset is documented in, when the file's name names one. */
export function datasetUnit(layout: TableLayout, fileName: string): { unit: string; says: string } | null {
  for (const d of layout.facts?.datasets ?? []) {
    d.pattern.lastIndex = 0;
    if (d.unit !== undefined && d.pattern.test(fileName)) return { unit: d.unit, says: d.says };
  }
  return null;
}
