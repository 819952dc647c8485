/**
 * The links of the README, CONTRIBUTING.md and docs/: every relative link names a file of the
 * repository, every `#anchor` a heading of its target (as GitHub makes anchors of headings), and
 * no link leaves the repository. External http(s) links are not fetched (no network in tests).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The Markdown's lines, those of fenced code blocks (and their fences) blanked out. */
function outsideFences(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const opening = /^\s*(```|~~~)/.exec(line);
    if (opening === null) return fence === null ? line : '';
    if (fence === null) fence = opening[1]!;
    else if (line.trim().startsWith(fence)) fence = null;
    return '';
  });
}

/** The prose lines: outside fenced code blocks, with code spans blanked out too. */
const proseLines = (markdown: string) =>
  outsideFences(markdown).map((line) => line.replace(/`[^`]*`/g, '``'));

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[*`]/g, '') // emphasis and code markers
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs (repeats numbered) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of outsideFences(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) {
      const slug = headingSlug(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const id of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id[1]!);
  }
  return anchors;
}

interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

/** Inline links and images `[text](target)`, and autolinks `<https://…>`. */
function linksOf(file: string, markdown: string): Link[] {
  const links: Link[] = [];
  proseLines(markdown).forEach((text, index) => {
    for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ file, line: index + 1, target: m[1]! });
    for (const m of text.matchAll(/<(https?:\/\/[^>\s]+)>/g))
      links.push({ file, line: index + 1, target: m[1]! });
  });
  return links;
}

/** What is wrong with one link, or null when it holds. */
function linkProblem(root: string, link: Link): string | null {
  const { target } = link;
  if (/^https?:\/\/[^/\s]+/.test(target)) return null; // external: not fetched
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return `${target}: only http(s) links may leave the repository`;
  if (target.startsWith('/')) return `${target}: an absolute path; link relative to the file`;
  const hash = target.indexOf('#');
  const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
  const resolved = pathPart === '' ? link.file : resolve(dirname(link.file), pathPart);
  const inside = relative(root, resolved);
  if (inside.startsWith(`..${sep}`) || inside === '..') return `${target}: leaves the repository`;
  if (!existsSync(resolved)) return `${target}: no such file (${inside})`;
  if (anchor === null) return null;
  if (!resolved.endsWith('.md') || statSync(resolved).isDirectory())
    return `${target}: an anchor into a file that is not Markdown`;
  return anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)
    ? null
    : `${target}: ${inside} has no heading with the anchor #${anchor}`;
}

/** README.md, CONTRIBUTING.md and every Markdown file under docs/. */
function documents(root: string): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'].map((f) => join(root, f)).filter((f) => existsSync(f));
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(root, 'docs'));
  return files;
}

/** Every broken link of the documents, as `file:line: problem`. */
function brokenLinks(root: string): string[] {
  const problems: string[] = [];
  for (const file of documents(root)) {
    for (const link of linksOf(file, readFileSync(file, 'utf8'))) {
      const problem = linkProblem(root, link);
      if (problem !== null) problems.push(`${relative(root, file)}:${link.line}: ${problem}`);
    }
  }
  return problems;
}

/**
 * Source files named in code spans (`src/db/warehouse.ts`): each must exist, as a link must.
 * Only the project's code folders: a span such as `warehouse/reference/hs/conversion-weights.csv`
 * may name a file the reader is told to create.
 */
function missingSourcePaths(root: string): string[] {
  const problems: string[] = [];
  for (const file of documents(root)) {
    outsideFences(readFileSync(file, 'utf8')).forEach((line, index) => {
      for (const m of line.matchAll(
        /`((?:src|test|scripts|warehouse|sources|bin)\/[\w./-]+\.(?:ts|js|json))`/g,
      ))
        if (!existsSync(join(root, m[1]!)))
          problems.push(`${relative(root, file)}:${index + 1}: ${m[1]} is not in the repository`);
    });
  }
  return problems;
}

describe('links in README.md, CONTRIBUTING.md and docs/', () => {
  it('every source file named in a code span is in the repository', () => {
    expect(missingSourcePaths(ROOT)).toEqual([]);
  });

  it('every relative link names a file of the repository, every anchor a heading of it', () => {
    expect(documents(ROOT).length).toBeGreaterThan(5);
    expect(brokenLinks(ROOT)).toEqual([]);
  });

  it('nothing cites notes outside the repository', () => {
    const outside = documents(ROOT).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\.\.\/shared\/|DOMAIN\.md/.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [],
        ),
    );
    expect(outside).toEqual([]);
  });
});

describe('the link checker', () => {
  const temp = useTempDir();

  function project(files: Record<string, string>): string {
    const root = join(temp(), 'project');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('finds a missing file, a missing anchor and a link out of the repository', () => {
    const root = project({
      'README.md': [
        '# Corridor',
        '[guide](docs/guide.md) [gone](docs/gone.md) [bad anchor](docs/guide.md#nowhere)',
        '[out](../shared/DOMAIN.md) [abs](/etc/passwd) [file](file:///etc/passwd) [web](https://example.org/x)',
        '`[in code](docs/gone.md)`',
        '```md',
        '[in a fence](docs/gone.md)',
        '```',
      ].join('\n'),
      'docs/guide.md':
        '# Guide\n\n## The warehouse on PostgreSQL\n\n[up](../README.md#corridor) [here](#the-warehouse-on-postgresql)\n',
    });
    expect(brokenLinks(root)).toEqual([
      'README.md:2: docs/gone.md: no such file (docs/gone.md)',
      'README.md:2: docs/guide.md#nowhere: docs/guide.md has no heading with the anchor #nowhere',
      'README.md:3: ../shared/DOMAIN.md: leaves the repository',
      'README.md:3: /etc/passwd: an absolute path; link relative to the file',
      'README.md:3: file:///etc/passwd: only http(s) links may leave the repository',
    ]);
  });

  it('finds a source file named in a code span that moved', () => {
    const root = project({
      'README.md': 'Declared in `src/db/gone.ts`, read by `src/here.ts`; create `warehouse/mine.csv`.\n',
      'src/here.ts': '',
    });
    expect(missingSourcePaths(root)).toEqual(['README.md:1: src/db/gone.ts is not in the repository']);
  });

  it('makes anchors as GitHub does', () => {
    expect(headingSlug("Loading a port's own tables")).toBe('loading-a-ports-own-tables');
    expect(headingSlug('The console: `corridor serve`')).toBe('the-console-corridor-serve');
    expect(headingSlug('categories.csv')).toBe('categoriescsv');
    expect(headingSlug('Totals below their parts (`total_below_parts`)')).toBe(
      'totals-below-their-parts-total_below_parts',
    );
    expect(headingSlug('Sums along the HS tree — and [links](x.md)')).toBe(
      'sums-along-the-hs-tree--and-links',
    );
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n<a id="here"></a>')]).toEqual([
      'a',
      'a-1',
      'here',
    ]);
  });
});
