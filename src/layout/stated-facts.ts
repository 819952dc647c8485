/**
 * What a table says once for all its figures (its flow, unit and period), settled against what
 * the user declares. Read, never assume: a fact comes from the file, or from the user's
 * declaration (`--flow M`, `--unit`, `--period`), or the file is refused with a message that
 * names what was missing or contradictory and the option that declares it. A declaration that
 * contradicts the file is refused too, unless the user adds `--override` for a table its
 * publisher mislabelled. Every settled fact keeps its origin for the journal (`load_facts`).
 */
import { CorridorError } from '../errors.ts';

export type FactName = 'flow' | 'unit' | 'period';

/** Where a settled value came from. */
export type FactOrigin = 'file' | 'declaration' | 'override';

export interface SettledFact {
  readonly fact: FactName;
  /** As stored: "M", "thousand US dollars (USD ×1000)", "2021". */
  readonly value: string;
  readonly origin: FactOrigin;
  /** Where the file says it ('title "…"', 'sheet name "…"'), or which option declared it. */
  readonly place: string;
  /** The sheet it applies to; null for a whole file without sheets. */
  readonly sheet: string | null;
}

/** What the user declares about the files of one load (CLI options or a pipeline's `declare:`). */
export interface Declarations {
  readonly flow?: string | undefined;
  readonly unit?: string | undefined;
  readonly period?: string | undefined;
  /** Let a declaration win over what the file says. @default false */
  readonly override?: boolean | undefined;
}

/** One place the file says a fact. */
export interface Reading<T> {
  readonly value: T;
  readonly place: string;
}

export interface FactQuestion<T> {
  readonly fact: FactName;
  /** "file.xlsx › Sheet1", for messages. */
  readonly where: string;
  readonly sheet: string | null;
  /** What the file says, in order of weight; the readings of `fallback` count only when these say nothing. */
  readonly readings: readonly Reading<T>[];
  /** Weaker places (the file's name), asked only when the table itself is silent. */
  readonly fallback?: readonly Reading<T>[];
  /** Where the file was searched, for the message when it says nothing. */
  readonly searched: string;
  readonly declared: T | undefined;
  readonly override: boolean;
  /** The option that declares it, with its choices: "--flow X (exports) or --flow M (imports)". */
  readonly option: string;
  /** Two values are the same fact ("2021" and "2021"). */
  readonly key: (value: T) => string;
  /** The value as a reader says it: "imports (M)". */
  readonly describe: (value: T) => string;
}

/**
 * The value of one fact, with its origin; throws a CorridorError (exit 1, the file is not loaded)
 * when the file is silent and nothing is declared (`fact_not_stated`), when it says two things
 * and nothing is declared (`facts_contradict`), or when the declaration contradicts it without
 * `--override` (`declaration_contradicts_file`).
 */
export function settleFact<T>(q: FactQuestion<T>): { value: T; fact: SettledFact } {
  const readings = q.readings.length > 0 ? q.readings : (q.fallback ?? []);
  const distinct = new Map<string, Reading<T>>();
  for (const r of readings) if (!distinct.has(q.key(r.value))) distinct.set(q.key(r.value), r);
  const settled = (value: T, origin: FactOrigin, place: string) => ({
    value,
    fact: { fact: q.fact, value: q.key(value), origin, place, sheet: q.sheet },
  });
  const declaredPlace = `declared (${q.option.split(' ')[0]})`;

  if (distinct.size === 0) {
    if (q.declared !== undefined) return settled(q.declared, 'declaration', declaredPlace);
    throw new CorridorError(
      'fact_not_stated',
      `${q.where}: the table does not say its ${q.fact} (looked in ${q.searched}). Declare it with ${q.option}.`,
    );
  }
  if (distinct.size > 1) {
    const said = [...distinct.values()].map((r) => `${q.describe(r.value)} in ${r.place}`).join(', and ');
    // A declaration picks among what the file says; it does not contradict a file that says both.
    if (q.declared !== undefined && (distinct.has(q.key(q.declared)) || q.override))
      return settled(
        q.declared,
        q.override ? 'override' : 'declaration',
        `${declaredPlace}; the file says ${said}`,
      );
    throw new CorridorError(
      'facts_contradict',
      `${q.where}: the table says two things about its ${q.fact}: ${said}. Declare which with ${q.option}${q.declared === undefined ? '' : ' (the declared one is neither; add --override if the publisher mislabelled the table)'}.`,
    );
  }
  const [only] = distinct.values();
  if (q.declared === undefined || q.key(q.declared) === q.key(only!.value))
    return settled(only!.value, 'file', only!.place);
  if (q.override)
    return settled(
      q.declared,
      'override',
      `${declaredPlace} over the file's ${q.describe(only!.value)} in ${only!.place}`,
    );
  throw new CorridorError(
    'declaration_contradicts_file',
    `${q.where}: ${q.option.split(' ')[0]} declares ${q.describe(q.declared)}, but the file says ${q.describe(only!.value)} in ${only!.place}. Drop the declaration, or add --override if the publisher mislabelled the table.`,
  );
}
