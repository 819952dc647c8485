/**
 * The data dictionary as one Markdown document (GitHub-flavoured): contents, then area by area,
 * each table's description, key, formula and a table of its columns. A pure function of the
 * dictionary, so `corridor docs` and a test print the same text.
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
import { SOURCES_INTRO, sourcesMarkdown } from './source-listing.ts';

/**
 * Prose with `code spans` kept as written. Outside them, `*` and `<` are escaped so that a
 * description never turns into emphasis or an HTML tag; in a table cell, `|` is escaped even
 * inside code spans, since GFM splits cells before it reads code (https://github.github.com/gfm/#tables-extension-).
 */
function inline(text: string, inCell = false): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const escaped = flat
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\\*<])/g, '\\$1')))
    .join('');
  return inCell ? escaped.replaceAll('|', '\\|') : escaped;
}

/** GitHub's heading anchor: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function tableSection(table: TableDoc): string[] {
  const lines = [
    `### ${table.name}`,
    '',
    `${table.kind === 'view' ? 'View' : 'Table'}. ${inline(table.description)}`,
    '',
  ];
  lines.push(`**Key:** ${table.key.map((k) => `\`${k}\``).join(', ')}`, '');
  if (table.formula !== undefined) lines.push(`**Formula:** ${inline(table.formula)}`, '');
  if (table.dependsOn !== undefined) lines.push(`**Refreshed:** ${inline(table.dependsOn)}`, '');
  lines.push('| column | type | unit | description |', '| --- | --- | --- | --- |');
  for (const column of table.columns)
    lines.push(
      `| \`${column.name}\` | ${column.type} | ${inline(column.unit ?? '', true)} | ${inline(column.description, true)} |`,
    );
  lines.push('');
  return lines;
}

/**
 * The dictionary as Markdown; with `sources` (the registry's declarations, which `corridor docs`
 * passes), a closing section lists them.
 *
 * @example
 * writeFileSync('docs/dictionary.md', dictionaryMarkdown());
 */
export function dictionaryMarkdown(
  tables: readonly TableDoc[] = DICTIONARY,
  areas: readonly DictionaryArea[] = DICTIONARY_AREAS,
  sources: readonly SourceDeclaration[] = [],
): string {
  const counts = dictionaryCounts(tables);
  const present = areas.filter((a) => tables.some((t) => t.area === a.area));
  const lines = [
    '# Corridor data dictionary',
    '',
    `Every table and view of the warehouse: ${plural(counts.tables, 'table')} and ${plural(counts.views, 'view')}, ${plural(counts.columns, 'column')}. Written by \`corridor docs\` from warehouse/dictionary/ and the indicator definitions in warehouse/indicators/, the same definitions the warehouse is checked against; edit those, not this file.`,
    '',
    ...DICTIONARY_CONVENTIONS.map((c) => `- ${inline(c)}`),
    '',
    '## Contents',
    '',
  ];
  for (const area of present) {
    const names = tables.filter((t) => t.area === area.area).map((t) => `[${t.name}](#${anchor(t.name)})`);
    lines.push(`- [${area.title}](#${anchor(area.title)}): ${names.join(', ')}`);
  }
  if (sources.length > 0)
    lines.push(`- [Sources](#sources): ${sources.map((s) => `\`${s.name}\``).join(', ')}`);
  lines.push('');
  for (const area of present) {
    lines.push(`## ${area.title}`, '', inline(area.description), '');
    for (const table of tables.filter((t) => t.area === area.area)) lines.push(...tableSection(table));
  }
  if (sources.length > 0) lines.push('## Sources', '', inline(SOURCES_INTRO), '', sourcesMarkdown(sources));
  return `${lines.join('\n').trimEnd()}\n`;
}
