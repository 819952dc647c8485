// Loads Corridor's CLI: from the esbuild bundle in dist/ when it is up to date, otherwise
// straight from the TypeScript sources through tsx. The bundle starts faster and uses less
// memory; tsx keeps a fresh checkout or an edited source working without a build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'sources', 'warehouse'];

/** Latest modification time among the files the bundle is built from. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    // Only code is bundled; reference CSV files are read at run time.
    else if (/\.(ts|js)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The bundle carries its own kysely and zod (scripts/build.js). A dependency installed or
 * upgraded after the build (`npm install <package>` may build nothing) rewrites the lock file:
 * newer than the stamp, the bundle may hold an older copy, so the sources run instead.
 */
const LOCK_FILE = 'package-lock.json';

/**
 * Whether `bin/corridor.js` of the checkout at `checkout` runs its bundle: CORRIDOR_NO_BUNDLE
 * is not 1, and dist/build-stamp.json is newer than the lock file and every source file. The
 * bench asks it of other checkouts too (scripts/bench/bundle-state.ts), so the rule is written once.
 */
export function bundleIsFresh(checkout = root) {
  if (process.env.CORRIDOR_NO_BUNDLE === '1') return false;
  const stamp = join(checkout, 'dist', 'build-stamp.json');
  if (!existsSync(stamp)) return false;
  const builtAt = statSync(stamp).mtimeMs;
  const lock = join(checkout, LOCK_FILE);
  if (existsSync(lock) && statSync(lock).mtimeMs > builtAt) return false;
  return SOURCE_DIRS.every(
    (d) => !existsSync(join(checkout, d)) || newestSource(join(checkout, d)) <= builtAt,
  );
}

/** The CLI's module (src/cli/main.ts), from whichever form is current. */
export async function loadCliModule() {
  if (bundleIsFresh()) {
    return import(pathToFileURL(join(root, 'dist', 'corridor.mjs')).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

/** The CLI's `runCli`, from whichever form is current. */
export async function loadCli() {
  return (await loadCliModule()).runCli;
}
