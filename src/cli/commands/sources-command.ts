/**
 * `corridor sources`: every source Corridor can load with, as it declares itself beside its
 * reader: the fact table it fills, its publisher and licence (whether its data may be passed
 * on), what one file covers, and the flows, units and periods it reads. Needs no warehouse.
 */
import { sourceListing } from '../../docs/source-listing.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { sourceDeclarations } from '../../pipeline/source-registry.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { LISTING_FORMAT, parseCommandArgs, parserOptions } from '../parse-options.ts';

const FORMATS = ['table', 'json'] as const;

const OPTIONS = {
  format: LISTING_FORMAT,
} as const satisfies OptionSpecs;

export const sourcesCommand: Command = {
  name: 'sources',
  usage: 'corridor sources [--format table|json]',
  summary: 'the sources: publisher, licence, what a file covers, flows, units and periods each reads',
  options: OPTIONS,
  examples: ['corridor sources', 'corridor sources --format json'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const usageError = (message: string) =>
      new ConfigError(`${message}\nUsage: ${this.usage}`, { code: 'bad_arguments' });
    if (positionals.length > 0)
      throw usageError(`corridor sources takes no arguments, but was given "${positionals[0]}".`);
    const format = values.format ?? (ctx.out.json ? 'json' : 'table');
    if (!(FORMATS as readonly string[]).includes(format))
      throw usageError(`Invalid value for option "--format": "${format}". Use table or json.`);

    const declarations = sourceDeclarations();
    if (format === 'json') {
      ctx.out.document(
        declarations.map((d) => ({
          name: d.name,
          description: d.description,
          target: d.target,
          coverage: d.coverage,
          ...d.about,
          declaredBy: d.about.declaredBy ?? 'source',
        })),
      );
      return ExitCode.Success;
    }
    // One block per source, a field a line: the declarations are sentences, which a
    // column-per-field table would cut to fit a terminal.
    const rows = sourceListing(declarations);
    rows.forEach((r, i) => {
      if (i > 0) ctx.out.line();
      ctx.out.line(`${r.source} → ${r.target}: ${r.reads}`);
      const fields: [string, string][] = [
        ['publisher', r.url === null ? r.publisher : `${r.publisher}, ${r.url}`],
        ['data set', r.dataset],
        // A licence nobody declared has no identifier: its title says so, once.
        [
          'licence',
          `${r.licenceTitle.startsWith(`${r.licence}:`) ? '' : `${r.licence}: `}${r.licenceTitle}${r.licenceUrl === null ? '' : ` (${r.licenceUrl})`}`,
        ],
        ['redistribution', r.redistribution],
        ...(r.attribution === null ? [] : [['attribution', r.attribution] as [string, string]]),
        ['a file covers', r.covers],
        ['flows', r.flows],
        ['units', r.units],
        ['periods', r.periods],
      ];
      for (const [field, value] of fields) ctx.out.line(`  ${field.padEnd(15)}${value}`);
    });
    ctx.out.progress(
      `${rows.length} sources. A pipeline entry of table or port-table declares its publisher and licence with about: (docs/sources.md).`,
    );
    return ExitCode.Success;
  },
};
