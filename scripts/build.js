#!/usr/bin/env node
// `npm run build` (also run by `npm ci` and `npm install` through "prepare"): bundles Corridor's
// TypeScript into dist/ with esbuild, so the CLI starts without compiling anything. Measured on
// 2 cores: a small load starts in 0.3 s and 79 MB instead of 0.8 s and 134 MB through tsx, and
// the reader thread of a large load saves as much again.
//
// bin/corridor.js runs the bundle only while it is newer than every source file (see
// bin/launch.js); after an edit it falls back to tsx until the next build, so stale code never runs.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Dependencies stay in node_modules, but for two pure-JavaScript ones published as hundreds of
// small ES modules (kysely 265 files, zod 99): Node resolved, read and compiled each at every
// start, about half of the 0.5 s a command took before doing anything (issue 22). Bundled, they
// are parsed as part of the bundle. Native and CommonJS dependencies stay outside.
const BUNDLED = new Set(['kysely', 'zod']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);
// `--outdir <dir>`: the same bundle elsewhere (scripts/fuzz.ts builds a private one per campaign).
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt > 0 && process.argv[outdirAt + 1] ? process.argv[outdirAt + 1] : join(root, 'dist');
const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    corridor: join(root, 'src/cli/main.ts'),
    'map-worker': join(root, 'src/validate/map-worker.ts'),
  },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  outExtension: { '.js': '.mjs' },
  // Lets the code know it runs from the bundle: the reader thread then starts from
  // dist/map-worker.mjs, and TypeScript pipelines register tsx only when one is loaded.
  define: { CORRIDOR_BUNDLED: 'true' },
  logLevel: 'warning',
});
// The stamp is written last: a build that failed half-way leaves no stamp, so it is not used.
writeFileSync(join(outdir, 'build-stamp.json'), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
if (!process.argv.includes('--quiet')) console.log(`corridor: built dist/ in ${Date.now() - started} ms`);
