/**
 * One writer a fact table at a time, as SQLite has it. Two files merging into the same table at
 * once on PostgreSQL would each lock rows the other needs and one would fail on a deadlock;
 * with this lock the second waits for the first to commit, then merges against its rows. Held
 * until the transaction ends, committed or rolled back (or the connection drops). Loads into
 * different tables (port tables beside trade files) still run side by side.
 */
import type { Warehouse } from '../db/warehouse.ts';

/** Takes the write locks of `tables` inside the open transaction, in one order for every writer. */
export async function lockFactTables(
  warehouse: Pick<Warehouse, 'sql' | 'flavor'>,
  tables: readonly string[],
): Promise<void> {
  for (const table of [...new Set(tables)].sort()) {
    const statement = warehouse.flavor.transactionLock(`corridor:write:${table}`);
    if (statement !== '') await warehouse.sql.run(statement);
  }
}
