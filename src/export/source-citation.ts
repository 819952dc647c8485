/**
 * Where an exported file's rows came from and on which terms, for its datapackage.json: each
 * load's provenance as the journal recorded it (the source's `about` when it loaded, or its
 * pipeline entry's), the reference tables' as warehouse/reference/ declares it. The exporter
 * knows no publisher: what is not recorded or declared is said to be unknown, never filled in.
 */
import { referenceProvenance } from '../../warehouse/reference/reference-provenance.ts';
import {
  CORRIDOR_LICENCE,
  type Provenance,
  type SourceAbout,
  type SourceLicence,
  sampleAbout,
} from '../validate/source-about.ts';
import type { LoadedSource } from './export-source.ts';

export interface License {
  /** An SPDX or Open Definition identifier; `LicenseRef-…` for terms without one. */
  readonly name?: string;
  readonly path?: string;
  readonly title: string;
  /** Custom property: may the data be passed on (`allowed`, `not allowed`, `unknown`). */
  readonly redistribution?: string;
  /** Custom property: the credit the terms ask for. */
  readonly attribution?: string;
}

export interface Source {
  readonly title: string;
  readonly path?: string;
}

/** Custom resource property `provenance`: the loads behind the rows, by source and provenance. */
export interface LoadCitation {
  readonly source: string;
  readonly target: string;
  readonly dataset: string | null;
  readonly publisher: string | null;
  readonly licence: string | null;
  readonly redistribution: string;
  readonly illustrative: boolean;
  /** `source`, `pipeline` or `nobody` as recorded; `not recorded` for loads before migration 0012. */
  readonly declaredBy: string;
  readonly loads: readonly number[];
}

export interface CitationInput {
  readonly table: string | null;
  readonly area: string | null;
  /** Values of the rows' source columns, when the rows have one. */
  readonly sourcesSeen: readonly string[] | null;
  /** The rows' `load_id`s, when the rows have that column. */
  readonly loadsSeen: readonly number[] | null;
  readonly loaded: readonly LoadedSource[];
  /**
   * What a source declares today, for loads journalled before provenance was recorded
   * (migration 0012); null for a name no source has.
   */
  readonly declaredAbout?: ((source: string) => SourceAbout | null) | undefined;
}

export interface Citation {
  readonly sources: Source[];
  readonly licenses: License[];
  readonly provenance: LoadCitation[];
}

/** The items with their first of each title: a package cites a publisher once. */
export const byTitle = <T extends { readonly title: string }>(items: readonly T[]): T[] => {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.title)) seen.set(item.title, item);
  return [...seen.values()];
};

function licenseOf(licence: SourceLicence): License {
  return {
    name: licence.id ?? 'LicenseRef-undeclared',
    ...(licence.url === null ? {} : { path: licence.url }),
    title: licence.title,
    redistribution: licence.redistribution,
    ...(licence.attribution === null ? {} : { attribution: licence.attribution }),
  };
}

function sourceOf(name: string, p: Provenance): Source {
  if (p.illustrative) return { title: p.dataset };
  if (p.publisher === null)
    return {
      title: `"${name}": ${p.dataset}; its publisher was not declared (the pipeline entry's about:)`,
    };
  const title = p.dataset.includes(p.publisher) ? p.dataset : `${p.dataset}, ${p.publisher}`;
  return p.url === null ? { title } : { title, path: p.url };
}

/**
 * The provenance of loads the journal holds none for (before migration 0012): what the source
 * declares today, as samples when their files were named so; else only what the name says.
 */
function unrecorded(
  group: Pick<LoadedSource, 'source' | 'illustrative'>,
  input: CitationInput,
): Provenance | null {
  const about = input.declaredAbout?.(group.source) ?? null;
  const samples = group.illustrative || group.source.startsWith('sample-');
  if (about !== null) {
    const cited = samples && !about.illustrative ? sampleAbout(about) : about;
    return { ...cited, declaredBy: cited.declaredBy ?? 'source' };
  }
  if (!samples) return null;
  return {
    dataset: `Corridor's illustrative samples loaded as "${group.source}": invented values, not official statistics`,
    publisher: 'Corridor',
    url: null,
    licence: CORRIDOR_LICENCE,
    illustrative: true,
    declaredBy: 'nobody',
  };
}

/** The journal's groups behind the rows: by their load ids when the rows carry them, else by source. */
function groupsBehind(input: CitationInput): { group: LoadedSource; loads: number[] }[] {
  if (input.loadsSeen !== null) {
    const seen = new Set(input.loadsSeen);
    return input.loaded
      .map((group) => ({ group, loads: group.loadIds.filter((id) => seen.has(id)) }))
      .filter((g) => g.loads.length > 0);
  }
  if (input.sourcesSeen === null && input.table !== null) {
    // A table without a source column: the loads into its fact table, or, for one outside the
    // trade and port areas, none (the journal and settings are Corridor's own).
    const area = input.area;
    const target =
      area === 'trade' || /^(trade_|baci_)/.test(input.table)
        ? ['trade_flows']
        : area === 'port' || /^port_/.test(input.table)
          ? ['port_throughput']
          : area === 'indicator'
            ? ['trade_flows', 'port_throughput']
            : [];
    return input.loaded
      .filter((l) => target.includes(l.target))
      .map((group) => ({ group, loads: [...group.loadIds] }));
  }
  const wanted = new Set(input.sourcesSeen ?? []);
  const groups = input.loaded
    .filter((l) => wanted.has(l.source))
    .map((group) => ({ group, loads: [...group.loadIds] }));
  // A source value with no load in the journal (an indicator's `export_source`, a copied
  // warehouse): cited by what its source declares, if anything.
  for (const name of [...wanted].sort())
    if (!groups.some((g) => g.group.source === name))
      groups.push({
        group: { source: name, target: '', files: 0, loadIds: [], illustrative: false, provenance: null },
        loads: [],
      });
  return groups;
}

/**
 * The sources, licences and loads an exported file cites.
 *
 * @example
 * citeRows({ table: 'trade_flows', area: 'trade', sourcesSeen: ['comtrade'], loadsSeen: [3], loaded });
 * // { sources: [{ title: 'UN Comtrade, United Nations Statistics Division (UNSD)', path: … }], licenses: […], provenance: [{ source: 'comtrade', loads: [3], … }] }
 */
export function citeRows(input: CitationInput): Citation {
  const reference = input.table === null ? null : referenceProvenance(input.table);
  if (reference !== null) {
    return {
      sources: reference.origins.map((o) =>
        o.url === undefined ? { title: o.title } : { title: o.title, path: o.url },
      ),
      licenses: reference.licences.map((l) => ({ name: l.id, path: l.url, title: l.title })),
      provenance: [],
    };
  }
  const sources: Source[] = [];
  const licenses: License[] = [];
  const provenance: LoadCitation[] = [];
  const groups = groupsBehind(input).sort(
    (a, b) => a.group.source.localeCompare(b.group.source) || (a.loads[0] ?? 0) - (b.loads[0] ?? 0),
  );
  for (const { group, loads } of groups) {
    const p = group.provenance ?? unrecorded(group, input);
    if (p === null) {
      sources.push({
        title: `"${group.source}": loaded before Corridor recorded provenance (migration 0012), under a name no source declares; see its pipeline file and corridor runs --files <run id>`,
      });
    } else {
      sources.push(sourceOf(group.source, p));
      licenses.push(licenseOf(p.licence));
    }
    if (group.target !== '')
      provenance.push({
        source: group.source,
        target: group.target,
        dataset: p?.dataset ?? null,
        publisher: p?.publisher ?? null,
        licence: p?.licence.id ?? null,
        redistribution: p?.licence.redistribution ?? 'unknown',
        illustrative: p?.illustrative ?? group.illustrative,
        declaredBy: group.provenance === null ? 'not recorded' : group.provenance.declaredBy,
        loads,
      });
  }
  if (input.area === 'indicator' || input.table?.startsWith('ind_')) {
    sources.push({
      title:
        'Computed by Corridor from the rows loaded: formulas in warehouse/indicators/ (DOMAIN.md section 6)',
    });
  }
  if (input.table === null) {
    sources.push({ title: 'A query of a Corridor warehouse (see the resource description)' });
  }
  return { sources: byTitle(sources), licenses: byTitle(licenses), provenance };
}
