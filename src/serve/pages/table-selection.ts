/**
 * What a Tables URL selects: `/tables/<name>?<column>=<value>&page=<n>`. The table must be
 * one of the warehouse's tables or views, each filter a column it really has (exact match),
 * and the rows come in the export's stable order (the key, then every other column). The
 * browse statement binds the values as parameters; the download's statement (an export
 * query, which takes none) quotes them as SQL string literals.
 */
import { tableDoc } from '../../../warehouse/dictionary/index.ts';
import type { TableDoc } from '../../../warehouse/dictionary/table-doc.ts';
import { ConfigError } from '../../errors.ts';
import { listRelations } from '../../export/catalog.ts';
import { closeNames } from '../../export/export-source.ts';
import { quoteName, shapeOf, type TableShape } from '../../export/table-shape.ts';
import type { WarehouseReader } from '../../query/warehouse-reader.ts';

/** Rows on one page of a table. */
export const ROWS_PER_PAGE = 100;

/** Parameters of a Tables URL that are not filters. */
const NOT_FILTERS: ReadonlySet<string> = new Set(['page']);

export interface TableSelection {
  readonly table: string;
  readonly kind: 'table' | 'view';
  readonly doc: TableDoc | null;
  readonly shape: TableShape;
  /** column = value, in the URL's order; empty values are no filter. */
  readonly filters: readonly (readonly [string, string])[];
  /** From 1. */
  readonly page: number;
}

/** The table or view as the warehouse names it; ConfigError `unknown_table` (404) naming close ones. */
async function resolveRelation(reader: WarehouseReader, wanted: string) {
  const relations = await listRelations(reader.warehouse);
  const found = relations.find((r) => r.name === wanted);
  if (found !== undefined) return found;
  const close = closeNames(
    wanted,
    relations.map((r) => r.name),
  );
  throw new ConfigError(
    `No table or view "${wanted}" in this warehouse.${close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ''} Every table is listed at /tables.`,
    { code: 'unknown_table' },
  );
}

export async function selectTable(
  reader: WarehouseReader,
  name: string,
  params: URLSearchParams,
): Promise<TableSelection> {
  const relation = await resolveRelation(reader, name);
  const doc = tableDoc(relation.name) ?? null;
  const shape = await shapeOf(reader.warehouse, relation.name, doc);
  const filters: (readonly [string, string])[] = [];
  for (const [column, value] of params) {
    if (NOT_FILTERS.has(column)) continue;
    if (!shape.names.includes(column))
      throw new ConfigError(
        `${relation.name} has no column "${column}" to filter on. Its columns: ${shape.names.join(', ')}.`,
        { code: 'bad_arguments' },
      );
    if (value.includes('\0'))
      throw new ConfigError(`The filter on ${column} holds a NUL character, which no value has.`, {
        code: 'bad_arguments',
      });
    if (value !== '') filters.push([column, value]);
  }
  const pageText = params.get('page') ?? '1';
  const page = Number(pageText);
  if (!/^\d+$/.test(pageText) || !Number.isSafeInteger(page) || page < 1)
    throw new ConfigError(`page=${pageText} is not a page number: pages count from 1.`, {
      code: 'bad_arguments',
    });
  return { table: relation.name, kind: relation.kind, doc, shape, filters, page };
}

/**
 * A filter's value as the column holds it: a number for a numeric column (a view's computed
 * column has no affinity to turn the text `2021` into the number), else the text.
 */
function typedValue(selection: TableSelection, column: string, value: string): string | number {
  const type = selection.shape.columns[selection.shape.names.indexOf(column)]?.type;
  const numeric =
    /^-?\d+(\.\d+)?$/.test(value) && (value.includes('.') || Number.isSafeInteger(Number(value)));
  return (type === 'integer' || type === 'real') && numeric ? Number(value) : value;
}

const whereOf = (conditions: readonly string[]) =>
  conditions.length === 0 ? '' : ` where ${conditions.join(' and ')}`;

const selectOf = (selection: TableSelection, where: string) =>
  `select ${selection.shape.names.map(quoteName).join(', ')} from ${quoteName(selection.table)}${where} order by ${selection.shape.order
    .map(quoteName)
    .join(', ')}`;

/**
 * One page of rows, and whether another follows (one row more is asked for). The filter
 * values are bound parameters.
 */
export async function pageOfRows(
  reader: WarehouseReader,
  selection: TableSelection,
): Promise<{ rows: readonly unknown[][]; more: boolean }> {
  const where = whereOf(selection.filters.map(([column]) => `${quoteName(column)} = ?`));
  const offset = (selection.page - 1) * ROWS_PER_PAGE;
  const { rows } = await reader.rows(
    `${selectOf(selection, where)} limit ${ROWS_PER_PAGE + 1} offset ${offset}`,
    [...selection.filters.map(([column, value]) => typedValue(selection, column, value))],
  );
  return { rows: rows.slice(0, ROWS_PER_PAGE), more: rows.length > ROWS_PER_PAGE };
}

/** A SQL literal: a number as is, text quoted (the only character special inside is the quote, doubled). */
const literal = (value: string | number) =>
  typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;

/**
 * The statement a filtered download exports (`corridor export --query`, which binds no
 * parameters): every filtered row, in the browse order. The column names are checked against
 * the table's own; the values are literals.
 */
export const exportQueryOf = (selection: TableSelection): string =>
  selectOf(
    selection,
    whereOf(
      selection.filters.map(
        ([column, value]) => `${quoteName(column)} = ${literal(typedValue(selection, column, value))}`,
      ),
    ),
  );
