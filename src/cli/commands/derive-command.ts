/**
 * `corridor derive`: brings what is derived up to date without reading any source file again:
 * the HS tables (after categories.csv or a correlation table changed), the conversion into the
 * target edition (`--target-edition H5` changes it), the country tables, and the indicator
 * tables (`ind_*`) for the years loads changed since their last refresh. `--full` rebuilds
 * everything. The views over trade rows (trade_by_category, trade_flows_converted) read the
 * reference live.
 */

import { openWarehouse } from '../../db/warehouse.ts';
import { refreshIndicators } from '../../derive/refresh-indicators.ts';
import { parseToleranceFraction, parseToleranceUsd, setSumTolerance } from '../../derive/sum-tolerance.ts';
import { setWorldMinReporters } from '../../derive/world-basis-setting.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { loadHsReference, targetEdition } from '../../load/hs-reference-loader.ts';
import { prepareWarehouse } from '../../load/prepare-warehouse.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatDuration } from '../output.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';
import { deriveLine, findingsLine } from '../run-report.ts';

const OPTIONS = {
  'target-edition': {
    type: 'string',
    value: '<edition>',
    default: 'the stored one (H6 at first)',
    description: 'convert trade rows into this HS edition from now on (stored in the warehouse)',
  },
  'world-min-reporters': {
    type: 'string',
    value: '<n>',
    default: 'the stored value',
    description: 'fewest reporters a world total is computed from (stored)',
  },
  'sum-tolerance': {
    type: 'string',
    value: '<fraction|%>',
    default: '0.5%',
    description: 'how far a detail may miss the row above it and still count as adding up (stored)',
  },
  'sum-tolerance-usd': {
    type: 'string',
    value: '<usd>',
    default: '1000',
    description: '…or by this many US dollars, whichever is larger (stored)',
  },
  full: {
    type: 'boolean',
    default: 'off',
    description: 'rebuild every derived table, not only the years that changed',
  },
} as const satisfies OptionSpecs;

export const deriveCommand: Command = {
  name: 'derive',
  usage:
    'corridor derive [--target-edition H6] [--world-min-reporters N] [--sum-tolerance 0.5%] [--sum-tolerance-usd 1000] [--full]',
  summary:
    'refresh derived tables (HS conversion, categories, ind_* indicators) without reloading files; --full rebuilds all',
  options: OPTIONS,
  examples: [
    'corridor derive',
    'corridor derive --target-edition H5',
    'corridor derive --sum-tolerance 1% --full',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    if (positionals.length > 0) {
      throw new ConfigError(
        `corridor derive takes no arguments (got "${positionals.join(' ')}").\nUsage: ${this.usage}`,
        {
          code: 'bad_arguments',
        },
      );
    }
    // Checked before the warehouse is opened: a bad value changes nothing.
    const tolerance = {
      ...(values['sum-tolerance'] === undefined
        ? {}
        : { fraction: parseToleranceFraction(values['sum-tolerance'], '--sum-tolerance') }),
      ...(values['sum-tolerance-usd'] === undefined
        ? {}
        : { usd: parseToleranceUsd(values['sum-tolerance-usd'], '--sum-tolerance-usd') }),
    };
    const started = Date.now();
    const warehouse = await openWarehouse(warehousePathOf(ctx));
    try {
      const prepared = await prepareWarehouse(warehouse);
      // A new tolerance is a new setting: the refresh below recomputes every indicator.
      const sums = await setSumTolerance(warehouse, tolerance);
      const wanted = values['target-edition']?.trim().toUpperCase();
      const before = await targetEdition(warehouse);
      let changedTarget = false;
      if (wanted !== undefined && wanted !== before) {
        const exists = await warehouse.db
          .selectFrom('hs_codes')
          .select('edition')
          .where('edition', '=', wanted)
          .executeTakeFirst();
        if (exists === undefined || !/^H\d+$/.test(wanted)) {
          throw new ConfigError(
            `--target-edition ${values['target-edition']}: not an HS edition of the reference; use one of H0 to H6 (or an edition added with its correlation table).`,
            { code: 'unknown_edition' },
          );
        }
        changedTarget = true;
      }
      const changedMinReporters = await setWorldMinReporters(warehouse, values['world-min-reporters']);
      const hs =
        changedTarget || values.full
          ? await loadHsReference(warehouse, { force: true, ...(changedTarget ? { target: wanted! } : {}) })
          : { loaded: [] };
      // New categories or a new target edition change what the indicators read: all of them.
      const derived = await refreshIndicators(warehouse, {
        full:
          values.full ||
          changedTarget ||
          changedMinReporters ||
          hs.loaded.length > 0 ||
          prepared.reference.loaded.length > 0,
      });
      const target = await targetEdition(warehouse);
      const reloaded = [...prepared.reference.loaded, ...hs.loaded].map((f) => f.file);
      const counts = await warehouse.db
        .selectFrom('hs_conversion')
        .select((e) => [
          e.fn.countAll<number>().as('links'),
          e.fn.sum<number>('approximate').as('approximate'),
        ])
        .executeTakeFirstOrThrow();
      if (ctx.out.json) {
        ctx.out.document({
          targetEdition: target,
          targetChanged: changedTarget,
          referenceReloaded: [...new Set(reloaded)],
          conversionLinks: counts.links,
          approximateLinks: counts.approximate,
          indicators: derived,
          sumTolerance: sums,
          durationMs: Date.now() - started,
        });
      } else {
        ctx.out.line(
          `Reference tables ${reloaded.length > 0 ? `reloaded (${[...new Set(reloaded)].join(', ')})` : 'unchanged'}: target HS edition ${target}${changedTarget ? ` (was ${before})` : ''}; ${counts.links} conversion links, ${counts.approximate} approximate.`,
        );
        ctx.out.line(deriveLine(derived));
        ctx.out.line(findingsLine(derived.openFindings));
        if (values['sum-tolerance'] !== undefined || values['sum-tolerance-usd'] !== undefined) {
          ctx.out.line(
            `Sums along the HS tree: finer rows add up to a coarser one within ${sums.fraction * 100} % of it or ${sums.usd.toLocaleString('en')} USD, whichever is larger.`,
          );
        }
        ctx.out.line(`Done in ${formatDuration(Date.now() - started)}.`);
      }
      return ExitCode.Success;
    } finally {
      await warehouse.close();
    }
  },
};
