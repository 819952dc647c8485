/**
 * Loads the port reference (warehouse/reference/ports.csv, port-aliases.csv and
 * port-commodities.csv) into `ports`, `port_aliases` and `port_commodities`, when any file
 * changed, in one transaction. Ports and aliases that users added (`corridor ports`, origin
 * `user`) are kept: only the reference's own rows are replaced, and a user's row wins over a
 * reference row of the same LOCODE or alias. Commodity labels and port aliases are keyed folded
 * (case, spacing and punctuation ignored) so that "WHEAT GRAIN", "Wheat grain" and
 * "wheat-grain" are one label; `port_throughput` joins on that key, so a new commodity alias
 * applies to rows already loaded.
 */

import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';
import { type KnownPort, type PortAlias, PortResolver } from '../normalize/port-resolver.ts';
import { PORT_SCHEME } from '../reference/category-vocabulary.ts';
import {
  type CsvRow,
  cellOrNull,
  type ReferenceSummary,
  readReferenceCsv,
  recordReferenceFiles,
} from './reference-files.ts';

const PORT_FILES = ['ports.csv', 'port-aliases.csv', 'port-commodities.csv'] as const;

/** The shape of a UN/LOCODE as stored: 2 letters of country, 3 letters or digits of place. */
export const LOCODE = /^[A-Z]{2}[A-Z0-9]{3}$/;

/** The key a commodity label is matched by. */
export const commodityKey = (label: string): string => foldName(label);

const malformed = (message: string) => new WarehouseError(message, { code: 'reference_malformed' });

/** ports.csv's rows, checked. */
function referencePorts(rows: readonly CsvRow[]): KnownPort[] {
  return rows.map((r, i) => {
    const start = Number(r.fiscal_year_start ?? '1');
    const locode = r.locode?.trim() ?? '';
    const name = r.name?.trim() ?? '';
    const country = r.country_iso3?.trim() ?? '';
    if (!LOCODE.test(locode) || name === '' || country === '' || !(start >= 1 && start <= 12)) {
      throw malformed(
        `warehouse/reference/ports.csv row ${i + 2}: ${JSON.stringify(r.locode)} needs a UN/LOCODE (2 letters of country, 3 of place, as PKKHI), a name, a country_iso3 and a fiscal_year_start from 1 to 12.`,
      );
    }
    return { locode, name, countryIso3: country, fiscalYearStart: start };
  });
}

/**
 * port-aliases.csv's rows, checked against the ports: each names a listed port, and no alias
 * may mean two ports, nor another port's own name.
 */
function referenceAliases(rows: readonly CsvRow[], ports: readonly KnownPort[]): PortAlias[] {
  const codes = new Set(ports.map((p) => p.locode));
  const names = new Map(ports.map((p) => [foldName(p.name), p]));
  const seen = new Map<string, PortAlias>();
  return rows.map((r, i) => {
    const at = `warehouse/reference/port-aliases.csv row ${i + 2}`;
    const alias = { alias: r.alias?.trim() ?? '', locode: r.locode?.trim() ?? '' };
    const key = foldName(alias.alias);
    if (key === '' || !codes.has(alias.locode))
      throw malformed(`${at}: every row needs an alias and the locode of a port in ports.csv.`);
    const earlier =
      seen.get(key) ??
      (names.has(key) ? { alias: names.get(key)!.name, locode: names.get(key)!.locode } : undefined);
    if (earlier !== undefined && earlier.locode !== alias.locode)
      throw malformed(
        `${at}: "${alias.alias}" (${alias.locode}) and "${earlier.alias}" (${earlier.locode}) are the same name once case, spaces and punctuation are ignored, but name different ports; keep one.`,
      );
    seen.set(key, alias);
    return alias;
  });
}

/** The bundled reference's ports and aliases, checked; what a pipeline is read against before a warehouse is open. */
export function bundledPorts(): { ports: KnownPort[]; aliases: PortAlias[] } {
  const ports = referencePorts(readReferenceCsv('ports.csv').rows);
  return { ports, aliases: referenceAliases(readReferenceCsv('port-aliases.csv').rows, ports) };
}

/** A resolver over the bundled reference alone (no ports users added). */
export function bundledPortResolver(): PortResolver {
  const { ports, aliases } = bundledPorts();
  return PortResolver.fromEntries(ports, aliases);
}

export async function loadPortReference(warehouse: Warehouse): Promise<ReferenceSummary> {
  const files = PORT_FILES.map((file) => ({ file, ...readReferenceCsv(file) }));
  const known = await warehouse.db.selectFrom('reference_files').select(['file', 'sha256']).execute();
  const current = new Map(known.map((k) => [k.file, k.sha256]));
  if (files.every((f) => current.get(f.file) === f.sha256)) return { loaded: [] };
  const [ports, aliases, commodities] = files as [
    (typeof files)[number],
    (typeof files)[number],
    (typeof files)[number],
  ];

  const portList = referencePorts(ports.rows);
  const portRows = portList.map((p) => ({
    locode: p.locode,
    name: p.name,
    country_iso3: p.countryIso3,
    fiscal_year_start: p.fiscalYearStart,
    origin: 'reference',
  }));
  const aliasRows = [
    ...new Map(
      referenceAliases(aliases.rows, portList).map((a) => [
        foldName(a.alias),
        { alias_key: foldName(a.alias), alias: a.alias, locode: a.locode, origin: 'reference' },
      ]),
    ).values(),
  ];
  const byKey = new Map<string, { label: string; commodity: string }>();
  // One vocabulary: a port category is a category of categories.csv (read here, not recorded:
  // the HS loader owns that file's stamp).
  const categories = new Set(
    readReferenceCsv('categories.csv')
      .rows.filter((r) => r.scheme?.trim() === PORT_SCHEME)
      .map((r) => r.category?.trim() ?? ''),
  );
  const commodityRows = commodities.rows.map((r, i) => {
    const label = r.label?.trim() ?? '';
    const key = commodityKey(label);
    const commodity = cellOrNull(r.commodity);
    if (key === '' || commodity === null) {
      throw new WarehouseError(
        `warehouse/reference/port-commodities.csv row ${i + 2}: every row needs a label and a commodity.`,
        { code: 'reference_malformed' },
      );
    }
    const seen = byKey.get(key);
    if (seen !== undefined && seen.commodity !== commodity) {
      throw new WarehouseError(
        `warehouse/reference/port-commodities.csv: labels "${seen.label}" and "${label}" are the same once case, spaces and punctuation are ignored, but name different commodities (${seen.commodity}, ${commodity}); keep one.`,
        { code: 'reference_malformed' },
      );
    }
    byKey.set(key, { label, commodity });
    const category = cellOrNull(r.category);
    if (category !== null && !categories.has(category)) {
      throw malformed(
        `warehouse/reference/port-commodities.csv row ${i + 2}: category "${category}" of "${label}" is not a ${PORT_SCHEME} category of categories.csv; use one of its categories (such as ${[...categories].slice(0, 4).join(', ')}) or leave it empty and list the commodity in category-unmatched.csv.`,
      );
    }
    return {
      label_key: key,
      label,
      commodity,
      cargo_group: cellOrNull(r.cargo_group),
      hs_heading: cellOrNull(r.hs_heading),
      category,
      version: r.version?.trim() || 'unversioned',
    };
  });

  await warehouse.db.transaction().execute(async (trx) => {
    // The reference's own rows are replaced; what users added stays, and wins on a shared key.
    await trx.deleteFrom('ports').where('origin', '=', 'reference').execute();
    await trx.deleteFrom('port_aliases').where('origin', '=', 'reference').execute();
    await trx.deleteFrom('port_commodities').execute();
    // One statement a table: a row whose key a user's row holds is skipped, on both backends.
    if (portRows.length > 0)
      await trx
        .insertInto('ports')
        .values(portRows)
        .onConflict((oc) => oc.column('locode').doNothing())
        .execute();
    if (aliasRows.length > 0)
      await trx
        .insertInto('port_aliases')
        .values(aliasRows)
        .onConflict((oc) => oc.column('alias_key').doNothing())
        .execute();
    const dangling = await trx
      .selectFrom('port_aliases')
      .select(['alias', 'locode'])
      .where('locode', 'not in', trx.selectFrom('ports').select('locode'))
      .execute();
    if (dangling.length > 0) {
      throw new WarehouseError(
        `The new port reference no longer lists ${dangling.map((d) => `${d.locode} (alias "${d.alias}")`).join(', ')}, which your aliases name. The reference was not changed; put the port back in warehouse/reference/ports.csv.`,
        { code: 'reference_conflict' },
      );
    }
    const unique = [...new Map(commodityRows.map((r) => [r.label_key, r])).values()];
    for (let i = 0; i < unique.length; i += 200) {
      await trx
        .insertInto('port_commodities')
        .values(unique.slice(i, i + 200))
        .execute();
    }
    await recordReferenceFiles(trx, files);
  });
  return { loaded: files.map((f) => ({ file: f.file, rows: f.rows.length })) };
}
