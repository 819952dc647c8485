/**
 * The README is the front door: short (at most 10 KB), and its tables of sources and of the
 * warehouse's tables are written from their declarations (npm run docs:readme), so they cannot
 * say something the code does not. The full table of sources in docs/sources.md likewise.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generatedFiles, readmeBlocks, readmeWithTables } from '../scripts/docs-readme-tables.ts';
import { sourceDeclarations } from '../src/pipeline/source-registry.ts';
import { DICTIONARY, DICTIONARY_AREAS } from '../warehouse/dictionary/index.ts';

const README = join(fileURLToPath(new URL('../', import.meta.url)), 'README.md');
const readme = readFileSync(README, 'utf8');

describe('the README', () => {
  it('is at most 10 KB (10,240 bytes): details belong in docs/', () => {
    expect(statSync(README).size).toBeLessThanOrEqual(10_240);
  });

  it('says how to start, how to test, and where the console is', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toContain('npx corridor serve');
    expect(readme).toContain('http://127.0.0.1:8080/');
  });

  it('links a guide for each reader', () => {
    for (const guide of [
      'docs/statistician.md',
      'docs/analyst.md',
      'docs/downstream.md',
      'docs/adding-a-source.md',
      'docs/operations.md',
      'CONTRIBUTING.md',
    ])
      expect(readme).toContain(`](${guide})`);
  });
});

describe('the generated tables', () => {
  it.each(generatedFiles().map((f) => [f.name, f] as const))(
    '%s is in step with the declarations',
    (name, file) => {
      const text = readFileSync(file.path, 'utf8');
      expect(file.write(text), `${name} is stale: run npm run docs:readme`).toBe(text);
    },
  );

  it('lists every source and every table and view the declarations name', () => {
    for (const d of sourceDeclarations()) expect(readme).toContain(`| \`${d.name}\``);
    for (const t of DICTIONARY) expect(readme).toContain(`\`${t.name}\``);
  });

  it('differ from the README once a declaration changes', () => {
    const renamed = DICTIONARY.map((t) => (t.name === 'ports' ? { ...t, name: 'harbours' } : t));
    const written = readmeWithTables(readme, readmeBlocks(sourceDeclarations(), renamed, DICTIONARY_AREAS));
    expect(written).not.toBe(readme);
    expect(written).toContain('`harbours`');
    const fewer = sourceDeclarations().filter((d) => d.name !== 'uz-stat');
    expect(readmeWithTables(readme, readmeBlocks(fewer))).not.toContain('`uz-stat`');
  });

  it('refuses a README without the markers, naming them', () => {
    expect(() => readmeWithTables(readme.replace('<!-- tables:end -->', ''))).toThrow(/tables:start/);
    expect(() => readmeWithTables(readme.replace('<!-- readme-sources:start -->', ''))).toThrow(
      /readme-sources:start/,
    );
  });
});
