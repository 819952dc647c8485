/**
 * Builds the HS nomenclature tables from the shipped files, in memory (DOMAIN.md §2):
 *
 * - every edition's codes: H6 and H5 from their nomenclature files; H0–H4 derived from the
 *   correlations, whose older and newer sides list every subheading of each edition; headings
 *   and chapters from the subheadings' prefixes; sections from the chapters; special codes
 *   (TOTAL, 99/9999/999999, chapters 98 and 99) in every edition;
 * - the conversion of every code of every edition into one target edition, through the chain
 *   of adjacent correlations, splitting a code linked to k codes equally (1/k each) and marking
 *   it approximate; headings and chapters follow from their subheadings.
 * Categories are in hs-categories.ts.
 *
 * `HS` (edition not stated) is the union of all editions, so such rows still validate and
 * categorise; they do not convert.
 */

/** The editions Corridor ships; a correlation table added by a user (HS 2027 as H7) extends them. */
export const HS_EDITIONS = ['H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6'] as const;
export const UNSTATED_EDITION = 'HS';
const EDITION_CODE = /^H(\d+)$/;

/** The editions present, oldest first ("H0" … "H6", "H7"…). */
export function orderedEditions(codes: ReadonlyMap<string, unknown>): string[] {
  return [...codes.keys()]
    .filter((e) => EDITION_CODE.test(e))
    .sort((a, b) => Number(EDITION_CODE.exec(a)![1]) - Number(EDITION_CODE.exec(b)![1]));
}

/** Human names: "H5" → "HS 2017 (H5)". */
export const EDITION_YEARS: Readonly<Record<string, string>> = {
  H0: '1992',
  H1: '1996',
  H2: '2002',
  H3: '2007',
  H4: '2012',
  H5: '2017',
  H6: '2022',
};
export const editionName = (edition: string): string =>
  edition in EDITION_YEARS
    ? `HS ${EDITION_YEARS[edition]} (${edition})`
    : edition === UNSTATED_EDITION
      ? 'HS (edition not stated)'
      : `HS edition ${edition}`;

export type SpecialKind = 'total' | 'not_specified' | 'national';

/** TOTAL; 99, 9999, 999999 (not specified by kind); any other code of chapters 98 and 99. */
export function specialKind(code: string): SpecialKind | null {
  if (code === 'TOTAL') return 'total';
  if (code === '99' || code === '9999' || code === '999999') return 'not_specified';
  if (code.startsWith('98') || code.startsWith('99')) return 'national';
  return null;
}

export interface HsCodeRow {
  readonly edition: string;
  readonly code: string;
  readonly level: number;
  readonly section: string | null;
  readonly parent: string | null;
  readonly description: string | null;
  readonly special: SpecialKind | null;
}

export interface CorrelationRow {
  readonly newer_edition: string;
  readonly newer_code: string;
  readonly older_edition: string;
  readonly older_code: string;
  readonly relationship: string;
  readonly origin: string;
}

export interface ConversionRow {
  readonly from_edition: string;
  readonly from_code: string;
  readonly to_edition: string;
  readonly to_code: string;
  readonly weight: number;
  readonly approximate: 0 | 1;
}

/**
 * A weight for one link of one step between adjacent editions (from hs/conversion-weights*.csv):
 * the share of `from_code` that goes to `to_code`, e.g. from trade in both codes. The shares of
 * a code are rescaled to sum to 1; links not listed get none.
 */
export interface StepWeight {
  readonly from_edition: string;
  readonly from_code: string;
  /** The adjacent edition the weight leads into: the step's direction. */
  readonly to_edition: string;
  readonly to_code: string;
  readonly weight: number;
}

export interface NomenclatureFile {
  readonly edition: string;
  readonly rows: readonly Record<string, string>[];
}

const levelOf = (code: string): number => (code === 'TOTAL' ? 0 : code.length);
const parentOf = (code: string): string | null =>
  code === 'TOTAL' ? null : code.length === 2 ? 'TOTAL' : code.slice(0, code.length - 2);

/** Every edition's codes, keyed by edition then code. */
export function buildCodes(
  nomenclatures: readonly NomenclatureFile[],
  correlations: readonly CorrelationRow[],
): Map<string, Map<string, HsCodeRow>> {
  const editions = new Map<string, Map<string, HsCodeRow>>();
  const sectionOfChapter = new Map<string, string>();
  const add = (row: HsCodeRow) => {
    let codes = editions.get(row.edition);
    if (codes === undefined) {
      codes = new Map();
      editions.set(row.edition, codes);
    }
    if (!codes.has(row.code)) codes.set(row.code, row);
  };

  for (const file of nomenclatures) {
    for (const r of file.rows) {
      const code = (r.code ?? '').trim();
      if (!/^\d{2}(\d{2}){0,2}$/.test(code)) continue;
      const section = (r.section ?? '').trim();
      const special = specialKind(code);
      const realSection = special === null && /^[IVX]+$/.test(section) ? section : null;
      if (code.length === 2 && realSection !== null && !sectionOfChapter.has(code))
        sectionOfChapter.set(code, realSection);
      add({
        edition: file.edition,
        code,
        level: code.length,
        section: realSection,
        parent: parentOf(code),
        description: (r.description ?? '').trim() || null,
        special,
      });
    }
  }

  // Older editions: their subheadings from the correlations, then headings and chapters.
  const derived = new Map<string, Set<string>>();
  const note = (edition: string, code: string) => {
    if (nomenclatures.some((n) => n.edition === edition)) return;
    let set = derived.get(edition);
    if (set === undefined) {
      set = new Set();
      derived.set(edition, set);
    }
    set.add(code);
  };
  for (const c of correlations) {
    note(c.newer_edition, c.newer_code);
    note(c.older_edition, c.older_code);
  }
  for (const [edition, subheadings] of derived) {
    for (const six of subheadings) {
      for (const code of [six.slice(0, 2), six.slice(0, 4), six]) {
        const special = specialKind(code);
        add({
          edition,
          code,
          level: code.length,
          section: special === null ? (sectionOfChapter.get(code.slice(0, 2)) ?? null) : null,
          parent: parentOf(code),
          // The older editions' texts are UN Comtrade's, which may not be redistributed.
          description: null,
          special,
        });
      }
    }
  }

  // Special codes exist in every edition, reported or not.
  for (const edition of editions.keys()) {
    for (const code of ['TOTAL', '99', '9999', '999999']) {
      add({
        edition,
        code,
        level: levelOf(code),
        section: null,
        parent: parentOf(code),
        description:
          code === 'TOTAL'
            ? 'All commodities'
            : code === '99'
              ? 'Commodities not specified according to kind'
              : null,
        special: specialKind(code),
      });
    }
  }

  // HS (edition not stated): the union, so that such rows validate and categorise.
  const union = new Map<string, HsCodeRow>();
  for (const edition of orderedEditions(editions).reverse()) {
    for (const row of editions.get(edition)?.values() ?? []) {
      if (!union.has(row.code)) union.set(row.code, { ...row, edition: UNSTATED_EDITION });
    }
  }
  editions.set(UNSTATED_EDITION, union);
  return editions;
}

type Targets = Map<string, number>;
interface Converted {
  readonly targets: Targets;
  readonly approximate: boolean;
}

/** A code fed by more codes than this is a catch-all (see buildConversion). */
export const MAX_FAN_IN = 20;

/**
 * Converts every code of every edition into `target`. A step between adjacent editions sends a
 * code linked to k codes 1/k to each (equal weights, DOMAIN.md §2) and is exact only when k = 1;
 * steps compose by multiplying weights along every path.
 */
export function buildConversion(
  codes: ReadonlyMap<string, ReadonlyMap<string, HsCodeRow>>,
  correlations: readonly CorrelationRow[],
  target: string,
  weights: readonly StepWeight[] = [],
): ConversionRow[] {
  // Supplied weights of one step, by "edition|from code" then "to code".
  const supplied = new Map<string, Map<string, number>>();
  for (const w of weights) {
    const key = `${w.from_edition}|${w.from_code}|${w.to_edition}`;
    let byTarget = supplied.get(key);
    if (byTarget === undefined) {
      byTarget = new Map();
      supplied.set(key, byTarget);
    }
    byTarget.set(w.to_code, w.weight);
  }
  const editions = orderedEditions(codes);
  const targetIndex = editions.indexOf(target);
  if (targetIndex < 0) throw new Error(`no HS edition ${target} in the reference`);
  // links[edition] = code → linked codes in the next edition towards the target.
  const forward = new Map<string, Map<string, string[]>>();
  const backward = new Map<string, Map<string, string[]>>();
  const link = (into: Map<string, Map<string, string[]>>, edition: string, from: string, to: string) => {
    let byCode = into.get(edition);
    if (byCode === undefined) {
      byCode = new Map();
      into.set(edition, byCode);
    }
    const list = byCode.get(from);
    if (list === undefined) byCode.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  };
  for (const c of correlations) {
    link(forward, c.older_edition, c.older_code, c.newer_code);
    link(backward, c.newer_edition, c.newer_code, c.older_code);
  }
  // How many codes of the adjacent edition feed each code: "edition|code" → count.
  const countLinks = (
    links: Map<string, Map<string, string[]>>,
    into: Map<string, number>,
    edition: (e: string) => string,
  ) => {
    for (const [from, byCode] of links)
      for (const targets of byCode.values())
        for (const to of targets) {
          const key = `${edition(from)}|${to}`;
          into.set(key, (into.get(key) ?? 0) + 1);
        }
  };
  const newerFanIn = new Map<string, number>();
  const olderFanIn = new Map<string, number>();
  const neighbour = (e: string, step: number) => editions[editions.indexOf(e) + step] ?? e;
  countLinks(forward, newerFanIn, (e) => neighbour(e, 1));
  countLinks(backward, olderFanIn, (e) => neighbour(e, -1));

  const memo = new Map<string, Converted | null>();
  const convert = (editionIndex: number, code: string): Converted | null => {
    const key = `${editionIndex}:${code}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: Converted | null;
    if (editionIndex === targetIndex) {
      result = codes.get(target)?.has(code) ? { targets: new Map([[code, 1]]), approximate: false } : null;
    } else {
      const edition = editions[editionIndex]!;
      const towardsNewer = editionIndex < targetIndex;
      const next = towardsNewer ? editionIndex + 1 : editionIndex - 1;
      const allLinks = (towardsNewer ? forward : backward).get(edition)?.get(code) ?? [];
      // Catch-all codes: HS 2022's e-waste heading 8549 draws on about 1,019 HS 2017 codes.
      // With equal shares, laptops (847130) would send 6/7 of their value there. A code that
      // continues elsewhere sends nothing to codes fed by more than MAX_FAN_IN codes; one
      // that has nowhere else to go still does.
      const fanIn = towardsNewer ? newerFanIn : olderFanIn;
      const focused = allLinks.filter((to) => (fanIn.get(`${editions[next]}|${to}`) ?? 0) <= MAX_FAN_IN);
      const linked = focused.length > 0 ? focused : allLinks;
      // A linked code that goes no further (the tables of two steps disagree) drops out, and
      // the rest share the whole value.
      const onwards = linked
        .map((to) => [to, convert(next, to)] as const)
        .filter((o): o is readonly [string, Converted] => o[1] !== null);
      // Supplied (trade-based) weights where given for this code, else equal shares; either
      // way rescaled over the links that go on, so the code keeps its whole value.
      const given = supplied.get(`${edition}|${code}|${editions[next]}`);
      const share = (to: string) => (given === undefined ? 1 : (given.get(to) ?? 0));
      const total = onwards.reduce((sum, [to]) => sum + share(to), 0);
      const targets: Targets = new Map();
      let approximate = allLinks.length > 1;
      for (const [to, onward] of onwards) {
        approximate ||= onward.approximate;
        const part = total > 0 ? share(to) / total : 1 / onwards.length;
        if (part === 0) continue;
        for (const [t, w] of onward.targets) targets.set(t, (targets.get(t) ?? 0) + w * part);
      }
      result = targets.size === 0 ? null : { targets, approximate };
    }
    memo.set(key, result);
    return result;
  };

  const rows: ConversionRow[] = [];
  const push = (from_edition: string, from_code: string, targets: Targets, approximate: boolean) => {
    for (const [to_code, weight] of targets) {
      rows.push({
        from_edition,
        from_code,
        to_edition: target,
        to_code,
        weight,
        approximate: approximate ? 1 : 0,
      });
    }
  };
  for (const [editionIndex, edition] of editions.entries()) {
    const editionCodes = codes.get(edition);
    if (editionCodes === undefined) continue;
    const subheadingConversions = new Map<string, Converted>();
    for (const row of editionCodes.values()) {
      if (row.special !== null) {
        // Special codes mean the same in every edition.
        push(edition, row.code, new Map([[row.code, 1]]), false);
      } else if (row.level === 6) {
        const converted = convert(editionIndex, row.code);
        if (converted === null) continue;
        subheadingConversions.set(row.code, converted);
        push(edition, row.code, converted.targets, converted.approximate);
      }
    }
    // A heading or chapter: its subheadings' conversions, each subheading weighing the same,
    // summed at the same level in the target. Exact when it all lands in one code.
    for (const level of [4, 2]) {
      const groups = new Map<string, Converted[]>();
      for (const [code, converted] of subheadingConversions) {
        const prefix = code.slice(0, level);
        if (!editionCodes.has(prefix) || editionCodes.get(prefix)!.special !== null) continue;
        const list = groups.get(prefix);
        if (list === undefined) groups.set(prefix, [converted]);
        else list.push(converted);
      }
      for (const [prefix, parts] of groups) {
        const targets: Targets = new Map();
        for (const part of parts) {
          for (const [t, w] of part.targets) {
            const at = t.slice(0, level);
            targets.set(at, (targets.get(at) ?? 0) + w / parts.length);
          }
        }
        push(edition, prefix, targets, targets.size > 1);
      }
    }
  }
  // Rows whose edition was not stated (`HS`: national tables of totals) convert only where the
  // edition does not matter: the special codes, TOTAL first, mean the same in every edition.
  for (const row of codes.get(UNSTATED_EDITION)?.values() ?? []) {
    if (row.special !== null) push(UNSTATED_EDITION, row.code, new Map([[row.code, 1]]), false);
  }
  return rows;
}
