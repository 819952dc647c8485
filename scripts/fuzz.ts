/**
 * `npm run fuzz -- --count 10000 [--seed N] [--kinds truncate,bit-flip] [--files kpt-xlsx,pak-csv]
 *  [--jobs 2] [--timeout 120] [--huge 52428800] [--bundle] [--replay kpt-xlsx/truncate/123]`
 *
 * The long fuzz campaign (issue 20, point 4); the suite runs a small fixed corpus of the same
 * cases (test/fuzz-corpus.test.ts). Each case is a seed file, a mutation kind and a number
 * (`<file>/<kind>/<n>`, replayable with --replay), loaded in its own child process, as a user
 * runs `corridor`, into a fresh warehouse, under a time limit and with its peak RSS measured
 * (/usr/bin/time, when there). Prints the counts by outcome; writes each failing input, with
 * what the load printed, to .fuzz/failures/ for replay.
 *
 * --bundle runs a private esbuild bundle of the current sources (.fuzz-bundle-<pid>/): it starts in
 * 0.3 s instead of tsx's 1 s, which is most of a small case.
 */
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { judge, type Outcome, warehouseState } from '../test/helpers/fuzz-outcome.ts';
import { type FuzzSeed, fuzzSeeds, prepareLoad } from '../test/helpers/fuzz-seeds.ts';
import { KINDS_FOR, MUTATION_KINDS, type MutationKind, mutate } from '../test/helpers/mutations.ts';
import { cli, PROJECT_ROOT } from '../test/helpers/run-cli.ts';
import { mulberry32 } from './shared/prng.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    kinds: { type: 'string' },
    files: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '120' },
    huge: { type: 'string', default: String(50 * 1024 * 1024) },
    bundle: { type: 'boolean', default: false },
    replay: { type: 'string', multiple: true },
    keep: { type: 'boolean', default: false },
  },
});

const OUT = join(PROJECT_ROOT, '.fuzz');
const FAILURES = join(OUT, 'failures');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
/** Known noise a library prints on stderr, which a user sees though Corridor did not write it. */
const LIBRARY_NOISE = /^(Missing Info for XLS Record .*|\(node:\d+\) .*)$/m;

interface Case {
  readonly seed: FuzzSeed;
  readonly kind: MutationKind;
  readonly n: number;
}
const caseName = (c: Case) => `${c.seed.id}/${c.kind}/${c.n}`;

interface Result {
  readonly name: string;
  readonly outcome: Outcome;
  readonly errorCode: string | null;
  readonly problems: readonly string[];
  readonly code: number | null;
  readonly ms: number;
  readonly rssMb: number | null;
  readonly noise: string | null;
  readonly firstLine: string;
}

async function main(): Promise<void> {
  mkdirSync(FAILURES, { recursive: true });
  // One folder per campaign: two campaigns may run side by side.
  const work = join(OUT, `work-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const seeds = await fuzzSeeds(join(work, 'generated'));
  const cases = values.replay !== undefined ? replayCases(seeds, values.replay) : campaignCases(seeds);
  const template = join(work, 'template.db');
  const init = await cli(['init', '--db', template]);
  if (init.code !== 0) throw new Error(`corridor init failed: ${init.stderr}`);
  const bin = values.bundle ? await buildBundle() : join(PROJECT_ROOT, 'bin/corridor.js');
  const jobs = Number(values.jobs);
  console.log(
    `fuzz: ${cases.length} cases, ${seeds.length} seed files, ${jobs} at a time, ${values.timeout} s each, ${values.bundle ? 'private bundle' : 'bin/corridor.js'}`,
  );
  const results: Result[] = [];
  // Every case's result, one JSON line each, to look into a kind's outcomes afterwards.
  const resultsFile = join(OUT, `results-${process.pid}.jsonl`);
  const started = Date.now();
  let next = 0;
  const worker = async (slot: number) => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const result = await runCase(c, join(work, `slot-${slot}`), template, bin);
      results.push(result);
      appendFileSync(resultsFile, `${JSON.stringify(result)}\n`);
      if (result.problems.length > 0)
        console.log(`  ${result.outcome}: ${result.name}: ${result.problems.join('; ')}`);
      if (results.length % 50 === 0)
        console.log(`  ${results.length}/${cases.length} in ${Math.round((Date.now() - started) / 1000)} s`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, (_, i) => worker(i)));
  report(results, Date.now() - started);
  console.log(`Every case's result: ${resultsFile}`);
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  if (values.bundle) rmSync(dirname(bin), { recursive: true, force: true });
}

/** `count` cases drawn from the seed and the filters, the same ones for the same arguments. */
function campaignCases(seeds: readonly FuzzSeed[]): Case[] {
  const kinds = values.kinds?.split(',') ?? MUTATION_KINDS;
  for (const k of kinds)
    if (!MUTATION_KINDS.includes(k as MutationKind)) throw new Error(`unknown kind ${k}`);
  const files = values.files?.split(',');
  const usable = seeds
    .filter((s) => files === undefined || files.includes(s.id))
    .flatMap((seed) =>
      KINDS_FOR[seed.format].filter((k) => kinds.includes(k)).map((kind) => ({ seed, kind })),
    );
  if (usable.length === 0) throw new Error('no seed file takes the kinds asked for');
  const random = mulberry32(Number(values.seed));
  return Array.from({ length: Number(values.count) }, () => {
    const pick = usable[Math.floor(random() * usable.length)]!;
    return { ...pick, n: Math.floor(random() * 2 ** 31) };
  });
}

function replayCases(seeds: readonly FuzzSeed[], names: readonly string[]): Case[] {
  return names.map((name) => {
    const [id, kind, n] = name.split('/');
    const seed = seeds.find((s) => s.id === id);
    if (seed === undefined || !MUTATION_KINDS.includes(kind as MutationKind))
      throw new Error(`--replay ${name}: no such seed file or kind`);
    return { seed, kind: kind as MutationKind, n: Number(n) };
  });
}

async function runCase(c: Case, dir: string, template: string, bin: string): Promise<Result> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'w.db');
  copyFileSync(template, db);
  const bytes = mutate(c.kind, c.seed.bytes, c.n, { hugeBytes: Number(values.huge) });
  const load = prepareLoad(c.seed, bytes, dir, db);
  const before = warehouseState(db);
  const t = Date.now();
  const run = await runChild(bin, load.args, load.cwd, Number(values.timeout) * 1000, join(dir, 'rss.txt'));
  const verdict = judge({ ...run, before, after: warehouseState(db) });
  const noise = LIBRARY_NOISE.exec(run.stderr)?.[0] ?? null;
  const result: Result = {
    name: caseName(c),
    outcome: verdict.outcome,
    errorCode: verdict.errorCode,
    problems: verdict.problems,
    code: run.code,
    ms: Date.now() - t,
    rssMb: run.rssKb === null ? null : Math.round(run.rssKb / 1024),
    noise,
    firstLine: `${run.stderr}\n${run.stdout}`.trim().split('\n')[0]?.slice(0, 300) ?? '',
  };
  if (verdict.problems.length > 0) {
    const base = join(FAILURES, caseName(c).replaceAll('/', '__'));
    // Big inputs are not kept: --replay makes the same bytes again.
    if (bytes.length <= 1024 * 1024) writeFileSync(`${base}__${c.seed.fileName}`, bytes);
    writeFileSync(
      `${base}.txt`,
      [
        `case: ${caseName(c)} (replay: npm run fuzz -- --replay ${caseName(c)})`,
        `args: ${load.args.join(' ')}`,
        `exit: ${run.code}; ${result.ms} ms; peak RSS ${result.rssMb ?? '?'} MB`,
        `problems: ${verdict.problems.join('; ')}`,
        `stdout:\n${run.stdout.slice(0, 20_000)}`,
        `stderr:\n${run.stderr.slice(0, 20_000)}`,
      ].join('\n'),
    );
  }
  return result;
}

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly rssKb: number | null;
}

/** The CLI in a child (its own process group, so that a timeout kills all of it). */
function runChild(bin: string, args: readonly string[], cwd: string, timeoutMs: number, rssFile: string) {
  const command = TIME ?? process.execPath;
  const argv = TIME ? ['-f', '%M', '-o', rssFile, process.execPath, bin, ...args] : [bin, ...args];
  return new Promise<ChildRun>((resolve) => {
    const child = spawn(command, argv, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1_000_000) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1_000_000) stderr += d.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const rss =
        TIME && existsSync(rssFile)
          ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop())
          : Number.NaN;
      const exit = timedOut ? null : (code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
      // Killed at the timeout, /usr/bin/time went with it: no figure.
      resolve({ code: exit, stdout, stderr, rssKb: Number.isFinite(rss) && !timedOut ? rss : null });
    });
  });
}

/** The current sources bundled by scripts/build.js itself, one level below the root as dist/ is. */
async function buildBundle(): Promise<string> {
  // Its own per campaign, so that one campaign's rebuild never pulls chunks from under another's.
  const outdir = join(PROJECT_ROOT, `.fuzz-bundle-${process.pid}`);
  await new Promise<void>((resolve, reject) => {
    const build = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'scripts/build.js'), '--quiet', '--outdir', outdir],
      {
        stdio: 'inherit',
      },
    );
    build.on('error', reject);
    build.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/build.js exited with ${code}`)),
    );
  });
  const bin = join(outdir, 'bin.mjs');
  writeFileSync(
    bin,
    "import { runCli } from './corridor.mjs';\nprocess.exitCode = await runCli(process.argv.slice(2));\n",
  );
  return bin;
}

function report(results: readonly Result[], ms: number): void {
  const tally = (key: (r: Result) => string | null) => {
    const counts = new Map<string, number>();
    for (const r of results) {
      const k = key(r);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]);
  };
  console.log(`\n${results.length} cases in ${Math.round(ms / 1000)} s. Outcomes:`);
  for (const [outcome, n] of tally((r) => r.outcome)) console.log(`  ${String(n).padStart(6)}  ${outcome}`);
  console.log('File errors by code:');
  for (const [code, n] of tally((r) => (r.outcome === 'file-error' ? (r.errorCode ?? '(no code)') : null)))
    console.log(`  ${String(n).padStart(6)}  ${code}`);
  console.log('Outcomes by mutation kind:');
  for (const [key, n] of tally((r) => `${r.name.split('/')[1]} → ${r.outcome}`).sort((a, b) =>
    a[0].localeCompare(b[0]),
  ))
    console.log(`  ${String(n).padStart(6)}  ${key}`);
  const noisy = results.filter((r) => r.noise !== null);
  if (noisy.length > 0)
    console.log(
      `Library noise on stderr in ${noisy.length} cases, e.g. ${noisy[0]!.name}: ${noisy[0]!.noise}`,
    );
  const byRss = results.filter((r) => r.rssMb !== null).sort((a, b) => b.rssMb! - a.rssMb!);
  if (byRss.length > 0)
    console.log(
      `Peak RSS: ${byRss
        .slice(0, 5)
        .map((r) => `${r.rssMb} MB ${r.name} (${r.outcome})`)
        .join('; ')}`,
    );
  const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(
    `Slowest: ${slowest.map((r) => `${(r.ms / 1000).toFixed(1)} s ${r.name} (${r.outcome})`).join('; ')}`,
  );
  const failures = results.filter((r) => r.problems.length > 0);
  console.log(`\n${failures.length} failing cases${failures.length > 0 ? ` (inputs in ${FAILURES}):` : '.'}`);
  // Alike when they differ only in paths and figures: one line per distinct failure.
  const groups = new Map<string, Result[]>();
  for (const r of failures) {
    const what = r.firstLine
      .replace(/\/\S+/g, '<path>')
      .replace(/\d[\d,.]*/g, 'N')
      .slice(0, 140);
    const key = `${r.outcome} [${what}]`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, group] of groups)
    console.log(
      `  ${group.length} × ${key}\n     e.g. --replay ${group
        .slice(0, 3)
        .map((r) => r.name)
        .join(' ')}`,
    );
}

await main();
