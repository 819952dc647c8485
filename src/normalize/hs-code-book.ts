/**
 * Which HS codes exist in which edition, for validating trade rows (issue: a code must exist in
 * its row's edition at its level). Loaded from `hs_codes`; copied into reader threads as a
 * snapshot. Special codes (TOTAL, 99/9999/999999, chapters 98 and 99) pass in every edition.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import { editionName, specialKind } from '../reference/hs-model.ts';

export interface HsCodeBookSnapshot {
  readonly editions: Readonly<Record<string, readonly string[]>>;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = { 2: 'chapter', 4: 'heading', 6: 'subheading' };

export class HsCodeBook {
  readonly #editions: ReadonlyMap<string, ReadonlySet<string>>;

  private constructor(editions: ReadonlyMap<string, ReadonlySet<string>>) {
    this.#editions = editions;
  }

  static async load(db: Kysely<DB>): Promise<HsCodeBook> {
    const rows = await db.selectFrom('hs_codes').select(['edition', 'code']).execute();
    const editions = new Map<string, Set<string>>();
    for (const { edition, code } of rows) {
      let codes = editions.get(edition);
      if (codes === undefined) {
        codes = new Set();
        editions.set(edition, codes);
      }
      codes.add(code);
    }
    return new HsCodeBook(editions);
  }

  static fromSnapshot(snapshot: HsCodeBookSnapshot): HsCodeBook {
    return new HsCodeBook(
      new Map(Object.entries(snapshot.editions).map(([e, codes]) => [e, new Set(codes)])),
    );
  }

  /** The editions the reference holds, `HS` (not stated, the union) among them. */
  get editions(): readonly string[] {
    return [...this.#editions.keys()];
  }

  toSnapshot(): HsCodeBookSnapshot {
    return { editions: Object.fromEntries([...this.#editions].map(([e, codes]) => [e, [...codes]])) };
  }

  /**
   * Null when `code` (already normalized: 2, 4 or 6 digits or TOTAL) exists in `edition`, else
   * why not, naming the edition, for an `unknown_hs_code` reject.
   */
  problem(edition: string, code: string): string | null {
    const codes = this.#editions.get(edition);
    // The common case first: a code of the edition (the special codes' test is a few regular expressions).
    if (codes?.has(code)) return null;
    if (specialKind(code) !== null) return null;
    if (codes === undefined) {
      return `the HS edition ${edition} is not in the reference (${[...this.#editions.keys()].join(', ')}); add its correlation table with corridor reference add-correlation.`;
    }
    const level = LEVEL_NAMES[code.length] ?? 'code';
    return `${code} is not a ${level} of ${editionName(edition)}. Check the code, and the edition the file declares (its classification column; for BACI, its file name).`;
  }
}
