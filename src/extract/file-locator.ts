/**
 * Turns what a user or pipeline names (paths and globs) into the files to load, and checks each
 * can be read before anything is loaded, so a typo fails the run at once with the path named
 * rather than halfway through.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { FileAccessError } from '../errors.ts';

export interface LocatedFile {
  /** Absolute path. */
  readonly path: string;
  /** As the user wrote it (or as the glob matched it, relative to `base`). */
  readonly shown: string;
  readonly sizeBytes: number;
  /** The URL a downloaded file came from (its path is then the landing copy). */
  readonly origin?: string;
}

function checkReadable(path: string, shown: string): LocatedFile {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      throw new FileAccessError(
        path,
        `${shown} is a folder, not a file. Name the files inside it, or a glob such as "${shown}/*.csv".`,
        { code: 'is_directory' },
      );
    }
    size = stat.size;
    accessSync(path, constants.R_OK);
  } catch (cause) {
    if (cause instanceof FileAccessError) throw cause;
    const code = (cause as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new FileAccessError(
        path,
        `${shown} does not exist (looked for ${path}). Check the path and the working folder.`,
        { code: 'file_not_found', cause },
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new FileAccessError(
        path,
        `${shown} cannot be read: permission denied. Give this user read access (chmod +r).`,
        { code: 'file_not_readable', cause },
      );
    }
    throw new FileAccessError(path, `${shown} cannot be read: ${(cause as Error).message}.`, {
      code: 'file_not_readable',
      cause,
    });
  }
  return { path, shown, sizeBytes: size };
}

/**
 * @param patterns file paths or globs (`downloads/*.csv`), relative to `base`
 * @returns the files in the order named, each glob's matches sorted, without repeats
 */
export function locateFiles(patterns: readonly string[], base: string = process.cwd()): LocatedFile[] {
  const seen = new Set<string>();
  const files: LocatedFile[] = [];
  for (const pattern of patterns) {
    const matches = isDynamicPattern(pattern)
      ? globSync(pattern, { cwd: base, absolute: false, onlyFiles: true, expandDirectories: false }).sort()
      : [pattern];
    if (matches.length === 0) {
      throw new FileAccessError(
        resolve(base, pattern),
        `No file matches "${pattern}" (in ${base}). Check the pattern, or that the files have been downloaded.`,
        { code: 'no_match' },
      );
    }
    for (const m of matches) {
      const path = resolve(base, m);
      if (seen.has(path)) continue;
      seen.add(path);
      files.push(checkReadable(path, m));
    }
  }
  return files;
}
