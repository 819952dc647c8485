/**
 * datapackage.json: the Frictionless Data Package (https://specs.frictionlessdata.io/data-package/)
 * written beside every export, so a downstream tool reads the columns' types instead of guessing
 * them (a code such as `010121` stays text; a value is a number), with what each column means,
 * its unit, the key that identifies a row, where the data came from and under which licence.
 *
 * One resource per exported file, profile `tabular-data-resource`, its `schema` a Table Schema
 * (https://specs.frictionlessdata.io/table-schema/): field types `string`, `integer` or `number`.
 * Table Schema has no property for a unit, so each measure's unit is in a custom `unit` property
 * (`USD`, `kg`, `t`, `percent`, `ratio`…), which readers that do not know it ignore, as the
 * specification allows. Exports into one folder share one datapackage.json: a new export
 * replaces the resource of the same file and keeps the others. Nothing in it changes unless the
 * data does (no timestamp), so it diffs as cleanly as the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { ColumnType, TableDoc } from '../../warehouse/dictionary/table-doc.ts';
import { ConfigError } from '../errors.ts';
import type { LoadedSource } from './export-source.ts';
import type { ExportColumn, ExportFormat } from './table-writer.ts';

export const DATA_PACKAGE_FILE = 'datapackage.json';

export interface License {
  /** An SPDX or Open Definition identifier; `LicenseRef-…` for terms without one. */
  readonly name?: string;
  readonly path?: string;
  readonly title: string;
}

export interface Source {
  readonly title: string;
  readonly path?: string;
}

export interface Field {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number';
  readonly format: 'default';
  readonly description?: string;
  /** Custom property: the unit of a measure, from the data dictionary. */
  readonly unit?: string;
}

export interface DataResource {
  readonly name: string;
  readonly path: string | readonly string[];
  readonly profile: 'tabular-data-resource';
  readonly format: string;
  readonly mediatype: string;
  readonly encoding: 'utf-8';
  readonly bytes?: number;
  readonly description?: string;
  readonly dialect?: Readonly<Record<string, unknown>>;
  readonly schema: {
    readonly fields: readonly Field[];
    readonly primaryKey?: readonly string[];
    readonly missingValues: readonly string[];
  };
  readonly sources: readonly Source[];
  readonly licenses: readonly License[];
  readonly [custom: string]: unknown;
}

export interface DataPackage {
  readonly profile: 'tabular-data-package';
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly resources: readonly DataResource[];
  readonly sources: readonly Source[];
  readonly licenses: readonly License[];
  readonly [custom: string]: unknown;
}

const PDDL: License = {
  name: 'ODC-PDDL-1.0',
  path: 'https://opendatacommons.org/licenses/pddl/1-0/',
  title: 'Open Data Commons Public Domain Dedication and License 1.0',
};
const CORRIDOR_LICENSE: License = {
  name: 'Apache-2.0',
  path: 'https://www.apache.org/licenses/LICENSE-2.0',
  title: "Corridor's own licence, Apache License 2.0",
};
const UNSTATED: License = {
  name: 'LicenseRef-unstated',
  title: 'Government statistics; the publisher states no licence: cite the publisher (DOMAIN.md section 9)',
};

/** Where each source's data comes from and on what terms (DOMAIN.md section 9, warehouse/reference/README.md). */
const PUBLISHERS: Readonly<
  Record<string, { readonly source: Source; readonly licenses: readonly License[] }>
> = {
  comtrade: {
    source: { title: 'UN Comtrade, United Nations Statistics Division', path: 'https://comtradeplus.un.org' },
    licenses: [
      {
        name: 'LicenseRef-UN-Comtrade-terms',
        path: 'https://comtradeplus.un.org',
        title:
          'UN Comtrade terms of use: internal use only; not to be re-disseminated without the prior written consent of UNSD',
      },
    ],
  },
  baci: {
    source: {
      title:
        'CEPII BACI, International Trade Database at the Product-Level (Gaulier and Zignago, CEPII Working Paper 2010-23)',
      path: 'http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37',
    },
    licenses: [
      {
        name: 'etalab-2.0',
        path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence',
        title:
          'Licence Ouverte / Open Licence 2.0 (Etalab): reuse with attribution to CEPII and the release used',
      },
    ],
  },
  'kz-bns': {
    source: { title: 'Kazakhstan Bureau of National Statistics', path: 'https://stat.gov.kz' },
    licenses: [UNSTATED],
  },
  'kg-nsc': {
    source: { title: 'Kyrgyzstan National Statistical Committee', path: 'https://stat.gov.kg' },
    licenses: [UNSTATED],
  },
  'uz-stat': {
    source: { title: 'Uzbekistan Statistics Agency', path: 'https://stat.uz' },
    licenses: [UNSTATED],
  },
  'hk-marine-department': {
    source: {
      title: 'Source: Marine Department, HKSAR Government (DATA.GOV.HK)',
      path: 'https://data.gov.hk',
    },
    licenses: [
      {
        name: 'LicenseRef-DATA.GOV.HK-terms',
        path: 'https://data.gov.hk',
        title:
          'DATA.GOV.HK terms and conditions: free reuse, commercial included, with the attribution "Source: Marine Department, HKSAR Government (DATA.GOV.HK)"',
      },
    ],
  },
  kpt: { source: { title: 'Karachi Port Trust' }, licenses: [UNSTATED] },
  pqa: { source: { title: 'Port Qasim Authority' }, licenses: [UNSTATED] },
};

/** The reference tables' origins, as warehouse/reference/README.md tells them. */
function referenceProvenance(table: string): { sources: Source[]; licenses: License[] } | null {
  const readme = 'warehouse/reference/README.md';
  if (/^countr(y|ies)/.test(table)) {
    return {
      sources: [
        {
          title: 'datasets/country-codes (ISO 3166 rows)',
          path: 'https://github.com/datasets/country-codes',
        },
        {
          title: 'Source: UNSD M49, Standard country or area codes for statistical use',
          path: 'https://unstats.un.org/unsd/methodology/m49/',
        },
        { title: `Non-ISO areas and name variants keyed by the Corridor team (${readme})` },
      ],
      licenses: [
        {
          ...PDDL,
          title: `${PDDL.title}; ISO calls alpha-2 free for internal and non-commercial use (${readme})`,
        },
        CORRIDOR_LICENSE,
      ],
    };
  }
  if (/^hs_(codes|sections)$/.test(table)) {
    return {
      sources: [
        {
          title: 'datasets/harmonized-system (HS 2022 and HS 2017, UN Comtrade descriptions)',
          path: 'https://github.com/datasets/harmonized-system',
        },
      ],
      licenses: [
        { ...PDDL, title: `${PDDL.title}; the WCO holds rights in the nomenclature text (${readme})` },
      ],
    };
  }
  if (/^hs_(concordance|conversion)$/.test(table)) {
    return {
      sources: [
        {
          title: 'Harvard Growth Lab, comtrade-conversion-weights (from UNSD HS correlation tables)',
          path: 'https://github.com/harvard-growth-lab/comtrade-conversion-weights',
        },
      ],
      licenses: [
        {
          name: 'Apache-2.0',
          path: 'https://www.apache.org/licenses/LICENSE-2.0',
          title: 'Apache License 2.0',
        },
      ],
    };
  }
  if (/^(hs_categor|hs_code_categor|ports$|port_commodities$|settings$)/.test(table)) {
    return { sources: [{ title: `Keyed by the Corridor team (${readme})` }], licenses: [CORRIDOR_LICENSE] };
  }
  return null;
}

/** How one loaded source is cited: its publisher, or the bundled samples that imitate it. */
function provenanceOf(
  name: string,
  loaded: readonly LoadedSource[],
): { source: Source; licenses: License[] } {
  // The bundled samples load under `sample-<source>` (src/pipeline/source-registry.ts).
  const sampleOf = /^sample-(.+)$/.exec(name)?.[1];
  const publisher = PUBLISHERS[sampleOf ?? name];
  const files = loaded.filter((l) => l.source === name);
  const samples = sampleOf !== undefined || (files.length > 0 && files.every((l) => l.illustrative));
  if (samples) {
    return {
      source: {
        title: `Corridor's illustrative samples in the layout of ${publisher?.source.title ?? `"${name}"`}: invented values, not official statistics`,
      },
      licenses: [CORRIDOR_LICENSE],
    };
  }
  if (publisher !== undefined) return { source: publisher.source, licenses: [...publisher.licenses] };
  return {
    source: {
      title: `"${name}": a table loaded by a Corridor pipeline under that name (its files: corridor runs --files <run id>)`,
    },
    licenses: [],
  };
}

const byTitle = <T extends { readonly title: string }>(items: readonly T[]): T[] => {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.title)) seen.set(item.title, item);
  return [...seen.values()];
};

export interface ResourceInput {
  /** The main file written. */
  readonly file: string;
  /** Every file written, the main one first. */
  readonly files: readonly string[];
  readonly format: ExportFormat;
  readonly columns: readonly ExportColumn[];
  /** The table or view exported, or null for a query. */
  readonly table: string | null;
  readonly doc: TableDoc | null;
  readonly key: readonly string[];
  /** The query, for a query export. */
  readonly query: string | null;
  /** Values of the rows' source columns (`source`, `export_source`…), when the rows have one. */
  readonly sourcesSeen: readonly string[] | null;
  readonly loaded: readonly LoadedSource[];
  /** The formula guard was applied (CSV and XLSX without --raw). */
  readonly guarded: boolean;
  /** XLSX: the sheets the rows are on. */
  readonly sheets?: readonly string[];
  /** Size of the main file in bytes. */
  readonly bytes?: number;
}

const FIELD_TYPES: Readonly<Record<ColumnType, Field['type']>> = {
  text: 'string',
  integer: 'integer',
  real: 'number',
};

const FORMATS: Readonly<Record<ExportFormat, { format: string; mediatype: string }>> = {
  csv: { format: 'csv', mediatype: 'text/csv' },
  xlsx: { format: 'xlsx', mediatype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  json: { format: 'json', mediatype: 'application/json' },
  ndjson: { format: 'ndjson', mediatype: 'application/x-ndjson' },
  parquet: { format: 'parquet', mediatype: 'application/vnd.apache.parquet' },
  sdmx: { format: 'csv', mediatype: 'application/vnd.sdmx.data+csv' },
};

/** How a reader undoes the formula guard, stated where the reader looks. */
export const FORMULA_GUARD_NOTE =
  'Text cells that began with =, +, -, @, a tab or a carriage return (after any apostrophes), other than plain numbers, were written with one extra leading apostrophe so that spreadsheets do not run them as formulas. To recover the exact text, remove one leading apostrophe from every text that starts with one or more apostrophes followed by one of those characters. Export with --raw to write text unchanged.';

/** A resource name as the specification allows it: lower case, digits and `-._/`. */
export function resourceName(table: string | null, file: string): string {
  const stem = table ?? basename(file).replace(/\..*$/, '');
  const name = stem.toLowerCase().replace(/[^-a-z0-9._/]+/g, '-');
  return name === '' ? 'query' : name;
}

function sourcesOf(input: ResourceInput): { sources: Source[]; licenses: License[] } {
  const area = input.doc?.area ?? null;
  const sources: Source[] = [];
  const licenses: License[] = [];
  const reference = input.table === null ? null : referenceProvenance(input.table);
  if (reference !== null) return reference;
  let names = input.sourcesSeen;
  if (names === null && input.table !== null) {
    // A table without a source column: the loads into its fact table, or, for one outside the
    // trade and port areas, none (the journal and settings are Corridor's own).
    const target =
      area === 'trade' || /^(trade_|baci_)/.test(input.table)
        ? ['trade_flows']
        : area === 'port' || /^port_/.test(input.table)
          ? ['port_throughput']
          : area === 'indicator'
            ? ['trade_flows', 'port_throughput']
            : [];
    names = input.loaded.filter((l) => target.includes(l.target)).map((l) => l.source);
  }
  for (const name of [...new Set(names ?? [])].sort()) {
    const p = provenanceOf(name, input.loaded);
    sources.push(p.source);
    licenses.push(...p.licenses);
  }
  if (area === 'indicator' || input.table?.startsWith('ind_')) {
    sources.push({
      title: `Computed by Corridor from the rows loaded: formulas in warehouse/indicators/ (DOMAIN.md section 6)`,
    });
  }
  if (input.table === null) {
    sources.push({ title: 'A query of a Corridor warehouse (see the resource description)' });
  }
  return { sources: byTitle(sources), licenses: byTitle(licenses) };
}

/**
 * The resource describing one exported file.
 *
 * @example
 * dataResource({ file: 'out/trade_flows.csv', files: ['out/trade_flows.csv'], format: 'csv', columns,
 *   table: 'trade_flows', doc, key: doc.key, query: null, sourcesSeen: ['baci'], loaded, guarded: true });
 * // { name: 'trade_flows', path: 'trade_flows.csv', profile: 'tabular-data-resource', schema: { fields, primaryKey }, … }
 */
export function dataResource(input: ResourceInput): DataResource {
  const dir = dirname(input.file);
  const paths = input.files.map((f) => relative(dir, f).split('\\').join('/'));
  const { format, mediatype } = FORMATS[input.format];
  const { sources, licenses } = sourcesOf(input);
  const fields = input.columns.map((c): Field => {
    const field: Field = { name: c.name, type: FIELD_TYPES[c.type], format: 'default' };
    return {
      ...field,
      ...(c.description === '' ? {} : { description: c.description }),
      ...(c.unit === undefined ? {} : { unit: c.unit }),
    };
  });
  const description =
    input.doc?.description ??
    (input.query === null ? `The ${input.table} table.` : `The rows of the query: ${input.query}`);
  return {
    name: resourceName(input.table, input.file),
    path: paths.length === 1 ? paths[0]! : paths,
    profile: 'tabular-data-resource',
    format,
    mediatype,
    encoding: 'utf-8',
    ...(input.bytes === undefined ? {} : { bytes: input.bytes }),
    description,
    ...(input.format === 'csv' || input.format === 'sdmx'
      ? {
          dialect: {
            delimiter: ',',
            lineTerminator: '\r\n',
            quoteChar: '"',
            doubleQuote: true,
            header: true,
          },
        }
      : {}),
    ...(input.sheets === undefined ? {} : { sheets: input.sheets }),
    ...(input.guarded ? { formulaGuard: FORMULA_GUARD_NOTE } : {}),
    schema: {
      fields,
      ...(input.key.length > 0 ? { primaryKey: input.key } : {}),
      missingValues: [''],
    },
    sources,
    licenses,
  };
}

const pathKey = (path: DataResource['path']) => (typeof path === 'string' ? path : path.join('\n'));

/**
 * The package with `resource` in it. A resource of the same file (path) is replaced, the others
 * kept; when the name is taken by another file's resource (the same table exported as CSV and
 * as XLSX into one folder), the new one is named `<name>-<format>`, so names stay unique as the
 * specification asks. The package's sources and licences are gathered from its resources.
 *
 * @example
 * mergeDataPackage(null, resource).resources.length; // 1
 * mergeDataPackage(withCsv, xlsxOfTheSameTable).resources.map((r) => r.name); // ['trade_flows', 'trade_flows-xlsx']
 */
export function mergeDataPackage(existing: DataPackage | null, resource: DataResource): DataPackage {
  const all = existing?.resources ?? [];
  const at = all.findIndex((r) => pathKey(r.path) === pathKey(resource.path));
  const others = all.filter((_, i) => i !== at);
  let name = resource.name;
  // Named by the file's first ending, so an SDMX-CSV (`.sdmx.csv`) is `-sdmx`, not `-csv`.
  const path = typeof resource.path === 'string' ? resource.path : (resource.path[0] ?? '');
  const ending = path.split('/').pop()!.split('.')[1] ?? resource.format;
  for (let n = 1; others.some((r) => r.name === name); n++) {
    name = `${resource.name}-${ending}${n === 1 ? '' : `-${n}`}`;
  }
  const placed = name === resource.name ? resource : { ...resource, name };
  const resources = at < 0 ? [...all, placed] : all.map((r, i) => (i === at ? placed : r));
  return {
    ...existing,
    profile: 'tabular-data-package',
    name: existing?.name ?? 'corridor-export',
    title: existing?.title ?? 'Corridor export',
    description:
      existing?.description ??
      'Tables exported from a Corridor warehouse of bilateral trade statistics and port throughput. Each resource says what its columns mean, their units, its key, sources and licences.',
    resources,
    sources: byTitle(resources.flatMap((r) => r.sources ?? [])),
    licenses: byTitle(resources.flatMap((r) => r.licenses ?? [])),
  };
}

/** The datapackage.json already in `dir`, or null; a file that is not a data package is an error. */
export function readDataPackage(dir: string): DataPackage | null {
  const path = join(dir, DATA_PACKAGE_FILE);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as DataPackage;
    if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.resources))
      throw new Error('no resources');
    return parsed;
  } catch (cause) {
    throw new ConfigError(
      `${path} is not a data package Corridor can add to (${(cause as Error).message}). Move it away, or export into another folder.`,
      { code: 'bad_data_package', cause },
    );
  }
}

/**
 * The text of the datapackage.json of `dir` with `resource` merged in: what the export writes
 * (through a temporary file renamed into place, with the data).
 *
 * @example
 * await writeFile('out/datapackage.json', dataPackageText('out', dataResource(input)));
 */
export function dataPackageText(dir: string, resource: DataResource): string {
  return `${JSON.stringify(mergeDataPackage(readDataPackage(dir), resource), null, 2)}\n`;
}
