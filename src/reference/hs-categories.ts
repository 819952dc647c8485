/**
 * Commodity categories as data (warehouse/reference/categories.csv): the rules, and which codes
 * of each edition fall in each category (DOMAIN.md §3).
 */
import { type HsCodeRow, UNSTATED_EDITION } from './hs-model.ts';

export interface CategoryRule {
  readonly scheme: string;
  readonly category: string;
  readonly name: string;
  readonly parent: string | null;
  readonly note: string | null;
  /** Editions the rule applies to; null for all. */
  readonly editions: readonly string[] | null;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Parses categories.csv rows into rules. */
export function parseCategoryRules(rows: readonly Record<string, string>[]): CategoryRule[] {
  const words = (text: string | undefined) => (text ?? '').split(/\s+/).filter((w) => w !== '');
  return rows.map((r) => ({
    scheme: (r.scheme ?? '').trim(),
    category: (r.category ?? '').trim(),
    name: (r.name ?? '').trim(),
    parent: (r.parent ?? '').trim() || null,
    note: (r.note ?? '').trim() || null,
    editions: words(r.editions).length === 0 ? null : words(r.editions),
    include: words(r.include),
    exclude: words(r.exclude),
  }));
}

/**
 * Every (edition, code, scheme, category) a code falls in: under an included prefix, and neither
 * under nor above an excluded one (chapter 50 is not all yarn and fabric when 5001 is a fibre).
 */
export function assignCategories(
  codes: ReadonlyMap<string, ReadonlyMap<string, HsCodeRow>>,
  rules: readonly CategoryRule[],
): { edition: string; code: string; scheme: string; category: string }[] {
  const out: { edition: string; code: string; scheme: string; category: string }[] = [];
  const seen = new Set<string>();
  for (const [edition, editionCodes] of codes) {
    const applicable = rules.filter(
      (r) => r.editions === null || edition === UNSTATED_EDITION || r.editions.includes(edition),
    );
    for (const code of editionCodes.keys()) {
      for (const rule of applicable) {
        if (!rule.include.some((p) => code.startsWith(p))) continue;
        // Excluded: the code lies in an excluded prefix, or (a chapter or heading) holds one,
        // so that only part of it is in the category.
        if (rule.exclude.some((p) => code.startsWith(p) || p.startsWith(code))) continue;
        const key = `${edition}|${code}|${rule.scheme}|${rule.category}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ edition, code, scheme: rule.scheme, category: rule.category });
      }
    }
  }
  return out;
}
