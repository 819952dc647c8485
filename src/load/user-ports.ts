/**
 * The ports and aliases users add (`corridor ports add`, `alias`, `import`): checked against
 * the warehouse's ports, aliases and countries, then stored with origin `user`, so that a reload
 * of the bundled reference (`corridor init` after an upgrade) keeps them
 * (port-reference-loader.ts). A book of the warehouse's ports is read once, each change is
 * checked against it and what came before it (an import's earlier rows), and all are written
 * in one transaction or none.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../warehouse/schema.ts';
import { ConfigError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';
import { type KnownPort, locodeOf, PortResolver } from '../normalize/port-resolver.ts';
import { LOCODE } from './port-reference-loader.ts';

export interface StoredPort extends KnownPort {
  readonly origin: 'reference' | 'user';
}

export interface StoredAlias {
  readonly alias: string;
  readonly locode: string;
  readonly origin: 'reference' | 'user';
}

export interface NewPort {
  readonly locode: string;
  readonly name: string;
  readonly country: string;
  /** 1–12; 1 (calendar years) when left out. */
  readonly fiscalYearStart?: number;
}

/** What a change did: `unchanged` when the warehouse already said the same. */
export type ChangeAction = 'added' | 'replaced' | 'repointed' | 'unchanged';

/**
 * How a change meets what the warehouse already says: `force` replaces anything; `overReference`
 * (an import of what a user decided before) replaces what the bundled reference says, as a
 * user's row wins over the reference's on every reload, but not another row a user added.
 * `where` names the change's place for messages: nothing for a command, `ports.csv row 4`.
 */
export interface ChangeOptions {
  readonly force?: boolean;
  readonly overReference?: boolean;
  readonly where?: string;
}

const at = (where: string | undefined) => (where === undefined ? '' : `${where}: `);

/** Whether a change may replace a row of this origin. */
const mayReplace = (options: ChangeOptions, origin: 'reference' | 'user') =>
  options.force === true || (options.overReference === true && origin === 'reference');

export class PortBook {
  readonly #ports: Map<string, StoredPort>;
  readonly #aliases: Map<string, StoredAlias>;
  readonly #countries: ReadonlyMap<string, { iso2: string | null; name: string }>;
  readonly #changedPorts = new Set<string>();
  readonly #changedAliases = new Set<string>();

  private constructor(
    ports: Map<string, StoredPort>,
    aliases: Map<string, StoredAlias>,
    countries: ReadonlyMap<string, { iso2: string | null; name: string }>,
  ) {
    this.#ports = ports;
    this.#aliases = aliases;
    this.#countries = countries;
  }

  static async read(db: Kysely<DB>): Promise<PortBook> {
    // One after another: the warehouse has one connection, and PostgreSQL's client takes one query at a time.
    const ports = await db
      .selectFrom('ports')
      .select(['locode', 'name', 'country_iso3', 'fiscal_year_start', 'origin'])
      .orderBy('locode')
      .execute();
    const aliases = await db
      .selectFrom('port_aliases')
      .select(['alias_key', 'alias', 'locode', 'origin'])
      .orderBy('alias')
      .execute();
    const countries = await db.selectFrom('countries').select(['iso3', 'iso2', 'name']).execute();
    return new PortBook(
      new Map(
        ports.map((p) => [
          p.locode,
          {
            locode: p.locode,
            name: p.name,
            countryIso3: p.country_iso3,
            fiscalYearStart: p.fiscal_year_start,
            origin: p.origin === 'user' ? 'user' : 'reference',
          },
        ]),
      ),
      new Map(
        aliases.map((a) => [
          a.alias_key,
          { alias: a.alias, locode: a.locode, origin: a.origin === 'user' ? 'user' : 'reference' },
        ]),
      ),
      new Map(countries.map((c) => [c.iso3, { iso2: c.iso2, name: c.name }])),
    );
  }

  /** Every port, by LOCODE, with its aliases. */
  list(): { port: StoredPort; aliases: StoredAlias[] }[] {
    return [...this.#ports.values()]
      .sort((a, b) => (a.locode < b.locode ? -1 : 1))
      .map((port) => ({
        port,
        aliases: [...this.#aliases.values()].filter((a) => a.locode === port.locode),
      }));
  }

  aliases(): StoredAlias[] {
    return [...this.#aliases.values()].sort((a, b) => (a.alias < b.alias ? -1 : 1));
  }

  /** A resolver over the book as it stands, for messages that name the closest port. */
  #resolver(): PortResolver {
    return PortResolver.fromEntries([...this.#ports.values()], [...this.#aliases.values()]);
  }

  /** The port a name or alias already names, other than `locode`. */
  #otherNamed(key: string, locode: string): StoredPort | undefined {
    const alias = this.#aliases.get(key);
    if (alias !== undefined && alias.locode !== locode) return this.#ports.get(alias.locode);
    return [...this.#ports.values()].find((p) => p.locode !== locode && foldName(p.name) === key);
  }

  /**
   * Adds a port (or with `force`, replaces what the warehouse says of it). The LOCODE must be
   * shaped as one, its country in the country reference with the LOCODE's two letters, and its
   * name not another port's name or alias.
   */
  addPort(input: NewPort, options: ChangeOptions = {}): ChangeAction {
    const where = at(options.where);
    const locode = locodeOf(input.locode);
    if (locode === null || !LOCODE.test(locode))
      throw new ConfigError(
        `${where}"${input.locode}" is not a UN/LOCODE: 2 letters of country and 3 letters or digits of place, as PKKHI (Karachi) or BRPNG (Paranaguá).`,
        { code: 'bad_locode' },
      );
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (foldName(name) === '')
      throw new ConfigError(`${where}port ${locode} needs a name: --name "<name>".`, {
        code: 'bad_arguments',
      });
    const fiscalYearStart = input.fiscalYearStart ?? 1;
    if (!Number.isInteger(fiscalYearStart) || fiscalYearStart < 1 || fiscalYearStart > 12)
      throw new ConfigError(
        `${where}the fiscal-year start of ${locode} must be a month from 1 to 12 (7 for a July–June year, 4 for April–March, 1 for the calendar year); got ${JSON.stringify(String(input.fiscalYearStart))}.`,
        { code: 'bad_arguments' },
      );
    const countryIso3 = this.#checkCountry(input.country, locode, where);

    const key = foldName(name);
    const other = this.#otherNamed(key, locode);
    if (other !== undefined)
      throw new ConfigError(
        `${where}"${name}" already names ${other.locode} (${other.name}); give ${locode} a name of its own (as "${name} (${countryIso3})").`,
        { code: 'name_taken' },
      );
    const port: StoredPort = { locode, name, countryIso3, fiscalYearStart, origin: 'user' };
    const seen = this.#ports.get(locode);
    if (
      seen !== undefined &&
      seen.name === name &&
      seen.countryIso3 === countryIso3 &&
      seen.fiscalYearStart === fiscalYearStart
    )
      return 'unchanged';
    if (seen !== undefined && !mayReplace(options, seen.origin))
      throw new ConfigError(
        `${where}${locode} is already ${seen.origin === 'user' ? 'a port you added' : 'in the ports reference'}: ${seen.name}, ${seen.countryIso3}, fiscal year from month ${seen.fiscalYearStart}. Add --force to replace it with ${name}, ${countryIso3}, month ${fiscalYearStart}.`,
        { code: 'port_exists' },
      );
    this.#ports.set(locode, port);
    this.#changedPorts.add(locode);
    return seen === undefined ? 'added' : 'replaced';
  }

  /** The ISO3 a user gave, checked: in the country reference, and the LOCODE's country. */
  #checkCountry(given: string, locode: string, where: string): string {
    const iso3 = given.trim().toUpperCase();
    const prefix = locode.slice(0, 2);
    const byPrefix = [...this.#countries].find(([, c]) => c.iso2 === prefix);
    if (byPrefix === undefined)
      throw new ConfigError(
        `${where}"${locode}" is not a UN/LOCODE: its first two letters, ${prefix}, are no country's ISO alpha-2 code in the country reference.`,
        { code: 'bad_locode' },
      );
    const hint = `${prefix} is ${byPrefix[1].name}: --country ${byPrefix[0]}`;
    const country = this.#countries.get(iso3);
    if (country === undefined)
      throw new ConfigError(
        `${where}country "${given}" is not an ISO alpha-3 code of the country reference (${hint}).`,
        { code: 'unknown_country' },
      );
    if (country.iso2 !== prefix)
      throw new ConfigError(
        `${where}${locode} is a port of the country ${prefix}, not of ${iso3} (${country.name}); a UN/LOCODE begins with its country's ISO alpha-2 code (${hint}).`,
        { code: 'country_mismatch' },
      );
    return iso3;
  }

  /**
   * Adds another name for a port. A name that already means another port (an alias or a port's
   * own name) is refused unless `force`, which repoints it; a name that is a port's LOCODE is
   * refused, since a code always means its own port.
   */
  addAlias(input: { alias: string; locode: string }, options: ChangeOptions = {}): ChangeAction {
    const where = at(options.where);
    const alias = input.alias.trim().replace(/\s+/g, ' ');
    const key = foldName(alias);
    if (key === '')
      throw new ConfigError(
        `${where}an alias needs letters or digits: corridor ports alias "<name>" <LOCODE>.`,
        {
          code: 'bad_arguments',
        },
      );
    const locode = locodeOf(input.locode);
    const port = locode === null ? undefined : this.#ports.get(locode);
    if (port === undefined) {
      const closest = this.#resolver().closest(input.locode);
      throw new ConfigError(
        `${where}"${input.locode}" is not the UN/LOCODE of a port Corridor knows${closest === null ? '' : ` (the closest is ${closest.locode}, ${closest.name})`}; add the port first: corridor ports add <LOCODE> --name "<name>" --country <ISO3>.`,
        { code: 'unknown_port' },
      );
    }
    const asCode = locodeOf(alias);
    if (asCode !== null && this.#ports.has(asCode))
      throw new ConfigError(
        `${where}"${alias}" is the UN/LOCODE of ${asCode} (${this.#ports.get(asCode)!.name}): a code always means its own port, and cannot be an alias.`,
        { code: 'alias_taken' },
      );
    const seen = this.#aliases.get(key);
    if (seen?.locode === port.locode || (seen === undefined && foldName(port.name) === key))
      return 'unchanged';
    const other = this.#otherNamed(key, port.locode);
    if (other !== undefined && !mayReplace(options, seen?.origin ?? other.origin))
      throw new ConfigError(
        `${where}"${alias}" already names ${other.locode} (${other.name})${seen === undefined ? ", as that port's name" : seen.origin === 'user' ? ', an alias you added' : ', an alias of the ports reference'}. Add --force to point it at ${port.locode} (${port.name}) instead.`,
        { code: 'alias_taken' },
      );
    this.#aliases.set(key, { alias, locode: port.locode, origin: 'user' });
    this.#changedAliases.add(key);
    return other === undefined ? 'added' : 'repointed';
  }

  /** Writes every change made through this book, in one transaction. */
  async save(db: Kysely<DB>): Promise<void> {
    if (this.#changedPorts.size === 0 && this.#changedAliases.size === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const locode of this.#changedPorts) {
        const p = this.#ports.get(locode)!;
        const row = {
          name: p.name,
          country_iso3: p.countryIso3,
          fiscal_year_start: p.fiscalYearStart,
          origin: 'user',
        };
        await trx
          .insertInto('ports')
          .values({ locode, ...row })
          .onConflict((oc) => oc.column('locode').doUpdateSet(row))
          .execute();
      }
      for (const key of this.#changedAliases) {
        const a = this.#aliases.get(key)!;
        const row = { alias: a.alias, locode: a.locode, origin: 'user' };
        await trx
          .insertInto('port_aliases')
          .values({ alias_key: key, ...row })
          .onConflict((oc) => oc.column('alias_key').doUpdateSet(row))
          .execute();
      }
    });
  }
}
