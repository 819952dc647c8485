/**
 * A pipeline entry's declarations about what its files are: the coverage a user declares
 * (`replaceScope`, checked against the dimensions of the source's fact table before anything
 * loads) and the layout a file is read with (its digest tells apart two layouts over one file).
 */
import { createHash } from 'node:crypto';
import { factTableOf } from '../../warehouse/fact-tables.ts';
import { ConfigError } from '../errors.ts';
import type { Pipeline } from './define-pipeline.ts';
import { sourceOfEntry } from './source-registry.ts';

type Entry = Pipeline['sources'][number];

/** Refuses a `replaceScope` (or `--replace-scope`) naming a dimension its source's table does not have. */
export function checkReplaceScopes(pipeline: Pipeline): void {
  for (const entry of pipeline.sources) {
    if (entry.replaceScope === undefined) continue;
    // A port table's target is known without its ports (it may name one a user added).
    const source =
      entry.source === 'port-table' ? { target: 'port_throughput' as const } : sourceOfEntry(entry);
    const table = factTableOf(source.target, 'storage' in source ? source.storage : undefined);
    const known = Object.keys(table.scopeDimensions);
    const unknown = entry.replaceScope.filter((d) => !known.includes(d));
    if (unknown.length > 0)
      throw new ConfigError(
        `Invalid value for option "--replace-scope" (replaceScope of source ${entry.source}): ${unknown.map((d) => `"${d}"`).join(', ')} ${unknown.length === 1 ? 'is not a dimension' : 'are not dimensions'} of ${table.view}. Use some of: ${known.join(', ')}; for example --replace-scope reporter,period,flow says each file holds every figure of its reporters, periods and flows.`,
        { code: 'bad_replace_scope' },
      );
  }
}

/** A digest of the layout a pipeline entry declares (table sources); null for a source's own layout. */
export function layoutKeyOf(entry: Entry): string | null {
  const layout = entry.table ?? entry.portTable;
  // Declarations change how a file is read as much as a layout does (`--flow M --override`).
  const declared =
    entry.declare === undefined || Object.keys(entry.declare).length === 0 ? undefined : entry.declare;
  if (layout === undefined && declared === undefined) return null;
  return createHash('sha256')
    .update(JSON.stringify(declared === undefined ? layout : { layout, declared }))
    .digest('hex')
    .slice(0, 16);
}
