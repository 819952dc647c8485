/**
 * The sources as people read them: one row of words per source, from the declarations beside
 * the readers (src/validate/source-about.ts). `corridor sources`, the data dictionary and the
 * README's table of sources (scripts/docs-sources.ts) are all written from these rows, so they
 * say the same thing as the sources, and nothing a source does not declare.
 */
import type { SourceDeclaration, SourceLicence } from '../validate/source-about.ts';

export interface SourceListingRow {
  readonly source: string;
  readonly target: string;
  readonly reads: string;
  readonly dataset: string;
  /** The publisher, or what stands in for one nobody declared. */
  readonly publisher: string;
  readonly url: string | null;
  /** The licence's identifier, or `not declared`. */
  readonly licence: string;
  readonly licenceTitle: string;
  readonly licenceUrl: string | null;
  readonly redistribution: string;
  readonly attribution: string | null;
  /** What one file covers, in words, with the coverage dimensions when there are some. */
  readonly covers: string;
  readonly flows: string;
  readonly units: string;
  readonly periods: string;
}

const NOT_DECLARED_LICENCE = 'not declared';
const NOT_DECLARED_PUBLISHER = "declared by the pipeline entry's `about:`; unknown when it declares none";

function licenceText(licence: SourceLicence): string {
  return licence.id ?? NOT_DECLARED_LICENCE;
}

/**
 * @example
 * sourceListing(sourceDeclarations())[0]; // { source: 'comtrade', publisher: 'United Nations Statistics Division (UNSD)', licence: 'LicenseRef-UN-Comtrade-terms', redistribution: 'not allowed', … }
 */
export function sourceListing(declarations: readonly SourceDeclaration[]): SourceListingRow[] {
  return declarations.map((d) => {
    const { about } = d;
    return {
      source: d.name,
      target: d.target,
      reads: d.description,
      dataset: about.dataset,
      publisher: about.publisher ?? about.publisherUnknownBecause ?? NOT_DECLARED_PUBLISHER,
      url: about.url,
      licence: licenceText(about.licence),
      licenceTitle: about.licence.title,
      licenceUrl: about.licence.url,
      redistribution: about.licence.redistribution,
      attribution: about.licence.attribution,
      covers: d.coverage.length === 0 ? about.fileCovers : `${about.fileCovers} [${d.coverage.join(' × ')}]`,
      flows: about.flows.join(', '),
      units: about.units.join('; '),
      periods: about.periods.join(', '),
    };
  });
}

/** A cell of a GFM table: one line, `|` escaped. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();

/**
 * The sources as one GitHub-flavoured Markdown table: for the README and the dictionary.
 *
 * @example
 * sourcesMarkdown(sourceDeclarations()).split('\n')[0]; // '| source       | reads …', columns padded
 */
export function sourcesMarkdown(declarations: readonly SourceDeclaration[]): string {
  const header = [
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
  const rows = sourceListing(declarations).map((row) => {
    const publisher = row.url === null ? row.publisher : `[${row.publisher}](${row.url})`;
    const named = row.licenceUrl === null ? `\`${row.licence}\`` : `[\`${row.licence}\`](${row.licenceUrl})`;
    // A licence nobody declared has no identifier to show: its title says so.
    const terms = row.licence === NOT_DECLARED_LICENCE ? row.licenceTitle : `${named}: ${row.licenceTitle}`;
    const licence = `${terms}; redistribution ${row.redistribution}`;
    return [
      `\`${row.source}\``,
      row.reads,
      `\`${row.target}\``,
      publisher,
      licence,
      row.covers,
      row.flows,
      row.units,
      row.periods,
    ].map(cell);
  });
  // Columns padded to their widest cell, as the formatter (biome) writes a Markdown table.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  return `${lines.join('\n')}\n`;
}

/** What the dictionary says before its list of sources. */
export const SOURCES_INTRO =
  "The values of the `source` column: each source as it declares itself beside its reader (`corridor sources`), with its publisher and licence. A pipeline's `table` and `port-table` entries declare theirs with `about:`; each load records the provenance it was loaded with (`load_files`, `row_provenance`).";

export const SOURCES_BEGIN = '<!-- sources:begin -->';
export const SOURCES_END = '<!-- sources:end -->';

/**
 * The README with its table of sources, between the markers, written from the declarations.
 * Throws when the markers are missing or out of order: the README must say where the table goes.
 *
 * @example
 * writeFileSync('README.md', readmeWithSources(readFileSync('README.md', 'utf8'), sourceDeclarations()));
 */
export function readmeWithSources(readme: string, declarations: readonly SourceDeclaration[]): string {
  const begin = readme.indexOf(SOURCES_BEGIN);
  const end = readme.indexOf(SOURCES_END);
  if (begin < 0 || end < begin)
    throw new Error(
      `README.md has no ${SOURCES_BEGIN} … ${SOURCES_END} block: put the two markers where the table of sources goes.`,
    );
  const generated = `${SOURCES_BEGIN}\n<!-- Written by npm run docs:sources from each source's declaration (sources/*/*.source.ts); edit those, not this table. -->\n\n${sourcesMarkdown(declarations)}\n`;
  return readme.slice(0, begin) + generated + readme.slice(end);
}
