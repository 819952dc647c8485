/**
 * Column documentation written against a table's kysely interface (warehouse/schema/), so that
 * the compiler, not a reader, notices when the two disagree: a column the interface has and the
 * dictionary does not is "Property 'x' is missing", one the dictionary invents is "Object literal
 * may only specify known properties", and a number documented as text does not type-check.
 * The order of the columns is the warehouse's, which the interface cannot say: the data
 * dictionary test compares it with a migrated database.
 */
import type { SelectType } from 'kysely';
import type { ColumnDoc, ColumnType } from './table-doc.ts';

/** The declared types a column of this TypeScript type may have: numbers are INTEGER or REAL. */
type DeclaredTypeOf<T> = NonNullable<SelectType<T>> extends number ? 'integer' | 'real' : 'text';

/** A column's documentation without its name, which is the key it is written under. */
export type ColumnSpec<T = unknown> = Omit<ColumnDoc, 'name' | 'type'> & {
  readonly type: unknown extends T ? ColumnType : DeclaredTypeOf<T>;
};

/** Documentation for every column of `Row`, keyed by name: no more, no fewer. */
export type ColumnSpecs<Row> = { readonly [Name in keyof Row & string]: ColumnSpec<Row[Name]> };

/**
 * The columns of `Row` in the order written, each with its name.
 *
 * @example
 * const columns = schemaColumns<SettingsTable>({
 *   key: { type: 'text', description: 'The setting.' },
 *   value: { type: 'text', description: 'Its value, as text.' },
 * });
 */
export function schemaColumns<Row>(specs: ColumnSpecs<Row>): readonly ColumnDoc[] {
  return Object.freeze(
    Object.entries<ColumnSpec>(specs).map(([name, spec]) => Object.freeze({ name, ...spec })),
  );
}

/**
 * Columns of a view that has no kysely interface (nothing in the code reads it through kysely):
 * written the same way, checked only by the data dictionary test.
 *
 * @example
 * const columns = viewColumns({ port_name: { type: 'text', description: "The port's name." } });
 */
export function viewColumns(specs: { readonly [name: string]: ColumnSpec }): readonly ColumnDoc[] {
  return schemaColumns<Record<string, unknown>>(specs);
}
