/**
 * The fastest route for a file that opens a new year of a partitioned fact table (a first load,
 * the next BACI year): its rows are copied into a table of the partition's shape that is not
 * yet a partition and has no indexes, the indexes are then built in one sorted pass each, and
 * the table is attached as the year's partition. Keeping three indexes up to date row by row
 * costs several times the COPY itself; building them afterwards costs about as much as it.
 *
 * The unique index doubles as the check for keys repeated within the file: when its build
 * fails, the repeats are taken out (fact-merge.ts) and it is built again.
 */
import type { FactTable } from '../../../warehouse/fact-tables.ts';
import type { SqlSession } from '../sql-session.ts';
import { type StagedDuplicate, takeStagedDuplicates } from './fact-merge.ts';

const UNIQUE_VIOLATION = '23505';

/** The partition a year of `table` gets (the name partitions.ts gives it). */
export const yearPartitionName = (table: FactTable, year: number) => `${table.name}_y${year}`;

/** Whether `year` is new ground for `table`: no partition for it yet, and no row of it in DEFAULT. */
export async function isFreshYear(sql: SqlSession, table: FactTable, year: number): Promise<boolean> {
  const column = table.partitionColumn;
  if (column === undefined) return false;
  const exists = await sql.value(`select 1 from pg_class where relname = ? and relkind in ('r', 'p')`, [
    yearPartitionName(table, year),
  ]);
  if (exists !== undefined) return false;
  const stranded = await sql.value(
    `select 1 from ${table.name}_default where ${column} >= ? and ${column} < ? limit 1`,
    [year, year + 1],
  );
  return stranded === undefined;
}

/** Creates the year's table, outside the partitioned table and without indexes; returns its name. */
export async function createYearTable(sql: SqlSession, table: FactTable, year: number): Promise<string> {
  const name = yearPartitionName(table, year);
  await sql.exec(`create table ${name} (like ${table.name} including defaults including constraints)`);
  return name;
}

/**
 * Builds on the year's table the indexes the partitioned table has (its unique key as the same
 * kind of constraint, so that attaching adopts them rather than building them again), taking
 * out the file's repeated keys if the unique one fails, then attaches it as the year's
 * partition. Returns the repeats taken out.
 */
export async function attachYearTable(
  sql: SqlSession,
  table: FactTable,
  name: string,
  year: number,
): Promise<StagedDuplicate[]> {
  const indexes = await sql.all<{ definition: string; constraint_definition: string | null }>(
    `select pg_get_indexdef(i.indexrelid) as definition, pg_get_constraintdef(c.oid) as constraint_definition
     from pg_index i left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid
     where i.indrelid = cast(? as regclass)
     order by c.oid is null, i.indexrelid`,
    [table.name],
  );
  // The builds sort a year's rows: more memory keeps the sort out of temporary files.
  await sql.exec(`set local maintenance_work_mem = '512MB'`);
  let duplicates: StagedDuplicate[] = [];
  for (const index of indexes) {
    const statement =
      index.constraint_definition !== null
        ? `alter table ${name} add ${index.constraint_definition}`
        : index.definition.replace(
            /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /,
            `create $1index on ${name} `,
          );
    const unique = index.constraint_definition !== null || index.definition.startsWith('CREATE UNIQUE');
    if (!unique || duplicates.length > 0) {
      await sql.exec(statement);
      continue;
    }
    await sql.exec('savepoint corridor_unique');
    try {
      await sql.exec(statement);
      await sql.exec('release savepoint corridor_unique');
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await sql.exec('rollback to savepoint corridor_unique; release savepoint corridor_unique');
      duplicates = await takeStagedDuplicates(sql, name, table);
      await sql.exec(statement);
    }
  }
  await sql.exec(
    `alter table ${table.name} attach partition ${name} for values from (${year}) to (${year + 1})`,
  );
  return duplicates;
}
