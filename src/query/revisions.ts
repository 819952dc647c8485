/**
 * `corridor revisions`: what each load changed in the fact tables, figure by figure: the keys
 * it added, the figures it changed (old → new value), the rows it retired or reverted, and the
 * versions a revert reopened. Read from the history views (migration 0008), so it is exactly
 * what `--as-of` sees on either side of a load.
 */
import { PORT_THROUGHPUT_ROWS, TRADE_FLOW_ROWS } from '../../warehouse/fact-tables.ts';
import type { SqlFlavor } from '../db/sql-flavor.ts';

export interface RevisionFilter {
  readonly source?: string;
  /** A reporter (ISO alpha-3) or, for ports, a port's UN/LOCODE. */
  readonly reporter?: string;
  readonly period?: string;
  /** Only the loads of this run. */
  readonly run?: number;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

interface FactHistory {
  readonly history: string;
  readonly key: readonly string[];
  readonly reporter: string;
  readonly partner: string;
  readonly flow: string;
  readonly product: string;
  readonly value: string;
  /** The columns a revision compares, as the history view shows them. */
  readonly compared: readonly string[];
}

const TRADE: FactHistory = {
  history: 'trade_flows_history',
  key: TRADE_FLOW_ROWS.key,
  reporter: 'reporter_iso3',
  partner: 'partner_iso3',
  flow: 'flow',
  product: "hs_edition || ' ' || hs_code",
  value: 'value_usd',
  compared: TRADE_FLOW_ROWS.values,
};

const PORT: FactHistory = {
  history: 'port_throughput_history',
  key: PORT_THROUGHPUT_ROWS.key,
  reporter: 'port_locode',
  partner: 'cargo_group',
  flow: 'direction',
  product: "commodity_raw || ' (' || unit || ')'",
  value: 'quantity',
  // The view shows the label, not its folded key.
  compared: PORT_THROUGHPUT_ROWS.values.filter((c) => c !== 'commodity_key'),
};

/** The columns every revision row has, in order. */
export const REVISION_COLUMNS = [
  'load_id',
  'change',
  'source',
  'reporter',
  'partner',
  'flow',
  'period',
  'product',
  'old_value',
  'new_value',
  'changed_columns',
] as const;

function revisionsOf(flavor: SqlFlavor, t: FactHistory, filter: RevisionFilter, loads: string): string {
  const where = [
    filter.source === undefined ? null : `source = ${quote(filter.source)}`,
    filter.reporter === undefined ? null : `${t.reporter} = ${quote(filter.reporter)}`,
    filter.period === undefined ? null : `period = ${quote(filter.period)}`,
  ].filter((w) => w !== null);
  const v = `(select * from ${t.history}${where.length > 0 ? ` where ${where.join(' and ')}` : ''})`;
  const sameKey = t.key.map((c) => flavor.isNotDistinct(`o.${c}`, `n.${c}`)).join(' and ');
  const shown = (a: string) =>
    `${a}.source, ${a}.${t.reporter}, ${a}.${t.partner}, ${a}.${t.flow}, ${a}.period, ${t.product.replace(/\b(hs_edition|hs_code|commodity_raw|unit)\b/g, `${a}.$1`)}`;
  // Which figures of a changed key differ: the value, or a weight, a quantity, a flag beside it.
  const changedColumns = `trim(${t.compared.map((c) => `case when ${flavor.isDistinct(`o.${c}`, `n.${c}`)} then '${c} ' else '' end`).join(' || ')})`;
  return `
    select n.valid_from_load, 'changed', ${shown('n')}, o.${t.value}, n.${t.value}, ${changedColumns}
    from ${v} n join ${v} o on o.valid_to_load = n.valid_from_load and o.closed_by = 'changed' and ${sameKey}
    where n.valid_from_load in ${loads}
    union all
    select o.valid_to_load, o.closed_by, ${shown('o')}, o.${t.value}, null, null
    from ${v} o where o.closed_by in ('retired', 'reverted') and o.valid_to_load in ${loads}
    union all
    select n.valid_from_load, case when f.reverts_load_id is null then 'added' else 'reopened' end, ${shown('n')}, null, n.${t.value}, null
    from ${v} n join load_files f on f.load_id = n.valid_from_load
    where n.valid_from_load in ${loads}
      and not exists (select 1 from ${v} o where o.valid_to_load = n.valid_from_load and o.closed_by = 'changed' and ${sameKey})`;
}

/** The SQL that lists revisions, loads in order, then by kind and key. */
export function revisionsQuery(flavor: SqlFlavor, filter: RevisionFilter): string {
  const loads = `(select load_id from load_files where status = 'loaded'${filter.run === undefined ? '' : ` and run_id = ${Math.floor(filter.run)}`}${filter.source === undefined ? '' : ` and source = ${quote(filter.source)}`})`;
  return `select * from (${revisionsOf(flavor, TRADE, filter, loads)} union all ${revisionsOf(flavor, PORT, filter, loads)}) as revisions
    order by 1, 2, 3, 4, 5, 6, 7, 8`;
}

/** One line per load the filter covers: its file and what it did, from the journal. */
export function loadSummaryQuery(filter: RevisionFilter): string {
  const where = [
    "status = 'loaded'",
    filter.run === undefined ? null : `run_id = ${Math.floor(filter.run)}`,
    filter.source === undefined ? null : `source = ${quote(filter.source)}`,
  ].filter((w) => w !== null);
  return `select load_id, run_id, source, file_name, release, rows_inserted, rows_changed, rows_unchanged, rows_retired,
      rows_reopened, reverts_load_id, reverted_by
    from load_files where ${where.join(' and ')} order by load_id`;
}
