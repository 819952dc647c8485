/**
 * `corridor docs`: the data dictionary as Markdown (the default) or one self-contained HTML
 * page, on stdout or in a file, or as JSON; no warehouse needed. What it says is checked
 * against a real warehouse by data-dictionary.test.ts; this is about how it is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaryHtml } from '../src/docs/dictionary-html.ts';
import { dictionaryMarkdown } from '../src/docs/dictionary-markdown.ts';
import { sourceDeclarations } from '../src/pipeline/source-registry.ts';
import { DICTIONARY, DICTIONARY_AREAS } from '../warehouse/dictionary/index.ts';
import type { TableDoc } from '../warehouse/dictionary/table-doc.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();

/** A table whose words hold everything that must be escaped. */
const AWKWARD: TableDoc = {
  name: 'awkward_table',
  kind: 'table',
  area: 'trade',
  description: 'Rows where a < b & c > d, "quoted", it\'s <script>alert(1)</script>.',
  columns: [
    {
      name: 'ratio',
      type: 'real',
      unit: 'ratio',
      description: 'Share |x| / Σ|x|, `a|b` as code, 5 < 6 & 7.',
    },
  ],
  key: ['ratio'],
  formula: 'r = |X − M| / (X + M) < 1',
};

/** The Markdown between one table's heading and the next heading. */
function sectionOf(markdown: string, table: string): string {
  const start = markdown.indexOf(`\n### ${table}\n`);
  expect(start, `no "### ${table}" heading`).toBeGreaterThan(-1);
  const end = markdown.indexOf('\n#', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

describe('corridor docs', () => {
  it('prints every table and view with every column, as Markdown, without a warehouse', async () => {
    const db = join(tmp(), 'never-created.db');
    const run = await cli(['docs', '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('# Corridor data dictionary\n')).toBe(true);
    for (const table of DICTIONARY) {
      const section = sectionOf(run.stdout, table.name);
      expect(run.stdout).toContain(`[${table.name}](#${table.name})`);
      for (const column of table.columns)
        expect(section).toContain(`| \`${column.name}\` | ${column.type} |`);
      if (table.formula !== undefined) expect(section).toContain('**Formula:**');
    }
    expect(run.stderr).toMatch(/^Documented \d+ tables, \d+ views and \d+ columns\.\n$/);
    expect(existsSync(db)).toBe(false);
  });

  it('writes one self-contained HTML page, with an anchor and a contents link for every table', async () => {
    const run = await cli(['docs', '--format', 'html']);
    expect(run.code).toBe(0);
    const html = run.stdout;
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<style>');
    // Nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere.
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    for (const table of DICTIONARY) {
      expect(html).toContain(`<article id="${table.name}">`);
      expect(html).toContain(`<a href="#${table.name}">`);
    }
  });

  it('escapes what the dictionary says, in HTML and in Markdown tables', () => {
    const html = dictionaryHtml([AWKWARD]);
    expect(html).toContain(
      'Rows where a &lt; b &amp; c &gt; d, &quot;quoted&quot;, it&#39;s &lt;script&gt;alert(1)&lt;/script&gt;.',
    );
    expect(html).toContain('Share |x| / Σ|x|, <code>a|b</code> as code, 5 &lt; 6 &amp; 7.');
    expect(html).toContain('<dt>Formula</dt><dd>r = |X − M| / (X + M) &lt; 1</dd>');
    expect(html).not.toContain('<script>');

    const markdown = dictionaryMarkdown([AWKWARD]);
    // A `|` would end the cell; `<script>` would be raw HTML to a Markdown renderer.
    expect(markdown).toContain(
      '| `ratio` | real | ratio | Share \\|x\\| / Σ\\|x\\|, `a\\|b` as code, 5 \\< 6 & 7. |',
    );
    expect(markdown).toContain('\\<script>alert(1)\\</script>');
    expect(markdown).toContain('**Formula:** r = |X − M| / (X + M) \\< 1');
  });

  it('writes the document to --out, creating its folder, and says what it wrote', async () => {
    const run = await cli(['docs', '--format', 'html', '--out', 'docs/dictionary.html'], tmp());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Wrote the data dictionary \(\d+ tables, \d+ views and \d+ columns\) to docs\/dictionary\.html as HTML\.\n$/,
    );
    expect(readFileSync(join(tmp(), 'docs', 'dictionary.html'), 'utf8')).toBe(
      dictionaryHtml(DICTIONARY, DICTIONARY_AREAS, sourceDeclarations()),
    );

    const markdown = await cli(['docs', '--out', 'dictionary.md'], tmp());
    expect(markdown.code).toBe(0);
    expect(readFileSync(join(tmp(), 'dictionary.md'), 'utf8')).toBe(
      dictionaryMarkdown(DICTIONARY, DICTIONARY_AREAS, sourceDeclarations()),
    );
  });

  it('prints the dictionary as JSON with --json', async () => {
    const run = await cli(['docs', '--json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { corridor_dictionary: number; tables: TableDoc[] };
    expect(document.corridor_dictionary).toBe(1);
    expect(document.tables).toEqual(JSON.parse(JSON.stringify(DICTIONARY)));
  });

  it('refuses a format it does not write, with exit code 2 and the usage', async () => {
    const run = await cli(['docs', '--format', 'pdf']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^corridor: Invalid value for option "--format": "pdf"\. Use markdown or html\./,
    );
    expect(run.stderr).toContain('Usage: corridor docs [--format markdown|html] [--out <file>]');
  });

  it('refuses an unknown option and stray arguments, with exit code 2', async () => {
    expect((await cli(['docs', '--fromat', 'html'])).code).toBe(2);
    const stray = await cli(['docs', 'html']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('corridor docs takes no arguments, but was given "html"');
  });
});
