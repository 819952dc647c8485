/**
 * Reads a UN Statistics Division HS correlation table (.xlsx or legacy .xls) as the UN
 * publishes them: a workbook with a "Correlation Tables" sheet whose header row names the two
 * editions ("HS2022", " HS2017" with its stray space, or "HS 2012", "HS 2007") and a
 * "Relationship" column, possibly below a title block or a blank row. Codes are 6-digit text,
 * padded back when a spreadsheet made them numbers.
 *
 * SheetJS (@e965/xlsx, the Community Edition as published on npm) reads both formats; these
 * files are a few MB, so reading them whole is fine.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { SourceFormatError } from '../errors.ts';
import { EDITION_YEARS } from './hs-model.ts';

export interface CorrelationLink {
  readonly newerCode: string;
  readonly olderCode: string;
  readonly relationship: '1:1' | '1:n' | 'n:1' | 'n:n';
}

export interface CorrelationTable {
  readonly sheet: string;
  readonly newerYear: number;
  readonly olderYear: number;
  readonly links: readonly CorrelationLink[];
}

const EDITION_HEADER = /^\s*HS\s*(\d{4})\s*$/i;
const RELATIONSHIPS = new Set(['1:1', '1:n', 'n:1', 'n:n']);

export function readUnCorrelationTable(path: string): CorrelationTable {
  const name = basename(path);
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(readFileSync(path), { dense: true });
  } catch (cause) {
    throw new SourceFormatError(
      name,
      'not_a_workbook',
      `${name} is not an Excel workbook (.xlsx or .xls): ${(cause as Error).message}.`,
    );
  }
  const sheets = [...workbook.SheetNames].sort(
    (a, b) => Number(/correlation/i.test(b)) - Number(/correlation/i.test(a)),
  );
  for (const sheet of sheets) {
    const rows = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[sheet]!, {
      header: 1,
      raw: false,
      defval: '',
    });
    for (let h = 0; h < Math.min(rows.length, 15); h++) {
      const header = (rows[h] ?? []).map((c) => String(c));
      const editionColumns = header.flatMap((c, i) => (EDITION_HEADER.test(c) ? [i] : []));
      const relationColumn = header.findIndex((c) => /^\s*relationship\s*$/i.test(c));
      if (editionColumns.length !== 2 || relationColumn < 0) continue;
      const [first, second] = editionColumns as [number, number];
      const yearOf = (i: number) => Number(EDITION_HEADER.exec(header[i]!)![1]);
      const newerAt = yearOf(first) > yearOf(second) ? first : second;
      const olderAt = newerAt === first ? second : first;
      const links: CorrelationLink[] = [];
      for (let r = h + 1; r < rows.length; r++) {
        const row = rows[r] ?? [];
        const newer = String(row[newerAt] ?? '').trim();
        const older = String(row[olderAt] ?? '').trim();
        const relationship = String(row[relationColumn] ?? '')
          .trim()
          .toLowerCase();
        if (newer === '' && older === '' && relationship === '') continue;
        const code = (text: string, what: string) => {
          if (!/^\d{5,6}$/.test(text))
            throw new SourceFormatError(
              name,
              'bad_hs_code',
              `${name} › ${sheet} › row ${r + 1}: ${what} code ${JSON.stringify(text)} is not a 6-digit HS code.`,
            );
          return text.padStart(6, '0');
        };
        if (!RELATIONSHIPS.has(relationship))
          throw new SourceFormatError(
            name,
            'bad_relationship',
            `${name} › ${sheet} › row ${r + 1}: relationship ${JSON.stringify(relationship)} is not 1:1, 1:n, n:1 or n:n.`,
          );
        links.push({
          newerCode: code(newer, `HS ${yearOf(newerAt)}`),
          olderCode: code(older, `HS ${yearOf(olderAt)}`),
          relationship: relationship as CorrelationLink['relationship'],
        });
      }
      if (links.length === 0) continue;
      return { sheet, newerYear: yearOf(newerAt), olderYear: yearOf(olderAt), links };
    }
  }
  throw new SourceFormatError(
    name,
    'no_correlation_sheet',
    `${name} has no sheet with a header of two HS editions and a Relationship column (as in the UN's "Correlation Tables" sheet). Check it is a UN HS correlation table.`,
  );
}

/** The Comtrade edition code of an HS year: 2017 → H5; a year after the last known continues the series (2027 → H7). */
export function editionOfYear(year: number, known: readonly string[]): string | null {
  const found = Object.entries(EDITION_YEARS).find(([, y]) => Number(y) === year);
  if (found !== undefined) return found[0];
  const latest = Math.max(...Object.values(EDITION_YEARS).map(Number));
  if (year <= latest) return null;
  const highest = Math.max(...known.map((e) => Number(/^H(\d+)$/.exec(e)?.[1] ?? -1)));
  return `H${highest + 1}`;
}
