/**
 * The XLSX yardstick of issue 3: exceljs's streaming reader alone, parsing every row of the
 * first sheet and counting them, with nothing done per row; what a user would otherwise build a
 * load on. Corridor reads plain sheets with its own scanner (src/read/xlsx-fast-reader.ts) and
 * is measured against this. Run as its own process by the benchmark so its peak RSS is its
 * own. Prints the number of data rows (header excluded).
 *
 * Usage: node --import tsx scripts/bench/exceljs-parse.ts <file.xlsx>
 */
import ExcelJS from 'exceljs';

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: exceljs-parse.ts <file.xlsx>');
  process.exit(2);
}

// exceljs's fastest settings for values alone: no styles, no hyperlinks.
const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, {
  worksheets: 'emit',
  sharedStrings: 'cache',
  styles: 'ignore',
  hyperlinks: 'ignore',
});
let rows = 0;
for await (const worksheet of workbook) {
  for await (const _row of worksheet) rows++;
  break;
}
console.log(Math.max(rows - 1, 0));
