/**
 * The warehouse's layout on Citus (distributed PostgreSQL), as the statements
 * `corridor init --citus` issues on the coordinator once the schema is migrated:
 *
 * - the fact tables are hash-distributed by reporter: `trade_flow_rows` by `reporter_iso3`,
 *   with its closed versions and every indicator table that has a `reporter_iso3` colocated with
 *   it, so a reporter's rows, history and indicators sit on one node and the derive's joins on
 *   reporter never cross nodes; BACI's `baci_flows` by its numeric `reporter_code` (a column of
 *   another type is another colocation group), and port throughput by `port_locode`;
 * - every other table (countries, HS nomenclature, ports, categories, settings, the journal) is
 *   a reference table: small, copied to every node, so each node joins its shard with it locally.
 *
 * The layout is read from the catalog of the migrated database rather than listed by hand, so a
 * new table is never forgotten, and checked against Citus's rules before a statement is issued:
 * a distribution column must be NOT NULL and part of every unique index of its table (or the
 * table becomes a reference table), and a reference table must not point (foreign key) at a
 * distributed one. docs/citus.md explains the choices.
 */
import { WarehouseError } from '../../errors.ts';
import type { SqlSession } from '../sql-session.ts';
import type { Warehouse } from '../warehouse.ts';

/** A colocation group: the anchor table, distributed first, and its column. */
interface DistributionGroup {
  readonly anchor: string;
  readonly column: string;
  /** Tables never distributed in this group even though they have the column (small lookups). */
  readonly except?: readonly string[];
}

/** In order of precedence: a table with `reporter_iso3` joins the first group even if it has `port_locode`. */
const GROUPS: readonly DistributionGroup[] = [
  { anchor: 'trade_flow_rows', column: 'reporter_iso3' },
  { anchor: 'baci_flows', column: 'reporter_code', except: ['trade_flow_rows_closed'] },
  { anchor: 'port_throughput_rows', column: 'port_locode', except: ['ports', 'port_aliases'] },
];

export interface CitusStep {
  readonly table: string;
  readonly kind: 'reference' | 'distributed';
  /** The distribution column of a distributed table. */
  readonly column?: string;
  /** `none` for a group's anchor (a new colocation group), else the anchor's name. */
  readonly colocateWith?: string;
  /** The statement, as issued. */
  readonly statement: string;
}

interface TableFacts {
  readonly name: string;
  /** Column name → [type, not null]. */
  readonly columns: Map<string, { type: string; notNull: boolean }>;
  /** The columns of each unique index (primary key included). */
  readonly uniqueIndexes: string[][];
  /** Tables this one's foreign keys point at. */
  readonly references: Set<string>;
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The base tables of the warehouse's schema (partitions are distributed with their parent). */
async function readCatalog(session: SqlSession): Promise<Map<string, TableFacts>> {
  const columns = await session.all<{
    table_name: string;
    column_name: string;
    type: string;
    not_null: boolean;
  }>(
    `select c.relname as table_name, a.attname as column_name,
            format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
       from pg_class c join pg_attribute a on a.attrelid = c.oid
      where c.relnamespace = cast(current_schema() as regnamespace) and c.relkind in ('r', 'p')
        and not c.relispartition and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
  );
  const tables = new Map<string, TableFacts>();
  for (const row of columns) {
    let facts = tables.get(row.table_name);
    if (facts === undefined) {
      facts = { name: row.table_name, columns: new Map(), uniqueIndexes: [], references: new Set() };
      tables.set(row.table_name, facts);
    }
    facts.columns.set(row.column_name, { type: row.type, notNull: row.not_null });
  }
  const indexes = await session.all<{ table_name: string; columns: string }>(
    `select t.relname as table_name,
            string_agg(a.attname, ',' order by k.ord) as columns
       from pg_index i
       join pg_class t on t.oid = i.indrelid
       cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
       join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      where i.indisunique and t.relnamespace = cast(current_schema() as regnamespace)
      group by t.relname, i.indexrelid`,
  );
  for (const row of indexes) tables.get(row.table_name)?.uniqueIndexes.push(row.columns.split(','));
  const keys = await session.all<{ table_name: string; referenced: string }>(
    `select c.conrelid::regclass::text as table_name, c.confrelid::regclass::text as referenced
       from pg_constraint c join pg_class t on t.oid = c.conrelid
      where c.contype = 'f' and t.relnamespace = cast(current_schema() as regnamespace)`,
  );
  for (const row of keys) tables.get(row.table_name)?.references.add(row.referenced);
  return tables;
}

/** Why `column` cannot distribute `table` on Citus; null when it can. */
function distributionProblem(table: TableFacts, column: string): string | null {
  const facts = table.columns.get(column);
  if (facts === undefined) return `it has no column ${column}`;
  if (!facts.notNull) return `${column} may be NULL, and Citus cannot place a row without it`;
  const without = table.uniqueIndexes.find((index) => !index.includes(column));
  if (without !== undefined)
    return `its unique index on (${without.join(', ')}) does not contain ${column}, and Citus enforces uniqueness only within a shard`;
  return null;
}

/** Tables in an order where each comes after the tables its foreign keys point at. */
function referencedFirst(names: string[], tables: Map<string, TableFacts>): string[] {
  const placed = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const target of [...(tables.get(name)?.references ?? [])].sort())
      if (names.includes(target)) visit(target, path);
    placed.add(name);
    order.push(name);
  };
  for (const name of [...names].sort()) visit(name, new Set());
  return order;
}

/**
 * The statements that lay a migrated warehouse out on Citus, in the order to issue them:
 * reference tables first (a distributed table's foreign keys may point only at those), then each
 * colocation group, its anchor first. `already` names tables Citus distributes already (a
 * second `init --citus` after derive created new indicator tables).
 */
export async function citusLayout(
  session: SqlSession,
  already: ReadonlySet<string> = new Set(),
): Promise<CitusStep[]> {
  const tables = await readCatalog(session);
  const distributed = new Map<string, { column: string; colocateWith: string }>();
  for (const group of GROUPS) {
    const anchor = tables.get(group.anchor);
    if (anchor === undefined) continue;
    const problem = distributionProblem(anchor, group.column);
    if (problem !== null)
      throw new WarehouseError(
        `${group.anchor} cannot be distributed by ${group.column} on Citus: ${problem}. The warehouse's schema is not the one this version of Corridor expects; run "corridor init" first.`,
        { code: 'warehouse_error' },
      );
    const anchorType = anchor.columns.get(group.column)!.type;
    distributed.set(group.anchor, { column: group.column, colocateWith: 'none' });
    for (const table of [...tables.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (distributed.has(table.name) || group.except?.includes(table.name)) continue;
      // Colocated tables must hash the same type: the same value then lands on the same node.
      if (table.columns.get(group.column)?.type !== anchorType) continue;
      if (distributionProblem(table, group.column) !== null) continue;
      distributed.set(table.name, { column: group.column, colocateWith: group.anchor });
    }
  }
  const reference = [...tables.keys()].filter((name) => !distributed.has(name));
  for (const name of reference) {
    const pointsAt = [...(tables.get(name)?.references ?? [])].find((target) => distributed.has(target));
    if (pointsAt !== undefined)
      throw new WarehouseError(
        `${name} would be a reference table with a foreign key to the distributed table ${pointsAt}, which Citus refuses.`,
        { code: 'warehouse_error' },
      );
  }
  const steps: CitusStep[] = referencedFirst(reference, tables).map((table) => ({
    table,
    kind: 'reference',
    statement: `select create_reference_table(${literal(table)})`,
  }));
  for (const group of GROUPS) {
    const members = [...distributed].filter(
      ([name, d]) => name === group.anchor || d.colocateWith === group.anchor,
    );
    for (const [table, { column, colocateWith }] of members.sort(([a], [b]) =>
      a === group.anchor ? -1 : b === group.anchor ? 1 : a.localeCompare(b),
    ))
      steps.push({
        table,
        kind: 'distributed',
        column,
        colocateWith,
        statement: `select create_distributed_table(${literal(table)}, ${literal(column)}, colocate_with => ${literal(colocateWith)})`,
      });
  }
  return steps.filter((step) => !already.has(step.table));
}

/**
 * The tables Citus already knows (its metadata table, in pg_catalog, found by the search path
 * like its functions), or none where Citus is absent.
 */
async function distributedAlready(session: SqlSession): Promise<Set<string>> {
  const catalog = await session.value<string | null>(`select to_regclass('pg_dist_partition')::text`);
  if (catalog === null || catalog === undefined) return new Set();
  const rows = await session.all<{ name: string }>(
    'select logicalrelid::regclass::text as name from pg_dist_partition',
  );
  return new Set(rows.map((r) => r.name));
}

/**
 * Issues the layout on a Citus coordinator. Fails before issuing anything when the database
 * has no Citus functions (plain PostgreSQL), naming the fix.
 */
export async function applyCitusLayout(warehouse: Warehouse): Promise<CitusStep[]> {
  const { sql: session, path: label } = warehouse;
  if (warehouse.backend !== 'postgres')
    throw new WarehouseError(
      `--citus lays a PostgreSQL warehouse out on a Citus cluster; ${label} is a SQLite file. Give --db the coordinator's postgres:// URL.`,
      { code: 'citus_missing', exitCode: 2 },
    );
  const functions = await session.value<number>(
    `select count(*) from pg_proc
      where proname in ('create_distributed_table', 'create_reference_table') and pg_function_is_visible(oid)`,
  );
  if ((functions ?? 0) < 2)
    throw new WarehouseError(
      `${label} is not a Citus coordinator: create_distributed_table and create_reference_table are not there. Run "create extension citus" on the coordinator first (docs/citus.md), or run "corridor init" without --citus.`,
      { code: 'citus_missing', exitCode: 2 },
    );
  const steps = await citusLayout(session, await distributedAlready(session));
  // One step at a time, not one transaction: Citus copies each table's rows to its shards as
  // it distributes it, and a table already laid out stays laid out if a later one fails.
  for (const step of steps) await session.exec(step.statement);
  return steps;
}
