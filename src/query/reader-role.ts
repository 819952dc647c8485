/**
 * `corridor init --create-reader-role NAME` on PostgreSQL: a login role for analysts that can
 * read every table and view of the warehouse's schema, those created later too (derive creates
 * `ind_*` tables), and write nothing. Its sessions are read-only by default as well, so even a
 * psql session as that role starts in read-only transactions.
 */
import type { Warehouse } from '../db/warehouse.ts';
import { ConfigError } from '../errors.ts';

/** A role name that needs no quoting: PostgreSQL folds unquoted names to lower case. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkRoleName(name: string): string {
  if (!ROLE_NAME.test(name))
    throw new ConfigError(
      `--create-reader-role "${name}": a role name is lower-case letters, digits and _, starting with a letter or _ (e.g. analyst), at most 63 characters.`,
      { code: 'bad_arguments' },
    );
  return name;
}

export interface ReaderRole {
  readonly name: string;
  /** Whether the role was there before (its grants were brought up to date). */
  readonly existed: boolean;
  readonly schema: string;
  readonly database: string;
  /** The warehouse's URL with the role as its user and no password: what --db takes. */
  readonly url: string;
}

/**
 * Creates the role when it is missing and grants it reading only: CONNECT on the database, USAGE
 * on the schema, SELECT on its tables and views, and the same SELECT by default on the tables
 * this user creates later in the schema. Idempotent.
 */
export async function createReaderRole(warehouse: Warehouse, url: string, name: string): Promise<ReaderRole> {
  const role = `"${checkRoleName(name)}"`;
  const { sql } = warehouse;
  const existed = (await sql.value('select 1 from pg_roles where rolname = ?', [name])) !== undefined;
  const schema = (await sql.value<string>('select current_schema()')) ?? 'public';
  const database = (await sql.value<string>('select current_database()')) ?? '';
  const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  await sql.transaction(async () => {
    // No superuser, no CREATEDB or CREATEROLE (PostgreSQL's defaults, said out loud).
    if (!existed)
      await sql.exec(`create role ${role} login nosuperuser nocreatedb nocreaterole noreplication`);
    await sql.exec(`alter role ${role} set default_transaction_read_only = on`);
    await sql.exec(`grant connect on database ${quote(database)} to ${role}`);
    await sql.exec(`grant usage on schema ${quote(schema)} to ${role}`);
    await sql.exec(`grant select on all tables in schema ${quote(schema)} to ${role}`);
    // Tables this user creates from now on (derive's ind_* tables) are readable at once.
    await sql.exec(`alter default privileges in schema ${quote(schema)} grant select on tables to ${role}`);
  });
  const connect = new URL(url);
  connect.username = name;
  connect.password = '';
  return { name, existed, schema, database, url: connect.toString() };
}
