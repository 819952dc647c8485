/**
 * Yearly partitions of the large fact tables on PostgreSQL (issue 21, point 4).
 *
 * `trade_flow_rows` (by `year`), `baci_flows` (by `period`, which is BACI's year) and their
 * `_closed` history tables are partitioned by RANGE on that column, one partition per year,
 * named `<table>_y<year>`, plus a DEFAULT partition (`<table>_default`) so that no row is ever
 * refused for want of a partition. Why yearly: a BACI year is ~10 M rows and analysts (and the
 * derive stage) read by year, so a query for 2022 scans 2022's partition only, a year's
 * indexes stay small enough to sit in memory, and a year can be reloaded or vacuumed alone.
 *
 * Rows of a year without its partition land in DEFAULT. They are correct there, but every
 * query then scans DEFAULT too, and PostgreSQL refuses to create a year's partition while
 * DEFAULT holds rows of that year. So the load creates the partitions of a file's years before
 * it merges the file's rows (`ensureYearPartitions`); a year that reached DEFAULT anyway (a
 * load from an older version, a manual insert) is moved into its new partition then.
 *
 * A unique index on a partitioned table must contain the partition column: the natural key of
 * trade_flow_rows gains `year` on PostgreSQL (its `period` fixes the year, so the key means the
 * same), and the merge's ON CONFLICT names it too (conflictTarget in warehouse/fact-tables.ts).
 */
import { FACT_TABLES, type FactTable } from '../../../warehouse/fact-tables.ts';
import type { Warehouse } from '../warehouse.ts';

/** Each partitioned table with its partition column: the fact tables that declare one, and their `_closed`. */
function partitionedTables(table: string): { name: string; column: string }[] {
  const fact = FACT_TABLES.find((t) => t.name === table || t.closed === table) as FactTable | undefined;
  if (fact?.partitionColumn === undefined) {
    throw new Error(
      `${table} is not partitioned by year; the partitioned tables are ${FACT_TABLES.filter(
        (t) => t.partitionColumn,
      )
        .map((t) => `${t.name} and ${t.closed}`)
        .join(', ')}.`,
    );
  }
  const column = fact.partitionColumn;
  // The current table and its history are partitioned alike: a changed row of 2023 is closed
  // into the 2023 partition of `_closed`.
  return table === fact.name
    ? [
        { name: fact.name, column },
        { name: fact.closed, column },
      ]
    : [{ name: table, column }];
}

/** How long the load waits to add a partition while analysts' queries read the table. */
const LOCK_WAIT = '5s';

/**
 * Creates the yearly partitions of `tableName` (and, for a fact table, of its `_closed` table)
 * that `years` need and that do not exist yet, moving any rows of those years out of DEFAULT.
 * Does nothing on SQLite, which has no partitions, so the load calls it on either backend.
 *
 * Call it before the file's transaction, not inside it. Attaching a partition locks the parent
 * only against other schema changes (SHARE UPDATE EXCLUSIVE), but the DEFAULT partition
 * exclusively, and a lock is held until its transaction ends: inside a load's transaction it
 * would hold analysts' reads of the table off for the whole load. On its own it takes a moment,
 * and waits at most LOCK_WAIT for running queries: when they hold it longer, the years are left
 * for the next load (`deferred`) and their rows go to DEFAULT meanwhile, where they are as
 * correct, only slower to read. Inside a caller's transaction it runs in it, without that limit.
 * An advisory lock keeps two loads adding the same year from racing.
 *
 * @example
 * const { created } = await ensureYearPartitions(warehouse, 'trade_flow_rows', [2022, 2023]);
 */
export async function ensureYearPartitions(
  warehouse: Warehouse,
  tableName: string,
  years: Iterable<number>,
): Promise<{ created: string[]; deferred: number[] }> {
  if (warehouse.backend !== 'postgres') return { created: [], deferred: [] };
  const wanted = [...new Set(years)].sort((a, b) => a - b);
  for (const year of wanted) {
    if (!Number.isInteger(year) || year < 0 || year > 9998) {
      throw new Error(
        `Cannot make a partition of ${tableName} for year ${year}: a year is a whole number 0–9998.`,
      );
    }
  }
  const tables = partitionedTables(tableName);
  const session = warehouse.sql;
  const missing = async () => {
    const found: { name: string; column: string; year: number }[] = [];
    for (const { name, column } of tables) {
      const existing = new Set(
        (
          await session.all<{ relname: string }>(
            `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = cast(? as regclass)`,
            [name],
          )
        ).map((r) => r.relname),
      );
      for (const year of wanted) if (!existing.has(`${name}_y${year}`)) found.push({ name, column, year });
    }
    return found;
  };
  // The common case, every partition there already, costs one catalogue query a table.
  if ((await missing()).length === 0) return { created: [], deferred: [] };

  const create = async () => {
    await session.run(`select pg_advisory_xact_lock(hashtext('corridor:partitions'))`);
    const created: string[] = [];
    // Again under the lock: another load may have made some meanwhile.
    for (const { name, column, year } of await missing()) {
      // A table of that name not yet attached is a year the load is filling on its fast route
      // (copy-fresh-year.ts), in this transaction: it attaches it itself.
      if ((await session.value('select to_regclass(?)', [`${name}_y${year}`])) !== null) continue;
      await addYearPartition(warehouse, name, column, year);
      created.push(`${name}_y${year}`);
    }
    return created;
  };
  if (session.inTransaction) return { created: await create(), deferred: [] };
  try {
    return {
      created: await session.transaction(async () => {
        await session.exec(`set local lock_timeout = '${LOCK_WAIT}'`);
        return create();
      }),
      deferred: [],
    };
  } catch (error) {
    // lock_not_available: analysts' queries held the table; nothing was changed.
    if ((error as { code?: string }).code === '55P03') return { created: [], deferred: wanted };
    throw error;
  }
}

/**
 * One year's partition: a table of the parent's shape, filled with the year's rows from
 * DEFAULT (PostgreSQL refuses a partition for a range DEFAULT holds rows of), then attached;
 * attaching creates its indexes and clones the parent's triggers onto it. Deleting from DEFAULT
 * fires no update trigger, so moving a row does not version it.
 */
async function addYearPartition(warehouse: Warehouse, table: string, column: string, year: number) {
  const session = warehouse.sql;
  const partition = `${table}_y${year}`;
  await session.exec(`create table ${partition} (like ${table} including defaults including constraints)`);
  await session.run(
    `with moved as (delete from ${table}_default where ${column} >= ? and ${column} < ? returning *)
     insert into ${partition} select * from moved`,
    [year, year + 1],
  );
  await session.exec(
    `alter table ${table} attach partition ${partition} for values from (${year}) to (${year + 1})`,
  );
}

/** The yearly partitions of a partitioned table with their row counts (status, tests). */
export async function yearPartitions(
  warehouse: Warehouse,
  table: string,
): Promise<{ partition: string; bound: string; rows: number }[]> {
  const children = await warehouse.sql.all<{ partition: string; bound: string }>(
    `select c.relname as partition, pg_get_expr(c.relpartbound, c.oid) as bound
     from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = cast(? as regclass) order by c.relname`,
    [table],
  );
  const result: { partition: string; bound: string; rows: number }[] = [];
  for (const child of children) {
    const rows = Number(await warehouse.sql.value(`select count(*) from ${child.partition}`));
    result.push({ ...child, rows });
  }
  return result;
}
