/**
 * `corridor sql --as-of <run | date | release>`: the warehouse as it stood then. The answer is
 * a load id N (the last load that had finished by then); `trade_flows` and `port_throughput`
 * are then read from their history views as the versions current at N: those with
 * `valid_from_load <= N` and not closed by N. Views over them (`trade_by_category`,
 * `trade_flows_converted`) follow. The derived `ind_*` tables are not versioned: they hold
 * today's refresh.
 */
import { QueryRefusedError } from '../errors.ts';

/** What `--as-of` named, resolved. */
export interface AsOf {
  /** The last load the answer includes. */
  readonly loadId: number;
  /** In words, for the terminal: "run 3 (through load 7)". */
  readonly described: string;
}

/** The warehouse's SQL session, or anything that answers a query's first value. */
interface Lookup {
  value(sql: string, params?: readonly unknown[]): Promise<unknown>;
}

const refuse = (message: string) => new QueryRefusedError(message, { code: 'bad_as_of' });

/**
 * A run id (digits), an ISO date or timestamp (`2024-06-30`, `2024-06-30T12:00Z`: loads that
 * finished by then; a date alone means the end of that day, UTC), or a release label that a
 * load stored (`V202401b`).
 */
export async function resolveAsOf(
  db: Lookup,
  text: string,
  groupConcat: (expression: string, separator: string) => string,
): Promise<AsOf> {
  const loaded = "status = 'loaded'";
  if (/^\d+$/.test(text)) {
    const run = Number(text);
    const id = (await db.value(`select max(load_id) from load_files where run_id <= ? and ${loaded}`, [
      run,
    ])) as number | null;
    const exists = await db.value('select 1 from load_runs where run_id = ?', [run]);
    if (exists === undefined) throw refuse(`No run ${run} in this warehouse; "corridor runs" lists them.`);
    return { loadId: id ?? 0, described: `run ${run} (through load ${id ?? 0})` };
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const instant = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59.999Z` : text;
    const time = Date.parse(instant);
    if (Number.isNaN(time))
      throw refuse(`"${text}" is not a date: write 2024-06-30, or a time such as 2024-06-30T08:00Z.`);
    const id = (await db.value(`select max(load_id) from load_files where finished_at <= ? and ${loaded}`, [
      new Date(time).toISOString(),
    ])) as number | null;
    return { loadId: id ?? 0, described: `${text} (through load ${id ?? 0})` };
  }
  const id = (await db.value(`select max(load_id) from load_files where release = ? and ${loaded}`, [
    text,
  ])) as number | null;
  if (id === null || id === undefined) {
    const known = (await db.value(
      `select ${groupConcat('release', ', ')} from (select distinct release from load_files where release is not null order by release) as r`,
    )) as string | null;
    throw refuse(
      `--as-of "${text}" is neither a run id, a date (2024-06-30) nor a release a load stored${known ? ` (releases: ${known})` : ' (no load stored a release yet)'}.`,
    );
  }
  return { loadId: id, described: `release ${text} (through load ${id})` };
}

/**
 * The versions of a history view current at load N. `schema` names the warehouse's own schema
 * (SQLite `main.`, PostgreSQL unqualified: its temporary views never shadow a history view).
 */
const currentAt = (history: string, n: number, schema: string) =>
  `select * from ${schema}${history} where valid_from_load <= ${n} and (valid_to_load is null or valid_to_load > ${n})`;

/**
 * The statements that make a connection answer as of load N: temporary views that shadow the
 * fact views (unqualified names find `temp` first), and temporary copies of the views built on
 * them. Columns are those of the current views, so queries do not change.
 */
export function asOfStatements(
  n: number,
  viewsOverFacts: readonly { readonly name: string; readonly sql: string }[],
  columnsOf: (view: string) => readonly string[],
  schema = 'main.',
): string[] {
  // The subquery's alias is required by PostgreSQL, allowed by SQLite.
  const shadow = (view: string, history: string) =>
    `create temp view ${view} as select ${columnsOf(view).join(', ')} from (${currentAt(history, n, schema)}) as as_of`;
  return [
    shadow('trade_flows', 'trade_flows_history'),
    shadow('port_throughput', 'port_throughput_history'),
    ...viewsOverFacts.map((v) => v.sql.replace(/^\s*create\s+view/i, 'create temp view')),
  ];
}
