/**
 * Loading a bureau table through the CLI into a warehouse and reading back what it loaded: the
 * figures by partner that are countries (by the warehouse's own country reference, so that a
 * group stored under a special code is never counted as one), and everything a refusal told
 * the user (terminal, journal, rejects).
 */
import { existsSync } from 'node:fs';
import { type CliRun, cli } from './run-cli.ts';
import { query } from './warehouse-query.ts';

/** `corridor load` as a user runs it; the indicators are not rebuilt, as no test here reads them. */
export const loadWith = (db: string, file: string, source: string, ...options: string[]): Promise<CliRun> =>
  cli(['load', file, '--source', source, '--db', db, '--no-derive', ...options]);

export interface Figure {
  readonly partner: string;
  readonly flow: string;
  readonly freq: string;
  readonly period: string;
  readonly value_usd: number;
}

/** The loaded figures whose partner the reference calls a country (kind 'country'). */
export function countryFigures(db: string): Figure[] {
  return query<Figure>(
    db,
    `select t.partner_iso3 as partner, t.flow, t.freq, t.period, t.value_usd
       from trade_flows t join countries c on c.iso3 = t.partner_iso3
      where c.kind = 'country'
      order by t.period, t.flow, t.partner_iso3`,
  );
}

/** Partners loaded that are not countries: World, areas n.e.s., and groups if they are stored. */
export function otherPartners(db: string): { partner: string; kind: string | null }[] {
  return query(
    db,
    `select distinct t.partner_iso3 as partner, c.kind
       from trade_flows t left join countries c on c.iso3 = t.partner_iso3
      where c.kind is null or c.kind <> 'country'
      order by 1`,
  );
}

export function figureOf(db: string, partner: string, flow: string, period: string): number | undefined {
  return query<{ v: number }>(
    db,
    'select value_usd as v from trade_flows where partner_iso3 = ? and flow = ? and period = ?',
    partner,
    flow,
    period,
  )[0]?.v;
}

/** Sum of the country figures of one flow and period, US dollars. */
export function countrySum(db: string, flow: string, period: string): number {
  return countryFigures(db)
    .filter((f) => f.flow === flow && f.period === period)
    .reduce((a, f) => a + f.value_usd, 0);
}

/** The distinct (flow, period) pairs loaded. */
export function flowsAndPeriods(db: string): string[] {
  return query<{ k: string }>(
    db,
    "select distinct flow || ' ' || period as k from trade_flows order by 1",
  ).map((r) => r.k);
}

/** Rows in trade_flows, or 0 when the warehouse was not even created. */
export function loadedRows(db: string): number {
  if (!existsSync(db)) return 0;
  return query<{ n: number }>(db, 'select count(*) as n from trade_flows')[0]!.n;
}

export function rejectCount(db: string): number {
  if (!existsSync(db)) return 0;
  return query<{ n: number }>(db, 'select count(*) as n from rejects')[0]!.n;
}

/** What the journal says of each file: its status, error code and notes. */
export function journal(db: string): {
  file_name: string;
  status: string;
  error_code: string | null;
  error_message: string | null;
  notes: string | null;
}[] {
  if (!existsSync(db)) return [];
  return query(
    db,
    'select file_name, status, error_code, error_message, notes from load_files order by load_id',
  );
}

/**
 * Everything the user can read about a load: what the CLI printed, the journal's error
 * messages and notes, and the rejects' messages.
 */
export function told(db: string, run: CliRun): string {
  const parts = [run.stdout, run.stderr];
  for (const f of journal(db)) parts.push(f.error_message ?? '', f.notes ?? '');
  if (existsSync(db))
    parts.push(...query<{ m: string }>(db, 'select message as m from rejects').map((r) => r.m));
  return parts.join('\n');
}
