/**
 * The data dictionary as one self-contained HTML page: inline CSS, no scripts, fonts or images
 * to fetch, so it opens from a file share or an e-mail attachment as it does from a web server,
 * and prints (contents on its own page, column headers repeated across pages). A pure function
 * of the dictionary; every text is escaped, so a description may say `x < y & z`.
 */
import {
  DICTIONARY,
  DICTIONARY_AREAS,
  DICTIONARY_CONVENTIONS,
  type DictionaryArea,
  dictionaryCounts,
} from '../../warehouse/dictionary/index.ts';
import type { TableDoc } from '../../warehouse/dictionary/table-doc.ts';
import type { SourceDeclaration } from '../validate/source-about.ts';
import { SOURCES_INTRO, sourceListing } from './source-listing.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an element's content or a quoted attribute value. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Escaped prose, its `code spans` set as <code>: the dictionary's words are written that way. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]*)`/g, '<code>$1</code>');

/** Table names are snake_case; the prefix keeps an area's id apart from a table's. */
const areaId = (area: DictionaryArea) => `area-${area.area}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const STYLE = `
  :root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --rule: #d8dde6; --tint: #f4f6f9; --accent: #1f5fa8; }
  * { box-sizing: border-box; }
  body { margin: 0 auto; max-width: 72rem; padding: 2rem 1.5rem 4rem; color: var(--ink); background: #fff;
    font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  h1 { font-size: 1.8rem; margin: 0 0 0.5rem; }
  h2 { font-size: 1.4rem; margin: 2.5rem 0 0.5rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--ink); }
  h3 { font-size: 1.1rem; margin: 2rem 0 0.25rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .kind { font: 600 0.7rem/1 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.05em;
    color: var(--muted); border: 1px solid var(--rule); border-radius: 3px; padding: 0.15rem 0.35rem; margin-left: 0.5rem; vertical-align: middle; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
    background: var(--tint); border-radius: 3px; padding: 0 0.2em; }
  a { color: var(--accent); text-decoration: none; }
  a:hover { text-decoration: underline; }
  .lead, .conventions { color: var(--muted); }
  nav ol { columns: 2; column-gap: 2rem; padding-left: 1.25rem; }
  nav li { break-inside: avoid; margin-bottom: 0.5rem; }
  nav ul { padding-left: 1rem; list-style: none; margin: 0.25rem 0 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.75rem 0; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; margin: 0.75rem 0 0; font-size: 0.9rem; }
  th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--rule); }
  th { background: var(--tint); font-weight: 600; }
  td:first-child { white-space: nowrap; }
  td.type, td.unit { white-space: nowrap; color: var(--muted); }
  @media (max-width: 48rem) { nav ol { columns: 1; } }
  @media print {
    body { max-width: none; padding: 0; font-size: 10pt; }
    nav { break-after: page; }
    main h2 { break-before: page; }
    h3 { break-after: avoid; }
    tr { break-inside: avoid; }
    thead { display: table-header-group; }
    a { color: inherit; }
    code { background: none; padding: 0; }
  }
`;

function tableArticle(table: TableDoc): string {
  const rows = table.columns.map(
    (c) =>
      `<tr><td><code>${escapeHtml(c.name)}</code></td><td class="type">${c.type}</td><td class="unit">${prose(c.unit ?? '')}</td><td>${prose(c.description)}</td></tr>`,
  );
  const formula =
    (table.formula === undefined ? '' : `<dt>Formula</dt><dd>${prose(table.formula)}</dd>`) +
    (table.dependsOn === undefined ? '' : `<dt>Refreshed</dt><dd>${prose(table.dependsOn)}</dd>`);
  return [
    `<article id="${escapeHtml(table.name)}">`,
    `<h3>${escapeHtml(table.name)}<span class="kind">${table.kind}</span></h3>`,
    `<p>${prose(table.description)}</p>`,
    `<dl><dt>Key</dt><dd>${table.key.map((k) => `<code>${escapeHtml(k)}</code>`).join(', ')}</dd>${formula}</dl>`,
    '<table>',
    '<thead><tr><th scope="col">column</th><th scope="col">type</th><th scope="col">unit</th><th scope="col">description</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
    '</article>',
  ].join('\n');
}

const HEADINGS = [
  'source',
  'reads',
  'into',
  'publisher',
  'licence',
  'a file covers',
  'flows',
  'units',
  'periods',
];

/** The sources as a table: each as it declares itself (src/docs/source-listing.ts). */
function sourcesSection(sources: readonly SourceDeclaration[]): string {
  // Addresses as text, not links: the page links nothing outside itself.
  const link = (text: string, url: string | null) =>
    url === null ? prose(text) : `${prose(text)} (${escapeHtml(url)})`;
  const rows = sourceListing(sources).map((r) =>
    [
      `<td><code>${escapeHtml(r.source)}</code></td>`,
      `<td>${prose(r.reads)}</td>`,
      `<td><code>${escapeHtml(r.target)}</code></td>`,
      `<td>${link(r.publisher, r.url)}</td>`,
      `<td>${link(r.licence, r.licenceUrl)}: ${prose(r.licenceTitle)}; redistribution ${escapeHtml(r.redistribution)}</td>`,
      `<td>${prose(r.covers)}</td>`,
      `<td>${escapeHtml(r.flows)}</td>`,
      `<td>${escapeHtml(r.units)}</td>`,
      `<td>${escapeHtml(r.periods)}</td>`,
    ].join(''),
  );
  const head = HEADINGS.map((h) => `<th scope="col">${h}</th>`).join('');
  return [
    '<section id="sources">',
    '<h2>Sources</h2>',
    `<p>${prose(SOURCES_INTRO)}</p>`,
    `<table>\n<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows.map((r) => `<tr>${r}</tr>`).join('\n')}\n</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

/**
 * The dictionary as one HTML page; with `sources` (the registry's declarations, which
 * `corridor docs` passes), a closing section lists them.
 *
 * @example
 * writeFileSync('docs/dictionary.html', dictionaryHtml());
 */
export function dictionaryHtml(
  tables: readonly TableDoc[] = DICTIONARY,
  areas: readonly DictionaryArea[] = DICTIONARY_AREAS,
  sources: readonly SourceDeclaration[] = [],
): string {
  const counts = dictionaryCounts(tables);
  const present = areas.filter((a) => tables.some((t) => t.area === a.area));
  const inArea = (area: DictionaryArea) => tables.filter((t) => t.area === area.area);
  const contents = present.map(
    (area) =>
      `<li><a href="#${areaId(area)}">${escapeHtml(area.title)}</a><ul>${inArea(area)
        .map((t) => `<li><a href="#${escapeHtml(t.name)}"><code>${escapeHtml(t.name)}</code></a></li>`)
        .join('')}</ul></li>`,
  );
  if (sources.length > 0) contents.push('<li><a href="#sources">Sources</a></li>');
  const sections = present.map((area) =>
    [
      `<section id="${areaId(area)}">`,
      `<h2>${escapeHtml(area.title)}</h2>`,
      `<p>${prose(area.description)}</p>`,
      ...inArea(area).map(tableArticle),
      '</section>',
    ].join('\n'),
  );
  if (sources.length > 0) sections.push(sourcesSection(sources));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Corridor data dictionary</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Corridor data dictionary</h1>
<p class="lead">Every table and view of the warehouse: ${plural(counts.tables, 'table')} and ${plural(counts.views, 'view')}, ${plural(counts.columns, 'column')}. Written by <code>corridor docs</code> from warehouse/dictionary/ and the indicator definitions in warehouse/indicators/, the same definitions the warehouse is checked against.</p>
<ul class="conventions">
${DICTIONARY_CONVENTIONS.map((c) => `<li>${prose(c)}</li>`).join('\n')}
</ul>
</header>
<nav aria-label="Contents">
<h2>Contents</h2>
<ol>
${contents.join('\n')}
</ol>
</nav>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
