/**
 * Brings the warehouse schema to the latest migration. kysely's Migrator returns a result per
 * migration instead of throwing; this turns a failed one into a WarehouseError.
 */
import { type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../warehouse/migrations/index.ts';
import { PostgresSchemaPlugin } from '../../warehouse/migrations/postgres/schema-plugin.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';

export interface MigrationSummary {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
}

function migratorOf(warehouse: Warehouse): Migrator {
  return new Migrator({
    // The migrations speak SQLite's types; on PostgreSQL the plugin maps them (see its file).
    db: warehouse.backend === 'postgres' ? warehouse.db.withPlugin(new PostgresSchemaPlugin()) : warehouse.db,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
}

/** The migrations this warehouse has not had yet, in order (all of them for an empty database). */
export async function pendingMigrations(warehouse: Warehouse): Promise<string[]> {
  const known = await migratorOf(warehouse).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export async function migrateToLatest(warehouse: Warehouse): Promise<MigrationSummary> {
  const migrator = migratorOf(warehouse);
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new WarehouseError(
      `Migration "${failed}" failed on ${warehouse.path}: ${(error as Error).message ?? String(error)}. ${
        // kysely runs all of a call's migrations in one transaction where DDL is transactional.
        warehouse.backend === 'postgres'
          ? 'PostgreSQL rolled back every migration of this run: the warehouse is as it was before.'
          : 'The warehouse was left at the previous migration.'
      }`,
      { code: 'migration_failed', cause: error },
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
