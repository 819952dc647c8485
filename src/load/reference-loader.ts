/**
 * Loads the reference data shipped in warehouse/reference/ into the warehouse. Each file is
 * recorded with its sha256 in `reference_files`, so a file is reloaded only when it changed
 * (a new release of Corridor), and always inside one transaction.
 */
import { deferForeignKeys, insertRows, type ReferenceValue } from '../db/reference-writes.ts';
import { WarehouseError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';
import {
  type CsvRow,
  cellOrNull,
  type ReferenceSummary,
  readReferenceCsv,
  recordReferenceFiles,
} from './reference-files.ts';

export type { ReferenceSummary };

import type { Warehouse } from '../db/warehouse.ts';

/**
 * The reference files the country tables are built from, in load order. The curated aliases come
 * in two files that load alike: `country-aliases.csv` holds the English, Comtrade, IMF and World
 * Bank forms (and the first Russian spellings keyed), `country-aliases-ru.csv` the further Russian
 * spellings of the CIS statistics bureaus, in their own file sorted by area so they can be checked
 * and extended without touching the English list. A name may not mean two areas across them.
 */
const COUNTRY_FILES = [
  'countries.csv',
  'comtrade-areas.csv',
  'country-aliases.csv',
  'country-aliases-ru.csv',
] as const;

/** The kinds of area countries.csv may name (src/normalize/country-resolver.ts, AreaKind). */
const AREA_KINDS: ReadonlySet<string> = new Set(['country', 'special', 'group', 'historical']);

const yearOrNull = (text: string | undefined): number | null => {
  const value = cellOrNull(text);
  return value === null ? null : Number.parseInt(value, 10);
};

/**
 * The aliases of all alias files by folded key. Two spellings that fold alike and name
 * different areas would make the result depend on file order, so they are refused.
 */
function curatedAliases(
  aliasFiles: readonly { file: string; rows: readonly CsvRow[] }[],
): Map<string, { name: string; iso3: string; file: string }> {
  const aliases = new Map<string, { name: string; iso3: string; file: string }>();
  for (const { file, rows } of aliasFiles) {
    for (const r of rows) {
      const key = foldName(r.alias ?? '');
      if (key === '') continue;
      const alias = { name: r.alias!.trim(), iso3: r.iso3!.trim(), file };
      const seen = aliases.get(key);
      if (seen !== undefined && seen.iso3 !== alias.iso3) {
        throw new WarehouseError(
          `Country aliases "${seen.name}" (${seen.iso3}, ${seen.file}) and "${alias.name}" (${alias.iso3}, ${file}) are the same name once folded but name different areas; keep one of them.`,
          { code: 'reference_malformed' },
        );
      }
      aliases.set(key, alias);
    }
  }
  return aliases;
}

/** Rows given as objects, all with the same keys in the same order: one bulk insert. */
async function insertObjects(
  warehouse: Warehouse,
  table: string,
  rows: readonly Record<string, ReferenceValue>[],
): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  await insertRows(
    warehouse,
    table,
    columns,
    rows.map((r) => columns.map((c) => r[c] ?? null)),
  );
}

/** Loads the country reference when any of its files changed since the last load. */
export async function loadReferenceData(warehouse: Warehouse): Promise<ReferenceSummary> {
  const files = COUNTRY_FILES.map((file) => ({ file, ...readReferenceCsv(file) }));
  const known = await warehouse.db.selectFrom('reference_files').select(['file', 'sha256']).execute();
  const current = new Map(known.map((k) => [k.file, k.sha256]));
  if (files.every((f) => current.get(f.file) === f.sha256)) return { loaded: [] };

  const [countries, comtradeAreas, ...aliasFiles] = files as [
    (typeof files)[number],
    (typeof files)[number],
    ...(typeof files)[number][],
  ];
  const aliases = curatedAliases(aliasFiles);
  await warehouse.db.transaction().execute(async (trx) => {
    // Loaded rows point at countries (baci_country_codes): the reference is replaced whole, so
    // those links are checked once at the end, against the new reference, not row by row.
    await deferForeignKeys(warehouse);
    await trx.deleteFrom('country_names').execute();
    await trx.deleteFrom('country_codes').execute();
    await trx.deleteFrom('countries').execute();

    for (const r of countries.rows) {
      if (!AREA_KINDS.has(r.kind?.trim() ?? '')) {
        throw new WarehouseError(
          `countries.csv: ${r.iso3} has kind "${r.kind ?? ''}"; use one of ${[...AREA_KINDS].join(', ')} (warehouse/reference/README.md says what each means).`,
          { code: 'reference_malformed' },
        );
      }
    }
    const countryRows = countries.rows.map((r) => ({
      iso3: r.iso3!.trim(),
      iso2: cellOrNull(r.iso2),
      iso_numeric: cellOrNull(r.iso_numeric),
      m49: cellOrNull(r.m49),
      name: r.name!.trim(),
      official_name: cellOrNull(r.official_name),
      name_ru: cellOrNull(r.name_ru),
      region: cellOrNull(r.region),
      sub_region: cellOrNull(r.sub_region),
      is_lldc: r.is_lldc === '1' ? 1 : 0,
      kind: r.kind!.trim(),
    }));
    await insertObjects(warehouse, 'countries', countryRows);

    const codes = new Map<
      string,
      {
        scheme: string;
        code: string;
        iso3: string;
        first_year: number | null;
        last_year: number | null;
        name: string | null;
      }
    >();
    const addCode = (
      scheme: string,
      code: string | null,
      iso3: string,
      name: string | null,
      first: number | null = null,
      last: number | null = null,
    ) => {
      if (code === null) return;
      codes.set(`${scheme}:${code}`, { scheme, code, iso3, first_year: first, last_year: last, name });
    };
    for (const c of countryRows) {
      addCode('iso2', c.iso2, c.iso3, c.name);
      addCode('iso_numeric', c.iso_numeric, c.iso3, c.name);
      addCode('m49', c.m49, c.iso3, c.name);
    }
    for (const r of comtradeAreas.rows) {
      addCode(
        'comtrade',
        r.comtrade_code!.trim(),
        r.iso3!.trim(),
        cellOrNull(r.name),
        yearOrNull(r.first_year),
        yearOrNull(r.last_year),
      );
    }
    const codeRows = [...codes.values()];
    await insertObjects(warehouse, 'country_codes', codeRows);

    // Names: the reference's own names first; a name shared by two countries is ambiguous and
    // left out unless an alias settles it. Aliases are curated and win.
    const names = new Map<string, { name: string; iso3: string; origin: string } | 'ambiguous'>();
    for (const c of countryRows) {
      for (const name of [c.name, c.official_name, c.name_ru, c.iso3]) {
        if (name === null) continue;
        const key = foldName(name);
        if (key === '') continue;
        const seen = names.get(key);
        if (seen === undefined) names.set(key, { name, iso3: c.iso3, origin: 'reference' });
        else if (seen !== 'ambiguous' && seen.iso3 !== c.iso3) names.set(key, 'ambiguous');
      }
    }
    for (const [key, { name, iso3 }] of aliases) names.set(key, { name, iso3, origin: 'alias' });
    const nameRows = [...names.entries()].flatMap(([name_key, v]) =>
      v === 'ambiguous' ? [] : [{ name_key, ...v }],
    );
    await insertObjects(warehouse, 'country_names', nameRows);

    const dropped = await trx
      .selectFrom('baci_country_codes')
      .select(['code', 'iso3'])
      .where('iso3', 'not in', trx.selectFrom('countries').select('iso3'))
      .execute();
    if (dropped.length > 0) {
      throw new WarehouseError(
        `The new country reference no longer lists ${dropped.map((d) => `${d.iso3} (BACI code ${d.code})`).join(', ')}, which loaded BACI rows use. The reference was not changed; put the country back in warehouse/reference/countries.csv.`,
        { code: 'reference_conflict' },
      );
    }

    await recordReferenceFiles(trx, files);
  });
  return { loaded: files.map((f) => ({ file: f.file, rows: f.rows.length })) };
}
