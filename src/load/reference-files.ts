/**
 * The reference files shipped in warehouse/reference/: read as text-only CSV (codes such as
 * "004" and Namibia's "NA" must survive), with the sha256 that tells whether the warehouse holds
 * the current version.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import type { DB } from '../../warehouse/schema.ts';
import { WarehouseError } from '../errors.ts';
import { PROJECT_ROOT } from '../runtime.ts';

/** warehouse/reference/ of the project, or CORRIDOR_REFERENCE_DIR (a copy with your own additions). Read at each use. */
export const referenceDir = (): string =>
  process.env.CORRIDOR_REFERENCE_DIR ?? join(PROJECT_ROOT, 'warehouse', 'reference');

export interface ReferenceSummary {
  /** Files (re)loaded by this call; empty when everything was current. */
  readonly loaded: readonly { file: string; rows: number }[];
}

export type CsvRow = Record<string, string>;

/** A reference file's text and sha256, without parsing it. */
export function readReferenceText(file: string): { text: string; sha256: string; path: string } {
  const path = join(referenceDir(), file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new WarehouseError(`Reference file ${path} is missing; reinstall Corridor.`, {
      code: 'reference_missing',
      cause,
    });
  }
  return { text, sha256: createHash('sha256').update(text).digest('hex'), path };
}

export function parseReferenceCsv(path: string, text: string): CsvRow[] {
  // Every cell stays text: Namibia's alpha-2 "NA" and codes such as "004" must survive.
  const parsed = Papa.parse<CsvRow>(text, { header: true, skipEmptyLines: true, dynamicTyping: false });
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    throw new WarehouseError(
      `Reference file ${path} is malformed at row ${(first.row ?? 0) + 2}: ${first.message}.`,
      {
        code: 'reference_malformed',
      },
    );
  }
  return parsed.data;
}

export function readReferenceCsv(file: string): { rows: CsvRow[]; sha256: string } {
  const { text, sha256, path } = readReferenceText(file);
  return { rows: parseReferenceCsv(path, text), sha256 };
}

/** Records loaded reference files with their sha256 (inside the loader's transaction). */
export async function recordReferenceFiles(
  trx: Kysely<DB>,
  files: readonly { readonly file: string; readonly sha256: string; readonly rows: readonly unknown[] }[],
): Promise<void> {
  const now = new Date().toISOString();
  for (const f of files) {
    await trx
      .insertInto('reference_files')
      .values({ file: f.file, sha256: f.sha256, rows: f.rows.length, loaded_at: now })
      .onConflict((oc) =>
        oc.column('file').doUpdateSet({ sha256: f.sha256, rows: f.rows.length, loaded_at: now }),
      )
      .execute();
  }
}

/** A reference cell as a value: trimmed, or null when empty ("every cell is text; empty means no value"). */
export const cellOrNull = (text: string | undefined): string | null =>
  text === undefined || text.trim() === '' ? null : text.trim();
