/**
 * The DDL of yearly partitions for the migrations (PostgreSQL only): why the fact tables are
 * partitioned and how the load adds a year's partition is told in src/db/postgres/partitions.ts.
 */
import { type Kysely, sql } from 'kysely';

/** The clause that makes a CREATE TABLE partitioned by `column`, for kysely's `modifyEnd`. */
export const partitionedBy = (column: string) => sql.raw(`partition by range (${column})`);

/** The DEFAULT partition of a partitioned table, made with the table (migrations). */
export async function createDefaultPartition(db: Kysely<unknown>, table: string, name = `${table}_default`) {
  await sql.raw(`create table ${name} partition of ${table} default`).execute(db);
}
