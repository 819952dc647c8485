/**
 * What every writing command does first: bring the schema to the latest migration and load
 * reference data that changed. Both are no-ops on a current warehouse.
 */

import { existsSync } from 'node:fs';
import type { ConnectOptions } from '../db/postgres/connect.ts';
import { withReferenceLock } from '../db/reference-writes.ts';
import { isPostgresUrl, openWarehouse, type Warehouse } from '../db/warehouse.ts';
import { loadHsReference } from './hs-reference-loader.ts';
import { type MigrationSummary, migrateToLatest } from './migrate.ts';
import { loadPortReference } from './port-reference-loader.ts';
import { loadReferenceData, type ReferenceSummary } from './reference-loader.ts';

export async function prepareWarehouse(
  warehouse: Warehouse,
): Promise<{ migrations: MigrationSummary; reference: ReferenceSummary }> {
  const migrations = await migrateToLatest(warehouse);
  return withReferenceLock(warehouse, async () => {
    const countries = await loadReferenceData(warehouse);
    const hs = await loadHsReference(warehouse);
    const ports = await loadPortReference(warehouse);
    return { migrations, reference: { loaded: [...countries.loaded, ...hs.loaded, ...ports.loaded] } };
  });
}

/**
 * Opens a warehouse file for writing, migrated and with reference data.
 *
 * @param options.dryRun a dry run must not create a warehouse: when the file does not exist
 *   yet, it validates against a throwaway in-memory one instead. A PostgreSQL database exists
 *   before Corridor does, so a dry run validates against it.
 */
export async function openReadyWarehouse(
  path: string,
  options: { readonly dryRun?: boolean; readonly connect?: ConnectOptions } = {},
): Promise<Warehouse> {
  const creates = options.dryRun && !isPostgresUrl(path) && !existsSync(path);
  const warehouse = await openWarehouse(
    creates ? ':memory:' : path,
    options.connect ? { connect: options.connect } : {},
  );
  try {
    await prepareWarehouse(warehouse);
  } catch (error) {
    await warehouse.close();
    throw error;
  }
  return warehouse;
}
