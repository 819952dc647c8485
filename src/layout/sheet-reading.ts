/**
 * What one sheet says once for all its figures, as the layout toolkit reads it before its rows:
 * the settled flow and period (table-facts.ts), the per-sheet context values, and the unit of each
 * figure column (sheet-facts.ts), with the facts for the journal and the units for its notes.
 *
 * A sheet whose header matched by position only (a cover with a year in a cell) may say none of
 * it: when every sheet is read, its refusal is returned rather than thrown, to be raised at the
 * sheet's first figure; a sheet without figures is then passed over instead.
 */
import { CorridorError } from '../errors.ts';
import type { FigureColumnAt } from './header-binding.ts';
import { type ColumnUnit, type SheetText, sheetContext, unitOfColumn } from './sheet-facts.ts';
import { UNREAD_UNIT } from './sheet-refusals.ts';
import type { Declarations, SettledFact } from './stated-facts.ts';
import { datasetUnit, type SheetFactValues, settleSheetFacts } from './table-facts.ts';
import type { TableLayout } from './table-layout.ts';

/** A figure column with the unit its figures are in. */
export interface FigureColumn extends FigureColumnAt {
  readonly unit: ColumnUnit;
}

export interface SheetReading {
  /** The refusal to raise at the sheet's first figure; null when the sheet said all it must. */
  readonly refusal: unknown;
  readonly facts: SheetFactValues;
  readonly context: Record<string, string>;
  readonly figureColumns: FigureColumn[];
  /** The units as the journal's notes show them: "тыс. долларов США (×1000 → USD)". */
  readonly units: string[];
  /** Flow, period and unit, each with its origin, for `load_facts`. */
  readonly settled: SettledFact[];
}

export function readSheetFacts(
  layout: TableLayout,
  text: SheetText,
  fileName: string,
  declared: Declarations,
  figures: readonly FigureColumnAt[],
): SheetReading {
  let refusal: unknown = null;
  let facts: SheetFactValues = { values: {}, settled: [] };
  let context: Record<string, string> = {};
  let figureColumns: FigureColumn[] = [];
  try {
    facts = settleSheetFacts(layout, text, fileName, declared);
    context = sheetContext(layout, text);
    const unitDeclarations = { ...declared, dataset: datasetUnit(layout, fileName) };
    figureColumns = figures.map((c) => ({
      ...c,
      unit: unitOfColumn(layout, text, c.path, unitDeclarations),
    }));
  } catch (error) {
    if (!(error instanceof CorridorError) || layout.sheets?.every !== true) throw error;
    refusal = error;
    figureColumns = figures.map((c) => ({ ...c, unit: UNREAD_UNIT }));
  }
  const unitFacts = new Map<string, SettledFact>();
  for (const { unit } of figureColumns) {
    const value = `${unit.phrase} (${unit.unit} ×${unit.multiplier})`;
    if (!unitFacts.has(value))
      unitFacts.set(value, {
        fact: 'unit',
        value,
        origin: unit.origin,
        place: unit.place,
        sheet: text.sheet,
      });
  }
  const units = [
    ...new Set(
      figureColumns.map((c) => {
        const factor = c.unit.multiplier === 1 ? '' : ` (×${c.unit.multiplier} → ${c.unit.unit})`;
        const assumed = c.unit.origin === 'file' ? '' : `, ${c.unit.place}`;
        return `${c.unit.phrase}${factor}${assumed}`;
      }),
    ),
  ];
  return {
    refusal,
    facts,
    context,
    figureColumns,
    units,
    settled: [...facts.settled, ...unitFacts.values()],
  };
}
