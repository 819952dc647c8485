/**
 * A real warehouse in a temporary SQLite file, migrated and loaded with the shipped country
 * reference, for unit tests that need a CountryResolver or an HsCodeBook. No mocks: the resolver reads the same
 * tables a load does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../../src/db/warehouse.ts';
import { prepareWarehouse } from '../../../src/load/prepare-warehouse.ts';
import { CountryResolver } from '../../../src/normalize/country-resolver.ts';
import { HsCodeBook } from '../../../src/normalize/hs-code-book.ts';

export interface ReferenceWarehouse {
  readonly warehouse: Warehouse;
  readonly countries: CountryResolver;
  readonly hsCodes: HsCodeBook;
  /** Closes the warehouse and removes its folder. */
  dispose(): Promise<void>;
}

export async function openReferenceWarehouse(): Promise<ReferenceWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-unit-'));
  const warehouse = await openWarehouse(join(dir, 'corridor.db'));
  try {
    await prepareWarehouse(warehouse);
    const countries = await CountryResolver.load(warehouse.db);
    const hsCodes = await HsCodeBook.load(warehouse.db);
    return {
      warehouse,
      countries,
      hsCodes,
      dispose: async () => {
        await warehouse.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
