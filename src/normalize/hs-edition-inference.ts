/**
 * The HS edition of a file that says only "HS" (Comtrade's classificationCode `HS`, a bureau
 * table, a pipeline table whose edition is `HS`), inferred from what the file holds
 * (docs/hs-editions.md):
 *
 * 1. the codes: the editions in which every code of the file is valid;
 * 2. the period: among those, the one in force in the rows' year by the UN's dates. Reporters
 *    often lag an edition, so the codes win: the period only chooses among the editions the
 *    codes allow;
 * 3. when the codes do not tell (only TOTAL, special or chapter codes, valid in every edition),
 *    the edition in force that year, flagged as assumed.
 *
 * When no edition holds every code of the file, each year is tried alone (a file that spans a
 * change of edition); a year whose codes no edition holds stays unresolved, and its rows keep
 * `HS`. Pure: the caller gathers the distinct codes and applies the choice.
 */
import { formatCount } from '../human-format.ts';
import { specialKind } from '../reference/hs-model.ts';

/**
 * The year each edition came into force, on 1 January (UN Statistics Division). HS 1992 (H0)
 * is the Harmonized System's first edition, applied from 1988.
 */
export const IN_FORCE_FROM: Readonly<Record<string, number>> = {
  H0: 1988,
  H1: 1996,
  H2: 2002,
  H3: 2007,
  H4: 2012,
  H5: 2017,
  H6: 2022,
  H7: 2027,
};

/** What inference needs of the HS code book (src/normalize/hs-code-book.ts). */
export interface EditionBook {
  /** Every edition the reference holds (`HS`, the union, among them). */
  readonly editions: readonly string[];
  /** Null when `code` exists in `edition`. */
  problem(edition: string, code: string): string | null;
}

/** The distinct codes of a file's rows without an edition: year → code → first row that holds it. */
export type EditionEvidence = ReadonlyMap<number, ReadonlyMap<string, number>>;

/**
 * How the edition was chosen:
 * - `codes`: one edition alone holds every code;
 * - `codes_and_period`: several do, and the one in force that year is among them;
 * - `nearest`: several do, none in force that year; the newest one before it (reporters lag),
 *   else the oldest after it. Flagged;
 * - `period`: the codes are valid in every edition; the one in force that year. Flagged;
 * - `none`: no edition holds every code of the year (or none was in force): not inferred.
 */
export type EditionBasis = 'codes' | 'codes_and_period' | 'nearest' | 'period' | 'none';

export interface EditionChoice {
  readonly year: number;
  /** The inferred edition; null when none could be (the rows keep `HS`). */
  readonly edition: string | null;
  readonly basis: EditionBasis;
  /** The choice rests on a guess (the period alone, or the nearest edition): check it. */
  readonly flagged: boolean;
  /** The editions in which every code considered is valid, oldest first. */
  readonly candidates: readonly string[];
  /** The distinct codes that told editions apart (special codes left out). */
  readonly codes: number;
  /** Whether the file's codes as a whole decided (else this year's alone). */
  readonly scope: 'file' | 'year';
  /** One line for the journal, starting "HS edition H4 inferred for 2015: ...". */
  readonly note: string;
}

const EDITION_CODE = /^H(\d+)$/;

/** Whether `text` is an HS edition code a user may declare (`H5`, `h5`): H and a number. */
export const isEditionCode = (text: string): boolean => EDITION_CODE.test(text.trim().toUpperCase());

/** What to write instead, for a declaration that is not an edition code. */
export const EDITION_CODE_HINT = 'write an HS edition code: H0 (HS 1992) … H6 (HS 2022)';

/** The book's real editions (not `HS`), oldest first. */
export function editionsOf(book: EditionBook): string[] {
  return book.editions
    .filter((e) => EDITION_CODE.test(e))
    .sort((a, b) => Number(EDITION_CODE.exec(a)![1]) - Number(EDITION_CODE.exec(b)![1]));
}

/** The edition in force in `year` among `editions` (those with a known date), or null before HS 1992. */
export function editionInForce(year: number, editions: readonly string[]): string | null {
  let found: string | null = null;
  for (const e of editions) {
    const from = IN_FORCE_FROM[e];
    if (from !== undefined && from <= year && (found === null || from > IN_FORCE_FROM[found]!)) found = e;
  }
  return found;
}

/** "H4", "H4 and H5", "H0–H3", "H0–H2 and H5": consecutive editions as a range. */
export function editionList(editions: readonly string[], all: readonly string[]): string {
  const runs: string[][] = [];
  for (const e of editions) {
    const last = runs.at(-1);
    if (last !== undefined && all.indexOf(last.at(-1)!) + 1 === all.indexOf(e)) last.push(e);
    else runs.push([e]);
  }
  const parts = runs.flatMap((r) => (r.length < 3 ? r : [`${r[0]}–${r.at(-1)}`]));
  return parts.length <= 1 ? (parts[0] ?? 'none') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The codes that tell editions apart: all but TOTAL and the special codes valid in every edition. */
const tellingCodes = (codes: Iterable<string>): string[] => [...codes].filter((c) => specialKind(c) === null);

const holdingAll = (book: EditionBook, editions: readonly string[], codes: readonly string[]) =>
  editions.filter((e) => codes.every((c) => book.problem(e, c) === null));

/** A few codes, shown as the file has them: "TOTAL, 01, 02 …". */
const sample = (codes: readonly string[], n = 4) =>
  `${codes.slice(0, n).join(', ')}${codes.length > n ? ', …' : ''}`;

/** Infers the edition of every year of the evidence; years in ascending order. */
export function inferHsEditions(evidence: EditionEvidence, book: EditionBook): EditionChoice[] {
  const editions = editionsOf(book);
  const fileCodes = new Set<string>();
  for (const codes of evidence.values()) for (const c of codes.keys()) fileCodes.add(c);
  const fileTelling = tellingCodes(fileCodes);
  const fileCandidates = holdingAll(book, editions, fileTelling);

  return [...evidence.keys()]
    .sort((a, b) => a - b)
    .map((year) => {
      const yearCodes = evidence.get(year)!;
      // Each year by its own codes: a multi-year file may span an edition change, and a year whose
      // codes fit the edition in force then takes it, whatever later years hold. The file's
      // codes only break a tie the year's own cannot (see `nearest` below).
      const byFile = false;
      const telling = tellingCodes(yearCodes.keys());
      const candidates = holdingAll(book, editions, telling);
      const inForce = editionInForce(year, editions);
      const base = { year, candidates, codes: telling.length, scope: byFile ? 'file' : 'year' } as const;
      const allCodes = [...(byFile ? fileCodes : yearCodes.keys())];
      const every = `every one of ${formatCount(telling.length)} code${telling.length === 1 ? '' : 's'}`;

      if (candidates.length === 0) {
        return {
          ...base,
          edition: null,
          basis: 'none',
          flagged: true,
          note: `HS edition not inferred for ${year}: ${conflictOf(book, editions, yearCodes, inForce)} Its rows keep the edition HS (not stated) and stay out of the converted views; split the file by edition, or check the codes.`,
        };
      }
      if (inForce === null) {
        return {
          ...base,
          edition: null,
          basis: 'none',
          flagged: true,
          note: `HS edition not inferred for ${year}: no HS edition was in force before ${IN_FORCE_FROM.H0} and ${every} is valid in ${editionList(candidates, editions)}. Its rows keep the edition HS; declare the edition with --edition.`,
        };
      }
      if (candidates.length === editions.length) {
        const what =
          telling.length === 0
            ? `holds only codes that every edition shares (${sample(allCodes)})`
            : `holds only codes valid in every edition (${sample(allCodes)})`;
        return {
          ...base,
          edition: inForce,
          basis: 'period',
          flagged: true,
          note: `HS edition ${inForce} assumed for ${year} (flagged: the codes do not tell): the file ${what}; ${inForce} was in force in ${year}. Declare --edition if the reporter used another.`,
        };
      }
      if (candidates.length === 1) {
        const only = candidates[0]!;
        return {
          ...base,
          edition: only,
          basis: 'codes',
          flagged: false,
          note: `HS edition ${only} inferred for ${year}: ${every} is valid in ${only} and in no other edition${only === inForce ? '' : ` (${inForce} was in force in ${year}; the codes win)`}.`,
        };
      }
      if (candidates.includes(inForce)) {
        return {
          ...base,
          edition: inForce,
          basis: 'codes_and_period',
          flagged: false,
          note: `HS edition ${inForce} inferred for ${year}: ${every} is valid in ${editionList(candidates, editions)}; ${inForce} was in force in ${year}.`,
        };
      }
      const at = editions.indexOf(inForce);
      const agreeing = candidates.filter((e) => fileCandidates.includes(e));
      const pool = agreeing.length > 0 ? agreeing : candidates;
      const older = pool.filter((e) => editions.indexOf(e) < at);
      const chosen = older.at(-1) ?? pool[0]!;
      return {
        ...base,
        edition: chosen,
        basis: 'nearest',
        flagged: true,
        note: `HS edition ${chosen} inferred for ${year} (flagged: nearest to the edition in force): ${every} is valid in ${editionList(candidates, editions)} but not all in ${inForce}, in force in ${year}; ${chosen} is the ${older.length > 0 ? 'newest before it (reporters lag an edition)' : 'oldest after it'}. Declare --edition if the reporter used another.`,
      };
    });
}

/**
 * Why no edition holds every code of a year: the edition that holds the most, and the codes
 * outside it with their first row and the editions that have them.
 */
function conflictOf(
  book: EditionBook,
  editions: readonly string[],
  codes: ReadonlyMap<string, number>,
  inForce: string | null,
): string {
  const telling = tellingCodes(codes.keys());
  const held = editions.map((e) => ({ e, n: telling.filter((c) => book.problem(e, c) === null).length }));
  // The edition in force wins a tie: the codes outside it are the ones to check.
  const best = held.reduce((a, b) => (b.n > a.n || (b.n === a.n && b.e === inForce) ? b : a));
  const outside = telling.filter((c) => book.problem(best.e, c) !== null);
  const described = outside.slice(0, 3).map((c) => {
    const where = editions.filter((e) => book.problem(e, c) === null);
    return `${c} (row ${codes.get(c)}) is in ${editionList(where, editions)} only`;
  });
  return `no edition holds every one of its ${formatCount(telling.length)} codes: ${best.e} holds ${formatCount(best.n)}, but ${described.join('; ')}${outside.length > 3 ? `, and ${formatCount(outside.length - 3)} more` : ''}.`;
}

/**
 * Null when every code of the evidence is valid in the declared edition; else why not, naming
 * the codes outside it (with their first row) and the editions that would hold them all.
 */
export function declaredEditionConflict(
  declared: string,
  evidence: EditionEvidence,
  book: EditionBook,
): string | null {
  const editions = editionsOf(book);
  if (!editions.includes(declared))
    return `the declared edition ${declared} is not in the HS reference (${editionList(editions, editions)}); add its correlation table with corridor add-correlation, or declare one of these.`;
  const firstRow = new Map<string, number>();
  for (const codes of evidence.values())
    for (const [c, row] of codes) if (!firstRow.has(c) || firstRow.get(c)! > row) firstRow.set(c, row);
  const telling = tellingCodes(firstRow.keys());
  const outside = telling.filter((c) => book.problem(declared, c) !== null);
  if (outside.length === 0) return null;
  const fitting = holdingAll(book, editions, telling);
  const shown = outside
    .sort((a, b) => firstRow.get(a)! - firstRow.get(b)!)
    .slice(0, 3)
    .map((c) => `${c} (row ${firstRow.get(c)})`);
  return `${formatCount(outside.length)} of its ${formatCount(telling.length)} codes are not codes of ${declared}: ${shown.join(', ')}${outside.length > 3 ? ', …' : ''}. ${
    fitting.length > 0
      ? `Every code is valid in ${editionList(fitting, editions)}: declare that edition, or leave --edition out and Corridor infers it.`
      : 'No edition holds every code: split the file by edition, or leave --edition out (its rows then keep the edition HS).'
  }`;
}
