/**
 * CEPII BACI: one value per bilateral flow, reconciled from both reporters (DOMAIN.md §1.5).
 * Columns `t,i,j,k,v,q`: year, exporter, importer (BACI numeric codes), HS6 product, value in
 * THOUSANDS of US dollars, quantity in TONNES. Rows are stored as exports (flow X) of the
 * exporter `i` to `j`, valued FOB like BACI itself, in dollars and kilograms.
 *
 * The HS edition and release come from the file name (`BACI_HS17_Y2021_V202401b.csv`); the
 * country and product code lists are read from beside the data file, as BACI ships them
 * (`country_codes_V202401b.csv`, `product_codes_HS17_V202401b.csv`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { SourceFormatError } from '../../src/errors.ts';
import { BoundedCache } from '../../src/normalize/bounded-cache.ts';
import { normalizeHsCode } from '../../src/normalize/hs-code.ts';
import {
  fixedDigits,
  isMissingField,
  plainDecimal,
  plainInteger,
  splitPlainFields,
} from '../../src/read/plain-fields.ts';
import {
  defineTradeSource,
  type FastLineReader,
  type FieldIssue,
  type SourceFile,
  type TradeFlowRow,
} from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';

const columns = {
  t: { label: 'year', aliases: ['t', 'year'] },
  i: { label: 'exporter code', aliases: ['i', 'exporter'] },
  j: { label: 'importer code', aliases: ['j', 'importer'] },
  k: { label: 'product code', aliases: ['k', 'product', 'hs6'] },
  v: { label: 'value (thousand US dollars)', aliases: ['v', 'value'] },
  q: { label: 'quantity (tonnes)', aliases: ['q', 'quantity'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  t: cells.integerCode({ label: 'year', required: true, issue: 'bad_period' }),
  i: cells.integerCode({ label: 'exporter code', required: true, issue: 'unknown_country' }),
  j: cells.integerCode({ label: 'importer code', required: true, issue: 'unknown_country' }),
  k: cells.code({ label: 'product code', required: true }),
  v: cells.number({ label: 'value', required: true, nonNegative: true }),
  q: cells.number({ label: 'quantity', nonNegative: true }),
});

type BaciRow = z.infer<typeof rowSchema>;

/** BACI's HS revision in file names, to Comtrade's edition codes. */
const EDITIONS: Readonly<Record<string, string>> = {
  '92': 'H0',
  '96': 'H1',
  '02': 'H2',
  '07': 'H3',
  '12': 'H4',
  '17': 'H5',
  '22': 'H6',
};

interface BaciFileName {
  readonly edition: string;
  readonly hsTag: string;
  readonly version: string;
}

export function parseBaciFileName(name: string): BaciFileName | null {
  const match = /BACI_HS(\d{2})_Y\d{4}_V(\w+?)(?:_|\.|$)/i.exec(name);
  if (match === null) return null;
  const edition = EDITIONS[match[1]!];
  return edition === undefined ? null : { edition, hsTag: match[1]!, version: match[2]! };
}

function readSmallCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: true,
    dynamicTyping: false,
  }).data;
}

/** The companion file beside `dataPath` whose name starts with `prefix`, preferring `version`. */
function findCompanion(dataPath: string, prefix: string, version: string | null): string | null {
  const dir = dirname(dataPath);
  const candidates = readdirSync(dir).filter(
    (f) => f.toLowerCase().startsWith(prefix.toLowerCase()) && f.toLowerCase().endsWith('.csv'),
  );
  const exact = version === null ? undefined : candidates.find((f) => f.includes(`_V${version}`));
  const chosen = exact ?? (candidates.length === 1 ? candidates[0] : undefined);
  return chosen === undefined ? null : join(dir, chosen);
}

/** Pick the first column present among spellings (BACI renamed them in 2024). */
const pick = (row: Record<string, string>, names: readonly string[]) => {
  for (const n of names) {
    const v = row[n];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return null;
};

/** Distinct product codes remembered per file: every HS edition's subheadings, with room to spare. */
const PRODUCT_CACHE_SIZE = 20_000;

/** Dollars from BACI's thousands, without binary noise (1.234 × 1000 = 1233.9999999999998). */
const thousandsToUnits = (x: number) => Math.round(x * 1e6) / 1e3;

/** What one BACI file's rows are checked against: its edition, country list and product list. */
interface BaciFile {
  readonly edition: string;
  /** ISO alpha-3 of a BACI country code, or null when neither list knows it. */
  countryOf(code: string): string | null;
  unknownCountry(code: string, field: Field, role: string): FieldIssue<Field>;
  /** The product's HS code, or the issue that refuses it. Cached: a year has about 5,000 products. */
  productOf(k: string): string | FieldIssue<Field>;
}

function openBaciFile({ path, name, countries, hsCodes }: SourceFile): BaciFile {
  const fileName = parseBaciFileName(basename(path));
  const edition = fileName?.edition ?? 'HS';

  // BACI country codes mostly follow UN Comtrade (842 USA, 699 India); its own list says.
  const baciCountries = new Map<string, string>();
  const countryList = findCompanion(path, 'country_codes', fileName?.version ?? null);
  if (countryList !== null) {
    for (const r of readSmallCsv(countryList)) {
      const code = pick(r, ['country_code']);
      const iso3 = pick(r, ['country_iso3', 'iso_3digit_alpha']);
      const resolved = iso3 === null ? null : countries.fromIso(iso3);
      if (code !== null && resolved !== null) baciCountries.set(String(Number.parseInt(code, 10)), resolved);
    }
  }
  let productCodes: Set<string> | null = null;
  const productList =
    fileName === null ? null : findCompanion(path, `product_codes_HS${fileName.hsTag}`, fileName.version);
  if (productList !== null) {
    productCodes = new Set();
    for (const r of readSmallCsv(productList)) {
      const code = pick(r, ['code']);
      const hs = code === null ? null : normalizeHsCode(code);
      if (hs !== null && !('problem' in hs)) productCodes.add(hs.code);
    }
    if (productCodes.size === 0) {
      throw new SourceFormatError(
        name,
        'bad_companion',
        `${basename(productList)} lists no product codes; it should have a "code" column. Download it again with the BACI release.`,
      );
    }
  }

  const whereLooked =
    countryList === null ? 'a BACI country list (none found beside the file)' : basename(countryList);
  const products = new BoundedCache<string, string | FieldIssue<Field>>(PRODUCT_CACHE_SIZE);
  const checkProduct = (k: string): string | FieldIssue<Field> => {
    const hs = normalizeHsCode(k);
    if ('problem' in hs) return { code: 'bad_hs_code', field: 'k', message: hs.problem };
    if (hs.level !== 6)
      return {
        code: 'bad_hs_code',
        field: 'k',
        message: `${JSON.stringify(k)} is not a 6-digit code; BACI products are HS subheadings.`,
      };
    if (productList !== null && !productCodes!.has(hs.code))
      return {
        code: 'unknown_hs_code',
        field: 'k',
        message: `${hs.code} is not in ${basename(productList)}; check the file belongs to the same HS revision.`,
      };
    const unknown = hsCodes.problem(edition, hs.code);
    if (unknown !== null) return { code: 'unknown_hs_code', field: 'k', message: unknown };
    return hs.code;
  };

  return {
    edition,
    countryOf: (code) => baciCountries.get(code) ?? countries.fromCode(code),
    unknownCountry: (code, field, role) => ({
      code: 'unknown_country',
      field,
      message: `${role} code ${code} is in neither ${whereLooked} nor the country reference; add the BACI country_codes file of this release beside the data file.`,
    }),
    productOf: (k) => products.get(k, checkProduct),
  };
}

/** Fields of a BACI line, in the fast reader's order. */
const FAST_FIELDS = ['t', 'i', 'j', 'k', 'v', 'q'] as const;

/**
 * BACI lines read in place (a year is ten million of them): a line whose fields are all plainly
 * valid is packed as numbers; any other goes to the general path, which describes its problems.
 * The checks and conversions are the general path's, on numbers instead of strings.
 */
function fastBaciLines(file: SourceFile, columnOf: Readonly<Record<Field, number>>): FastLineReader {
  const baci = openBaciFile(file);
  const at = FAST_FIELDS.map((f) => columnOf[f]);
  const width = Math.max(...at) + 1;
  const [tAt, iAt, jAt, kAt, vAt, qAt] = at as [number, number, number, number, number, number];
  const bounds = new Int32Array(2 * (width + 1));
  // Per code, its ISO code (a string), or null when unknown: looked up once per file.
  const isoOfCode = new Map<number, string | null>();
  const iso = (code: number): string | null => {
    let found = isoOfCode.get(code);
    if (found === undefined) {
      found = baci.countryOf(String(code));
      isoOfCode.set(code, found);
    }
    return found;
  };
  // Per 6-digit product code: 0 not yet checked, 1 valid, 2 refused.
  const productState = new Uint8Array(1_000_000);
  const validProduct = (hs: number): boolean => {
    let state = productState[hs]!;
    if (state === 0) {
      state = typeof baci.productOf(String(hs).padStart(6, '0')) === 'string' ? 1 : 2;
      productState[hs] = state;
    }
    return state === 1;
  };

  // Field i of the line at hand is text[bounds[2i], bounds[2i + 1]).
  const from = (i: number) => bounds[2 * i]!;
  const to = (i: number) => bounds[2 * i + 1]!;
  return (text, start, end, row, packer) => {
    if (splitPlainFields(text, start, end, bounds) !== width) return false;
    const year = plainInteger(text, from(tAt), to(tAt));
    if (year < 1900 || year > 2100) return false;
    const exporter = plainInteger(text, from(iAt), to(iAt));
    const importer = plainInteger(text, from(jAt), to(jAt));
    if (exporter < 0 || importer < 0) return false;
    const exporterIso = iso(exporter);
    const importerIso = iso(importer);
    if (exporterIso === null || importerIso === null) return false;
    const hs = fixedDigits(text, from(kAt), to(kAt), 6);
    if (hs < 0 || !validProduct(hs)) return false;
    const value = plainDecimal(text, from(vAt), to(vAt));
    if (Number.isNaN(value)) return false;
    let weight = Number.NaN;
    if (qAt >= 0 && !isMissingField(text, from(qAt), to(qAt))) {
      const q = plainDecimal(text, from(qAt), to(qAt));
      if (Number.isNaN(q)) return false;
      weight = thousandsToUnits(q);
    }
    packer.addNumbers(
      baci.edition,
      exporter,
      exporterIso,
      year,
      importer,
      importerIso,
      hs,
      thousandsToUnits(value),
      weight,
      row,
    );
    return true;
  };
}

export const baciSource = defineTradeSource<Field, BaciRow>({
  name: 'baci',
  about: {
    dataset:
      'CEPII BACI, International Trade Database at the Product-Level (Gaulier and Zignago, CEPII Working Paper 2010-23)',
    publisher: 'CEPII',
    url: 'http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37',
    licence: {
      id: 'etalab-2.0',
      title:
        'Licence Ouverte / Open Licence 2.0 (Etalab): reuse with attribution to CEPII and the release used',
      url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence',
      redistribution: 'allowed',
      attribution: 'CEPII BACI (Gaulier and Zignago, CEPII Working Paper 2010-23), with the release used',
    },
    illustrative: false,
    fileCovers: 'one HS edition and year: every exporter, importer and product of it',
    flows: ['X'],
    units: ['thousand US dollars', 'tonnes'],
    periods: ['annual'],
  },
  description: 'CEPII BACI (t,i,j,k,v,q), with its country and product code lists beside the data file',
  target: 'trade_flows',
  // BACI's rows fit a narrow table of their own: ten varying columns instead of 27.
  storage: 'baci_flows',
  // A BACI file is one edition-year of every pair and product: what a new release no longer
  // holds of that edition-year is retired.
  coverage: ['edition', 'period'],
  // CEPII names each release in the file name: BACI_HS17_Y2021_V202401b.csv.
  releaseOf: (fileName) => /_(V\d{6}[a-z]?)(?:[._]|$)/i.exec(fileName)?.[1] ?? null,
  columns,
  required: [['t'], ['i'], ['j'], ['k'], ['v']],
  rowSchema,
  fastLines: fastBaciLines,
  begin: (file) => {
    const baci = openBaciFile(file);
    const edition = baci.edition;
    // This runs on every one of millions of rows: nothing is allocated for the issues of a
    // row unless it has some.
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const year = Number(row.t);
      const exporter = baci.countryOf(row.i);
      const importer = baci.countryOf(row.j);
      const product = baci.productOf(row.k);
      if (
        year < 1900 ||
        year > 2100 ||
        exporter === null ||
        importer === null ||
        typeof product !== 'string'
      ) {
        const issues: FieldIssue<Field>[] = [];
        if (year < 1900 || year > 2100)
          issues.push({
            code: 'bad_period',
            field: 't',
            message: `${row.t} is not a year between 1900 and 2100.`,
          });
        if (exporter === null) issues.push(baci.unknownCountry(row.i, 'i', 'exporter'));
        if (importer === null) issues.push(baci.unknownCountry(row.j, 'j', 'importer'));
        if (typeof product !== 'string') issues.push(product);
        return issues;
      }
      const value = thousandsToUnits(row.v);
      return {
        reporter_iso3: exporter,
        reporter_code: row.i,
        partner_iso3: importer,
        partner_code: row.j,
        partner2_iso3: 'W00',
        flow: 'X',
        freq: 'A',
        period: row.t,
        year,
        month: null,
        hs_edition: edition,
        hs_code: product,
        hs_level: 6,
        value_usd: value,
        cif_value_usd: null,
        fob_value_usd: value,
        net_weight_kg: row.q === null ? null : thousandsToUnits(row.q),
        net_weight_estimated: null,
        gross_weight_kg: null,
        qty: null,
        qty_unit_code: null,
        qty_unit: null,
        mode_of_transport: '0',
        customs_procedure: 'C00',
      };
    };
  },
});
