/**
 * `--baseline <git ref>`: an earlier release's tree beside this checkout, so one bench run can
 * time its CLI and this one's on the same file, alternately (issue 17: a first load must stay
 * within 10 % of the previous release's rows/s). The tree is taken with `git archive`, which
 * reads the repository and leaves the work tree, the index and HEAD alone, into
 * `.bench/baseline/<short sha>/` (git-ignored, kept between runs); it shares this checkout's
 * node_modules through a symlink and is built with its own scripts/build.js, so its
 * bin/corridor.js runs its own bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleIsFresh } from './bundle-state.ts';

export interface BaselineTree {
  /** The ref as given: `15b5199`, `v0.1.0`, `HEAD~2`. */
  readonly ref: string;
  readonly sha: string;
  readonly short: string;
  /** The tree's root: its bin/corridor.js is the baseline CLI. */
  readonly root: string;
}

function git(root: string, args: readonly string[]): string {
  const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/** The short sha of this checkout's HEAD, for labels; null outside a git repository. */
export function headShort(root: string): string | null {
  try {
    return git(root, ['rev-parse', '--short', 'HEAD']);
  } catch {
    return null;
  }
}

/** Extracts (once) and builds (every run) the tree of `ref`; throws with the reason when it cannot. */
export function materialiseBaseline(root: string, ref: string, log: (line: string) => void): BaselineTree {
  let sha: string;
  try {
    sha = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--baseline ${ref}: not a commit of this repository`);
  }
  const short = git(root, ['rev-parse', '--short', sha]);
  const dir = join(root, '.bench', 'baseline', short);
  const marker = join(dir, '.bench-baseline.json');
  const extracted =
    existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { sha?: string }).sha === sha;
  if (!extracted) {
    log(`baseline ${ref}: extracting ${short} into ${dir.slice(root.length + 1)}/ (git archive)…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = `${dir}.tar`;
    try {
      git(root, ['archive', '--format=tar', '-o', tar, sha]);
      const x = spawnSync('tar', ['-xf', tar, '-C', dir], { encoding: 'utf8' });
      if (x.status !== 0) throw new Error(`tar -xf: ${x.stderr.trim()}`);
    } finally {
      rmSync(tar, { force: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // Written last: an interrupted extraction has no marker and is redone.
    writeFileSync(marker, `${JSON.stringify({ ref, sha, extractedAt: new Date().toISOString() })}\n`);
  }
  if (!existsSync(join(dir, 'scripts', 'build.js')) || !existsSync(join(dir, 'bin', 'corridor.js')))
    throw new Error(`--baseline ${ref}: ${short} has no scripts/build.js or bin/corridor.js to run`);
  const built = spawnSync(process.execPath, [join(dir, 'scripts', 'build.js'), '--quiet'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error(`--baseline ${ref}: node scripts/build.js failed in ${short}`);
  // git archive gives every file its commit's time, so the fresh stamp is newer than all of them.
  if (!bundleIsFresh(dir))
    throw new Error(
      `--baseline ${ref}: ${short}'s bundle is not newer than its sources; its CLI would run tsx`,
    );
  log(
    `baseline ${ref}: ${short} built; its CLI is ${join(dir, 'bin', 'corridor.js').slice(root.length + 1)}`,
  );
  return { ref, sha, short, root: dir };
}
