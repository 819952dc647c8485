/**
 * `npm run docs:error-codes`: writes docs/error-codes.md, the table of every reject and error
 * code, from the registry (src/error-codes.ts). `--check` changes nothing and exits 1 when the
 * page is stale (test/error-codes.test.ts runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodesMarkdown } from '../src/docs/error-codes-markdown.ts';
import { ERROR_CODES } from '../src/error-codes.ts';

const pagePath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'error-codes.md');
const check = process.argv.includes('--check');
const written = errorCodesMarkdown(ERROR_CODES);
let current: string | null = null;
try {
  current = readFileSync(pagePath, 'utf8');
} catch {
  current = null;
}
const count = Object.keys(ERROR_CODES).length;

if (written === current) {
  console.log(`docs/error-codes.md: the table of ${count} codes is up to date.`);
} else if (check) {
  console.error('docs/error-codes.md is stale. Run npm run docs:error-codes and commit it.');
  process.exitCode = 1;
} else {
  writeFileSync(pagePath, written);
  console.log(`docs/error-codes.md: wrote the table of ${count} codes.`);
}
