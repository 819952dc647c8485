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
import type { SourceAbout } from '../validate/source-about.ts';
import type { LoadedSource } from './export-source.ts';
import { byTitle, citeRows, type License, type LoadCitation, type Source } from './source-citation.ts';
import type { ExportColumn, ExportFormat } from './table-writer.ts';

export const DATA_PACKAGE_FILE = 'datapackage.json';

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
  /** Custom property: the loads behind the rows, by source and provenance (the journal's `load_files`). */
  readonly provenance?: readonly LoadCitation[];
  readonly [custom: string]: unknown;
}

export type { License, Source };

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
  /** The rows' `load_id`s, when the rows have that column: the loads cited are theirs. */
  readonly loadsSeen?: readonly number[] | null;
  readonly loaded: readonly LoadedSource[];
  /** What a source declares today, for loads journalled before provenance was recorded (migration 0012). */
  readonly declaredAbout?: ((source: string) => SourceAbout | null) | undefined;
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
  'Text cells that began with =, +, -, @, a tab or a carriage return (after any apostrophes), other than plain numbers, as stored or as a spreadsheet shows them (control and zero-width characters dropped, full-width forms folded by Unicode NFKC), were written with one extra leading apostrophe so that spreadsheets do not run them as formulas. To recover the exact text, remove one leading apostrophe from every text that starts with an apostrophe followed by a text of that kind. Export with --raw to write text unchanged.';

/** A resource name as the specification allows it: lower case, digits and `-._/`. */
export function resourceName(table: string | null, file: string): string {
  const stem = table ?? basename(file).replace(/\..*$/, '');
  const name = stem.toLowerCase().replace(/[^-a-z0-9._/]+/g, '-');
  return name === '' ? 'query' : name;
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
  const { sources, licenses, provenance } = citeRows({
    table: input.table,
    area: input.doc?.area ?? null,
    sourcesSeen: input.sourcesSeen,
    loadsSeen: input.loadsSeen ?? null,
    loaded: input.loaded,
    declaredAbout: input.declaredAbout,
  });
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
    ...(provenance.length === 0 ? {} : { provenance }),
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
