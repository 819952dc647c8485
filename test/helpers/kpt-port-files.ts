/**
 * Port tables in the shape Karachi Port Trust publishes them ('000 tonnes, a fiscal year's
 * months from July, commodity rows then subtotals), written by exceljs, and the pipeline file
 * that reads them as port PKKHI: for tests that need port figures in a warehouse.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

export const KPT_MONTHS = [
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
];

/** One fiscal year's sheet ('2023-24'): each row a label, a direction (or null) and 12 months. */
export async function writeKptWorkbook(
  path: string,
  fiscalYear: string,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Cargo');
  sheet.addRow(['Karachi Port Trust: cargo handled by commodity (test figures)']);
  sheet.addRow(["('000 tonnes)"]);
  sheet.addRow(['Commodity', 'Direction', fiscalYear, ...Array(11).fill(null)]);
  sheet.mergeCells(3, 3, 3, 14);
  sheet.addRow([null, null, ...KPT_MONTHS]);
  for (const row of rows) sheet.addRow([...row]);
  await workbook.xlsx.writeFile(path);
}

/** pipelines/kpt.pipeline.ts in `folder`, reading `files` (names in `folder`) as port PKKHI. */
export function writeKptPipeline(folder: string, files: readonly string[]): void {
  mkdirSync(join(folder, 'pipelines'), { recursive: true });
  writeFileSync(
    join(folder, 'pipelines', 'kpt.pipeline.ts'),
    `export default { name: 'kpt', sources: [{ source: 'port-table', files: ${JSON.stringify(files)}, portTable: {
      name: 'kpt', headerRows: 2, sheets: { every: true },
      columns: { commodity: { labels: ['Commodity'] }, direction: { labels: ['Direction'] } },
      wide: { kind: 'periods', into: 'period', value: 'quantity' },
      aggregates: { column: 'commodity', labels: ['Total dry cargo', 'Total liquid cargo'], totals: ['Grand total'], position: 'after' },
      map: { port: { value: 'PKKHI' }, period: { column: 'period' }, direction: { column: 'direction' },
             commodity: { column: 'commodity' }, quantity: { column: 'quantity' } } } }] };\n`,
  );
}
