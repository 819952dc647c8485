/**
 * The one table of every case (issue 22, point 4), the same on both backends: rows, wall time,
 * rows/s, the floor's time and the ratio to it, the target and whether it is met, peak RSS,
 * the derive split and the indicator rows, and the load average each figure was taken under.
 */
import { type CaseRatio, type CaseResult, ratioText, rssMet, succeeded } from './case-figures.ts';

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

export type RatioOf = (c: CaseResult) => CaseRatio | null;

function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** `≥ 0.9`, `≤ 5×`, with `RSS < 256` when the case has an RSS target. */
export function targetText(c: CaseResult, r: CaseRatio | null): string {
  const parts: string[] = [];
  if (r?.target != null) parts.push(r.kind === 'rate' ? `≥ ${r.target}` : `≤ ${r.target}×`);
  if (c.rssBelowMB !== undefined) parts.push(`RSS < ${c.rssBelowMB}`);
  return parts.join(', ');
}

/** Whether every target of the case is met; null when it has none or no figure for them. */
export function caseMet(c: CaseResult, r: CaseRatio | null): boolean | null {
  const verdicts = [r?.met ?? null, rssMet(c)].filter((v): v is boolean => v !== null);
  return verdicts.length === 0 ? null : verdicts.every(Boolean);
}

function metText(c: CaseResult, r: CaseRatio | null): string {
  const met = caseMet(c, r);
  if (met === null) return targetText(c, r) === '' ? '' : 'n/a';
  if (met) return 'met';
  const missed = [r?.met === false ? 'ratio' : null, rssMet(c) === false ? 'RSS' : null].filter(Boolean);
  return `NOT met (${missed.join(', ')})`;
}

function deriveText(c: CaseResult): string {
  const d = c.derive;
  if (d === undefined) return '';
  const s = (v: number | null) => (v === null ? '?' : v.toFixed(1));
  return `${s(d.refreshS)} / ${s(d.checksS)}`;
}

export function caseTable(results: readonly CaseResult[], ratioOf: RatioOf): string {
  const rows = results.map((c) => {
    const r = ratioOf(c);
    return [
      c.label,
      c.runs === undefined ? '1' : String(c.runs.length),
      fmtInt(c.rows),
      c.wallS === null ? '' : c.wallS.toFixed(2),
      succeeded(c) ? fmtInt(c.rows / c.wallS) : 'failed',
      r?.floorS == null ? '' : r.floorS.toFixed(2),
      r === null ? '' : ratioText(r),
      targetText(c, r),
      metText(c, r),
      c.rssMB === null ? '' : c.rssMB.toFixed(0),
      deriveText(c),
      c.derive?.indicatorRows == null ? '' : fmtInt(c.derive.indicatorRows),
      c.loadAverage === undefined ? '' : c.loadAverage.toFixed(2),
    ];
  });
  return table(
    [
      'case',
      'runs',
      'rows',
      'wall s',
      'rows/s',
      'floor s',
      'ratio',
      'target',
      'met',
      'peak RSS MiB',
      'derive s (refresh / checks)',
      'indicator rows',
      'load',
    ],
    rows,
    [false, true, true, true, true, true, false, false, false, true, true, true, true],
  );
}

/** Notes and errors of the cases that have any, one line each. */
export function noteLines(results: readonly CaseResult[]): string[] {
  return results
    .filter((c) => c.error !== null || c.notes.length > 0)
    .map(
      (c) =>
        `${c.label}: ${[c.error === null ? null : `FAILED: ${c.error}`, ...c.notes].filter(Boolean).join('; ')}`,
    );
}

/** One line per case with a target: its verdict, the figures and the targets. */
export function targetLines(results: readonly CaseResult[], ratioOf: RatioOf): string[] {
  return results.flatMap((c) => {
    const r = ratioOf(c);
    const targets = targetText(c, r);
    if (targets === '') return [];
    const met = caseMet(c, r);
    const verdict = met === null ? 'n/a' : met ? 'met' : 'NOT met';
    const figures = [
      c.error !== null ? 'failed' : r === null ? null : ratioText(r),
      c.rssMB === null ? null : `RSS ${c.rssMB.toFixed(0)} MiB`,
    ].filter(Boolean);
    return [`  ${verdict.padEnd(7)} ${c.label}: ${figures.join(', ')} (target ${targets})`];
  });
}
