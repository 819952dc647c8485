/**
 * How a pipeline-declared table's `map` turns into a source's columns: each field comes from a
 * layout column (`{ column }`) or is a constant (`{ value }`). Shared by the `table` and
 * `port-table` sources.
 */
import type { ColumnSpecs } from '../../src/validate/header-matcher.ts';

export type FieldSource = { readonly column: string } | { readonly value: string };

export interface FieldMap<F extends string> {
  /** Column specs for every field: a field given as a constant has no alias, so no column binds to it. */
  readonly columns: ColumnSpecs<F>;
  /** Fields read from a column. */
  readonly fromColumn: readonly F[];
  /** A field's constant, or `fallback` when it has none. */
  constant(field: F, fallback?: string | null): string | null;
}

export function fieldMap<F extends string>(
  fields: readonly F[],
  labels: Readonly<Record<F, string>>,
  mapped: Readonly<Partial<Record<F, FieldSource | undefined>>>,
): FieldMap<F> {
  const columnOf = (f: F) => {
    const spec = mapped[f];
    return spec !== undefined && 'column' in spec ? spec.column : null;
  };
  return {
    columns: Object.fromEntries(
      fields.map((f) => {
        const column = columnOf(f);
        return [f, { label: labels[f], aliases: column === null ? [] : [column] }];
      }),
    ) as unknown as ColumnSpecs<F>,
    fromColumn: fields.filter((f) => columnOf(f) !== null),
    constant: (field, fallback = null) => {
      const spec = mapped[field];
      return spec !== undefined && 'value' in spec ? spec.value : fallback;
    },
  };
}
