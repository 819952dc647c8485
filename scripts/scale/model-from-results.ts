/**
 * The history model from earlier runs' JSON (`--model-from a.json,b.json`): a full-size load run
 * (`--no-derive`) and a smaller run that derived can be combined, since derive at full size takes
 * hours today. Per backend, the load rate comes from the file that loaded the most rows, and the
 * derive rate and bytes per row from the file that derived the most rows (the load file's bytes
 * per row when none derived).
 */
import { readFileSync } from 'node:fs';
import type { MeasuredRates } from './history-model.ts';

interface SavedRun {
  readonly backend: string;
  readonly rowsLoaded: number;
  readonly rates: MeasuredRates | null;
}

export interface RatesWithSources {
  readonly rates: MeasuredRates[];
  /** One line per backend: which file and slice each rate came from. */
  readonly sources: string[];
}

const size = (rows: number) => `${(rows / 1e6).toFixed(1)} M rows`;

export function ratesFromResults(paths: readonly string[]): RatesWithSources {
  const runs = paths.map((path) => {
    let run: SavedRun;
    try {
      run = JSON.parse(readFileSync(path, 'utf8')) as SavedRun;
    } catch (cause) {
      throw new Error(
        `--model-from: cannot read ${path} (${(cause as Error).message}); give result files of earlier runs (.bench/scale/results/*.json).`,
      );
    }
    if (run.rates === null || typeof run.backend !== 'string')
      throw new Error(`--model-from: ${path} holds no rates (that run failed); leave it out.`);
    return { path, run, rates: run.rates };
  });
  const rates: MeasuredRates[] = [];
  const sources: string[] = [];
  // SQLite first, as the runs print them.
  const backends = [...new Set(runs.map((r) => r.run.backend))].sort((a, b) =>
    a === 'sqlite' ? -1 : b === 'sqlite' ? 1 : a.localeCompare(b),
  );
  for (const backend of backends) {
    const mine = runs.filter((r) => r.run.backend === backend);
    const largest = (list: typeof mine) =>
      list.reduce((best, r) => (r.run.rowsLoaded > best.run.rowsLoaded ? r : best));
    const load = largest(mine);
    const derived = mine.filter((r) => r.rates.deriveSPerRow !== null);
    const derive = derived.length > 0 ? largest(derived) : null;
    rates.push({
      backend,
      loadRowsPerS: load.rates.loadRowsPerS,
      deriveSPerRow: derive?.rates.deriveSPerRow ?? null,
      bytesPerRow: (derive ?? load).rates.bytesPerRow,
    });
    sources.push(
      `${backend}: load rate from ${load.path} (${size(load.run.rowsLoaded)}); ` +
        (derive === null
          ? 'no run derived'
          : `derive rate and bytes per row from ${derive.path} (${size(derive.run.rowsLoaded)})`),
    );
  }
  return { rates, sources };
}
