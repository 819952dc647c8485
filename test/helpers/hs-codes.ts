/**
 * Real HS subheadings for fixtures that need many distinct valid codes, read straight from the
 * shipped nomenclature files (warehouse/reference/hs/), independent of Corridor's own reference
 * code. Chapters 98 and 99 are left out: they are special codes, accepted whatever the edition.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const HS_DIR = fileURLToPath(new URL('../../warehouse/reference/hs/', import.meta.url));

const FILES = { H5: 'hs2017.csv', H6: 'hs2022.csv' } as const;
export type ShippedEdition = keyof typeof FILES;

const cache = new Map<ShippedEdition, readonly string[]>();

function subheadingsOf(edition: ShippedEdition): readonly string[] {
  let codes = cache.get(edition);
  if (codes === undefined) {
    const text = readFileSync(HS_DIR + FILES[edition], 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    codes = parsed.data
      .filter((r) => r.level === '6' && /^\d{6}$/.test(r.code ?? '') && !/^9[89]/.test(r.code!))
      .map((r) => r.code!);
    cache.set(edition, codes);
  }
  return codes;
}

/** The first `n` subheadings (6 digits, as text) of `edition`, in nomenclature order, all distinct. */
export function realSubheadings(edition: ShippedEdition, n: number): string[] {
  const all = subheadingsOf(edition);
  if (n > all.length) throw new Error(`${edition} has only ${all.length} subheadings; asked for ${n}`);
  return all.slice(0, n);
}
