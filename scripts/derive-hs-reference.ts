/**
 * Writes warehouse/reference/hs/ from the openly licensed files in ../shared/data (DOMAIN.md §9):
 *
 * - hs2022.csv, hs2017.csv: the HS 2022 and HS 2017 nomenclatures (datasets/harmonized-system,
 *   ODC-PDDL-1.0), with the BOM, the trailing blank line and the TOTAL row dropped.
 * - hs-sections.csv: the 21 sections.
 * - hs-correlations.csv: the links between adjacent HS editions, 2022 back to 1992, from the
 *   Harvard Growth Lab's consolidation of the UN correlation tables (Apache-2.0), with codes
 *   padded back to 6 digits and editions named as Comtrade does (H0…H6). Its SITC rows are left out.
 *
 * The older editions' code lists (H0–H4) are not shipped: the loader derives them from the
 * correlations, whose older side lists every code of the older edition.
 *
 *   npx tsx scripts/derive-hs-reference.ts            (needs ../shared beside the project)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = join(ROOT, '..', 'shared', 'data');
const OUT = join(ROOT, 'warehouse', 'reference', 'hs');

const YEAR_TO_EDITION: Readonly<Record<string, string>> = {
  '1992': 'H0',
  '1996': 'H1',
  '2002': 'H2',
  '2007': 'H3',
  '2012': 'H4',
  '2017': 'H5',
  '2022': 'H6',
};

function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  return parsed.data.filter((r) => Object.values(r).some((v) => (v ?? '').trim() !== ''));
}

function writeCsv(name: string, fields: readonly string[], rows: readonly (readonly string[])[]): void {
  const text = Papa.unparse({ fields: [...fields], data: rows.map((r) => [...r]) }, { newline: '\n' });
  writeFileSync(join(OUT, name), `${text}\n`);
  console.log(`${name}: ${rows.length} rows`);
}

mkdirSync(OUT, { recursive: true });

for (const [file, out] of [
  ['hs2022_harmonized-system.csv', 'hs2022.csv'],
  ['hs2017_harmonized-system.csv', 'hs2017.csv'],
] as const) {
  const rows = readCsv(join(SHARED, 'hs', file)).filter((r) => r.hscode !== 'TOTAL');
  writeCsv(
    out,
    ['section', 'code', 'description', 'parent', 'level'],
    rows.map((r) => [r.section!, r.hscode!, r.description!, r.parent!, r.level!]),
  );
}

writeCsv(
  'hs-sections.csv',
  ['section', 'name'],
  readCsv(join(SHARED, 'hs', 'hs_sections.csv')).map((r) => [r.section!, r.name!]),
);

const correlations: string[][] = [];
for (const r of readCsv(join(SHARED, 'hs-concordance', 'HS_consolidated_comtrade_concordances.csv'))) {
  const [newerYear, olderYear] = (r.adjustment ?? '').split(' to ');
  const newer = YEAR_TO_EDITION[newerYear ?? ''];
  const older = YEAR_TO_EDITION[olderYear ?? ''];
  if (newer === undefined || older === undefined) continue; // HS 1992 → SITC and SITC → SITC
  correlations.push([
    newer,
    r['code.after']!.padStart(6, '0'),
    older,
    r['code.before']!.padStart(6, '0'),
    r.Relationship!,
  ]);
}
writeCsv(
  'hs-correlations.csv',
  ['newer_edition', 'newer_code', 'older_edition', 'older_code', 'relationship'],
  correlations,
);
