/**
 * The first visible worksheet of an XLSX workbook, read without exceljs: the ZIP directory
 * (zip-archive.ts), the workbook's relationships to find the sheet and the shared strings, and
 * the sheet's XML scanned as it inflates (sheet-xml-rows.ts). It reads a 1,000,000-row
 * Comtrade workbook several times faster than exceljs's streaming reader, which issue 3 set as
 * the floor to beat.
 *
 * Used for plain tables only (one header, rows below), where cell styles do not matter. Tables
 * laid out for people are read by exceljs with their styles, so dates typed as dates arrive as
 * dates. Whatever this reader does not understand in a workbook's structure, it declines by
 * returning null before any row is read, and exceljs reads the file instead.
 */
import { basename, posix } from 'node:path';
import { SourceFormatError } from '../errors.ts';
import { type ArchiveLimits, archiveLimits } from './archive-limits.ts';
import { sharedStringItems, sheetXmlRows } from './sheet-xml-rows.ts';
import type { SheetRow } from './xlsx-reader.ts';
import { rootPrefix, tagsNamed } from './xml-text.ts';
import { openZipArchive, type ZipArchive } from './zip-archive.ts';

export interface FastSheet {
  readonly name: string;
  readonly rows: AsyncIterable<SheetRow[]>;
  /**
   * How far the read has got, in bytes comparable with the workbook's size: the parts read
   * before the rows (shared strings, workbook) and the parts not read at all count as behind
   * it, plus the sheet's compressed bytes consumed. The sheet is nearly all of a large
   * workbook, so this is a fair proxy for progress; 0 until the rows are asked for.
   */
  readonly bytesRead: () => number;
}

interface Relationship {
  readonly type: string;
  readonly target: string;
}

/** The relationships part of `partName` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), by id. */
async function relationshipsOf(zip: ZipArchive, partName: string): Promise<Map<string, Relationship>> {
  const directory = posix.dirname(partName);
  const relsName = posix.join(directory, '_rels', `${posix.basename(partName)}.rels`);
  const entry = zip.entry(relsName);
  const relationships = new Map<string, Relationship>();
  if (entry === undefined) return relationships;
  for (const attributes of tagsNamed(await zip.readText(entry), 'Relationship')) {
    const id = attributes.get('Id');
    const target = attributes.get('Target');
    if (id === undefined || target === undefined || attributes.get('TargetMode') === 'External') continue;
    // Targets are relative to the part's folder, or absolute from the package root.
    const resolved = target.startsWith('/')
      ? target.slice(1)
      : posix.normalize(posix.join(directory, target));
    relationships.set(id, { type: attributes.get('Type') ?? '', target: resolved });
  }
  return relationships;
}

/** The workbook part's name, from the package's relationships (Transitional or Strict). */
async function workbookPart(zip: ZipArchive): Promise<string | null> {
  for (const relationship of (await relationshipsOf(zip, '')).values()) {
    if (relationship.type.endsWith('/officeDocument')) return relationship.target;
  }
  return zip.entry('xl/workbook.xml') === undefined ? null : 'xl/workbook.xml';
}

/** The start of a part, enough to see the namespace prefix its root element is written with. */
async function headOf(zip: ZipArchive, partName: string): Promise<string> {
  const entry = zip.entry(partName);
  if (entry === undefined) return '';
  const stream = await zip.openEntry(entry);
  let head = '';
  for await (const chunk of stream) {
    head += (chunk as Buffer).toString('utf8');
    if (head.length >= 4096) break;
  }
  stream.destroy();
  return head;
}

/**
 * The workbook's first visible worksheet, ready to read; null when the workbook is one this
 * reader leaves to exceljs (no workbook part, no worksheet, a root element it does not know).
 * Every part is inflated under `limits` (zip-archive.ts); a damaged archive or one that
 * inflates past them is refused with a file error, not left to exceljs.
 */
export async function openFirstVisibleSheet(
  path: string,
  limits: ArchiveLimits = archiveLimits(),
): Promise<FastSheet | null> {
  const zip = await openZipArchive(path, limits);
  const workbookName = await workbookPart(zip);
  const workbookEntry = workbookName === null ? undefined : zip.entry(workbookName);
  if (workbookName === null || workbookEntry === undefined) {
    // exceljs finds no workbook either: say what the archive holds instead.
    const file = basename(path);
    const shown = zip.names.slice(0, 5).join(', ') + (zip.names.length > 5 ? ', …' : '');
    throw new SourceFormatError(
      file,
      'bad_xlsx',
      `${file} is a ZIP archive but holds no Excel workbook (its entries: ${shown || 'none'}). Unzip it and load the data file inside, or download the workbook again.`,
    );
  }
  const relationships = await relationshipsOf(zip, workbookName);
  const workbookXml = await zip.readText(workbookEntry);

  let chosen: { name: string; part: string } | null = null;
  for (const sheet of tagsNamed(workbookXml, 'sheet')) {
    const state = sheet.get('state');
    if (state === 'hidden' || state === 'veryHidden') continue;
    // The relationship id attribute is `r:id`, whatever prefix the file gives the namespace.
    const id = [...sheet.entries()].find(([key]) => key.endsWith(':id'))?.[1];
    const relationship = id === undefined ? undefined : relationships.get(id);
    // A chart sheet has no cells; exceljs passes over it too.
    if (relationship === undefined || !relationship.type.endsWith('/worksheet')) continue;
    chosen = { name: sheet.get('name') ?? '', part: relationship.target };
    break;
  }
  if (chosen === null) return null;
  const sheetEntry = zip.entry(chosen.part);
  if (sheetEntry === undefined) return null;
  const sheetPrefix = rootPrefix(await headOf(zip, chosen.part), 'worksheet');
  if (sheetPrefix === null) return null;

  let shared: string[] = [];
  const sharedPart = [...relationships.values()].find((r) => r.type.endsWith('/sharedStrings'));
  const sharedEntry = sharedPart === undefined ? undefined : zip.entry(sharedPart.target);
  if (sharedPart !== undefined && sharedEntry !== undefined) {
    const sharedPrefix = rootPrefix(await headOf(zip, sharedPart.target), 'sst');
    if (sharedPrefix === null) return null;
    // The table is held whole: its own, tighter limit keeps that memory bounded.
    const part = { bytes: limits.sharedStringsBytes, limit: 'sharedStringsBytes' } as const;
    shared = await sharedStringItems(await zip.openEntry(sharedEntry, part), sharedPrefix);
  }

  const elsewhere = zip.size - sheetEntry.compressedSize;
  let sheetRead: () => number = () => -elsewhere;
  async function* rows(): AsyncGenerator<SheetRow[]> {
    const reader = await zip.readEntry(sheetEntry!);
    sheetRead = reader.compressedRead;
    yield* sheetXmlRows(reader.bytes, sheetPrefix!, shared);
  }
  return { name: chosen.name, rows: rows(), bytesRead: () => elsewhere + sheetRead() };
}
