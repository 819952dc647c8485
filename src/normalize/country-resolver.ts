/**
 * Resolves the ways files name a country (Comtrade numeric area codes, ISO alpha-3 and alpha-2,
 * names in English, Russian, Kazakh, Kyrgyz or Uzbek) to the warehouse's `iso3`. Built once per
 * load from the reference tables, then used as plain in-memory maps on the row path.
 *
 * Every answer says what kind of area it is (`countries.kind`): a bureau's groupings ("Страны
 * СНГ", "The EU", "Европа") resolve to their group codes (`_CIS`, `EUR`, `_EUROPE`) with kind
 * `group`, so a source can store such a row under its code; the indicators keep groups out of
 * every partner sum, share and count (warehouse/indicators/trade-inputs.ts).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import { BoundedCache } from './bounded-cache.ts';
import { foldName } from './fold-name.ts';

export interface CountryQuery {
  /** A numeric area code in the given scheme (Comtrade by default). */
  readonly code?: string | null;
  readonly iso?: string | null;
  readonly name?: string | null;
  /** The row's year, for codes valid only in some years (588 Pakistan until 1971). */
  readonly year?: number;
}

/**
 * A role's last query, field by field, and its answer: updated in place, as partners change
 * nearly every row. An absent field and a null one ask the same (keyPart).
 */
class LastQuery {
  code: string | null = null;
  iso: string | null = null;
  name: string | null = null;
  year: number | undefined = undefined;
  resolution: CountryResolution | null = null;

  answers(query: CountryQuery): boolean {
    return (
      this.resolution !== null &&
      this.code === (query.code ?? null) &&
      this.iso === (query.iso ?? null) &&
      this.name === (query.name ?? null) &&
      this.year === query.year
    );
  }

  remember(query: CountryQuery, resolution: CountryResolution): void {
    this.code = query.code ?? null;
    this.iso = query.iso ?? null;
    this.name = query.name ?? null;
    this.year = query.year;
    this.resolution = resolution;
  }
}

/**
 * What an area is (warehouse/reference/README.md): a `country` (ISO 3166), a `special` partner
 * (World `W00`, areas n.e.s. `_X`, bunkers, international organisations: parts of the world that
 * are not countries), a `group` of countries (the EU, the CIS, a continent as a table groups it:
 * its members are counted elsewhere) or a `historical` area (the USSR).
 */
export type AreaKind = 'country' | 'special' | 'group' | 'historical';

export type CountryResolution =
  | { readonly iso3: string; readonly kind: AreaKind }
  | { readonly problem: 'unknown' | 'inconsistent'; readonly message: string };

export interface CountrySnapshot {
  readonly iso3: readonly (readonly [string, string])[];
  readonly kinds: readonly (readonly [string, AreaKind])[];
  readonly codes: readonly (readonly [string, { iso3: string; first: number | null; last: number | null }])[];
  readonly names: readonly (readonly [string, string])[];
}

export class CountryResolver {
  readonly #iso3: ReadonlyMap<string, string>;
  readonly #kinds: ReadonlyMap<string, AreaKind>;
  readonly #codes: ReadonlyMap<string, { iso3: string; first: number | null; last: number | null }>;
  readonly #names: ReadonlyMap<string, string>;
  /**
   * Answers already given, by query: a file names a few hundred areas over millions of rows,
   * and each answer costs several map lookups and a regular expression.
   */
  readonly #resolved = new BoundedCache<string, CountryResolution>(16_384);
  /** The last query of each role (reporter, partner) and its answer. */
  readonly #lastOfRole = new Map<string, LastQuery>();

  private constructor(
    iso3: ReadonlyMap<string, string>,
    kinds: ReadonlyMap<string, AreaKind>,
    codes: ReadonlyMap<string, { iso3: string; first: number | null; last: number | null }>,
    names: ReadonlyMap<string, string>,
  ) {
    this.#iso3 = iso3;
    this.#kinds = kinds;
    this.#codes = codes;
    this.#names = names;
  }

  /** Plain data a worker thread can receive and rebuild the resolver from. */
  toSnapshot(): CountrySnapshot {
    return {
      iso3: [...this.#iso3],
      kinds: [...this.#kinds],
      codes: [...this.#codes],
      names: [...this.#names],
    };
  }

  static fromSnapshot(snapshot: CountrySnapshot): CountryResolver {
    return new CountryResolver(
      new Map(snapshot.iso3),
      new Map(snapshot.kinds),
      new Map(snapshot.codes),
      new Map(snapshot.names),
    );
  }

  static async load(db: Kysely<DB>): Promise<CountryResolver> {
    // One after another: the warehouse has one connection, and PostgreSQL's client takes one query at a time.
    const countries = await db.selectFrom('countries').select(['iso3', 'name', 'kind']).execute();
    const codes = await db
      .selectFrom('country_codes')
      .select(['scheme', 'code', 'iso3', 'first_year', 'last_year'])
      .execute();
    const names = await db.selectFrom('country_names').select(['name_key', 'iso3']).execute();
    return new CountryResolver(
      new Map(countries.map((c) => [c.iso3, c.name])),
      new Map(countries.map((c) => [c.iso3, kindOfText(c.kind)])),
      new Map(
        codes.map((c) => [`${c.scheme}:${c.code}`, { iso3: c.iso3, first: c.first_year, last: c.last_year }]),
      ),
      new Map(names.map((n) => [n.name_key, n.iso3])),
    );
  }

  /** The country's display name, for messages. */
  nameOf(iso3: string): string {
    return this.#iso3.get(iso3) ?? iso3;
  }

  /** What kind of area a code of the reference is; null for a code it does not list. */
  kindOf(iso3: string): AreaKind | null {
    return this.#kinds.get(iso3) ?? null;
  }

  /** A grouping of countries (the EU, the CIS, a continent): stored under its code, never summed with its members. */
  isGroup(iso3: string): boolean {
    return this.#kinds.get(iso3) === 'group';
  }

  /** A numeric area code: the scheme's own codes first (Comtrade 842 = USA), then ISO numeric. */
  fromCode(code: string, scheme: 'comtrade' | 'iso_numeric' = 'comtrade'): string | null {
    const own = this.#codes.get(`${scheme}:${code}`);
    if (own !== undefined) return own.iso3;
    if (!/^\d{1,3}$/.test(code)) return null;
    return this.#codes.get(`iso_numeric:${code.padStart(3, '0')}`)?.iso3 ?? null;
  }

  /** An ISO alpha-3 or alpha-2 code, or a Comtrade special code (`W00`, `_X`, `S19`). */
  fromIso(text: string): string | null {
    const code = text.trim().toUpperCase();
    if (this.#iso3.has(code)) return code;
    if (code.length === 2) return this.#codes.get(`iso2:${code}`)?.iso3 ?? null;
    return null;
  }

  /**
   * Comtrade retires area codes (588 East and West Pakistan until 1971, 842 USA from 1981);
   * a code used outside its years is a coding error in the file, not a country.
   */
  #outOfYears(code: string, year: number): string | null {
    const own = this.#codes.get(`comtrade:${code}`);
    if (own === undefined) return null;
    if ((own.first !== null && year < own.first) || (own.last !== null && year > own.last)) {
      const span =
        own.first !== null && own.last !== null
          ? `${own.first} to ${own.last}`
          : own.first !== null
            ? `from ${own.first}`
            : `until ${own.last}`;
      return `(${this.nameOf(own.iso3)}) is a UN Comtrade area code valid ${span}, not in ${year}. Check the reporter or partner code column.`;
    }
    return null;
  }

  fromName(text: string): string | null {
    return this.#names.get(foldName(text)) ?? null;
  }

  /**
   * Resolves a row's reporter or partner from whatever the file gives. The numeric code wins
   * (it tells 588 from 586); an ISO code that names another country makes the row inconsistent.
   */
  resolve(query: CountryQuery, what: string): CountryResolution {
    // A file sorted by reporter asks the same reporter row after row: the last answer of each
    // role is checked first, field by field, before a key is built and looked up.
    let last = this.#lastOfRole.get(what);
    if (last !== undefined && last.answers(query)) return last.resolution!;
    const key = `${what}\u0000${keyPart(query.code)}\u0000${keyPart(query.iso)}\u0000${keyPart(query.name)}\u0000${query.year ?? ''}`;
    const resolution = this.#resolved.get(key, () => this.#resolve(query, what));
    if (last === undefined) {
      last = new LastQuery();
      this.#lastOfRole.set(what, last);
    }
    last.remember(query, resolution);
    return resolution;
  }

  #resolve(query: CountryQuery, what: string): CountryResolution {
    const outOfYears =
      query.code == null || query.year === undefined ? null : this.#outOfYears(query.code, query.year);
    if (outOfYears !== null)
      return { problem: 'unknown', message: `${what} code ${query.code} ${outOfYears}` };
    const byCode = query.code == null ? null : this.fromCode(query.code);
    const byIso = query.iso == null ? null : this.fromIso(query.iso);
    if (byCode !== null && byIso !== null && byCode !== byIso) {
      return {
        problem: 'inconsistent',
        message: `${what} code ${query.code} is ${this.nameOf(byCode)} (${byCode}) but the ISO column says ${JSON.stringify(query.iso)}; fix whichever is wrong.`,
      };
    }
    const iso3 = byCode ?? byIso ?? (query.name == null ? null : this.fromName(query.name));
    if (iso3 !== null) return { iso3, kind: this.#kinds.get(iso3) ?? 'country' };
    const given = [
      query.code == null ? null : `code ${query.code}`,
      query.iso == null ? null : `ISO ${JSON.stringify(query.iso)}`,
      query.name == null ? null : `name ${JSON.stringify(query.name)}`,
    ].filter((g) => g !== null);
    return {
      problem: 'unknown',
      message: `${what} ${given.join(', ') || '(empty)'} is not in the country reference. Use a UN Comtrade area code or an ISO 3166 code; for a new name, add it to warehouse/reference/country-aliases.csv.`,
    };
  }
}

/** A query's part in a cache key: null and undefined stand apart from every text. */
const keyPart = (part: string | null | undefined) => (part == null ? '\u0001' : part);

const AREA_KINDS: ReadonlySet<string> = new Set<AreaKind>(['country', 'special', 'group', 'historical']);

/** `countries.kind` as loaded from countries.csv (the reference loader refuses any other word). */
function kindOfText(kind: string): AreaKind {
  return AREA_KINDS.has(kind) ? (kind as AreaKind) : 'special';
}
