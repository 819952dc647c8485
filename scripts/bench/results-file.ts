/**
 * The bench's figures as JSON, so that two releases can be compared figure by figure
 * (`.bench/results/<date>-<backend>.json`, or the file `--json` names): every case with the
 * fields of the printed table (rows, wall time, rows/s, floor, ratio, targets and whether they
 * are met, peak RSS, derive split, indicator rows, load average) and each of its runs, the
 * machine and the commit it ran on. docs/benchmark.md describes the fields.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { type CaseRatio, type CaseResult, rssMet } from './case-figures.ts';
import { caseMet } from './case-table.ts';

export interface ResultsFile {
  readonly backend: 'sqlite' | 'postgres';
  readonly quick: boolean;
  readonly cases: readonly CaseResult[];
  /** The ratio of each case that has one, by label. */
  readonly ratios: ReadonlyMap<string, CaseRatio>;
}

/** Writes the figures; returns the path written. */
export function writeResults(root: string, results: ResultsFile, path?: string): string {
  const when = new Date();
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    encoding: 'utf8',
  });
  const target =
    path ??
    join(root, '.bench', 'results', `${when.toISOString().replace(/[:.]/g, '-')}-${results.backend}.json`);
  mkdirSync(dirname(target), { recursive: true });
  const document = {
    date: when.toISOString(),
    commit: head.status === 0 ? head.stdout.trim() : null,
    uncommittedChanges: dirty.status === 0 ? dirty.stdout.trim() !== '' : null,
    backend: results.backend,
    quick: results.quick,
    machine: {
      cpu: cpus()[0]?.model.trim() ?? null,
      cores: cpus().length,
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
      node: process.version,
    },
    cases: results.cases.map((c) => {
      const ratio = results.ratios.get(c.label) ?? null;
      return {
        group: c.group,
        label: c.label,
        rows: c.rows,
        wallS: c.wallS,
        rowsPerS: c.error === null && c.wallS ? Math.round(c.rows / c.wallS) : null,
        peakRssMB: c.rssMB === null ? null : Math.round(c.rssMB),
        loadAverage: c.loadAverage ?? null,
        ratio,
        rssBelowMB: c.rssBelowMB ?? null,
        rssMet: rssMet(c),
        targetsMet: caseMet(c, ratio),
        derive: c.derive ?? null,
        runs: c.runs ?? null,
        error: c.error,
        notes: c.notes,
      };
    }),
  };
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  return target;
}
