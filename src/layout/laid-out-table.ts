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
import { CorridorError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';
import { HEADER_SEARCH_ROWS } from '../read/header-search.ts';
import { batchRows, isBlankRow, type RawRecord, type RawTable } from '../read/raw-table.ts';
import { openSheetStream, type RawSheet, type SheetRow } from '../read/sheet-stream.ts';
import { AggregateChecker, describeMismatch, type PrintedFigure, type RowRole } from './aggregate-check.ts';
import { type CellReading, readCellNumber } from './cell-number.ts';
import { bindHeader, describeExpectedHeader, headerLikeness } from './header-binding.ts';
import { closestHeader, findHeader, type NearHeader, refuseShortHeader, titleLines } from './header-block.ts';
import type { LaidOutSheet, LayoutReport, LayoutWarning } from './layout-report.ts';
import { scaledFigure } from './printed-figures.ts';
import { type FigureColumn, readSheetFacts } from './sheet-reading.ts';
import { noTableFound, refuseInapplicableDeclarations, refuseRepeatedPeriods } from './sheet-refusals.ts';
import type { Declarations } from './stated-facts.ts';
import { factColumns, labelTest, outputColumns, subtotalLevels, type TableLayout } from './table-layout.ts';
import { decumulate } from './year-to-date.ts';

export interface LaidOutTable extends RawTable {
  /** What the layout toolkit did; complete once `batches` is read to the end. */
  report(): LayoutReport;
}

export async function readLaidOutTable(
  path: string,
  layout: TableLayout,
  options: { readonly encoding?: string; readonly declared?: Declarations } = {},
): Promise<LaidOutTable> {
  const name = basename(path);
  const declared = options.declared ?? {};
  refuseInapplicableDeclarations(layout, declared);
  const stream = await openSheetStream(path, options.encoding);
  const header = outputColumns(layout);
  const width = header.length;
  const keptNames = Object.keys(layout.columns);
  const contextNames = [...Object.keys(layout.context ?? {}), ...factColumns(layout)];
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
    if (selection.pattern !== undefined) selection.pattern.lastIndex = 0;
    return byName || (selection.pattern?.test(sheet.name) ?? false);
  };

  async function* records(): AsyncGenerator<readonly RawRecord[]> {
    const perBatch = batchRows(width);
    let batch: RawRecord[] = [];
    let sheetsRead = 0;
    const examined: string[] = [];
    const visible: string[] = [];
    // The sheet block nearest the layout's header, for the message when no sheet has the table.
    let nearest: (NearHeader & { sheet: string | null }) | null = null;
    // What the first sheet without the table begins with, for the message when it is the only one.
    let firstSeen: { place: string; lines: readonly string[] } | null = null;
    for await (const sheet of stream.sheets) {
      const sheetName = sheet.name;
      if (!sheet.hidden && sheetName !== null) visible.push(sheetName);
      if (sheet.hidden) {
        skippedSheets.push({ name: sheetName ?? '', reason: 'hidden' });
        continue;
      }
      if (!wantsSheet(sheet)) continue;
      // Reading one sheet of several, a later sheet is only looked at: one that holds the table
      // too (an "Imports" sheet after "Exports") would be dropped in silence.
      const onlyLooking = sheetsRead > 0 && layout.sheets?.every !== true;
      if (!onlyLooking) examined.push(sheetName ?? name);

      // The first rows, until the header block is complete, then every row after it.
      const rows = sheet.rows[Symbol.asyncIterator]();
      const scanned: SheetRow[] = [];
      let ended = false;
      let nonBlank = 0;
      const height = layout.headerRows ?? 1;
      while (nonBlank < HEADER_SEARCH_ROWS + height) {
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
      const found = findHeader(scanned, height, (paths) => bindHeader(layout, paths) !== null);
      if (onlyLooking) {
        if (!ended) await rows.return?.(undefined);
        if (found !== null)
          throw new CorridorError(
            'ambiguous_sheets',
            `${name}: sheets "${firstSheet ?? ''}" and "${sheetName ?? ''}" both hold the table this layout reads, and it reads one sheet. Set sheets: { every: true } to read every sheet that holds it, or name the one to read with sheets: { names: [...] }.`,
          );
        continue;
      }
      if (found === null) {
        const near = closestHeader(scanned, height, (paths) => headerLikeness(layout, paths));
        if (near !== null && (nearest === null || near.score > nearest.score))
          nearest = { ...near, sheet: sheetName };
        // A sheet without the table (a cover, contents, a legend, a chart's data) is passed over
        // and listed; the table is looked for in the sheets after it.
        skippedSheets.push({
          name: sheetName ?? '',
          reason: `no table with ${describeExpectedHeader(layout)}`,
        });
        firstSeen ??= {
          place: place(sheetName),
          lines: titleLines(scanned, Math.min(scanned.length, 8)).slice(0, 5),
        };
        if (!ended) await rows.return?.(undefined);
        continue;
      }
      sheetsRead++;
      firstSheet ??= sheetName;
      const binding = bindHeader(layout, found.paths)!;
      refuseRepeatedPeriods(place(sheetName), binding.figures);
      const headerCells = scanned
        .slice(found.index, found.index + height)
        .flatMap((r) => r.cells.map((c) => (c === null || c === undefined ? '' : String(c))));
      const text = {
        place: place(sheetName),
        sheet: sheetName,
        headerCells,
        titles: titleLines(scanned, found.index),
      };
      const { refusal, facts, context, figureColumns, units, settled } = readSheetFacts(
        layout,
        text,
        name,
        declared,
        binding.figures,
      );
      const used = new Set([
        ...Object.values(binding.kept).filter((i) => i >= 0),
        ...binding.figures.map((f) => f.index),
      ]);
      const unread = found.paths.filter((p, i) => p !== '' && !used.has(i));
      sheets.push({
        name: sheetName,
        headerRow: scanned[found.index]!.number,
        units,
        context,
        unread,
        facts: settled,
      });

      const aggregates = layout.aggregates;
      const labelIndex = aggregates === undefined ? -1 : (binding.kept[aggregates.column] ?? -1);
      const checker =
        aggregates === undefined
          ? null
          : new AggregateChecker(
              figureColumns.map((c) => c.path),
              aggregates.position ?? 'before',
              aggregates.selection ?? false,
            );
      const cumulative = layout.wide?.kind === 'periods' && layout.wide.cumulative === true;
      // Labels folded once per sheet: the tests run on every row.
      const isTotal = aggregates === undefined ? null : labelTest(aggregates.totals);
      const levelOf = aggregates === undefined ? null : subtotalLevels(aggregates.labels);
      // Grand totals loaded under another label (a selection table's World row), if asked.
      const totalLabel = aggregates?.loadTotalsAs;
      // A long table's record has one unit column: that of its first figure column.
      const longUnit = figureColumns[0]?.unit.unit ?? null;

      const keptCells = (cells: readonly unknown[]): unknown[] =>
        keptNames.map((field) => {
          const at = binding.kept[field]!;
          const cell = at < 0 ? null : (cells[at] ?? null);
          return typeof cell === 'string' ? cell.replace(/\s+/g, ' ').trim() : cell;
        });
      const keptOrigins = keptNames.map((field) => found.paths[binding.kept[field]!] ?? field);
      // Per-sheet values, then the stated facts (flow, period), in outputColumns' order.
      const sheetValues: Record<string, string> = { ...context, ...facts.values };
      const contextCells = contextNames.map((field) => sheetValues[field]!);

      // Readers may leave blank rows out: a gap in the row numbers is a blank row too.
      let lastRow = scanned[found.index + height - 1]?.number ?? 0;
      const takeRow = (row: SheetRow) => {
        const gap = row.number > lastRow + 1;
        lastRow = row.number;
        if (gap || isBlankRow(row.cells)) checker?.breakGroups();
        if (isBlankRow(row.cells)) return;
        const rawLabel = labelIndex < 0 ? '' : String(row.cells[labelIndex] ?? '');
        // "Всего\nв том числе" reads as "Всего"; indentation is kept for the nesting level.
        const label = rawLabel.split(/\r?\n/)[0]!.trimEnd();
        const level = levelOf === null ? null : levelOf(label);
        const role: RowRole =
          aggregates === undefined
            ? 'part'
            : isTotal!(label)
              ? 'total'
              : level !== null
                ? 'subtotal'
                : 'part';
        const read: CellReading[] = figureColumns.map((c) => readCellNumber(row.cells[c.index], numberStyle));
        if (refusal !== null && read.some((r) => r.kind === 'number')) throw refusal;
        const readings = cumulative
          ? decumulate(read, figureColumns, place(sheetName), sheetName, row.number, warnings)
          : read;
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
            ? scaledFigure(reading.value, reading.decimals, column.unit.multiplier)
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
        // A total loaded as data: its label replaced, the row otherwise a part like any other.
        const loadedTotal = role === 'total' && totalLabel !== undefined;
        const loaded =
          role === 'part' || loadedTotal || (role === 'subtotal' && aggregates?.loadSubtotals === true);
        const keptOf = (cells: readonly unknown[]) => {
          const kept = keptCells(cells);
          if (loadedTotal) kept[keptNames.indexOf(aggregates!.column)] = totalLabel;
          return kept;
        };
        if (layout.wide !== undefined) {
          const kept = keptOf(row.cells);
          readings.forEach((reading, i) => {
            const column = figureColumns[i]!;
            if (reading.kind === 'nil') {
              nilCells++;
              return;
            }
            if (!loaded) {
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
                column.group ?? column.path,
                ...contextCells,
                column.unit.unit,
                statusOf(reading),
              ],
              origins: [
                ...keptOrigins,
                column.path,
                column.path,
                column.path,
                ...contextNames,
                null,
                column.path,
              ],
            });
          });
          return;
        }
        if (!loaded) {
          aggregateRecords++;
          return;
        }
        const cells = keptOf(row.cells);
        figureColumns.forEach((column, i) => {
          cells[keptNames.indexOf(column.field!)] = figureValue(readings[i]!, column);
        });
        const status = readings.map(statusOf).find((s) => s !== null) ?? null;
        batch.push({
          row: row.number,
          sheet: sheetName,
          cells: [...cells, ...contextCells, longUnit, status],
          origins: [...keptOrigins, ...contextNames, null, null],
        });
      };

      refuseShortHeader(place(sheetName), scanned.slice(found.index + height), figureColumns, height);
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
      if (refusal !== null) {
        // Not a table after all: no figure under the header. Passed over, as a cover is.
        sheets.pop();
        sheetsRead--;
        if (firstSheet === sheetName) firstSheet = null;
        skippedSheets.push({ name: sheetName ?? '', reason: 'a header but no figures under it' });
        continue;
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
            message: describeMismatch(place(sheetName), m, aggregates?.selection ?? false),
            aggregate: {
              label: m.label,
              printed: m.stated,
              summed: m.sum,
              partRows: m.partRows,
              unit: figureColumns.find((c) => c.path === m.column)?.unit.phrase ?? null,
            },
          });
        }
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    if (sheetsRead === 0) throw noTableFound(name, layout, { examined, visible, firstSeen, nearest });
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
