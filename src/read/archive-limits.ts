/**
 * How much a workbook may make of itself when it is unpacked, and the errors for one that
 * tries more or is damaged. A ZIP archive can inflate a few megabytes into gigabytes (a "zip
 * bomb"); a legacy .xls is read whole into memory. The limits are generous enough for a real
 * 1 GB workbook and small enough to keep memory bounded; each can be raised through the
 * environment variable the error message names (docs/hostile-input.md).
 */
import { ConfigError, SourceFormatError } from '../errors.ts';

export interface ArchiveLimits {
  /** Most bytes one entry may inflate to. */
  readonly entryBytes: number;
  /** Most bytes all entries read from one archive may inflate to, together. */
  readonly archiveBytes: number;
  /** Most inflated bytes per compressed byte, checked while inflating (plus RATIO_SLACK_BYTES). */
  readonly ratio: number;
  /** Most entries an archive may list. */
  readonly entries: number;
  /** Most bytes the shared-string table may inflate to: it is held in memory whole. */
  readonly sharedStringsBytes: number;
  /** Most bytes of a legacy .xls file, read whole by SheetJS. */
  readonly xlsBytes: number;
  /** Most cells of a legacy .xls workbook, all sheets together. */
  readonly xlsCells: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/**
 * The ratio: deflate cannot pass about 1,032:1, and a bomb is built near that; a real sheet,
 * whose row and cell references change on every row, stays far under 100:1. The sizes: a 1 GB
 * workbook inflates to a few GiB. The shared strings are held whole (about 2 bytes of memory
 * per byte of XML), so their limit is what keeps a bomb under the ratio limit to bounded memory.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  entryBytes: 4 * GiB,
  archiveBytes: 8 * GiB,
  ratio: 500,
  entries: 10_000,
  sharedStringsBytes: 32 * MiB,
  xlsBytes: 256 * MiB,
  xlsCells: 30_000_000,
};

/** Inflated bytes allowed beyond `ratio` × compressed, so that small, very regular parts pass. */
export const RATIO_SLACK_BYTES = 4 * MiB;

/** Most bytes of a small part read whole (workbook.xml, relationships): they hold names, not rows. */
export const SMALL_PART_BYTES = 16 * MiB;

/** The environment variable that sets each limit. */
export const LIMIT_VARIABLES: Record<keyof ArchiveLimits, string> = {
  entryBytes: 'CORRIDOR_ZIP_MAX_ENTRY_BYTES',
  archiveBytes: 'CORRIDOR_ZIP_MAX_ARCHIVE_BYTES',
  ratio: 'CORRIDOR_ZIP_MAX_RATIO',
  entries: 'CORRIDOR_ZIP_MAX_ENTRIES',
  sharedStringsBytes: 'CORRIDOR_XLSX_MAX_SHARED_STRINGS_BYTES',
  xlsBytes: 'CORRIDOR_XLS_MAX_BYTES',
  xlsCells: 'CORRIDOR_XLS_MAX_CELLS',
};

/** The limits: the defaults, then the environment, then what the caller passes. */
export function archiveLimits(
  overrides: Partial<ArchiveLimits> = {},
  env: NodeJS.ProcessEnv = process.env,
): ArchiveLimits {
  const limits: Record<string, number> = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES)) {
    const text = env[variable];
    if (text === undefined || text.trim() === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new ConfigError(
        `${variable}=${text} is not a positive number. Set it to a number of ${key === 'ratio' ? 'inflated bytes per compressed byte' : key === 'entries' || key === 'xlsCells' ? 'items' : 'bytes'}, or unset it for the default (${DEFAULT_ARCHIVE_LIMITS[key as keyof ArchiveLimits]}).`,
        { code: 'bad_limit' },
      );
    }
    limits[key] = value;
  }
  return { ...(limits as unknown as ArchiveLimits), ...overrides };
}

/** Bytes as people read them: 2.0 GiB, 512 MiB, 300 bytes. */
export function sizeText(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(bytes >= 100 * MiB ? 0 : 1)} MiB`;
  return `${bytes} bytes`;
}

const RAISE = (limit: keyof ArchiveLimits) =>
  `If the file is genuine, raise the limit with ${LIMIT_VARIABLES[limit]}.`;

/** An entry (or the archive) that inflates past a size limit. */
export function tooLarge(
  file: string,
  what: string,
  figure: string,
  limit: keyof ArchiveLimits,
  limitText: string,
): SourceFormatError {
  return new SourceFormatError(
    file,
    'archive_too_large',
    `${file}: ${what} ${figure}, over the limit of ${limitText}: it was not read further, to keep memory bounded (a small file that unpacks this far is likely a decompression bomb). ${RAISE(limit)}`,
  );
}

/** An entry that inflates (or `declares` it inflates) too much from too little. */
export function ratioExceeded(
  file: string,
  entry: string,
  inflated: number,
  compressed: number,
  ratio: number,
  verb: 'inflates' | 'declares' = 'inflates',
): SourceFormatError {
  return new SourceFormatError(
    file,
    'archive_ratio_exceeded',
    `${file}: the part ${entry} ${verb} ${sizeText(inflated)} from ${sizeText(compressed)} (more than ${ratio}:1): the file may be a decompression bomb, and was not read further. ${RAISE('ratio')}`,
  );
}

export function tooManyEntries(file: string, count: number, limit: number): SourceFormatError {
  return new SourceFormatError(
    file,
    'archive_too_many_entries',
    `${file}: the archive lists ${count} entries, over the limit of ${limit}: a workbook has a few dozen. ${RAISE('entries')}`,
  );
}

/** A workbook whose bytes are not what they should be: cut short, altered, or not a workbook's archive. */
export function damagedFile(file: string, where: string, detail: string, cause?: unknown): SourceFormatError {
  return new SourceFormatError(
    file,
    'damaged_file',
    `${file} looks damaged: ${where}: ${detail}. Download it again; if it opens in Excel, save it again there (as .xlsx) and load that copy.`,
    cause === undefined ? {} : { cause },
  );
}
