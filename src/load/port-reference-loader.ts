/**
 * Loads the port reference (warehouse/reference/ports.csv and port-commodities.csv) into
 * `ports` and `port_commodities`, when either file changed, in one transaction. Commodity
 * labels are keyed folded (case, spacing and punctuation ignored) so that "WHEAT GRAIN",
 * "Wheat grain" and "wheat-grain" are one label; `port_throughput` joins on that key, so a new
 * alias applies to rows already loaded.
 */

import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';
import {
  cellOrNull,
  type ReferenceSummary,
  readReferenceCsv,
  recordReferenceFiles,
} from './reference-files.ts';

const PORT_FILES = ['ports.csv', 'port-commodities.csv'] as const;

/** The key a commodity label is matched by. */
export const commodityKey = (label: string): string => foldName(label);

export async function loadPortReference(warehouse: Warehouse): Promise<ReferenceSummary> {
  const files = PORT_FILES.map((file) => ({ file, ...readReferenceCsv(file) }));
  const known = await warehouse.db.selectFrom('reference_files').select(['file', 'sha256']).execute();
  const current = new Map(known.map((k) => [k.file, k.sha256]));
  if (files.every((f) => current.get(f.file) === f.sha256)) return { loaded: [] };
  const [ports, commodities] = files as [(typeof files)[number], (typeof files)[number]];

  const portRows = ports.rows.map((r, i) => {
    const start = Number(r.fiscal_year_start ?? '1');
    if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(r.locode?.trim() ?? '') || !(start >= 1 && start <= 12)) {
      throw new WarehouseError(
        `warehouse/reference/ports.csv row ${i + 2}: ${JSON.stringify(r.locode)} needs a UN/LOCODE (2 letters of country, 3 of place, as PKKHI) and a fiscal_year_start from 1 to 12.`,
        { code: 'reference_malformed' },
      );
    }
    return {
      locode: r.locode!.trim(),
      name: r.name!.trim(),
      country_iso3: r.country_iso3!.trim(),
      fiscal_year_start: start,
    };
  });
  const byKey = new Map<string, { label: string; commodity: string }>();
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
    return {
      label_key: key,
      label,
      commodity,
      cargo_group: cellOrNull(r.cargo_group),
      hs_heading: cellOrNull(r.hs_heading),
      category: cellOrNull(r.category),
      version: r.version?.trim() || 'unversioned',
    };
  });

  await warehouse.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('ports').execute();
    await trx.deleteFrom('port_commodities').execute();
    if (portRows.length > 0) await trx.insertInto('ports').values(portRows).execute();
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
