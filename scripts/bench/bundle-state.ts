/**
 * Whether a checkout's `bin/corridor.js` will run its esbuild bundle: the rule of its
 * bin/launch.js (dist/build-stamp.json newer than package-lock.json and every .ts or .js file
 * under src/, sources/ and warehouse/, and CORRIDOR_NO_BUNDLE not 1), repeated here because
 * launch.js does not export it. Source files edited after the bench's build (others may be editing the same checkout) make
 * the CLI fall back to tsx: slower, and not the figure of the bundled CLI that users run.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['src', 'sources', 'warehouse'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|js)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function bundleIsFresh(root: string): boolean {
  if (process.env.CORRIDOR_NO_BUNDLE === '1') return false;
  const stamp = join(root, 'dist', 'build-stamp.json');
  if (!existsSync(stamp)) return false;
  const builtAt = statSync(stamp).mtimeMs;
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock) && statSync(lock).mtimeMs > builtAt) return false;
  return SOURCE_DIRS.every((d) => !existsSync(join(root, d)) || newestSource(join(root, d)) <= builtAt);
}

/** The note of a case whose CLI did not run the bundle. */
export const TSX_NOTE = 'ran through tsx, not the bundle: a source file is newer than the build';
