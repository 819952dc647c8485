/**
 * The XLSX floor: exceljs's streaming reader alone, parsing every row of the first sheet and
 * counting them, with nothing done per row. Run as its own process by the benchmark so its peak
 * RSS is its own. Prints the number of data rows (header excluded).
 *
 * Usage: node --import tsx scripts/bench/exceljs-parse.ts <file.xlsx>
 */
import ExcelJS from 'exceljs';

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: exceljs-parse.ts <file.xlsx>');
  process.exit(2);
}

// The same options Corridor's reader is expected to use, so the comparison is like for like.
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
