/**
 * What a sheet says once for all its rows: the unit of each figure column (its own header,
 * else the header block, else the title lines, else the layout's default) and the per-sheet
 * values a layout takes from the title or the sheet name (the year of "за январь-декабрь 2021
 * года"). Either missing is a whole-file error that names the place and what was looked for.
 */
import { CorridorError } from '../errors.ts';
import type { FactOrigin } from './stated-facts.ts';
import { datasetHint } from './table-facts.ts';
import type { TableLayout } from './table-layout.ts';
import { describeKnownUnits, findUnit, type UnitReading } from './unit-phrase.ts';

export interface SheetText {
  /** "file.xlsx › Sheet", for messages. */
  readonly place: string;
  readonly sheet: string | null;
  /** The header block's cells as text. */
  readonly headerCells: readonly string[];
  /** The rows above the header, one string each. */
  readonly titles: readonly string[];
}

/** A figure column's unit, and whether the file states it or a declaration supplied it. */
export interface ColumnUnit extends UnitReading {
  readonly assumed: boolean;
  readonly origin: FactOrigin;
  /** The words that state it, or the declaration. */
  readonly place: string;
}

/**
 * The unit the title lines give the table. A title may mention other quantities ("the year's
 * total, 51.71 Mt and 2.21 M TEU"), so a line that is nothing but a unit ("('000 tonnes)",
 * "тыс. долларов США") wins; otherwise the first line that names one.
 */
function unitOfTitles(titles: readonly string[]): Stated | null {
  const found = titles
    .map((t) => ({ text: t, unit: findUnit(t) }))
    .filter((f): f is Stated => f.unit !== null);
  const alone = found.find(
    ({ text, unit }) => text.replace(unit.phrase, '').replace(/[\s()[\].,;:'’"-]/g, '') === '',
  );
  return alone ?? found[0] ?? null;
}

/** A unit and the text that states it. */
interface Stated {
  readonly text: string;
  readonly unit: UnitReading;
}

/** Words that change what a unit phrase means (its scale, or what kind of ton). */
const QUALIFIER =
  /\b(thousands?|lakhs?|crores?|millions?|mln|billions?|freight)\b|'?\b000\b|\bM\.\s*tons?\b/i;

/**
 * A word in the unit's text that the phrase Corridor read does not account for ("'000
 * freight tons" read as tons; "tonnes in thousands"; "lakh tonnes"): reading the figures in the
 * bare unit would be off by that scale, so the table is refused instead. Other phrases for the
 * same unit in the text (a title in three languages) are not qualifiers.
 */
function unreadQualifier({ text, unit }: Stated): string | null {
  let rest = text.replace(unit.phrase, ' ');
  for (
    let again = findUnit(rest);
    again !== null && again.unit === unit.unit && again.multiplier === unit.multiplier;
    again = findUnit(rest)
  )
    rest = rest.replace(again.phrase, ' ');
  return QUALIFIER.exec(rest)?.[0] ?? null;
}

/** Currencies other than the US dollar that bureaus publish in: refused by name, never read as dollars. */
const OTHER_CURRENCIES: readonly { readonly pattern: RegExp; readonly name: string }[] = [
  { pattern: /(?<![\p{L}])(?:сом(?:ов|а)?|soms?|KGS)(?![\p{L}])/iu, name: 'Kyrgyz soms (KGS)' },
  { pattern: /(?<![\p{L}])(?:тенге|теңге|tenge|KZT)(?![\p{L}])/iu, name: 'Kazakh tenge (KZT)' },
  { pattern: /(?<![\p{L}])(?:сум(?:ов)?|so['ʻ’]m|UZS)(?![\p{L}])/iu, name: 'Uzbek soums (UZS)' },
  { pattern: /(?<![\p{L}])(?:рубл\p{L}*|roubles?|rubles?|RUB)(?![\p{L}])/iu, name: 'roubles (RUB)' },
  { pattern: /(?<![\p{L}])(?:rupees?|Rs\.?|PKR)(?![\p{L}])/iu, name: 'rupees (PKR)' },
  { pattern: /(?<![\p{L}])(?:евро|euros?|EUR)(?![\p{L}])/iu, name: 'euros (EUR)' },
];

/** What the user declares about units, and what a dataset named by the file is documented in. */
export interface UnitDeclarations {
  readonly unit?: string | undefined;
  readonly override?: boolean | undefined;
  readonly dataset?: { readonly unit: string; readonly says: string } | null | undefined;
}

/** The currency other than the US dollar a text names ("Kyrgyz soms (KGS)"), or null. */
export function otherCurrencyNamed(text: string): string | null {
  return OTHER_CURRENCIES.find((c) => c.pattern.test(text))?.name ?? null;
}

function declaredUnitReading(text: string): UnitReading {
  const currency = findUnit(text) === null ? otherCurrencyNamed(text) : null;
  if (currency !== null)
    throw new CorridorError(
      'unsupported_currency',
      `--unit ${JSON.stringify(text)} is in ${currency}, not US dollars: Corridor stores trade values in US dollars and does not convert currencies. Load the publisher's US-dollar edition of the table.`,
      { exitCode: 2 },
    );
  const unit = findUnit(text);
  if (unit === null)
    throw new CorridorError(
      'bad_declaration',
      `--unit ${JSON.stringify(text)} is not a unit Corridor knows. Known units:\n${describeKnownUnits()}`,
      { exitCode: 2 },
    );
  return unit;
}

/** A unit to show in the message's example, of the kind the table's figures must be in. */
function exampleUnit(layout: TableLayout): string {
  const dimension = layout.unit?.dimension;
  const first = typeof dimension === 'string' ? dimension : (dimension?.[0] ?? 'value');
  return { value: 'thousand US dollars', mass: 'thousand tonnes', containers: 'TEU', count: 'calls' }[first];
}

const sameUnit = (a: UnitReading, b: UnitReading) => a.unit === b.unit && a.multiplier === b.multiplier;
const unitName = (u: UnitReading) => `${u.phrase} (${u.unit} ×${u.multiplier})`;

export function unitOfColumn(
  layout: TableLayout,
  text: SheetText,
  path: string,
  declared: UnitDeclarations = {},
): ColumnUnit {
  const inText = (t: string): Stated | null => {
    const unit = findUnit(t);
    return unit === null ? null : { text: t, unit };
  };
  const statedIn =
    inText(path) ?? text.headerCells.map(inText).find((u) => u !== null) ?? unitOfTitles(text.titles);
  if (statedIn !== null) {
    const qualifier = unreadQualifier(statedIn);
    if (qualifier !== null)
      throw new CorridorError(
        'unknown_unit',
        `${text.place}: the unit "${statedIn.text.trim().slice(0, 80)}" says "${qualifier}", which Corridor does not read: it would take the figures as ${statedIn.unit.phrase} (${statedIn.unit.unit} ×${statedIn.unit.multiplier}). Declare the unit with --unit (and --override), or as the layout's unit.default, in a form Corridor knows. Known units:\n${describeKnownUnits()}`,
      );
  }
  const stated = statedIn?.unit ?? null;
  const byUser = declared.unit === undefined ? null : declaredUnitReading(declared.unit);
  let unit: UnitReading | null = stated;
  let origin: FactOrigin = 'file';
  let place = statedIn === null ? '' : `"${statedIn.text.trim().slice(0, 80)}"`;
  if (stated !== null && byUser !== null && !sameUnit(stated, byUser)) {
    if (declared.override !== true)
      throw new CorridorError(
        'declaration_contradicts_file',
        `${text.place}: --unit declares ${unitName(byUser)}, but the file says ${unitName(stated)} in ${place}. Drop the declaration, or add --override if the publisher mislabelled the table.`,
      );
    unit = byUser;
    origin = 'override';
    place = `declared (--unit) over the file's ${place}`;
  } else if (stated === null && byUser !== null) {
    unit = byUser;
    origin = 'declaration';
    place = 'declared (--unit)';
  } else if (stated === null && declared.dataset != null) {
    unit = findUnit(declared.dataset.unit);
    place = `the file name, ${declared.dataset.says}`;
  } else if (stated === null && layout.unit?.default !== undefined) {
    unit = findUnit(layout.unit.default);
    origin = 'declaration';
    place = "the layout's unit.default";
  }
  if (unit === null) {
    const all = [path, ...text.headerCells, ...text.titles].join(' ');
    const currency = OTHER_CURRENCIES.find((c) => c.pattern.test(all));
    if (currency !== undefined)
      throw new CorridorError(
        'unsupported_currency',
        `${text.place}: the figures are in ${currency.name}, not US dollars. Corridor stores trade values in US dollars and does not convert currencies: load the publisher's US-dollar edition of the table.`,
      );
    throw new CorridorError(
      'unknown_unit',
      `${text.place}: no unit Corridor knows is named for column "${path}", in its header or the titles above the table${text.titles.length > 0 ? ` (${text.titles.map((t) => `"${t.slice(0, 80)}"`).join(', ')})` : ''}${layout.unit?.default === undefined ? '' : `, and the default "${layout.unit.default}" is not one either`}. Declare it with --unit "${exampleUnit(layout)}" (in a pipeline, declare: { unit: "${exampleUnit(layout)}" }) in a form Corridor knows${datasetHint(layout)}. Known units:\n${describeKnownUnits()}`,
    );
  }
  const dimension = layout.unit?.dimension;
  const allowed = dimension === undefined ? null : typeof dimension === 'string' ? [dimension] : dimension;
  if (allowed !== null && !allowed.includes(unit.dimension)) {
    throw new CorridorError(
      'unexpected_unit',
      `${text.place}: column "${path}" is in ${unit.phrase} (${unit.unit}), but this table's figures must be in a unit of ${allowed.join(' or ')}. Check that the file is the table this source reads.`,
    );
  }
  return { ...unit, assumed: origin !== 'file' || stated === null, origin, place };
}

export function sheetContext(layout: TableLayout, text: SheetText): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [field, tries] of Object.entries(layout.context ?? {})) {
    for (const attempt of tries) {
      const texts = attempt.from === 'sheet' ? (text.sheet === null ? [] : [text.sheet]) : text.titles;
      attempt.pattern.lastIndex = 0;
      const match = texts.map((t) => attempt.pattern.exec(t)).find((m) => m !== null && m[1] !== undefined);
      if (match) {
        values[field] = match[1]!;
        break;
      }
    }
    if (values[field] === undefined) {
      const where = tries
        .map((t) => (t.from === 'sheet' ? `the sheet name ("${text.sheet ?? ''}")` : 'the title rows'))
        .join(' or ');
      const said =
        text.titles.length > 0 ? `; the titles say: ${text.titles.map((t) => `"${t}"`).join(', ')}` : '';
      throw new CorridorError(
        'missing_context',
        `${text.place}: the ${field} could not be read from ${where}${said}. Check that the file is the table this source reads.`,
      );
    }
  }
  return values;
}
