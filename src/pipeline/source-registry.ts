/**
 * The sources Corridor knows, by name. A new source is a folder under sources/ and one line here.
 */
import { baciSource } from '../../sources/baci/baci.source.ts';
import { comtradeSource } from '../../sources/comtrade/comtrade.source.ts';
import { kgNscSource } from '../../sources/kg-nsc/kg-nsc.source.ts';
import { kzBnsSource } from '../../sources/kz-bns/kz-bns.source.ts';
import { createTableSource } from '../../sources/table/table.source.ts';
import type { TableOptions } from '../../sources/table/table-options.ts';
import { uzStatSource } from '../../sources/uz-stat/uz-stat.source.ts';
import { ConfigError } from '../errors.ts';
import type { TradeSource } from './trade-source.ts';

// biome-ignore lint/suspicious/noExplicitAny: each source has its own field and row types.
type AnySource = TradeSource<string, any>;

const SOURCES: ReadonlyMap<string, AnySource> = new Map<string, AnySource>([
  [comtradeSource.name, comtradeSource as AnySource],
  [baciSource.name, baciSource as AnySource],
  [kzBnsSource.name, kzBnsSource as AnySource],
  [kgNscSource.name, kgNscSource as AnySource],
  [uzStatSource.name, uzStatSource as AnySource],
]);

export function sourceNames(): string[] {
  return [...SOURCES.keys(), TABLE_SOURCE];
}

/** The generic source whose layout a pipeline declares (sources/table/). */
export const TABLE_SOURCE = 'table';

/**
 * The source of a pipeline entry: a known source by name, or the generic `table` source built
 * from the layout the entry declares.
 */
export function sourceOfEntry(entry: {
  readonly source: string;
  readonly table?: TableOptions | undefined;
}): AnySource {
  if (entry.source === TABLE_SOURCE && entry.table !== undefined)
    return createTableSource(entry.table) as AnySource;
  return getSource(entry.source);
}

export function getSource(name: string): AnySource {
  if (name === TABLE_SOURCE) {
    throw new ConfigError(
      'The table source reads the layout its pipeline file declares: add a `table` entry to a pipeline (README, "Loading a new table layout") and use corridor run.',
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
