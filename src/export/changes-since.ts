/**
 * A changes export (`corridor export <fact table> --since <run>`): what changed in a fact view
 * after a run, for a copy of the table exported then. Instead of every current row it reads the
 * view's history: the rows to merge (a new or changed figure, at its current value) and the keys
 * to delete (a figure the warehouse no longer holds, as its last version), each with an `action`
 * column (RowAction). This file checks that the warehouse can answer (checkChanges) and prepares
 * the statement (prepareChanges); export-source.ts opens the warehouse and streams the rows.
 * See docs/vintages.md, "Exports of revisions".
 */
import type { TableDoc } from '../../warehouse/dictionary/table-doc.ts';
import { PORT_THROUGHPUT_ROWS, TRADE_FLOW_ROWS } from '../../warehouse/fact-tables.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { ConfigError, ExitCode, WarehouseError } from '../errors.ts';
import { hasRelation } from './catalog.ts';
import { type Prepared, quoteName, shapeOf } from './table-shape.ts';

/**
 * What a row of a changes export (`--since <run>`) asks of a copy made at that run, in its
 * `action` column: `merge`, a new or changed figure at its current value; `delete`, a figure the
 * warehouse no longer holds (the row shows its last version).
 */
export type RowAction = 'merge' | 'delete';

/** The column a changes export adds after the table's own. */
export const ACTION_COLUMN = 'action';

/**
 * The fact views a changes export reads: each with the view of its versions and the columns
 * that identify a figure as the view shows it (the stored natural key; for ports the view's
 * cargo_group, which is what an export writes).
 */
const CHANGE_VIEWS: Readonly<Record<string, { readonly history: string; readonly key: readonly string[] }>> =
  {
    trade_flows: { history: TRADE_FLOW_ROWS.history, key: TRADE_FLOW_ROWS.key },
    port_throughput: { history: PORT_THROUGHPUT_ROWS.history, key: PORT_THROUGHPUT_ROWS.key },
  };

/** The tables `--since` takes. */
export const CHANGE_TABLES: readonly string[] = Object.keys(CHANGE_VIEWS);

/**
 * What changed in a fact view after run `since`, for a copy exported then: the loads of later
 * runs are the window.
 *
 * - `merge`: every current row a window load opened (a new key, a changed value, a figure a
 *   revert reopened), at its current value.
 * - `delete`: every key a window load retired or reverted that holds no current version now,
 *   once, as its last version. A key changed and then reverted inside the window comes out as
 *   it stands now: current, a merge at its current value; gone, a delete.
 *
 * Keys are compared as the view shows them, which is what an export writes: two stored figures
 * that one view row cannot tell apart are one key here.
 */
export async function prepareChanges(
  warehouse: Warehouse,
  name: string,
  doc: TableDoc | null,
  since: number,
): Promise<Prepared> {
  const view = CHANGE_VIEWS[name]!;
  const shape = await shapeOf(warehouse, name, doc);
  const list = (alias: string) => shape.names.map((c) => `${alias}.${quoteName(c)}`).join(', ');
  const sameKey = view.key
    .map((c) => warehouse.flavor.isNotDistinct(`c.${quoteName(c)}`, `d.${quoteName(c)}`))
    .join(' and ');
  const position = (column: string) => shape.names.indexOf(column) + 1;
  // `since` is a whole run id (checked by the command), written in the text: the statement runs
  // through a cursor on PostgreSQL, which takes no parameters.
  const sql = `with window_loads as (select load_id from load_files where run_id > ${Math.floor(since)}),
gone as (
  select ${list('d')},
         row_number() over (partition by ${view.key.map((c) => `d.${quoteName(c)}`).join(', ')}
                            order by d.valid_to_load desc) as nth
  from ${quoteName(view.history)} d
  where d.valid_to_load in (select load_id from window_loads)
    and d.closed_by in ('retired', 'reverted')
    and not exists (select 1 from ${quoteName(name)} c where ${sameKey})
)
select ${list('m')}, 'merge' as ${ACTION_COLUMN} from ${quoteName(name)} m
where m.load_id in (select load_id from window_loads)
union all
select ${list('g')}, 'delete' from gone g where g.nth = 1
order by ${shape.order.map(position).join(', ')}`;
  return {
    sql,
    columns: [
      ...shape.columns,
      {
        name: ACTION_COLUMN,
        type: 'text',
        description: `What the row asks of a copy of ${name} made at run ${since}: merge (a new or changed figure, at its current value) or delete (a figure no longer held; the row shows its last version).`,
      },
    ],
    declared: [...shape.declared, true],
    key: shape.key,
  };
}

/** `--since` with a `--query`: a query has no history to compare. */
export function refuseChangesOfQuery(): never {
  throw new ConfigError(
    `--since exports what changed in a fact table after a run; it takes ${CHANGE_TABLES.join(' and ')}, not a --query.`,
    { code: 'bad_arguments' },
  );
}

/**
 * Refuses a changes export the warehouse cannot answer: anything but a fact view, a warehouse
 * without versions, a run it never had. All exit 2.
 */
export async function checkChanges(
  warehouse: Warehouse,
  table: string | null,
  since: number,
  path: string,
): Promise<void> {
  const takes = CHANGE_TABLES.join(' and ');
  if (table === null) refuseChangesOfQuery();
  const view = CHANGE_VIEWS[table];
  if (view === undefined) {
    throw new ConfigError(
      `--since exports what changed in a fact table after a run; it takes ${takes}, not ${table}. Export ${table} whole, without --since.`,
      { code: 'bad_arguments' },
    );
  }
  if (!(await hasRelation(warehouse, view.history))) {
    throw new WarehouseError(
      `The warehouse ${path} keeps no versions yet, so it cannot tell what changed since run ${since}: upgrade it with "corridor init --db ${path}" (or any load), then export.`,
      { code: 'warehouse_outdated', exitCode: ExitCode.Usage },
    );
  }
  if ((await warehouse.sql.value('select 1 from load_runs where run_id = ?', [since])) === undefined) {
    const last = ((await warehouse.sql.value('select max(run_id) from load_runs')) ?? null) as number | null;
    throw new ConfigError(
      `--since ${since}: no run ${since} in the warehouse ${path}${last === null ? ' (it has no runs yet)' : ` (runs go up to ${last})`}. "corridor runs" lists them.`,
      { code: 'unknown_run' },
    );
  }
}
