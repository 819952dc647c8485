/**
 * Workbooks as a bureau lays them out, written for tests: a sheet is a grid of cells with its
 * merged ranges, written as .xlsx by exceljs or as legacy .xls (BIFF8) by SheetJS, the two
 * formats the bureaus publish in. The sheets a publication carries besides its tables (cover,
 * legend, contents, methodology) are here too, in Russian, with the words that must not be
 * read as a table's flow, unit or period ("экспорт", "тыс. долларов США", a year).
 */
import { writeFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

export interface SheetSpec {
  readonly name: string;
  readonly rows: readonly (readonly Cell[])[];
  /** Merged ranges as Excel writes them: "A1:G1". */
  readonly merges?: readonly string[];
}

export type WorkbookFormat = 'xlsx' | 'xls';

/** Writes the sheets, in order, as one workbook; returns the path. */
export async function writeWorkbook(
  path: string,
  sheets: readonly SheetSpec[],
  format: WorkbookFormat,
): Promise<string> {
  if (format === 'xls') {
    const wb = XLSX.utils.book_new();
    for (const sheet of sheets) {
      const ws = XLSX.utils.aoa_to_sheet(sheet.rows.map((r) => [...r]));
      if (sheet.merges !== undefined) ws['!merges'] = sheet.merges.map((m) => XLSX.utils.decode_range(m));
      XLSX.utils.book_append_sheet(wb, ws, sheet.name);
    }
    writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    return path;
  }
  const wb = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    sheet.rows.forEach((row, i) => {
      const excelRow = ws.getRow(i + 1);
      row.forEach((value, j) => {
        if (value === null) return;
        const cell = excelRow.getCell(j + 1);
        cell.value = value;
        // A header with a line break shows it only when the cell wraps, as the bureau's do.
        if (typeof value === 'string' && value.includes('\n')) cell.alignment = { wrapText: true };
      });
      excelRow.commit();
    });
    for (const range of sheet.merges ?? []) ws.mergeCells(range);
  }
  await wb.xlsx.writeFile(path);
  return path;
}

/** How a publication's header cells are written this year. */
export type HeaderCase = 'published' | 'lower' | 'upper';

/**
 * A header cell as this year's edition writes it: cased, and (messy) with the extra spaces and
 * line breaks that come from retyping a header in a narrower column.
 */
export function headerCell(text: string, options: { case?: HeaderCase; messy?: boolean }): string {
  let out = text;
  if (options.case === 'lower') out = out.toLocaleLowerCase('ru');
  if (options.case === 'upper') out = out.toLocaleUpperCase('ru');
  if (options.messy === true) {
    const words = out.split(' ');
    // A break after the first word, doubled spaces elsewhere, padding at both ends.
    out = words.length > 1 ? `${words[0]}\n${words.slice(1).join('  ')}` : out;
    out = `  ${out} \n`;
  }
  return out;
}

export type FrontSheet = 'cover' | 'legend' | 'contents' | 'methodology';

/** The sheets before the tables, in the order a bureau's publication has them. */
export const ALL_FRONT_SHEETS: readonly FrontSheet[] = ['cover', 'legend', 'contents', 'methodology'];

/** The names the Kazakh bureau gives them. */
export const FRONT_SHEET_NAMES: Readonly<Record<FrontSheet, string>> = {
  cover: 'Обложка',
  legend: 'Условные обозначения',
  contents: 'Содержание',
  methodology: 'Методологические пояснения',
};

/**
 * A front sheet of a bureau's foreign-trade publication. Each says "экспорт" and "импорт",
 * a unit and a year in its text: a source that took its facts from the first sheet that names
 * them would read them here.
 */
export function frontSheet(kind: FrontSheet, publisher: string, year: number): SheetSpec {
  const name = FRONT_SHEET_NAMES[kind];
  switch (kind) {
    case 'cover':
      return {
        name,
        rows: [
          [publisher],
          [],
          ['Внешняя торговля'],
          [`Статистический бюллетень за ${year} год`],
          [],
          [`Серия 8. Экспорт и импорт товаров`],
          [`${year + 1}`],
        ],
        merges: ['A1:G1', 'A3:G3', 'A4:G4'],
      };
    case 'legend':
      return {
        name,
        rows: [
          ['Условные обозначения'],
          [],
          ['-', 'явление отсутствует'],
          ['…', 'данных не имеется'],
          ['0,0', 'небольшая величина'],
          ['х', 'данные конфиденциальны'],
          ['тыс.', 'тысяч'],
          ['долл. США', 'доллар США'],
        ],
      };
    case 'contents':
      return {
        name,
        rows: [
          ['Содержание'],
          [],
          ['1.', 'Основные показатели внешней торговли по странам', 3],
          ['2.', 'Экспорт по товарам ТН ВЭД ЕАЭС', 12],
          ['3.', 'Импорт по товарам ТН ВЭД ЕАЭС', 48],
          ['4.', 'Методологические пояснения', 90],
        ],
      };
    case 'methodology':
      return {
        name,
        rows: [
          ['Методологические пояснения'],
          [],
          [
            'Экспорт товаров – вывоз товаров с таможенной территории без обязательства об обратном ввозе. Экспорт учитывается в ценах ФОБ.',
          ],
          ['Импорт товаров – ввоз товаров на таможенную территорию. Импорт учитывается в ценах СИФ.'],
          [
            `Стоимостные показатели приводятся в тыс. долларов США; данные за ${year - 1} год уточнены по итогам годовой разработки.`,
          ],
          ['Страна происхождения определяется в соответствии с правилами происхождения товаров.'],
        ],
        merges: ['A3:G3', 'A4:G4', 'A5:G5', 'A6:G6'],
      };
  }
}

/** Footnotes as bureaus print them under a table: a blank row, then notes and the source. */
export function footnoteRows(notes: readonly string[]): Cell[][] {
  return [[], ...notes.map((note) => [note])];
}

/** 1.5 → 1.5; sums of five-decimal figures kept to five decimals, as the bureau prints them. */
export const round5 = (value: number): number => Number(value.toFixed(5));
