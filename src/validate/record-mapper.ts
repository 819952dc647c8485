/**
 * The map stage for one file: a raw record in, a canonical trade flow or its row issues out.
 * Checks the field count, runs the source's zod row schema, then the source's mapping, and
 * names every problem by the column as the file spells it.
 */

import type { RawRecord } from '../read/raw-table.ts';
import type { ColumnBinding } from './header-matcher.ts';
import type { RowIssue } from './row-issue.ts';
import {
  isFieldIssues,
  type RowMapper,
  type TargetRow,
  type TradeFlowRow,
  type TradeSource,
} from './trade-source.ts';
import { compileRowParser, zodIssuesToRowIssues } from './zod-cells.ts';

export type RecordMapper<R extends TargetRow = TradeFlowRow> = (record: RawRecord) => R | RowIssue[];

export function createRecordMapper<F extends string, P, R extends TargetRow>(
  source: TradeSource<F, P, R>,
  header: readonly string[],
  binding: ColumnBinding<F>,
  mapRow: RowMapper<P, F, R>,
  options: { readonly decimalComma?: boolean } = {},
): RecordMapper<R> {
  // In `;`-delimited files (Excel in most of Europe and Central Asia) "1234,5" is a decimal.
  const decimalComma = options.decimalComma ?? false;
  const commaDecimal = /^\s*[+-]?\d+,\d+\s*$/;
  const fields = Object.keys(source.columns) as F[];
  const indexes = fields.map((f) => binding.index[f] ?? -1);
  const width = header.length;
  // Rows whose cells all pass skip zod; zod still describes every row that fails.
  const parseFast = compileRowParser(source.rowSchema, fields);
  // The fields' cells of the row at hand, reused from row to row (the parser keeps no reference).
  const values: unknown[] = new Array(fields.length);
  const cellOf = (cells: readonly unknown[]) => (field: string) => {
    const at = binding.index[field as F];
    return at === undefined || at < 0 ? undefined : cells[at];
  };
  // A record may say which of the file's columns a cell came from (a wide table's year column).
  const columnOf = (record: RawRecord) => (field: string) => {
    const at = binding.index[field as F];
    const origin = at === undefined || at < 0 ? undefined : record.origins?.[at];
    return origin ?? binding.headerOf(field);
  };

  return (record) => {
    // Read once: a record read from its text splits it on each read (csv-reader.ts TextRecord).
    const cells = record.cells;
    if (cells.length !== width) {
      return [
        {
          code: 'wrong_field_count',
          column: null,
          value: null,
          message: `has ${cells.length} field${cells.length === 1 ? '' : 's'} but the header has ${width}. Look for a delimiter or a line break inside an unquoted value, or a cut-off line.`,
        },
      ];
    }
    for (let i = 0; i < fields.length; i++) {
      const at = indexes[i]!;
      const cell = at < 0 ? undefined : cells[at];
      values[i] =
        decimalComma && typeof cell === 'string' && commaDecimal.test(cell) ? cell.replace(',', '.') : cell;
    }
    let data = parseFast?.(values) as P | undefined;
    if (data === undefined) {
      const input: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) input[fields[i]!] = values[i];
      const parsed = source.rowSchema.safeParse(input);
      if (!parsed.success) return zodIssuesToRowIssues(parsed.error.issues, columnOf(record), cellOf(cells));
      data = parsed.data;
    }
    const mapped = mapRow(data);
    if (!isFieldIssues(mapped)) return mapped;
    const cell = cellOf(cells);
    return mapped.map((issue) => {
      const value = issue.field === null ? undefined : cell(issue.field);
      return {
        code: issue.code,
        column: issue.field === null ? null : columnOf(record)(issue.field),
        value: value === undefined || value === null ? null : String(value),
        message: issue.message,
      };
    });
  };
}
