/**
 * Fuzzing in the suite (issue 20, point 4): a fixed, seeded corpus of damaged and hostile
 * variants of the bundled samples, the real extracts in ../shared/data (when beside the clone)
 * and small generated files (test/helpers/fuzz-seeds.ts), each loaded through the real CLI.
 * Whatever a mutation did, the load must end as a user can act on: a documented exit code, a
 * message and never a stack trace or `internal_error`, a journal with nothing left `running`,
 * and, for a file that failed, fact tables exactly as before. A case is `<file>/<kind>/<n>`:
 * `npm run fuzz -- --replay <file>/<kind>/<n>` loads the same bytes in a child process
 * (scripts/fuzz.ts; add `--huge 262144` for an in-suite huge cell).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCli, stopLeftoverChildren } from './helpers/cli-child.ts';
import { judge, warehouseState } from './helpers/fuzz-outcome.ts';
import { type FuzzSeed, fuzzSeeds, prepareLoad } from './helpers/fuzz-seeds.ts';
import { KINDS_FOR, type MutationKind, mutate } from './helpers/mutations.ts';
import { cli } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';

if (!HAS_SHARED_DATA) console.info(`fuzz-corpus.test.ts: the real extracts are ${SKIP_REASON}`);

/** The corpus's seed: change it and every case changes; keep it, and every run is the same. */
const CORPUS_SEED = 20_004;
/**
 * Oversized cells in the suite: past every read buffer, small enough to stay fast. A shared
 * string is smaller: a bureau table's layout scans a long title cell for its unit at some 6 µs
 * a character today (src/layout/unit-phrase.ts), so 50 MiB of it runs for many minutes.
 */
const hugeInSuite = (kind: MutationKind) => ({
  hugeBytes: kind === 'huge-shared-string' ? 64 * 1024 : 256 * 1024,
});
/** Seeds this small are mutated twice by the kinds in TWICE. */
const SMALL_SEED_BYTES = 16 * 1024;
/** A load that has not settled by then never will (a promise nothing resolves). */
const SETTLE_MS = 15_000;

/** Kinds tried twice per seed file: the damage real downloads show most. */
const TWICE: readonly MutationKind[] = ['truncate', 'bit-flip'];

interface FuzzCase {
  readonly seed: FuzzSeed;
  readonly kind: MutationKind;
  readonly n: number;
}
const caseName = (c: FuzzCase) => `${c.seed.id}/${c.kind}/${c.n}`;

const work = mkdtempSync(join(tmpdir(), 'corridor-fuzz-'));
const seeds = await fuzzSeeds(join(work, 'generated'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const casesOf = (seed: FuzzSeed): FuzzCase[] =>
  KINDS_FOR[seed.format].flatMap((kind, k) =>
    (TWICE.includes(kind) && seed.bytes.length <= SMALL_SEED_BYTES ? [0, 1] : [0]).map((i) => ({
      seed,
      kind,
      n: CORPUS_SEED + k * 10 + i,
    })),
  );

let template: Promise<string> | null = null;
/** A fresh warehouse, copied from one `corridor init` per test file (made once, even when asked for at once). */
async function freshWarehouse(path: string): Promise<void> {
  template ??= cli(['init', '--db', join(work, 'template.db')]).then((init) => {
    if (init.code !== 0) throw new Error(`corridor init failed (exit ${init.code}): ${init.stderr}`);
    return join(work, 'template.db');
  });
  copyFileSync(await template, path);
}

/** Loads one case into `db` in this process; returns what was wrong with it (empty when nothing). */
async function loadCase(c: FuzzCase, dir: string, db: string): Promise<string[]> {
  const bytes = mutate(c.kind, c.seed.bytes, c.n, hugeInSuite(c.kind));
  const load = prepareLoad(c.seed, bytes, dir, db);
  const before = warehouseState(db);
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    cli(load.args, load.cwd),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), SETTLE_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const run = settled ?? { code: null, stdout: '', stderr: '' };
  const verdict = judge({ ...run, before, after: warehouseState(db) });
  const printed = `${run.stderr}${run.stdout}`.trim().split('\n').slice(0, 3).join(' | ');
  return verdict.problems.map((p) => `${caseName(c)}: ${p} (exit ${run.code}: ${printed})`);
}

describe('fuzzed files: every damaged input is a clear file error or a clean load', () => {
  it('has a corpus of 100 to 300 cases from the samples, the generated files and the real extracts', () => {
    const total = seeds.flatMap(casesOf).length;
    expect(total).toBeGreaterThanOrEqual(100);
    expect(total).toBeLessThanOrEqual(300);
    expect(seeds.map((s) => s.format)).toEqual(expect.arrayContaining(['csv', 'json', 'xlsx', 'xls']));
  });

  it('mutates deterministically: the same kind and seed give the same bytes', () => {
    for (const seed of seeds.slice(0, 4))
      for (const kind of KINDS_FOR[seed.format]) {
        const once = mutate(kind, seed.bytes, 7, { hugeBytes: 1000 });
        expect(mutate(kind, seed.bytes, 7, { hugeBytes: 1000 }).equals(once), `${seed.id}/${kind}`).toBe(
          true,
        );
        expect(once.equals(seed.bytes), `${seed.id}/${kind} changed nothing`).toBe(false);
      }
  });

  // One warehouse per seed file: its mutations load one after the other into it, so a failed
  // file is checked against the figures the earlier ones left.
  it.each(seeds.map((seed) => [seed.id, seed] as const))(
    '%s: each mutation loads cleanly or fails as a file, leaving the journal closed',
    async (_id, seed) => {
      const dir = join(work, seed.id);
      mkdirSync(dir, { recursive: true });
      const db = join(dir, 'w.db');
      await freshWarehouse(db);
      const problems: string[] = [];
      for (const c of casesOf(seed)) problems.push(...(await loadCase(c, dir, db)));
      expect(problems).toEqual([]);
    },
  );
});

/**
 * Cut-off tables made for people that load what arrived, exit 0, found by the campaign. Skipped
 * until issue 20 point 7 (truncated downloads; the CSV readers' owner) reaches the layout
 * readers of the table and bureau sources: then each must fail with `truncated_file`.
 */
describe('cut-off tables made for people', () => {
  const TRUNCATED_LOADS: readonly [string, number, string][] = [
    ['table-csv', 952990500, 'ends inside a quoted field; 15 rows load'],
    ['table-csv', 1440835999, 'its last row "China,East " has 2 fields and no line end; 16 rows load'],
    ['gen-uz-csv', 1114045609, 'its last row stops inside its Russian label; 30 rows load'],
    ['real-uz-csv', 185548076, 'its last row stops inside a figure; 1,159 rows load'],
  ];
  for (const [id, n, reason] of TRUNCATED_LOADS)
    it(`${id}/truncate/${n} fails as truncated_file (it once ${reason})`, async () => {
      const seed = seeds.find((s) => s.id === id);
      if (seed === undefined) return; // a real extract absent from this clone
      const dir = join(work, `cut-${id}-${n}`);
      mkdirSync(dir, { recursive: true });
      const db = join(dir, 'w.db');
      await freshWarehouse(db);
      const load = prepareLoad(seed, mutate('truncate', seed.bytes, n), dir, db);
      const run = await cli(load.args, load.cwd);
      expect(run.code, run.stdout).toBe(1);
      expect(warehouseState(db)?.errorCodes).toEqual(['truncated_file']);
    });
});

/** Loads one case in a child process (bin/corridor.js); returns what was wrong with it. */
async function loadCaseInChild(
  id: string,
  kind: MutationKind,
  n: number,
  hugeBytes: number,
): Promise<string[]> {
  const seed = seeds.find((s) => s.id === id);
  if (seed === undefined) return []; // a real extract absent from this clone
  const dir = join(work, `child-${id}-${kind}-${n}-${hugeBytes}`);
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'w.db');
  await freshWarehouse(db);
  const load = prepareLoad(seed, mutate(kind, seed.bytes, n, { hugeBytes }), dir, db);
  const before = warehouseState(db);
  const child = startCli(load.args, load.cwd);
  const code = await child.exited;
  const run = { code, stdout: child.stdout(), stderr: child.stderr() };
  const verdict = judge({ ...run, before, after: warehouseState(db) });
  return verdict.problems.map((p) => `${id}/${kind}/${n}: ${p} (exit ${code}: ${run.stderr.slice(0, 200)})`);
}

/**
 * In a real process, as a user runs it: a load whose promise never settles ends the process
 * with exit 13 and no message, which an in-process run cannot see (it would only never return).
 */
describe('fuzzed files in a real process', () => {
  afterEach(stopLeftoverChildren);

  const childCases: readonly [string, MutationKind, number][] = [
    ['kpt-xlsx', 'zip-part-damage', 3],
    ['kpt-xlsx', 'truncate', 5],
    ['gen-kz-xls', 'bit-flip', 4],
  ];
  /** Three processes starting at once on a busy 2-core machine take longer than one test's default. */
  const CHILDREN_MS = 90_000;

  it(
    'ends every load with a documented exit code and a message, the journal closed',
    async () => {
      const runs = childCases.map(([id, kind, n]) =>
        loadCaseInChild(id, kind, n, hugeInSuite(kind).hugeBytes),
      );
      expect((await Promise.all(runs)).flat()).toEqual([]);
    },
    CHILDREN_MS,
  );

  /**
   * A 50 MiB cell, found by the campaign (npm run fuzz -- --replay <case>): the reader ran out
   * of heap. A CSV row (line breaks in quotes included) and a JSON value are now bounded
   * (line_too_long, value_too_long).
   */
  const FIFTY_MIB = 50 * 1024 * 1024;
  const HUGE_CELLS: readonly [string, number][] = [
    ['pak-csv', 133054345],
    ['real-usa-csv', 1636111302],
    ['real-uz-csv', 1113260990],
  ];
  for (const [id, n] of HUGE_CELLS)
    it(
      `${id}/huge-cell/${n} at 50 MiB fails as a file, with a message`,
      async () => {
        expect(await loadCaseInChild(id, 'huge-cell', n, FIFTY_MIB)).toEqual([]);
      },
      CHILDREN_MS,
    );
  it(
    'kaz-json/huge-cell/1960525242 at 50 MiB fails as a file (value_too_long), with a message',
    async () => {
      expect(await loadCaseInChild('kaz-json', 'huge-cell', 1960525242, FIFTY_MIB)).toEqual([]);
    },
    CHILDREN_MS,
  );
});
