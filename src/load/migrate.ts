/**
 * Brings the warehouse schema to the latest migration. kysely's Migrator returns a result per
 * migration instead of throwing; this turns a failed one into a WarehouseError.
 */
import { type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../warehouse/migrations/index.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';

export interface MigrationSummary {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
}

export async function migrateToLatest(warehouse: Warehouse): Promise<MigrationSummary> {
  const migrator = new Migrator({
    db: warehouse.db,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new WarehouseError(
      `Migration "${failed}" failed on ${warehouse.path}: ${(error as Error).message ?? String(error)}. The warehouse was left at the previous migration.`,
      { code: 'migration_failed', cause: error },
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
