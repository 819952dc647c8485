/**
 * Writes BACI-layout files: `t,i,j,k,v,q` sorted by exporter, importer and product as CEPII
 * ships them, plus the country and product code lists BACI puts beside each data file.
 * Every (t,i,j,k) is unique by construction (a sorted sample of products per country pair).
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { apportion, csvCell, fixed3, mulberry32, selectSorted, skewedMilli } from '../shared/prng.ts';
import type { CodePools } from './reference-codes.ts';

export const BACI_VERSION_TAG = 'V202401b';

export const baciFileName = (year: number) => `BACI_HS17_Y${year}_${BACI_VERSION_TAG}.csv`;

export interface BaciSpec {
  readonly year: number;
  readonly rows: number;
  /**
   * The same rows with every value changed: a revised release of the year, for slice
   * replacement. Keys and row order stay identical; only v and q differ.
   */
  readonly revised?: boolean;
  /**
   * A revision that touches only some rows: every n-th data row (the n-th, 2n-th…) has its v
   * multiplied by 1.01 (at least one thousandth more), written in the same format; every other
   * byte is that of the file without it, since the change draws nothing from the generator.
   */
  readonly reviseEvery?: number;
}

/** Rows are written in batches: one write per ~64k rows keeps syscalls out of the timing. */
const BATCH_ROWS = 65_536;

/** Writes the two code lists Corridor reads from beside a BACI data file. */
export function writeBaciCompanions(dir: string, pools: CodePools): void {
  const countries = pools.countries.map((c) => `${c.code},${csvCell(c.name)},${csvCell(c.iso2)},${c.iso3}`);
  writeFileSync(
    join(dir, `country_codes_${BACI_VERSION_TAG}.csv`),
    `country_code,country_name,country_iso2,country_iso3\n${countries.join('\n')}\n`,
  );
  const products = pools.products.map((p) => `${p.code},${csvCell(p.description)}`);
  writeFileSync(
    join(dir, `product_codes_HS17_${BACI_VERSION_TAG}.csv`),
    `code,description\n${products.join('\n')}\n`,
  );
}

/** Writes one BACI year; returns the number of data rows written. */
export function writeBaciFile(path: string, spec: BaciSpec, pools: CodePools): number {
  const { countries, products } = pools;
  const pairs = countries.length * (countries.length - 1);
  // Country weights do not depend on the year: the same economies trade most every year.
  const weightRng = mulberry32(0xba01);
  const weights = countries.map(() => 0.25 + weightRng());
  const pairWeights: number[] = [];
  for (let a = 0; a < countries.length; a++)
    for (let b = 0; b < countries.length; b++) if (a !== b) pairWeights.push(weights[a]! * weights[b]!);
  // Weights span at most 1.25²/0.25² around a mean of 0.75², so no pair asks for more than
  // 3× its even share; a third of the capacity keeps every pair within its product list.
  if (spec.rows > (pairs * products.length) / 3) {
    throw new Error(
      `Cannot draw ${spec.rows} distinct BACI rows from ${countries.length} countries and ${products.length} products (${pools.hsSource}); put the HS2017 list in ../shared/data/hs/ or use --quick.`,
    );
  }
  const perPair = apportion(spec.rows, pairWeights);

  const rng = mulberry32(0x5eed0000 + spec.year);
  const fd = openSync(path, 'w');
  let batch: string[] = ['t,i,j,k,v,q\n'];
  let written = 0;
  let pair = 0;
  const t = String(spec.year);
  for (let a = 0; a < countries.length; a++) {
    const i = `${t},${countries[a]!.code},`;
    for (let b = 0; b < countries.length; b++) {
      if (a === b) continue;
      const prefix = `${i}${countries[b]!.code},`;
      selectSorted(rng, products.length, perPair[pair++]!, (index) => {
        let v = skewedMilli(rng, 4e9);
        // About 1 % of BACI quantities are unknown: written NA, as CEPII does.
        const unknownQ = rng() < 0.01;
        let q = 1 + Math.floor(v * 2 * rng());
        if (spec.revised) {
          v += 1 + Math.floor(v / 20);
          q += 1 + Math.floor(q / 50);
        }
        if (spec.reviseEvery !== undefined && (written + 1) % spec.reviseEvery === 0)
          v = Math.max(v + 1, Math.round(v * 1.01));
        batch.push(`${prefix}${products[index]!.code},${fixed3(v)},${unknownQ ? 'NA' : fixed3(q)}\n`);
        if (++written % BATCH_ROWS === 0) {
          writeSync(fd, batch.join(''));
          batch = [];
        }
      });
    }
  }
  writeSync(fd, batch.join(''));
  closeSync(fd);
  return written;
}
