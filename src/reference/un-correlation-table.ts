/**
 * Reads a UN Statistics Division HS correlation table (.xlsx or legacy .xls) as the UN has
 * published them since HS 1996 (docs/hs-editions.md): a workbook with a sheet (usually
 * "Correlation Tables") whose header row names the two editions and a relationship column,
 * possibly below a title block or a blank row.
 *
 * The layouts differ by vintage, and each is read as written:
 * - edition headers: "HS2022", " HS2017" (stray space), "HS 2012", "HS02", "HS96", "H2",
 *   "HS 2002 code", "From HS 2007", "Code HS1996"; either edition may come first;
 * - relationship headers: "Relationship", "Relation", "Relationship type", "Rel.";
 * - relationship cells: `1:1`, `1:n`, `n:1`, `n:n` in any case, with a leading apostrophe
 *   (`'n:n`, the mark that kept Excel from reading 1:1 as a time, left in the text), spaces,
 *   `m` for `n`, or `1:1` that Excel did make a time (1:01);
 * - codes: 6-digit text, numbers that lost their leading zero, or `0101.11`;
 * - title, note and blank rows inside or below the table, rows with one side blank (a code
 *   with no counterpart), and repeated links: passed over and counted, never linked.
 *
 * Relationships are stored newer:older, as the recent tables write them (`n:1`: several codes
 * of the newer edition from one older code). A table that writes them the other way round is
 * recognised by its links and turned around.
 *
 * SheetJS (@e965/xlsx, the Community Edition as published on npm) reads both formats; these
 * files are a few MB, so reading them whole is fine.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { SourceFormatError } from '../errors.ts';
import { readSheetjsWorkbook } from '../read/sheetjs-workbook.ts';
import { EDITION_YEARS } from './hs-model.ts';

export type Relationship = '1:1' | '1:n' | 'n:1' | 'n:n';

export interface CorrelationLink {
  readonly newerCode: string;
  readonly olderCode: string;
  /** Newer:older: `n:1` is several newer codes from one older code. */
  readonly relationship: Relationship;
}

export interface CorrelationTable {
  readonly sheet: string;
  readonly newerYear: number;
  readonly olderYear: number;
  readonly links: readonly CorrelationLink[];
  /** Rows passed over: one code without its counterpart, and links written twice. */
  readonly skipped: { readonly oneSided: number; readonly repeated: number };
  /** The table wrote its relationships older:newer; they were turned around. */
  readonly turned: boolean;
}

/** Rows searched for the header: the older tables open with a title block of a dozen lines. */
const HEADER_SEARCH_ROWS = 40;

/**
 * The year of the HS edition a header cell names, or null: "HS2022", "HS 2012", "HS02",
 * "H.S. 1996", "H2", "HS 2002 code", "From HS 2007", "Code HS1996", "HS 1992 (6-digit)".
 */
export function editionYearOfHeader(cell: string): number | null {
  const text = cell
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[_\s]+/g, ' ')
    .trim()
    .replace(/^(?:(?:from|to|code|codes)\s+)+/i, '')
    .replace(/(?:\s+(?:codes?|subheadings?|edition|nomenclature))+$/i, '')
    .trim();
  const hs = /^H\.?\s*S\.?\s*-?\s*(\d{4}|\d{2})$/i.exec(text);
  if (hs !== null) {
    const digits = hs[1]!;
    if (digits.length === 4) return Number(digits);
    const two = Number(digits);
    return two >= 88 ? 1900 + two : 2000 + two;
  }
  const code = /^H(\d)$/i.exec(text);
  if (code !== null) {
    const year = EDITION_YEARS[`H${code[1]}`];
    return year === undefined ? null : Number(year);
  }
  return null;
}

/** "Relationship", "Relation", "Rel.", "Relationship type", "Relationship (HS2002:HS1996)", "Type of relationship". */
const RELATIONSHIP_HEADER =
  /^(?:relationships?|relation|rel|type\s+of\s+relationship|correlation\s+type)(?![a-z])/i;

/** A relationship as written, or null: `'n:n`, `N:1`, `1 : n`, `m:n`, `1-n`, and Excel's time 1:01. */
export function readRelationship(cell: string): Relationship | null {
  const text = cell
    .trim()
    .replace(/^['‘’`"]+|['‘’`"]+$/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();
  // "1:1" typed into Excel without the apostrophe becomes one hour and one minute.
  if (
    /^0?1:01(?::00)?$/.test(text) ||
    (/^0\.04236\d*$/.test(text) && Math.abs(Number(text) - 61 / 1440) < 1e-6)
  )
    return '1:1';
  const m = /^([1nm])(?::|-|–|\/|to)([1nm])$/.exec(text);
  if (m === null) return null;
  const side = (s: string) => (s === '1' ? '1' : 'n');
  return `${side(m[1]!)}:${side(m[2]!)}` as Relationship;
}

/** A 6-digit subheading as text, or null: `010111`, `10111` (lost zero), `0101.11`, `10111.0`. */
function readCode(cell: string): string | null {
  const text = cell.trim().replace(/^'/, '');
  const digits = /^\d{4}\.\d{2}$/.test(text) ? text.replace('.', '') : text.replace(/\.0+$/, '');
  return /^\d{5,6}$/.test(digits) ? digits.padStart(6, '0') : null;
}

interface Header {
  readonly row: number;
  readonly newerAt: number;
  readonly olderAt: number;
  readonly relationAt: number;
  readonly newerYear: number;
  readonly olderYear: number;
}

/** The header row of a correlation: two HS edition columns and a relationship column. */
function findHeader(rows: readonly (readonly unknown[])[]): Header | null {
  for (let h = 0; h < Math.min(rows.length, HEADER_SEARCH_ROWS); h++) {
    const cells = (rows[h] ?? []).map((c) => String(c));
    const editions = cells.flatMap((c, i) => {
      const year = editionYearOfHeader(c);
      return year === null ? [] : [{ i, year }];
    });
    const relationAt = cells.findIndex((c) => RELATIONSHIP_HEADER.test(c.trim()));
    if (editions.length !== 2 || relationAt < 0 || editions[0]!.year === editions[1]!.year) continue;
    const [a, b] = editions as [{ i: number; year: number }, { i: number; year: number }];
    const [newer, older] = a.year > b.year ? [a, b] : [b, a];
    return {
      row: h,
      newerAt: newer.i,
      olderAt: older.i,
      relationAt,
      newerYear: newer.year,
      olderYear: older.year,
    };
  }
  return null;
}

/** A header with a relationship column but one HS edition: a table into SITC or BEC. */
function otherClassificationHeader(rows: readonly (readonly unknown[])[]): string | null {
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const cells = (row ?? []).map((c) => String(c).trim());
    if (!cells.some((c) => RELATIONSHIP_HEADER.test(c))) continue;
    if (cells.filter((c) => editionYearOfHeader(c) !== null).length === 1)
      return cells.filter(Boolean).join(' | ');
  }
  return null;
}

const turn = (r: Relationship): Relationship => (r === '1:n' ? 'n:1' : r === 'n:1' ? '1:n' : r);

/**
 * Whether the table writes relationships older:newer. Read per link, a code shared by several
 * codes of the other edition is an `n` on its own side; the UN's annotations follow that in
 * most rows (they mark some whole groups n:n). The reading that agrees with more 1:n and n:1
 * rows is the table's; a tie keeps newer:older.
 */
function writtenOlderFirst(links: readonly CorrelationLink[]): boolean {
  const newerLinks = new Map<string, number>();
  const olderLinks = new Map<string, number>();
  for (const l of links) {
    newerLinks.set(l.newerCode, (newerLinks.get(l.newerCode) ?? 0) + 1);
    olderLinks.set(l.olderCode, (olderLinks.get(l.olderCode) ?? 0) + 1);
  }
  let agrees = 0;
  let turned = 0;
  for (const l of links) {
    if (l.relationship !== '1:n' && l.relationship !== 'n:1') continue;
    const byLinks: Relationship =
      `${olderLinks.get(l.olderCode)! > 1 ? 'n' : '1'}:${newerLinks.get(l.newerCode)! > 1 ? 'n' : '1'}` as Relationship;
    if (byLinks === l.relationship) agrees++;
    else if (turn(byLinks) === l.relationship) turned++;
  }
  return turned > agrees;
}

export function readUnCorrelationTable(path: string): CorrelationTable {
  const name = basename(path);
  let workbook: XLSX.WorkBook;
  try {
    workbook = readSheetjsWorkbook(readFileSync(path), { dense: true });
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
  let otherClassification: string | null = null;
  for (const sheet of sheets) {
    const rows = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[sheet]!, {
      header: 1,
      raw: false,
      defval: '',
    });
    const header = findHeader(rows);
    if (header === null) {
      otherClassification ??= otherClassificationHeader(rows);
      continue;
    }
    const table = readLinks(name, sheet, rows, header);
    if (table.links.length > 0) return table;
  }
  if (otherClassification !== null)
    throw new SourceFormatError(
      name,
      'not_hs_editions',
      `${name} correlates one HS edition with another classification (header: ${otherClassification}). Corridor links HS editions to each other only: use the UN's table between two HS editions (HS 2002 to HS 1996, say).`,
    );
  throw new SourceFormatError(
    name,
    'no_correlation_sheet',
    `${name} has no sheet with a header of two HS editions (such as HS2002 and HS1996, or H2 and H1) and a Relationship column, in its first ${HEADER_SEARCH_ROWS} rows. Check it is a UN HS correlation table.`,
  );
}

function readLinks(
  name: string,
  sheet: string,
  rows: readonly (readonly unknown[])[],
  header: Header,
): CorrelationTable {
  const { newerAt, olderAt, relationAt, newerYear, olderYear } = header;
  const links: CorrelationLink[] = [];
  const seen = new Set<string>();
  let oneSided = 0;
  let repeated = 0;
  for (let r = header.row + 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const cell = (i: number) => String(row[i] ?? '').trim();
    const [newerText, olderText, relationText] = [cell(newerAt), cell(olderAt), cell(relationAt)];
    const newer = readCode(newerText);
    const older = readCode(olderText);
    const relationship = readRelationship(relationText);
    const place = `${name} › ${sheet} › row ${r + 1}`;
    if (newer === null && older === null) {
      // A title, a note, a section line or a blank row: no link, whatever else it holds.
      if (relationship === null) continue;
      throw new SourceFormatError(
        name,
        'bad_hs_code',
        `${place}: relationship ${relationText} without codes: HS ${newerYear} ${JSON.stringify(newerText)}, HS ${olderYear} ${JSON.stringify(olderText)} are not 6-digit HS codes.`,
      );
    }
    if (newer === null || older === null) {
      const [text, year] = newer === null ? [newerText, newerYear] : [olderText, olderYear];
      if (text === '' || /^[-–—.\s]*$/.test(text) || /^(?:n\/?a|none|deleted|-+)$/i.test(text)) {
        oneSided++;
        continue;
      }
      throw new SourceFormatError(
        name,
        'bad_hs_code',
        `${place}: HS ${year} code ${JSON.stringify(text)} is not a 6-digit HS code.`,
      );
    }
    if (relationship === null)
      throw new SourceFormatError(
        name,
        'bad_relationship',
        `${place}: relationship ${JSON.stringify(relationText)} is not 1:1, 1:n, n:1 or n:n (written with or without a leading apostrophe).`,
      );
    const key = `${newer}:${older}`;
    if (seen.has(key)) {
      repeated++;
      continue;
    }
    seen.add(key);
    links.push({ newerCode: newer, olderCode: older, relationship });
  }
  const turned = writtenOlderFirst(links);
  return {
    sheet,
    newerYear,
    olderYear,
    links: turned ? links.map((l) => ({ ...l, relationship: turn(l.relationship) })) : links,
    skipped: { oneSided, repeated },
    turned,
  };
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
