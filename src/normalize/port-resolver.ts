/**
 * Resolves the ways a port table names a port to its UN/LOCODE: the code itself, with or
 * without the space the UN writes ("PK KHI", "PKKHI"), the port's name, or one of its aliases
 * ("KPT", "Bin Qasim"), case, spaces and punctuation ignored. Built once per run from `ports`
 * and `port_aliases` (the bundled reference and what users added with `corridor ports`), then
 * used as plain maps on the row path. What does not resolve is refused with the closest known
 * port, never guessed: "Suape" must not become a port SUAPE.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import { editDistance } from '../validate/header-matcher.ts';
import { foldName } from './fold-name.ts';

export interface KnownPort {
  readonly locode: string;
  readonly name: string;
  readonly countryIso3: string;
  readonly fiscalYearStart: number;
}

export interface PortAlias {
  readonly alias: string;
  readonly locode: string;
}

export type PortResolution =
  | { readonly port: KnownPort; readonly matched: 'code' | 'name' | 'alias' }
  | { readonly problem: 'unknown' | 'ambiguous'; readonly message: string };

/** A UN/LOCODE as written: 2 letters of country, 3 letters or digits of place, maybe a space or hyphen between. */
const WRITTEN_LOCODE = /^([A-Za-z]{2})[\s-]?([A-Za-z0-9]{3})$/;

/** The LOCODE a cell spells, in its stored form (`PKKHI`), or null when it is not shaped like one. */
export function locodeOf(text: string): string | null {
  const match = WRITTEN_LOCODE.exec(text.trim());
  return match === null ? null : `${match[1]}${match[2]}`.toUpperCase();
}

/** Ports a name could mean, for the message when two share it. */
type NameTarget = { readonly locode: string } | { readonly ambiguous: readonly string[] };

export class PortResolver {
  readonly #ports: ReadonlyMap<string, KnownPort>;
  readonly #names: ReadonlyMap<string, NameTarget>;

  private constructor(ports: ReadonlyMap<string, KnownPort>, names: ReadonlyMap<string, NameTarget>) {
    this.#ports = ports;
    this.#names = names;
  }

  /**
   * From ports and aliases. An alias wins over a port's name (it is curated: "Karachi Port" is
   * KPT's); two ports with one name are ambiguous until an alias settles it. An alias to a port
   * that is not listed is ignored here: the loaders refuse to store one.
   */
  static fromEntries(ports: readonly KnownPort[], aliases: readonly PortAlias[]): PortResolver {
    const byCode = new Map(ports.map((p) => [p.locode, p]));
    const names = new Map<string, NameTarget>();
    for (const port of ports) {
      const key = foldName(port.name);
      if (key === '') continue;
      const seen = names.get(key);
      if (seen === undefined) names.set(key, { locode: port.locode });
      else {
        const all = 'locode' in seen ? [seen.locode] : seen.ambiguous;
        if (!all.includes(port.locode)) names.set(key, { ambiguous: [...all, port.locode] });
      }
    }
    for (const alias of aliases) {
      const key = foldName(alias.alias);
      if (key !== '' && byCode.has(alias.locode)) names.set(key, { locode: alias.locode });
    }
    return new PortResolver(byCode, names);
  }

  /** The warehouse's ports and aliases: the bundled reference and what users added. */
  static async load(db: Kysely<DB>): Promise<PortResolver> {
    // One after another: the warehouse has one connection, and PostgreSQL's client takes one query at a time.
    const ports = await db
      .selectFrom('ports')
      .select(['locode', 'name', 'country_iso3', 'fiscal_year_start'])
      .execute();
    const aliases = await db.selectFrom('port_aliases').select(['alias', 'locode']).execute();
    return PortResolver.fromEntries(
      ports.map((p) => ({
        locode: p.locode,
        name: p.name,
        countryIso3: p.country_iso3,
        fiscalYearStart: p.fiscal_year_start,
      })),
      aliases,
    );
  }

  get size(): number {
    return this.#ports.size;
  }

  /** The port of a stored LOCODE. */
  port(locode: string): KnownPort | undefined {
    return this.#ports.get(locode);
  }

  /** What a name or alias points to today, by its folded key; undefined when nothing. */
  named(text: string): KnownPort | 'ambiguous' | undefined {
    const target = this.#names.get(foldName(text));
    if (target === undefined) return undefined;
    return 'locode' in target ? this.#ports.get(target.locode) : 'ambiguous';
  }

  /**
   * A cell's port: a known LOCODE first (so a code is never read as a name), then a name or
   * alias. Five letters that are no known code ("Suape") are tried as a name, and refused if
   * they are none.
   */
  resolve(text: string): PortResolution {
    const code = locodeOf(text);
    const byCode = code === null ? undefined : this.#ports.get(code);
    if (byCode !== undefined) return { port: byCode, matched: 'code' };
    const target = this.#names.get(foldName(text));
    if (target !== undefined && 'locode' in target) {
      const port = this.#ports.get(target.locode)!;
      return { port, matched: foldName(port.name) === foldName(text) ? 'name' : 'alias' };
    }
    const shown = JSON.stringify(text.trim());
    if (target !== undefined)
      return {
        problem: 'ambiguous',
        message: `${shown} names several ports (${target.ambiguous.map((l) => this.describe(l)).join(', ')}); give the UN/LOCODE, or settle the name with corridor ports alias ${shown} <LOCODE>.`,
      };
    const closest = this.closest(text);
    const nearest = closest === null ? '' : ` (the closest is ${this.describe(closest.locode)})`;
    // Capitals shaped like a code ("BRSUA") are a code to add; anything else is a name.
    const writtenAsCode = code !== null && text.trim() === text.trim().toUpperCase();
    const fix = writtenAsCode
      ? `Add the port: corridor ports add ${code} --name "<name>" --country <ISO3>; or, if the file means a known port, corridor ports alias ${shown} <LOCODE>`
      : `If it is a known port under another name: corridor ports alias ${shown} <LOCODE>; if it is a new port: corridor ports add <LOCODE> --name ${shown} --country <ISO3>`;
    return {
      problem: 'unknown',
      message: `${shown} is not a port Corridor knows${nearest}. ${fix} (docs/ports.md).`,
    };
  }

  /**
   * The known port nearest to a cell by edit distance: against each LOCODE when the cell is
   * shaped like one, and against each name and alias, folded. The distance is taken relative
   * to the longer of the two, so that short aliases (KPT, PQA) are not nearest to everything;
   * ties go to the first LOCODE.
   */
  closest(text: string): KnownPort | null {
    const code = locodeOf(text);
    const key = foldName(text);
    const relative = (a: string, b: string) => editDistance(a, b) / Math.max(a.length, b.length, 1);
    const candidates: [string, number][] = [];
    if (code !== null)
      for (const locode of this.#ports.keys()) candidates.push([locode, relative(code, locode)]);
    for (const [name, target] of this.#names) {
      const distance = relative(key, name);
      for (const locode of 'locode' in target ? [target.locode] : target.ambiguous)
        candidates.push([locode, distance]);
    }
    const [best] = candidates.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return best === undefined ? null : (this.#ports.get(best[0]) ?? null);
  }

  /** `PKBQM (Port Qasim)`, for messages. */
  describe(locode: string): string {
    const port = this.#ports.get(locode);
    return port === undefined ? locode : `${locode} (${port.name})`;
  }
}
