/**
 * bin/launch.js runs the bundle in dist/ only while it is current: newer than every source file
 * and than package-lock.json (the bundle carries its own kysely and zod, so a dependency
 * installed after the build makes it stale). Tested on a copy of launch.js in a folder laid out
 * as the project is, with a stub bundle and stub sources that say which one ran.
 */
import { copyFileSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();

/** A project folder whose bundle and sources each export `ran`, naming themselves. */
function project(): string {
  const root = tmp();
  for (const dir of ['bin', 'dist', 'src/cli']) mkdirSync(join(root, dir), { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'bin/launch.js'), join(root, 'bin/launch.js'));
  // tsx, for the fallback, resolves from the project's node_modules.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'src/cli/main.ts'), "export const ran: string = 'sources';\n");
  writeFileSync(join(root, 'dist/corridor.mjs'), "export const ran = 'bundle';\n");
  writeFileSync(join(root, 'package-lock.json'), '{}\n');
  writeFileSync(join(root, 'dist/build-stamp.json'), '{}\n');
  return root;
}

/** Sets a file's modification time, in seconds from now. */
const touch = (path: string, secondsFromNow: number) => {
  const at = new Date(Date.now() + secondsFromNow * 1000);
  utimesSync(path, at, at);
};

async function whichRuns(root: string): Promise<string> {
  // A query string per call: each copy of launch.js is a module of its own.
  const launch = await import(`${pathToFileURL(join(root, 'bin/launch.js')).href}?${Math.random()}`);
  return (await launch.loadCliModule()).ran as string;
}

describe('bin/launch.js', () => {
  it('runs the bundle while it is newer than the sources and the lock file', async () => {
    const root = project();
    touch(join(root, 'src/cli/main.ts'), -60);
    touch(join(root, 'package-lock.json'), -60);
    expect(await whichRuns(root)).toBe('bundle');
  });

  it('runs the sources once package-lock.json is newer than the build: a dependency may have changed', async () => {
    const root = project();
    touch(join(root, 'src/cli/main.ts'), -60);
    touch(join(root, 'package-lock.json'), 60);
    expect(await whichRuns(root)).toBe('sources');
  });

  it('runs the sources once a source file is newer than the build', async () => {
    const root = project();
    touch(join(root, 'package-lock.json'), -60);
    touch(join(root, 'src/cli/main.ts'), 60);
    expect(await whichRuns(root)).toBe('sources');
  });
});
