/**
 * The derive cases on SQLite: `corridor derive` timed as a user runs it, its wall time split
 * by the warehouse journal into the refresh of the indicator tables (derive_runs.duration_ms)
 * and the rest (the post-refresh checks, start-up), with the indicator rows it wrote.
 */
import { join } from 'node:path';
import { openSqlite } from '../../src/db/driver.ts';
import { bundleIsFresh, TSX_NOTE } from './bundle-state.ts';
import type { CaseResult, DeriveFigures } from './case-figures.ts';
import { type BenchContext, copyWarehouse, errorLine, prepareLoad, removeDatabase } from './cases.ts';
import { figuresOf, measureProcess } from './measure-process.ts';

/** The journal's record of the latest refresh: how it ran, how long it took, the rows it wrote. */
export interface DeriveJournal {
  readonly mode: string;
  readonly status: string;
  readonly durationMs: number | null;
  readonly indicatorRows: number | null;
}

/** The refresh figures of a derive that took `wallS` in all. */
export function deriveFigures(wallS: number, journal: DeriveJournal | null): DeriveFigures {
  const refreshS = journal?.durationMs == null ? null : journal.durationMs / 1000;
  return {
    refreshS,
    checksS: refreshS === null ? null : Math.max(0, wallS - refreshS),
    indicatorRows: journal?.indicatorRows ?? null,
  };
}

function lastDerive(db: string): DeriveJournal | null {
  const sqlite = openSqlite(db, { readonly: true, fileMustExist: true });
  try {
    const run = sqlite
      .prepare('select derive_id, mode, status, duration_ms from derive_runs order by derive_id desc limit 1')
      .get() as { derive_id: number; mode: string; status: string; duration_ms: number | null } | undefined;
    if (run === undefined) return null;
    const { n } = sqlite
      .prepare('select coalesce(sum(rows_written), 0) as n from derive_tables where derive_id = ?')
      .get(run.derive_id) as { n: number };
    return { mode: run.mode, status: run.status, durationMs: run.duration_ms, indicatorRows: n };
  } finally {
    sqlite.close();
  }
}

/** `corridor derive` on `db`, checked against the mode the journal should show. */
async function corridorDerive(
  ctx: BenchContext,
  group: string,
  label: string,
  db: string,
  rows: number,
  expectMode: 'full' | 'incremental',
): Promise<CaseResult> {
  const args = [join(ctx.root, 'bin', 'corridor.js'), '--db', db, '--quiet', 'derive'];
  const bundled = bundleIsFresh(ctx.root);
  const m = await measureProcess(process.execPath, args, ctx.root);
  let journal: DeriveJournal | null = null;
  let error: string | null = m.exitCode === 0 ? null : errorLine(m);
  if (error === null) {
    try {
      journal = lastDerive(db);
      if (journal?.status !== 'succeeded' || journal.mode !== expectMode)
        error = `journal says ${journal?.mode ?? 'no'} refresh ${journal?.status ?? ''}, expected ${expectMode}`;
    } catch (cause) {
      error = `reading the derive journal of ${db}: ${(cause as Error).message}`;
    }
  }
  return {
    group,
    label,
    rows,
    ...figuresOf(m),
    error,
    notes: bundled ? [] : [TSX_NOTE],
    derive: deriveFigures(m.wallS, journal),
  };
}

/** The first refresh of a copy of the prepared one-year warehouse; the copy is removed after. */
export async function deriveOneYear(
  ctx: BenchContext,
  label: string,
  prepared: string,
  rows: number,
  keep: boolean,
): Promise<CaseResult> {
  const db = copyWarehouse(prepared, ctx.nextDb());
  const result = await corridorDerive(ctx, 'derive1y', label, db, rows, 'full');
  if (!keep) removeDatabase(db);
  return result;
}

/**
 * The indicator refresh: five BACI years loaded without it (untimed), then the first refresh
 * of every table (full), then a revised 2019 loaded and the refresh of what it changed.
 */
export async function deriveRefreshes(ctx: BenchContext, size: string): Promise<[CaseResult, CaseResult]> {
  const years = [2015, 2016, 2017, 2018, 2019];
  const files: string[] = [];
  for (const year of years) files.push(await ctx.inputs.baci(year));
  const rows = files.reduce((n, f) => n + ctx.inputs.rowsOf(f), 0);
  const db = ctx.nextDb();
  ctx.log(`  set-up: loading ${years.join(', ')} without refreshing the indicators (untimed)…`);
  await prepareLoad(ctx, db, files, 'baci');
  const first = await corridorDerive(
    ctx,
    'derive',
    `corridor derive: first refresh, 5 BACI years of ${size}`,
    db,
    rows,
    'full',
  );
  ctx.log(
    `  ${first.label}: ${first.error ?? `${first.wallS?.toFixed(2)} s, ${first.rssMB?.toFixed(0)} MiB`}`,
  );
  const revised = await ctx.inputs.baciRevised2019();
  await prepareLoad(ctx, db, [revised], 'baci');
  const again = await corridorDerive(
    ctx,
    'derive',
    'corridor derive: refresh after the 2019 slice was replaced',
    db,
    ctx.inputs.rowsOf(revised),
    'incremental',
  );
  return [first, again];
}
