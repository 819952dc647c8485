/**
 * What one bench case measured, on either backend: the figures of its run (or of its median
 * run), and, for the cases issue 22 sets targets for, the ratio to its floor and the peak-RSS
 * limit. The table (report.ts) and the JSON (results-file.ts) print these fields and no others.
 */

export interface CaseResult {
  /** The `--only` group the case belongs to. */
  readonly group: string;
  readonly label: string;
  readonly rows: number;
  readonly wallS: number | null;
  readonly rssMB: number | null;
  /** Why the case produced no figure (the command's own error line when it has one). */
  readonly error: string | null;
  readonly notes: readonly string[];
  /** The 1-minute load average when the (median) run started: others' work skews a figure. */
  readonly loadAverage?: number;
  /** A `corridor derive` case: where its wall time went and what it wrote. */
  readonly derive?: DeriveFigures;
  /** The case against its floor, when both ran. */
  readonly ratio?: CaseRatio;
  /** The peak-RSS target (MiB): met below it. */
  readonly rssBelowMB?: number;
  /** A median-of-N case: every run, in the order they ran. */
  readonly runs?: readonly RunFigures[];
}

/** Where a derive's wall time went, from the warehouse journal. */
export interface DeriveFigures {
  /** derive_runs.duration_ms of the refresh: the indicator tables alone. */
  readonly refreshS: number | null;
  /** Wall time minus the refresh: the post-refresh checks, plus process start-up and set-up. */
  readonly checksS: number | null;
  /** Sum of derive_tables.rows_written for that refresh. */
  readonly indicatorRows: number | null;
}

export interface RunFigures {
  readonly wallS: number | null;
  readonly rssMB: number | null;
  readonly loadAverage: number | null;
  readonly derive?: DeriveFigures;
  readonly error: string | null;
}

/** A case against its floor (or reference). */
export interface CaseRatio {
  readonly value: number;
  /** What it is measured against: `sqlite3 .import`, `psql \copy`, `the one-year derive`… */
  readonly of: string;
  /**
   * `rate`: the case's rows/s over the floor's, higher is better, the target is a least value;
   * `time`: the case's wall time as a multiple of the floor's, lower is better, the target is
   * a greatest value.
   */
  readonly kind: 'rate' | 'time';
  /** The floor's wall time (its median run's), s. */
  readonly floorS: number | null;
  readonly target: number | null;
  readonly met: boolean | null;
}

/** `0.52 of sqlite3 .import` (rows/s) or `3.10× sqlite3 .import` (time). */
export function ratioText(r: CaseRatio): string {
  return r.kind === 'rate' ? `${r.value.toFixed(2)} of ${r.of}` : `${r.value.toFixed(2)}× ${r.of}`;
}

export const succeeded = (c: CaseResult | undefined): c is CaseResult & { wallS: number } =>
  c !== undefined && c.error === null && c.wallS !== null && c.wallS > 0;

type Ratio = (
  mine: CaseResult | undefined,
  floor: CaseResult | undefined,
  of: string,
  target: number | null,
) => CaseRatio | undefined;

const against =
  (kind: CaseRatio['kind']): Ratio =>
  (mine, floor, of, target) => {
    if (!succeeded(mine) || !succeeded(floor)) return undefined;
    const value =
      kind === 'rate' ? mine.rows / mine.wallS / (floor.rows / floor.wallS) : mine.wallS / floor.wallS;
    const met = target === null ? null : kind === 'rate' ? value >= target : value <= target;
    return { value, of, kind, floorS: floor.wallS, target, met };
  };

/** The case's rows/s over the floor's; undefined unless both succeeded. */
export const rateRatio = against('rate');

/** The case's wall time as a multiple of the floor's; undefined unless both succeeded. */
export const timeRatio = against('time');

/** Whether the case meets its peak-RSS target; null when it has none or no figure. */
export const rssMet = (c: CaseResult): boolean | null =>
  c.rssBelowMB === undefined || c.rssMB === null || c.error !== null ? null : c.rssMB < c.rssBelowMB;

/**
 * The case's figure from its runs: the median run by wall time (the slower of the middle two
 * for an even count) with the highest peak RSS of all runs, since an RSS target holds at every
 * run. Failed runs are named in the notes; the case fails only when every run did.
 */
export function medianOfRuns(runs: readonly CaseResult[]): CaseResult {
  if (runs.length === 0) throw new Error('medianOfRuns: no runs');
  const each: RunFigures[] = runs.map((r) => ({
    wallS: r.wallS,
    rssMB: r.rssMB,
    loadAverage: r.loadAverage ?? null,
    ...(r.derive === undefined ? {} : { derive: r.derive }),
    error: r.error,
  }));
  const good = runs.filter(succeeded).sort((a, b) => a.wallS - b.wallS);
  const failed = runs.filter((r) => !succeeded(r));
  if (good.length === 0) return { ...runs[0]!, runs: each };
  const median = good[Math.ceil((good.length - 1) / 2)]!;
  const rss = good.map((r) => r.rssMB).filter((m): m is number => m !== null);
  const notes = [...median.notes];
  if (runs.length > 1)
    notes.push(`median of ${good.length} runs: ${good.map((r) => r.wallS.toFixed(2)).join(', ')} s`);
  if (failed.length > 0)
    notes.push(`${failed.length} of ${runs.length} runs failed: ${failed.map((r) => r.error).join('; ')}`);
  return { ...median, rssMB: rss.length === 0 ? null : Math.max(...rss), notes, runs: each };
}

/**
 * Alternating runs: each round runs every step once, in order (floor, case, floor, case…), so
 * a change in the machine's load falls on both sides alike. Returns each step's runs.
 */
export async function alternate(
  rounds: number,
  steps: readonly (() => Promise<CaseResult>)[],
  log: (line: string) => void,
): Promise<CaseResult[][]> {
  const runs: CaseResult[][] = steps.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    for (const [i, step] of steps.entries()) {
      const r = await step();
      runs[i]!.push(r);
      const figure =
        r.error === null
          ? `${r.wallS?.toFixed(2)} s, ${r.rssMB?.toFixed(0)} MiB, load ${r.loadAverage?.toFixed(2) ?? '?'}`
          : `FAILED: ${r.error}`;
      log(`    ${r.label}${rounds > 1 ? ` (run ${round} of ${rounds})` : ''}: ${figure}`);
    }
  }
  return runs;
}

/** The case with its ratio (when both sides ran) and its peak-RSS target. */
export function withTargets(c: CaseResult, ratio: CaseRatio | undefined, rssBelowMB?: number): CaseResult {
  return {
    ...c,
    ...(ratio === undefined ? {} : { ratio }),
    ...(rssBelowMB === undefined ? {} : { rssBelowMB }),
  };
}

/**
 * Issue 22's measure: `rounds` runs of a case alternating with its floor (the floor first), the
 * median of each side, the case's with its ratio to the floor's and its RSS target. Without a
 * floor (no sqlite3 CLI) the case runs alone.
 */
export async function medianAgainstFloor(
  rounds: number,
  floorRun: (() => Promise<CaseResult>) | null,
  caseRun: () => Promise<CaseResult>,
  ratio: (mine: CaseResult, floor: CaseResult | undefined) => CaseRatio | undefined,
  rssBelowMB: number | undefined,
  log: (line: string) => void,
): Promise<{ mine: CaseResult; floor: CaseResult | undefined }> {
  const runs = await alternate(rounds, floorRun === null ? [caseRun] : [floorRun, caseRun], log);
  const floor = floorRun === null ? undefined : medianOfRuns(runs[0]!);
  const median = medianOfRuns(runs.at(-1)!);
  const mine = withTargets(median, ratio(median, floor), rssBelowMB);
  const figure =
    mine.error === null ? `median ${mine.wallS?.toFixed(2)} s, peak ${mine.rssMB?.toFixed(0)} MiB` : 'FAILED';
  log(`  ${mine.label}: ${figure}${mine.ratio === undefined ? '' : `; ${ratioText(mine.ratio)}`}`);
  return { mine, floor };
}
