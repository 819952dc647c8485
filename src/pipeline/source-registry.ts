/**
 * The sources Corridor knows, by name. A new source is a folder under sources/ and one line here.
 */
import { baciSource } from '../../sources/baci/baci.source.ts';
import { comtradeSource } from '../../sources/comtrade/comtrade.source.ts';
import { kgNscSource } from '../../sources/kg-nsc/kg-nsc.source.ts';
import { kzBnsSource } from '../../sources/kz-bns/kz-bns.source.ts';
import { createPortTableSource, portTableSourceAbout } from '../../sources/port-table/port-table.source.ts';
import type { PortTableOptions } from '../../sources/port-table/port-table-options.ts';
import { createTableSource, tableSourceAbout } from '../../sources/table/table.source.ts';
import type { TableOptions } from '../../sources/table/table-options.ts';
import { uzStatSource } from '../../sources/uz-stat/uz-stat.source.ts';
import { worldTotalsSource } from '../../sources/world-totals/world-totals.source.ts';
import { ConfigError } from '../errors.ts';
import type { PortResolver } from '../normalize/port-resolver.ts';
import {
  declaredByPipeline,
  type PipelineAbout,
  type SourceAbout,
  type SourceDeclaration,
  sampleAbout,
} from '../validate/source-about.ts';
import type { TradeSource } from '../validate/trade-source.ts';

// biome-ignore lint/suspicious/noExplicitAny: each source has its own field and row types.
type AnySource = TradeSource<string, any, any>;

/**
 * The bundled samples are invented figures in a real source's layout: they load under a name of
 * their own (`sample-comtrade`, `sample-baci`) so that a real extract of the same reporter and
 * period never merges into them, and exports can say they are samples. A sample of BACI keeps
 * its rows in `trade_flow_rows` (baci_flows has no source column to tell them apart).
 */
function sampleOf(source: AnySource): AnySource {
  const { storage: _storage, fastLines: _fastLines, ...rest } = source;
  return Object.freeze({
    ...rest,
    name: `sample-${source.name}`,
    about: sampleAbout(source.about),
    description: `The bundled samples in the ${source.name} layout: invented figures, never merged with real ${source.name} data`,
  });
}

const SOURCES: ReadonlyMap<string, AnySource> = new Map<string, AnySource>([
  [comtradeSource.name, comtradeSource as AnySource],
  [baciSource.name, baciSource as AnySource],
  ['sample-comtrade', sampleOf(comtradeSource as AnySource)],
  ['sample-baci', sampleOf(baciSource as AnySource)],
  [kzBnsSource.name, kzBnsSource as AnySource],
  [kgNscSource.name, kgNscSource as AnySource],
  [uzStatSource.name, uzStatSource as AnySource],
  [worldTotalsSource.name, worldTotalsSource as AnySource],
]);

export function sourceNames(): string[] {
  return [...SOURCES.keys(), TABLE_SOURCE, PORT_TABLE_SOURCE];
}

/** The generic source whose layout a pipeline declares (sources/table/). */
export const TABLE_SOURCE = 'table';
/** The same for a port's table, into port_throughput (sources/port-table/). */
export const PORT_TABLE_SOURCE = 'port-table';

/**
 * The source of a pipeline entry: a known source by name, or the generic `table` source built
 * from the layout the entry declares.
 *
 * @param ports the ports a port table may name (the warehouse's, with those users added); the
 *   bundled reference alone when left out.
 */
export function sourceOfEntry(
  entry: {
    readonly source: string;
    readonly table?: TableOptions | undefined;
    readonly portTable?: PortTableOptions | undefined;
    readonly about?: PipelineAbout | undefined;
  },
  ports?: PortResolver,
): AnySource {
  if (entry.source === TABLE_SOURCE && entry.table !== undefined)
    return declaredBy(createTableSource(entry.table) as AnySource, entry.about);
  if (entry.source === PORT_TABLE_SOURCE && entry.portTable !== undefined)
    return declaredBy(createPortTableSource(entry.portTable, ports) as AnySource, entry.about);
  return getSource(entry.source);
}

/** A generic source with the publisher and licence its pipeline entry declares, if any. */
function declaredBy(source: AnySource, about: PipelineAbout | undefined): AnySource {
  return about === undefined
    ? source
    : Object.freeze({ ...source, about: declaredByPipeline(source.about, about) });
}

/**
 * Every source as `corridor sources`, the dictionary and the README list it: the named sources,
 * their samples, then the generic `table` and `port-table`, whose publisher a pipeline declares.
 */
export function sourceDeclarations(): SourceDeclaration[] {
  const declaration = (source: AnySource): SourceDeclaration => ({
    name: source.name,
    description: source.description,
    target: source.target,
    coverage: source.coverage ?? [],
    about: source.about,
  });
  return [
    ...[...SOURCES.values()].map(declaration),
    {
      name: TABLE_SOURCE,
      description: 'any table made for people, by a layout declared in a pipeline file',
      target: 'trade_flows',
      coverage: [],
      about: tableSourceAbout,
    },
    {
      name: PORT_TABLE_SOURCE,
      description: "a port's published table, by a layout declared in a pipeline file",
      target: 'port_throughput',
      // As createPortTableSource declares it (sources/port-table/port-table.source.ts).
      coverage: ['port', 'period', 'direction', 'unit'],
      about: portTableSourceAbout,
    },
  ];
}

/**
 * What a named source declares today, or null for a name no source has (a pipeline's table):
 * for loads journalled before provenance was recorded (migration 0012).
 */
export function declaredAbout(name: string): SourceAbout | null {
  return SOURCES.get(name)?.about ?? null;
}

export function getSource(name: string): AnySource {
  if (name === TABLE_SOURCE || name === PORT_TABLE_SOURCE) {
    throw new ConfigError(
      `The ${name} source reads the layout its pipeline file declares: add a \`${name === TABLE_SOURCE ? 'table' : 'portTable'}\` entry to a pipeline (docs/adding-a-source.md, "${name === TABLE_SOURCE ? 'Loading a new table layout' : "Loading a port's own tables"}") and use corridor run.`,
      { code: 'unknown_source' },
    );
  }
  const source = SOURCES.get(name);
  if (source === undefined) {
    throw new ConfigError(`Unknown source "${name}". Known sources: ${sourceNames().join(', ')}.`, {
      code: 'unknown_source',
    });
  }
  return source;
}
