/**
 * The real codes the generated inputs draw from, so that nothing is rejected for being made up:
 * countries from Corridor's own reference (one numeric code per country, the Comtrade code where
 * Comtrade has its own, as BACI does: 842 USA, 699 India), and HS2017 subheadings from the
 * shared HS list beside the clone, or from the bundled samples when that list is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

export interface Country {
  readonly code: number;
  readonly iso3: string;
  readonly iso2: string;
  readonly name: string;
}

export interface Product {
  /** Six digits with leading zeros: `030613`. */
  readonly code: string;
  readonly description: string;
}

export interface CodePools {
  /** Sorted by numeric code, as BACI files are. */
  readonly countries: readonly Country[];
  /** Sorted by code. */
  readonly products: readonly Product[];
  /** Which HS list was used, for the report and the cache key. */
  readonly hsSource: string;
}

/** Inputs must stay valid for every generated year (2015–2023). */
const EARLIEST_YEAR = 2015;

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  // Everything stays text: Namibia's alpha-2 "NA" and codes such as "004" must survive.
  return Papa.parse<Row>(text, { header: true, skipEmptyLines: true, dynamicTyping: false }).data;
}

const blank = (v: string | undefined) => v === undefined || v.trim() === '';

function loadCountries(root: string): Country[] {
  const reference = join(root, 'warehouse', 'reference');
  const rows = readCsv(join(reference, 'countries.csv')).filter(
    (r) => r.kind === 'country' && !blank(r.iso_numeric),
  );
  const isoNumeric = new Map<string, string>(rows.map((r) => [r.iso_numeric!.trim(), r.iso3!.trim()]));
  const comtrade = new Map<string, string>();
  const preferred = new Map<string, number>();
  for (const r of readCsv(join(reference, 'comtrade-areas.csv'))) {
    const code = r.comtrade_code!.trim();
    comtrade.set(code, r.iso3!.trim());
    const current = blank(r.last_year) && (blank(r.first_year) || Number(r.first_year) <= EARLIEST_YEAR);
    if (current) preferred.set(r.iso3!.trim(), Number(code));
  }
  // The same lookup Corridor does (Comtrade code first, then ISO numeric): a code that
  // resolves to another country would turn a valid-looking row into a reject or a duplicate.
  const resolves = (code: number) =>
    comtrade.get(String(code)) ?? isoNumeric.get(String(code).padStart(3, '0'));
  const countries: Country[] = [];
  for (const r of rows) {
    const iso3 = r.iso3!.trim();
    const code = preferred.get(iso3) ?? Number(r.iso_numeric);
    if (resolves(code) !== iso3) continue;
    countries.push({ code, iso3, iso2: r.iso2?.trim() ?? '', name: r.name!.trim() });
  }
  return countries.sort((a, b) => a.code - b.code);
}

function loadProducts(root: string): { products: Product[]; hsSource: string } {
  const shared = join(root, '..', 'shared', 'data', 'hs', 'hs2017_harmonized-system.csv');
  const byCode = new Map<string, string>();
  let hsSource: string;
  if (existsSync(shared)) {
    for (const r of readCsv(shared)) {
      const code = r.hscode?.trim() ?? '';
      // Level-6 rows, minus Comtrade's own "999999 not specified" under section TOTAL.
      if (r.level === '6' && /^\d{6}$/.test(code) && r.section !== 'TOTAL')
        byCode.set(code, r.description ?? '');
    }
    hsSource = `../shared/data/hs/hs2017_harmonized-system.csv (${byCode.size} HS2017 subheadings)`;
  } else {
    const baci = join(root, 'sources', 'baci', 'samples', 'product_codes_HS17_V202401b.csv');
    for (const r of readCsv(baci)) if (/^\d{6}$/.test(r.code ?? '')) byCode.set(r.code!, r.description ?? '');
    const comtradeDir = join(root, 'sources', 'comtrade', 'samples');
    for (const file of readdirSync(comtradeDir).filter((f) => f.endsWith('.csv'))) {
      for (const r of readCsv(join(comtradeDir, file)))
        if (/^\d{6}$/.test(r.cmdCode ?? '')) byCode.set(r.cmdCode!, r.cmdDesc ?? '');
    }
    hsSource = `fallback: codes of the bundled samples (${byCode.size} HS2017 subheadings; ../shared/data/hs/ not found)`;
  }
  const products = [...byCode].map(([code, description]) => ({ code, description }));
  return { products: products.sort((a, b) => a.code.localeCompare(b.code)), hsSource };
}

export function loadCodePools(root: string): CodePools {
  const { products, hsSource } = loadProducts(root);
  return { countries: loadCountries(root), products, hsSource };
}
