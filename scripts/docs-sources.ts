/**
 * `npm run docs:sources`: writes the full table of sources in docs/sources.md, between its
 * `<!-- sources:begin -->` and `<!-- sources:end -->` markers, from each source's declaration
 * (sources/<name>/<name>.source.ts, `about`). `--check` changes nothing and exits 1 when the table is stale
 * (test/source-contract.test.ts runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeWithSources } from '../src/docs/source-listing.ts';
import { sourceDeclarations } from '../src/pipeline/source-registry.ts';

const readmePath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'sources.md');
const check = process.argv.includes('--check');
const readme = readFileSync(readmePath, 'utf8');
const declarations = sourceDeclarations();
const written = readmeWithSources(readme, declarations);

if (written === readme) {
  console.log(`docs/sources.md: the table of ${declarations.length} sources is up to date.`);
} else if (check) {
  console.error(
    'docs/sources.md: the table of sources is stale. Run npm run docs:sources and commit docs/sources.md.',
  );
  process.exitCode = 1;
} else {
  writeFileSync(readmePath, written);
  console.log(`docs/sources.md: wrote the table of ${declarations.length} sources.`);
}
