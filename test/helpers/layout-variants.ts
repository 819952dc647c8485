/**
 * The pieces the `table` and `port-table` variant tests share: a workbook written by exceljs
 * from a grid of cells per sheet (merged ranges, line breaks in cells), the sheets a
 * publication carries besides its table (cover, contents, legend, methodology), and a pipeline
 * entry run through the CLI into a warehouse.
 */
import { type Cell, type SheetSpec, writeWorkbook as writeBureauWorkbook } from './bureau-sheets.ts';
import { writePipelineProject } from './pipeline-project.ts';
import { type CliRun, cli } from './run-cli.ts';

export type { Cell, SheetSpec };

/** Writes the sheets, in order, as one .xlsx (exceljs); returns its path. */
export const writeWorkbook = (path: string, sheets: readonly SheetSpec[]): Promise<string> =>
  writeBureauWorkbook(path, sheets, 'xlsx');

/**
 * What a statistics office puts before its tables. They mention trade, units and years in
 * prose, and none holds the table: each must be passed over, not read.
 */
export const FRONT_SHEETS: readonly SheetSpec[] = [
  {
    name: 'Cover',
    rows: [
      ['National Statistics Office'],
      ['Foreign trade of goods, 2021-2023'],
      ['Published 15 March 2024'],
    ],
  },
  {
    name: 'Contents',
    rows: [
      ['Contents'],
      ['No.', 'Table', 'Page'],
      [1, 'Foreign trade by country', 3],
      [2, 'Foreign trade by commodity', 4],
    ],
  },
  {
    name: 'Legend',
    rows: [
      ['Symbols'],
      ['Symbol', 'Meaning'],
      ['-', 'no trade'],
      ['…', 'not available'],
      ['p', 'provisional'],
    ],
  },
  {
    name: 'Methodology',
    rows: [
      ['Methodology'],
      ['Values are in thousand US dollars, FOB for exports and CIF for imports.'],
      ['Country of origin for imports, country of destination for exports.'],
    ],
  },
];

/** A pipeline entry for one file, written into the project folder and run; names must be unique per process. */
export async function runEntry(
  dir: string,
  db: string,
  name: string,
  entry: Record<string, unknown>,
): Promise<CliRun> {
  writePipelineProject(dir, { name, sources: [entry] });
  return cli(['run', name, '--db', db, '--no-derive'], dir);
}

/** The loads' notes (the journal keeps each load's as a JSON array), one a line. */
export const notesOf = (rows: readonly { notes: string | null }[]): string =>
  rows.flatMap((r) => (r.notes === null ? [] : (JSON.parse(r.notes) as string[]))).join('\n');
