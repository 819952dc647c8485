/**
 * Reads a file by its TableLayout and gives the RawTable every reader gives: one record per
 * figure for a wide table (a country × a year), one per row otherwise, each numbered by the
 * row the user sees and naming the sheet and the column its figure came from. Rows are read
 * as they stream, so memory stays flat in the table's length.
 *
 * What the layout toolkit does on the way, and reports (LayoutReport) for the journal:
 * selects the sheets; finds the header block by its labels; takes the unit from the value
 * column's header, the header block or the titles, and converts figures into the canonical
 * unit; reads figures stored as text, footnote markers and status flags; skips "no value"
 * cells; and checks total and subtotal rows against their parts instead of loading them.
 */
import { basename } from 'node:path';
import { CorridorError, SchemaDriftError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';
import { batchRows, isBlankRow, type RawRecord, type RawTable } from '../read/raw-table.ts';
import { openSheetStream, type RawSheet, type SheetRow } from '../read/sheet-stream.ts';
import { AggregateChecker, type PrintedFigure, type RowRole } from './aggregate-check.ts';
import { type CellReading, readCellNumber } from './cell-number.ts';
import { findHeader, titleLines } from './header-block.ts';
import { type PeriodColumn, periodColumns } from './period-columns.ts';
import { matchesLabel, outputColumns, subtotalLevel, type TableLayout } from './table-layout.ts';
import { describeKnownUnits, findUnit, type UnitReading } from './unit-phrase.ts';

export interface LayoutWarning {
  readonly code: 'aggregate_mismatch';
  readonly sheet: string | null;
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export interface LaidOutSheet {
  readonly name: string | null;
  /** Row number of the header's first row. */
  readonly headerRow: number;
  /** The unit the sheet's figures were written in, as written, and its factor to the canonical unit. */
  readonly units: readonly string[];
  readonly context: Readonly<Record<string, string>>;
}

export interface LayoutReport {
  readonly sheets: readonly LaidOutSheet[];
  /** Sheets passed over, with why (a cover, a legend; hidden). */
  readonly skippedSheets: readonly { readonly name: string; readonly reason: string }[];
  /** Figures on total and subtotal rows: checked, not loaded. */
  readonly aggregateRecords: number;
  /** Aggregate figures compared with the sum of their parts. */
  readonly aggregatesChecked: number;
  /** Cells holding no value ("-", "…", blank) where a figure could stand; not records. */
  readonly nilCells: number;
  /** Rows without any figure (notes under the table); not records. */
  readonly rowsWithoutFigures: number;
  readonly warnings: readonly LayoutWarning[];
}

export interface LaidOutTable extends RawTable {
  /** What the layout toolkit did; complete once `batches` is read to the end. */
  report(): LayoutReport;
}

/** A column whose cells are figures: a wide value column or a long table's figure column. */
interface FigureColumn {
  readonly index: number;
  /** Header path, for messages and reject columns. */
  readonly path: string;
  /** Wide tables: the key that goes into the record (a period, "X"); null in a long table. */
  readonly key: string | null;
  /** Long tables: the output column the figure goes to. */
  readonly field: string | null;
  readonly unit: UnitReading;
}

const formatFigure = (n: number) =>
  n.toLocaleString('en-US', { maximumFractionDigits: 6 }).replace(/,/g, '\u202f');

/** `value` × `multiplier` without binary noise: rounded to the decimals the product can have. */
function scaled(value: number, decimals: number, multiplier: number): number {
  if (multiplier === 1) return value;
  const product = value * multiplier;
  const shift = Math.log10(multiplier);
  if (!Number.isInteger(shift)) return product;
  return Number(product.toFixed(Math.max(0, Math.min(20, decimals - shift))));
}

export async function readLaidOutTable(
  path: string,
  layout: TableLayout,
  options: { readonly encoding?: string } = {},
): Promise<LaidOutTable> {
  const name = basename(path);
  const stream = await openSheetStream(path, options.encoding);
  const header = outputColumns(layout);
  const width = header.length;
  const keptNames = Object.keys(layout.columns);
  const contextNames = Object.keys(layout.context ?? {});
  const numberStyle = {
    decimal: layout.decimal ?? 'auto',
    nilMarkers: layout.nilMarkers ?? [],
  } as const;

  const sheets: LaidOutSheet[] = [];
  const skippedSheets: { name: string; reason: string }[] = [];
  const warnings: LayoutWarning[] = [];
  let aggregateRecords = 0;
  let aggregatesChecked = 0;
  let nilCells = 0;
  let rowsWithoutFigures = 0;
  let firstSheet: string | null = null;
  const place = (sheet: string | null) => (sheet === null ? name : `${name} › ${sheet}`);

  const wantsSheet = (sheet: RawSheet): boolean => {
    const selection = layout.sheets;
    if (sheet.name === null || selection === undefined) return true;
    if (selection.names === undefined && selection.pattern === undefined) return true;
    const byName = selection.names?.some((n) => foldName(n) === foldName(sheet.name!)) ?? false;
    return byName || (selection.pattern?.test(sheet.name) ?? false);
  };

  /** Columns found in a header block, or null when the block is not this table's header. */
  const bindHeader = (paths: readonly string[]) => {
    const kept: Record<string, number> = {};
    for (const [field, spec] of Object.entries(layout.columns)) {
      let at = spec.index ?? -1;
      if (spec.labels !== undefined) at = paths.findIndex((p) => matchesLabel(p, spec.labels!));
      if (at < 0 && !spec.optional) return null;
      kept[field] = at;
    }
    let wide: Omit<FigureColumn, 'unit'>[] = [];
    if (layout.wide?.kind === 'columns') {
      for (const [key, labels] of Object.entries(layout.wide.columns)) {
        const at = paths.findIndex((p) => matchesLabel(p, labels));
        if (at >= 0) wide.push({ index: at, path: paths[at]!, key, field: null });
      }
      if (wide.length === 0) return null;
    } else if (layout.wide?.kind === 'periods') {
      wide = periodColumns(paths, { serialDates: layout.wide.serialDates ?? false }).map(
        (c: PeriodColumn) => ({ index: c.index, path: c.path, key: c.period, field: null }),
      );
      if (wide.length === 0) return null;
    }
    // A wide table's figures are its wide columns; a long table's, the kept columns it names.
    const figures: Omit<FigureColumn, 'unit'>[] =
      layout.wide !== undefined
        ? wide
        : (layout.figures ?? [])
            .filter((field) => (kept[field] ?? -1) >= 0)
            .map((field) => ({ index: kept[field]!, path: paths[kept[field]!]!, key: null, field }));
    return { kept, figures };
  };

  const expected = () => {
    const labels = Object.values(layout.columns).flatMap((c) => (c.labels ?? []).slice(0, 2).map(String));
    const wide =
      layout.wide?.kind === 'columns'
        ? Object.values(layout.wide.columns).flatMap((l) => l.slice(0, 1).map(String))
        : layout.wide?.kind === 'periods'
          ? ['columns headed by years or months']
          : [];
    return [
      ...labels.map((l) => `"${l}"`),
      ...wide.map((w) => (w.startsWith('columns') ? w : `"${w}"`)),
    ].join(', ');
  };

  const unitFor = (
    sheet: string | null,
    path: string,
    headerCells: readonly string[],
    titles: readonly string[],
  ): UnitReading => {
    const unit =
      findUnit(path) ??
      headerCells.map((c) => findUnit(c)).find((u) => u !== null) ??
      titles.map((t) => findUnit(t)).find((u) => u !== null) ??
      (layout.unit?.default === undefined ? null : findUnit(layout.unit.default));
    if (unit === null) {
      throw new CorridorError(
        'unknown_unit',
        `${place(sheet)}: no unit found for column "${path}" in its header or the titles above the table${layout.unit?.default === undefined ? '' : `, and the default "${layout.unit.default}" is not a unit Corridor knows`}. Write the unit in a title or header cell; known units: ${describeKnownUnits()}.`,
      );
    }
    const dimension = layout.unit?.dimension;
    if (dimension !== undefined && unit.dimension !== dimension) {
      throw new CorridorError(
        'unexpected_unit',
        `${place(sheet)}: column "${path}" is in ${unit.phrase} (${unit.unit}), but this table's figures must be in a unit of ${dimension}. Check that the file is the table this source reads.`,
      );
    }
    return unit;
  };

  const contextOf = (sheet: string | null, titles: readonly string[]): Record<string, string> => {
    const values: Record<string, string> = {};
    for (const [field, tries] of Object.entries(layout.context ?? {})) {
      for (const attempt of tries) {
        const texts = attempt.from === 'sheet' ? (sheet === null ? [] : [sheet]) : titles;
        const match = texts.map((t) => attempt.pattern.exec(t)).find((m) => m !== null && m[1] !== undefined);
        if (match) {
          values[field] = match[1]!;
          break;
        }
      }
      if (values[field] === undefined) {
        throw new CorridorError(
          'missing_context',
          `${place(sheet)}: the ${field} could not be read from ${tries.map((t) => (t.from === 'sheet' ? `the sheet name ("${sheet ?? ''}")` : 'the title rows')).join(' or ')}${titles.length > 0 ? `; the titles say: ${titles.map((t) => `"${t}"`).join(', ')}` : ''}. Check that the file is the table this source reads.`,
        );
      }
    }
    return values;
  };

  async function* records(): AsyncGenerator<readonly RawRecord[]> {
    const perBatch = batchRows(width);
    let batch: RawRecord[] = [];
    let sheetsRead = 0;
    const examined: string[] = [];
    for await (const sheet of stream.sheets) {
      const sheetName = sheet.name;
      if (sheet.hidden) {
        skippedSheets.push({ name: sheetName ?? '', reason: 'hidden' });
        continue;
      }
      if (!wantsSheet(sheet) || (sheetsRead > 0 && layout.sheets?.every !== true)) continue;
      examined.push(sheetName ?? name);

      // The first rows, until the header block is complete, then every row after it.
      const rows = sheet.rows[Symbol.asyncIterator]();
      const scanned: SheetRow[] = [];
      let ended = false;
      let nonBlank = 0;
      const height = layout.headerRows ?? 1;
      while (nonBlank < 30 + height) {
        const next = await rows.next();
        if (next.done) {
          ended = true;
          break;
        }
        for (const r of next.value) {
          scanned.push(r);
          if (!isBlankRow(r.cells)) nonBlank++;
        }
      }
      const found = findHeader(scanned, height, (paths) => bindHeader(paths) !== null);
      if (found === null) {
        if (layout.sheets?.every === true) {
          skippedSheets.push({ name: sheetName ?? '', reason: `no table with ${expected()}` });
          if (!ended) await rows.return?.(undefined);
          continue;
        }
        const seen = titleLines(scanned, Math.min(scanned.length, 8)).slice(0, 5);
        throw new SchemaDriftError(
          name,
          Object.keys(layout.columns),
          `${place(sheetName)}: no header row with ${expected()} in its first ${30} rows${seen.length > 0 ? `; it begins: ${seen.map((t) => `"${t.slice(0, 80)}"`).join(', ')}` : ' (it is empty)'}. Check that the file is the table this source reads.`,
        );
      }
      sheetsRead++;
      firstSheet ??= sheetName;
      const binding = bindHeader(found.paths)!;
      const headerCells = scanned
        .slice(found.index, found.index + height)
        .flatMap((r) => r.cells.map((c) => (c === null || c === undefined ? '' : String(c))));
      const titles = titleLines(scanned, found.index);
      const context = contextOf(sheetName, titles);
      const figureColumns: FigureColumn[] = binding.figures.map((c) => ({
        ...c,
        unit: unitFor(sheetName, c.path, headerCells, titles),
      }));
      const units = [
        ...new Set(
          figureColumns.map((c) =>
            c.unit.multiplier === 1
              ? c.unit.phrase
              : `${c.unit.phrase} (×${c.unit.multiplier} → ${c.unit.unit})`,
          ),
        ),
      ];
      sheets.push({ name: sheetName, headerRow: scanned[found.index]!.number, units, context });

      const aggregates = layout.aggregates;
      const labelIndex = aggregates === undefined ? -1 : (binding.kept[aggregates.column] ?? -1);
      const checker =
        aggregates === undefined
          ? null
          : new AggregateChecker(
              figureColumns.map((c) => c.path),
              aggregates.position ?? 'before',
            );
      const unitName = figureColumns[0]?.unit.unit ?? null;

      const keptCells = (cells: readonly unknown[]): unknown[] =>
        keptNames.map((field) => {
          const at = binding.kept[field]!;
          const cell = at < 0 ? null : (cells[at] ?? null);
          return typeof cell === 'string' ? cell.replace(/\s+/g, ' ').trim() : cell;
        });
      const keptOrigins = keptNames.map((field) => found.paths[binding.kept[field]!] ?? field);
      const contextCells = contextNames.map((field) => context[field]!);

      const takeRow = (row: SheetRow) => {
        if (isBlankRow(row.cells)) return;
        const rawLabel = labelIndex < 0 ? '' : String(row.cells[labelIndex] ?? '');
        // "Всего\nв том числе" reads as "Всего"; indentation is kept for the nesting level.
        const label = rawLabel.split(/\r?\n/)[0]!.trimEnd();
        const level = aggregates === undefined ? null : subtotalLevel(label, aggregates.labels);
        const role: RowRole =
          aggregates === undefined
            ? 'part'
            : matchesLabel(label.trim(), aggregates.totals)
              ? 'total'
              : level !== null
                ? 'subtotal'
                : 'part';
        const readings: CellReading[] = figureColumns.map((c) =>
          readCellNumber(row.cells[c.index], numberStyle),
        );
        const printed = (reading: CellReading): PrintedFigure | null =>
          reading.kind === 'number' ? { value: reading.value, decimals: reading.decimals } : null;
        checker?.offer({
          row: row.number,
          label: label.trim(),
          role,
          depth: level ?? 0,
          figures: readings.map(printed),
        });
        const figureValue = (reading: CellReading, column: FigureColumn): unknown =>
          reading.kind === 'number'
            ? scaled(reading.value, reading.decimals, column.unit.multiplier)
            : reading.kind === 'nil'
              ? null
              : reading.text;
        const statusOf = (reading: CellReading) =>
          reading.kind === 'number' && reading.flags.length > 0 ? reading.flags.join(';') : null;

        // A row without a single figure is a note or a heading, not data.
        if (figureColumns.length > 0 && readings.every((r) => r.kind === 'nil')) {
          rowsWithoutFigures++;
          return;
        }
        if (layout.wide !== undefined) {
          const kept = keptCells(row.cells);
          readings.forEach((reading, i) => {
            const column = figureColumns[i]!;
            if (reading.kind === 'nil') {
              nilCells++;
              return;
            }
            if (role !== 'part') {
              aggregateRecords++;
              return;
            }
            batch.push({
              row: row.number,
              sheet: sheetName,
              cells: [
                ...kept,
                column.key,
                figureValue(reading, column),
                ...contextCells,
                unitName,
                statusOf(reading),
              ],
              origins: [...keptOrigins, column.path, column.path, ...contextNames, null, column.path],
            });
          });
          return;
        }
        if (role !== 'part') {
          aggregateRecords++;
          return;
        }
        const cells = keptCells(row.cells);
        figureColumns.forEach((column, i) => {
          cells[keptNames.indexOf(column.field!)] = figureValue(readings[i]!, column);
        });
        const status = readings.map(statusOf).find((s) => s !== null) ?? null;
        batch.push({
          row: row.number,
          sheet: sheetName,
          cells: [...cells, ...contextCells, unitName, status],
          origins: [...keptOrigins, ...contextNames, null, null],
        });
      };

      for (const row of scanned.slice(found.index + height)) takeRow(row);
      if (!ended) {
        for (;;) {
          const next = await rows.next();
          if (next.done) break;
          for (const row of next.value) takeRow(row);
          if (batch.length >= perBatch) {
            yield batch;
            batch = [];
          }
        }
      }
      if (checker !== null) {
        checker.finish();
        aggregatesChecked += checker.checked;
        for (const m of checker.mismatches) {
          warnings.push({
            code: 'aggregate_mismatch',
            sheet: sheetName,
            row: m.row,
            column: m.column,
            message: `${place(sheetName)} row ${m.row} "${m.label}", column "${m.column}": the table states ${formatFigure(m.stated)}, but the ${m.parts} rows it sums add up to ${formatFigure(m.sum)} (a difference of ${formatFigure(m.stated - m.sum)}, more than rounding allows). A row may be missing or counted twice; compare the table with the publisher's.`,
          });
        }
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    if (sheetsRead === 0) {
      throw new SchemaDriftError(
        name,
        Object.keys(layout.columns),
        examined.length === 0
          ? `${name}: none of its sheets is one this source reads${layout.sheets?.pattern ? ` (sheet names matching ${layout.sheets.pattern})` : ''}. Check that the file is the table this source reads.`
          : `${name}: no sheet holds a table with ${expected()} (looked at ${examined.map((s) => `"${s}"`).join(', ')}). Check that the file is the table this source reads.`,
      );
    }
  }

  return {
    format: stream.format,
    header,
    rowUnit: 'row',
    get sheet() {
      return firstSheet;
    },
    encoding: stream.encoding,
    delimiter: stream.delimiter,
    batches: records(),
    report: () => ({
      sheets,
      skippedSheets,
      aggregateRecords,
      aggregatesChecked,
      nilCells,
      rowsWithoutFigures,
      warnings,
    }),
  };
}
