/**
 * `npm run docs:readme`: writes the README's two generated tables from their declarations: the
 * sources (sources/<name>/<name>.source.ts, through src/pipeline/source-registry.ts) between
 * `<!-- readme-sources:start -->` and `<!-- readme-sources:end -->`, and the warehouse's tables and
 * views (warehouse/dictionary/) between `<!-- tables:start -->` and `<!-- tables:end -->`.
 * The README keeps them short (it is the front door, at most 10 KB); the full table of sources,
 * with publishers and licences, goes into docs/sources.md between `<!-- sources:begin -->` and
 * `<!-- sources:end -->`, and `corridor docs` prints every column. `--check` changes nothing and
 * exits 1 when a table is stale (test/readme.test.ts runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeWithSources } from '../src/docs/source-listing.ts';
import { sourceDeclarations } from '../src/pipeline/source-registry.ts';
import type { SourceDeclaration } from '../src/validate/source-about.ts';
import { DICTIONARY, DICTIONARY_AREAS, type DictionaryArea } from '../warehouse/dictionary/index.ts';
import type { TableDoc } from '../warehouse/dictionary/table-doc.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const README_PATH = join(ROOT, 'README.md');
export const SOURCES_PAGE_PATH = join(ROOT, 'docs', 'sources.md');

/** A cell of a GFM table: one line, `|` escaped. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();

/**
 * A Markdown table padded as biome formats one (columns at least 3 wide), so that
 * `biome check` leaves the generated block as it is.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((r) => r.map(cell));
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** One row per source: its name, what it reads, where it loads, and whether its data may be passed on. */
export function sourcesTable(declarations: readonly SourceDeclaration[]): string {
  return markdownTable(
    ['source', 'reads', 'into', 'redistribution'],
    declarations.map((d) => [
      `\`${d.name}\``,
      d.description,
      `\`${d.target}\``,
      d.about.licence.redistribution,
    ]),
  );
}

/** One row per area of the dictionary: its tables and views, views marked, in the dictionary's order. */
export function warehouseTable(tables: readonly TableDoc[], areas: readonly DictionaryArea[]): string {
  return markdownTable(
    ['area', 'tables and views'],
    areas.map((a) => [
      a.title,
      tables
        .filter((t) => t.area === a.area)
        .map((t) => (t.kind === 'view' ? `\`${t.name}\` (view)` : `\`${t.name}\``))
        .join(', '),
    ]),
  );
}

interface GeneratedBlock {
  readonly name: string;
  readonly begin: string;
  readonly end: string;
  readonly body: string;
}

/** The generated blocks, from the declarations given (the real ones by default). */
export function readmeBlocks(
  declarations: readonly SourceDeclaration[] = sourceDeclarations(),
  tables: readonly TableDoc[] = DICTIONARY,
  areas: readonly DictionaryArea[] = DICTIONARY_AREAS,
): GeneratedBlock[] {
  return [
    {
      name: 'sources',
      begin: '<!-- readme-sources:start -->',
      end: '<!-- readme-sources:end -->',
      body: `<!-- Written by npm run docs:readme from sources/*/*.source.ts; edit those, not this table. -->\n\n${sourcesTable(declarations)}`,
    },
    {
      name: 'tables',
      begin: '<!-- tables:start -->',
      end: '<!-- tables:end -->',
      body: `<!-- Written by npm run docs:readme from warehouse/dictionary/; edit those, not this table. -->\n\n${warehouseTable(tables, areas)}`,
    },
  ];
}

/**
 * The README with each generated block written between its markers.
 * Throws when a block's markers are missing or out of order: the README must say where it goes.
 *
 * @example
 * writeFileSync('README.md', readmeWithTables(readFileSync('README.md', 'utf8')));
 */
export function readmeWithTables(readme: string, blocks: readonly GeneratedBlock[] = readmeBlocks()): string {
  let text = readme;
  for (const block of blocks) {
    const begin = text.indexOf(block.begin);
    const end = text.indexOf(block.end);
    if (begin < 0 || end < begin)
      throw new Error(
        `README.md has no ${block.begin} … ${block.end} block: put the two markers where the table of ${block.name} goes.`,
      );
    text = `${text.slice(0, begin)}${block.begin}\n${block.body}\n\n${text.slice(end)}`;
  }
  return text;
}

/** Each generated file with its text as the declarations say it should be. */
export function generatedFiles(): { path: string; name: string; write: (text: string) => string }[] {
  const declarations = sourceDeclarations();
  return [
    {
      path: README_PATH,
      name: 'README.md',
      write: (text) => readmeWithTables(text, readmeBlocks(declarations)),
    },
    {
      path: SOURCES_PAGE_PATH,
      name: 'docs/sources.md',
      write: (text) => readmeWithSources(text, declarations),
    },
  ];
}

function main(): void {
  const check = process.argv.includes('--check');
  for (const file of generatedFiles()) {
    const text = readFileSync(file.path, 'utf8');
    const written = file.write(text);
    if (written === text) console.log(`${file.name}: its generated tables are up to date.`);
    else if (check) {
      console.error(
        `${file.name}: a generated table is stale. Run npm run docs:readme and commit ${file.name}.`,
      );
      process.exitCode = 1;
    } else {
      writeFileSync(file.path, written);
      console.log(`${file.name}: wrote its generated tables.`);
    }
  }
}

// Run as a script, not when a test imports the functions above.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
