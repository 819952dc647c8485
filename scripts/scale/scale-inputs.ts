/**
 * The scale model's input years, generated on first use and cached under
 * `.bench/scale/inputs/<rows per year>/` (git-ignored) with a manifest of the generator version,
 * the HS list and each file's rows and bytes: a year is regenerated only when its file is
 * missing or its size, the version or the HS list changed. Each size has its own folder, so a
 * small development run never evicts the 10M-row years.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baciFileName, writeBaciCompanions } from '../bench/generate-baci.ts';
import { type CodePools, loadCodePools } from '../bench/reference-codes.ts';
import { SCALE_GENERATOR_VERSION, writeScaleBaciYear } from './generate-scale-baci.ts';

interface Manifest {
  version: number;
  hsSource: string;
  files: Record<string, { rows: number; bytes: number }>;
}

export interface ScaleYearFile {
  readonly year: number;
  readonly path: string;
  /** Data rows actually written (the target ± a few thousand). */
  readonly rows: number;
  readonly bytes: number;
}

const COMPANIONS = 'companions';

export function scaleInputDir(root: string, rowsPerYear: number): string {
  return join(root, '.bench', 'scale', 'inputs', String(rowsPerYear));
}

/** Returns the year files (generating those missing) with their code lists beside them. */
export function ensureScaleInputs(
  root: string,
  rowsPerYear: number,
  years: readonly number[],
  log: (line: string) => void,
): ScaleYearFile[] {
  const dir = scaleInputDir(root, rowsPerYear);
  mkdirSync(dir, { recursive: true });
  const pools: CodePools = loadCodePools(root);
  const manifestPath = join(dir, 'manifest.json');
  let manifest: Manifest = { version: SCALE_GENERATOR_VERSION, hsSource: pools.hsSource, files: {} };
  if (existsSync(manifestPath)) {
    const saved = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (saved.version === SCALE_GENERATOR_VERSION && saved.hsSource === pools.hsSource) manifest = saved;
  }
  const record = (name: string, rows: number, bytes: number) => {
    manifest.files[name] = { rows, bytes };
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  };
  const fresh = (name: string, path: string) => {
    const entry = manifest.files[name];
    return entry !== undefined && existsSync(path) && statSync(path).size === entry.bytes;
  };

  const productList = join(dir, 'product_codes_HS17_V202401b.csv');
  if (!fresh(COMPANIONS, productList)) {
    writeBaciCompanions(dir, pools);
    record(COMPANIONS, pools.products.length, statSync(productList).size);
  }
  return years.map((year) => {
    const name = baciFileName(year);
    const path = join(dir, name);
    if (!fresh(name, path)) {
      log(`generating ${name} (about ${rowsPerYear.toLocaleString('en-US')} rows) in ${dir}…`);
      const started = performance.now();
      // A temporary name, renamed when complete: an interrupted run never leaves a truncated
      // file that a later run would take for a cached one.
      const partial = `${path}.partial`;
      const rows = writeScaleBaciYear(partial, { year, rows: rowsPerYear }, pools);
      renameSync(partial, path);
      record(name, rows, statSync(path).size);
      log(
        `  ${rows.toLocaleString('en-US')} rows, ${(statSync(path).size / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const entry = manifest.files[name]!;
    return { year, path, rows: entry.rows, bytes: entry.bytes };
  });
}
