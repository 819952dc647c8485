/**
 * One category vocabulary (issue 19 point 4): the port cargo map (port-commodities.csv) names its
 * categories in the words of categories.csv, and every port commodity without a category and
 * every HS category no port commodity carries is listed, with a reason, in
 * category-unmatched.csv. These checks say where the three files disagree; an empty answer
 * means they agree.
 */
import type { CategoryRule } from './hs-categories.ts';
import { type HsCodeRow, UNSTATED_EDITION } from './hs-model.ts';

/** The scheme whose categories port maps use (the sections are not cargo categories). */
export const PORT_SCHEME = 'corridor';

export interface PortCommodityRow {
  readonly label: string;
  readonly commodity: string;
  readonly hs_heading: string | null;
  readonly category: string | null;
}

export interface UnmatchedRow {
  /** `port`: a port commodity with no HS category; `hs`: an HS category no port commodity carries. */
  readonly side: string;
  readonly name: string;
  readonly reason: string;
}

/** Problems between the port map, the categories and the list of deliberately unmatched pairs. */
export function vocabularyProblems(
  ports: readonly PortCommodityRow[],
  rules: readonly CategoryRule[],
  unmatched: readonly UnmatchedRow[],
): string[] {
  const problems: string[] = [];
  const parentOf = new Map<string, string | null>();
  for (const r of rules) if (r.scheme === PORT_SCHEME) parentOf.set(r.category, r.parent);
  const listed = (side: string) => new Set(unmatched.filter((u) => u.side === side).map((u) => u.name));
  const portUnmatched = listed('port');
  const hsUnmatched = listed('hs');

  const seen = new Set<string>();
  for (const u of unmatched) {
    const key = `${u.side}|${u.name}`;
    if (u.side !== 'port' && u.side !== 'hs')
      problems.push(`category-unmatched.csv: side "${u.side}" of ${u.name} is neither port nor hs.`);
    if (u.reason.trim() === '') problems.push(`category-unmatched.csv: ${u.side} ${u.name} gives no reason.`);
    if (seen.has(key)) problems.push(`category-unmatched.csv: ${u.side} ${u.name} is listed twice.`);
    seen.add(key);
  }

  // Port side: each category is an HS category; each commodity without one is listed.
  const commodities = new Map<string, Set<string>>();
  for (const p of ports) {
    const set = commodities.get(p.commodity) ?? new Set<string>();
    set.add(p.category ?? '');
    commodities.set(p.commodity, set);
    if (p.category !== null && !parentOf.has(p.category))
      problems.push(
        `port-commodities.csv: label "${p.label}" has category "${p.category}", which is not a ${PORT_SCHEME} category of categories.csv.`,
      );
  }
  for (const [commodity, categories] of commodities) {
    if (categories.size > 1)
      problems.push(
        `port-commodities.csv: commodity ${commodity} has several categories (${[...categories].join(', ')}); give its labels one.`,
      );
    const uncategorised = categories.has('');
    if (uncategorised && !portUnmatched.has(commodity))
      problems.push(
        `port commodity ${commodity} has no category: give it one of categories.csv or list it in category-unmatched.csv (side port) with a reason.`,
      );
    if (!uncategorised && portUnmatched.has(commodity))
      problems.push(
        `category-unmatched.csv lists port commodity ${commodity}, which has a category: remove the line.`,
      );
  }
  for (const name of portUnmatched)
    if (!commodities.has(name))
      problems.push(
        `category-unmatched.csv lists port commodity ${name}, which port-commodities.csv does not have.`,
      );

  // HS side: a category is carried when a port commodity maps to it or to a category under it
  // (port tonnes count upwards, wheat in grain, as the HS codes do).
  const carried = new Set<string>();
  for (const p of ports) {
    let category = p.category;
    const chain = new Set<string>();
    while (category !== null && category !== undefined && !chain.has(category)) {
      chain.add(category);
      carried.add(category);
      category = parentOf.get(category) ?? null;
    }
  }
  for (const category of parentOf.keys()) {
    if (!carried.has(category) && !hsUnmatched.has(category))
      problems.push(
        `HS category ${category} has no port counterpart: map a port label to it in port-commodities.csv or list it in category-unmatched.csv (side hs) with a reason.`,
      );
    if (carried.has(category) && hsUnmatched.has(category))
      problems.push(
        `category-unmatched.csv lists HS category ${category}, which port labels carry: remove the line.`,
      );
  }
  for (const name of hsUnmatched)
    if (!parentOf.has(name))
      problems.push(`category-unmatched.csv lists HS category ${name}, which categories.csv does not have.`);
  return problems;
}

/**
 * Port labels whose HS heading shares no code with their category in `edition` (Coke, 2704,
 * is not coal, 2701): the two columns of port-commodities.csv must tell one story.
 */
export function headingMismatches(
  ports: readonly PortCommodityRow[],
  memberships: readonly { edition: string; code: string; scheme: string; category: string }[],
  edition: string,
): string[] {
  const codesOf = new Map<string, string[]>();
  for (const m of memberships) {
    if (m.edition !== edition || m.scheme !== PORT_SCHEME) continue;
    const codes = codesOf.get(m.category) ?? [];
    codes.push(m.code);
    codesOf.set(m.category, codes);
  }
  return ports
    .filter((p) => p.category !== null && p.hs_heading !== null)
    .filter((p) => {
      const heading = p.hs_heading!;
      return !(codesOf.get(p.category!) ?? []).some((c) => c.startsWith(heading) || heading.startsWith(c));
    })
    .map(
      (p) =>
        `port-commodities.csv: label "${p.label}" (HS ${p.hs_heading}) shares no code with category ${p.category}.`,
    );
}

/**
 * Include and exclude codes of each rule that the nomenclature of an edition the rule claims
 * does not hold, as "category edition code" (a rule for all editions is checked in each).
 */
export function nomenclatureGaps(
  rules: readonly CategoryRule[],
  codes: ReadonlyMap<string, ReadonlyMap<string, HsCodeRow>>,
): string[] {
  const gaps: string[] = [];
  for (const rule of rules) {
    // All editions, not the union kept for files that state none.
    const editions = rule.editions ?? [...codes.keys()].filter((e) => e !== UNSTATED_EDITION);
    for (const edition of editions) {
      const nomenclature = codes.get(edition);
      if (nomenclature === undefined) {
        gaps.push(`${rule.category} ${edition} (no such edition)`);
        continue;
      }
      for (const code of [...rule.include, ...rule.exclude])
        if (!nomenclature.has(code)) gaps.push(`${rule.category} ${edition} ${code}`);
    }
  }
  return gaps;
}
