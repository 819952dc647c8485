/**
 * What every writing command does first: bring the schema to the latest migration and load
 * reference data that changed. Both are no-ops on a current warehouse.
 */

import { existsSync } from 'node:fs';
import type { ConnectOptions } from '../db/postgres/connect.ts';
import { withReferenceLock } from '../db/reference-writes.ts';
import { isPostgresUrl, openWarehouse, type Warehouse } from '../db/warehouse.ts';
import { ExitCode, WarehouseError } from '../errors.ts';
import { loadHsReference } from './hs-reference-loader.ts';
import { type MigrationSummary, migrateToLatest, pendingMigrations } from './migrate.ts';
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
    // A dry run writes nothing: a file that does not exist yet is stood in for by memory, but a
    // database on a server cannot be, so it must have been initialised first.
    if (options.dryRun && warehouse.backend === 'postgres') {
      const pending = await pendingMigrations(warehouse);
      if (pending.length > 0)
        throw new WarehouseError(
          `--dry-run writes nothing, and ${warehouse.path} is not initialised for this version of Corridor (${pending.length} migration(s) to apply, from ${pending[0]}). Run "corridor init --db ${warehouse.path}" first, then the dry run.`,
          { code: 'warehouse_not_initialised', exitCode: ExitCode.Usage },
        );
    }
    await prepareWarehouse(warehouse);
  } catch (error) {
    await warehouse.close();
    throw error;
  }
  return warehouse;
}
