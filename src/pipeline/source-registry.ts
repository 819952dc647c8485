/**
 * The sources Corridor knows, by name. A new source is a folder under sources/ and one line here.
 */
import { baciSource } from '../../sources/baci/baci.source.ts';
import { comtradeSource } from '../../sources/comtrade/comtrade.source.ts';
import { ConfigError } from '../errors.ts';
import type { TradeSource } from './trade-source.ts';

// biome-ignore lint/suspicious/noExplicitAny: each source has its own field and row types.
type AnySource = TradeSource<string, any>;

const SOURCES: ReadonlyMap<string, AnySource> = new Map<string, AnySource>([
  [comtradeSource.name, comtradeSource as AnySource],
  [baciSource.name, baciSource as AnySource],
]);

export function sourceNames(): string[] {
  return [...SOURCES.keys()];
}

export function getSource(name: string): AnySource {
  const source = SOURCES.get(name);
  if (source === undefined) {
    throw new ConfigError(`Unknown source "${name}". Known sources: ${sourceNames().join(', ')}.`, {
      code: 'unknown_source',
    });
  }
  return source;
}
