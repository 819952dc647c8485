/**
 * A pipeline's declarations (`declare:`, or `--flow`, `--unit`, `--period` on `corridor load`)
 * checked when the pipeline is read, before any file: a declaration its source cannot use (the
 * flow of a Comtrade file, whose every row has one) or cannot read ("--flow exports-ish") is a
 * usage error, exit 2, not a failure of every file.
 */
import { layoutOf, readsStatedFlow } from '../../sources/table/table.source.ts';
import { ConfigError, CorridorError } from '../errors.ts';
import { otherCurrencyNamed } from '../layout/sheet-facts.ts';
import { declaredFlow } from '../layout/table-facts.ts';
import type { TableLayout } from '../layout/table-layout.ts';
import { findUnit } from '../layout/unit-phrase.ts';
import type { Pipeline } from './define-pipeline.ts';
import { sourceOfEntry } from './source-registry.ts';

type Entry = Pipeline['sources'][number];

/** The layout an entry's files are read by; undefined for a source that reads every row's facts. */
function layoutOfEntry(entry: Entry): TableLayout | undefined {
  if (entry.table !== undefined)
    return readsStatedFlow(entry.table)
      ? { ...layoutOf(entry.table), facts: { flow: { into: 'flow' } } }
      : layoutOf(entry.table);
  if (entry.portTable !== undefined) return layoutOf(entry.portTable);
  return sourceOfEntry(entry).layout;
}

export function checkDeclarations(pipeline: Pipeline): void {
  for (const entry of pipeline.sources) {
    const declared = entry.declare;
    if (declared === undefined) continue;
    const layout = layoutOfEntry(entry);
    const given = (['flow', 'unit', 'period'] as const).filter((k) => declared[k] !== undefined);
    const unusable = given.filter((fact) =>
      fact === 'unit' ? layout === undefined : layout?.facts?.[fact] === undefined,
    );
    if (unusable.length > 0)
      throw new ConfigError(
        `--${unusable[0]} (declare.${unusable[0]}) does not apply to source ${entry.source}: its files give the ${unusable[0]} of each figure in their own columns or rows. Drop it.`,
        { code: 'bad_declaration' },
      );
    // A `table` layout's constant flow is a declaration too, which `override` may apply to.
    const constantFlow = entry.table?.map.flow !== undefined && 'value' in entry.table.map.flow;
    if (declared.override === true && given.length === 0 && !constantFlow)
      throw new ConfigError('--override needs a declaration to apply: --flow, --unit or --period.', {
        code: 'bad_declaration',
      });
    try {
      if (declared.flow !== undefined) declaredFlow(declared.flow);
    } catch (error) {
      if (error instanceof CorridorError) throw new ConfigError(error.message, { code: 'bad_declaration' });
      throw error;
    }
    const currency =
      declared.unit === undefined || findUnit(declared.unit) !== null
        ? null
        : otherCurrencyNamed(declared.unit);
    if (currency !== null)
      throw new ConfigError(
        `--unit ${JSON.stringify(declared.unit)} is in ${currency}, not US dollars: Corridor stores trade values in US dollars and does not convert currencies. Load the publisher's US-dollar edition of the table.`,
        { code: 'unsupported_currency' },
      );
    if (declared.unit !== undefined && findUnit(declared.unit) === null)
      throw new ConfigError(
        `--unit ${JSON.stringify(declared.unit)} is not a unit Corridor knows: write it as "thousand US dollars", "US$ '000", "thousand tonnes", "TEU".`,
        { code: 'bad_declaration' },
      );
    if (
      declared.period !== undefined &&
      !/^\s*\d{4}(?:-(?:0[1-9]|1[0-2]|Q[1-4]))?\s*$/i.test(declared.period)
    )
      throw new ConfigError(
        `--period ${JSON.stringify(declared.period)} is not a period; write a year (2023), a month (2023-04) or a quarter (2023-Q1).`,
        { code: 'bad_declaration' },
      );
  }
}
