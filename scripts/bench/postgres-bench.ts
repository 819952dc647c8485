/**
 * The PostgreSQL pass of `npm run bench -- --db postgres://...` (issues 21 and 22): first loads
 * of the BACI and Comtrade files into fresh warehouses on that server, each alternating with
 * `psql \copy` of the same file (the floor), and the derive after the BACI year, timed against
 * the same `\copy`. Each case is the median of `ctx.rounds` runs; the table is the SQLite one.
 */
import {
  alternate,
  type CaseRatio,
  type CaseResult,
  medianOfRuns,
  rateRatio,
  timeRatio,
  withTargets,
} from './case-figures.ts';
import { caseTable, fmtInt, noteLines, targetLines } from './case-table.ts';
import type { BenchContext } from './cases.ts';
import { type PostgresLoadResult, postgresDerive, postgresLoad, psqlCopy } from './postgres-cases.ts';

const size = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** Issue 22 on PostgreSQL: a first load ≥ 0.5 of `\copy` (the merge writes twice), derive ≤ 5×. */
const LOAD_TARGET = 0.5;
const DERIVE_TARGET = 5;
const LOAD_RSS_MB = 256;
const DERIVE_RSS_MB = 512;
/** Issue 21's target for the 5M BACI load, in rows/s. */
const BACI5M_ROWS_PER_S = 300_000;

export async function postgresBench(
  ctx: BenchContext,
  adminUrl: string,
  groups: ReadonlySet<string>,
  keep: boolean,
): Promise<{ cases: CaseResult[]; ratios: Map<string, CaseRatio> }> {
  const { baciBig, baciYear, comtrade } = ctx.inputs.sizes;
  const results: CaseResult[] = [];
  /** Each load's database is dropped after its round, or kept (and named) with --keep. */
  const done = async (load: PostgresLoadResult) => {
    if (keep) ctx.log(`    kept: ${load.url}`);
    else await load.drop().catch(() => {});
  };

  /** Alternating `\copy` and load (and the derive after that load, when `deriveLabel` is given). */
  const loadCases = async (
    group: string,
    file: string,
    source: 'baci' | 'comtrade',
    what: string,
    deriveLabel: string | null,
  ) => {
    let last: PostgresLoadResult | null = null;
    const copy = () => psqlCopy(ctx, adminUrl, group, `psql \\copy ${what} (bare table)`, file, source);
    const load = async () => {
      last = await postgresLoad(ctx, adminUrl, group, `corridor load ${what} → PostgreSQL`, file, source);
      if (deriveLabel === null) await done(last);
      return last;
    };
    const derive = async () => {
      const loaded = last!;
      const r = await postgresDerive(ctx, loaded, deriveLabel!);
      await done(loaded);
      return r;
    };
    const runs = await alternate(
      ctx.rounds,
      deriveLabel === null ? [copy, load] : [copy, load, derive],
      ctx.log,
    );
    const floor = medianOfRuns(runs[0]!);
    const mine = medianOfRuns(runs[1]!);
    results.push(withTargets(mine, rateRatio(mine, floor, 'psql \\copy', LOAD_TARGET), LOAD_RSS_MB), floor);
    if (deriveLabel !== null) {
      const derived = medianOfRuns(runs[2]!);
      results.push(
        withTargets(derived, timeRatio(derived, floor, 'psql \\copy', DERIVE_TARGET), DERIVE_RSS_MB),
      );
    }
    return mine;
  };

  if (groups.has('baci1m') || groups.has('derive1y') || groups.has('derive')) {
    const withDerive = groups.has('derive1y') || groups.has('derive');
    ctx.log(`[baci1m${withDerive ? ', derive1y' : ''}, PostgreSQL]`);
    await loadCases(
      'baci1m',
      await ctx.inputs.baci(2019),
      'baci',
      `BACI CSV ${size(baciYear)}`,
      withDerive ? `corridor derive after BACI ${size(baciYear)} → PostgreSQL, checks included` : null,
    );
  }
  let baci5m: CaseResult | null = null;
  if (groups.has('baci5m')) {
    ctx.log('[baci5m, PostgreSQL]');
    baci5m = await loadCases(
      'baci5m',
      await ctx.inputs.baci(2020),
      'baci',
      `BACI CSV ${size(baciBig)}`,
      null,
    );
  }
  if (groups.has('comtrade1m')) {
    ctx.log('[comtrade1m, PostgreSQL]');
    await loadCases(
      'comtrade1m',
      await ctx.inputs.comtradeCsv(),
      'comtrade',
      `Comtrade CSV ${size(comtrade)}`,
      null,
    );
  }

  const ratioOf = (c: CaseResult) => c.ratio ?? null;
  ctx.log('');
  ctx.log(caseTable(results, ratioOf));
  const notes = noteLines(results);
  if (notes.length > 0) ctx.log('');
  for (const line of notes) ctx.log(line);
  ctx.log('');
  ctx.log('Targets (issue 22; ratios of medians of alternating runs):');
  for (const line of targetLines(results, ratioOf)) ctx.log(line);
  if (baci5m !== null && baci5m.error === null && baci5m.wallS) {
    const perSecond = baci5m.rows / baci5m.wallS;
    ctx.log('Targets (issue 21):');
    ctx.log(
      `  ${(perSecond >= BACI5M_ROWS_PER_S ? 'met' : 'NOT met').padEnd(7)} ${baci5m.label}: ${fmtInt(perSecond)} rows/s (target ≥ ${fmtInt(BACI5M_ROWS_PER_S)})`,
    );
  }
  const ratios = new Map<string, CaseRatio>();
  for (const c of results) if (c.ratio !== undefined) ratios.set(c.label, c.ratio);
  return { cases: results, ratios };
}
