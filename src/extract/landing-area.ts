/**
 * The landing folder: where downloads are kept, each under the sha256 of its bytes
 * (`<landingDir>/<sha256><ext>`), so the same bytes fetched twice are one file, and a file name
 * says exactly what is inside.
 *
 * A download is written to a `.partial-<random>` file in the same folder and renamed once complete:
 * a rename within one file system is atomic, so a reader (or a crash) never sees a half-written
 * landing file under a real name. A partial file is deleted on any failure.
 */
import { createHash, type Hash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, ExitCode, FileAccessError } from '../errors.ts';

/** Extensions the readers know. Others (`.php`, `.aspx`, none) would only mislead. */
const KNOWN_EXTENSIONS = new Set(['.csv', '.xlsx', '.xls', '.json', '.zip', '.txt']);

/** The prefix of files still being written; anything with it is not a landed file. */
export const PARTIAL_PREFIX = '.partial-';

/** A download, complete and in place. */
export interface LandedFile {
  /** `<landingDir>/<sha256><ext>`. */
  readonly path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * The extension a landing file gets from its URL: the path's last extension, lowercased, when it
 * is one Corridor reads; otherwise none. Query and fragment do not count.
 *
 * @example
 * landingExtension('https://stat.gov.kz/files/Trade_2024.XLSX?v=3'); // '.xlsx'
 * landingExtension('https://api.example.org/download?id=7'); // ''
 */
export function landingExtension(url: string | URL): string {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return '';
  }
  const name = pathname.slice(pathname.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return '';
  const ext = name.slice(dot).toLowerCase();
  return KNOWN_EXTENSIONS.has(ext) ? ext : '';
}

/**
 * One landing folder.
 *
 * @example
 * const area = new LandingArea('landing/comtrade');
 * const incoming = await area.receive();
 * try {
 *   for await (const chunk of body) await incoming.write(chunk);
 *   const landed = await incoming.finish('.csv'); // landing/comtrade/<sha256>.csv
 * } finally {
 *   await incoming.discard(); // no-op once finished
 * }
 */
export class LandingArea {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Where bytes with this sha256 land. */
  pathOf(sha256: string, ext: string): string {
    return join(this.dir, `${sha256}${ext}`);
  }

  /**
   * Starts a download: creates the folder when missing and an empty partial file inside it.
   *
   * @throws FileAccessError `landing_not_writable` when the folder cannot be created or written
   */
  async receive(): Promise<IncomingFile> {
    const tempPath = join(this.dir, `${PARTIAL_PREFIX}${randomBytes(8).toString('hex')}`);
    let handle: FileHandle;
    try {
      await mkdir(this.dir, { recursive: true });
      // `wx`: never reuse a file that is already there, however unlikely the name clash.
      handle = await open(tempPath, 'wx');
    } catch (cause) {
      throw new FileAccessError(
        this.dir,
        `Cannot write downloads into the landing folder ${this.dir}: ${describeError(cause)}. Check that the path is a folder this user may write to, or point the pipeline's landing folder elsewhere.`,
        { code: 'landing_not_writable', cause },
      );
    }
    return new IncomingFile(this, tempPath, handle);
  }
}

/**
 * A download on its way into the landing folder: hashes and counts the bytes as they are
 * written, so the file is never read twice.
 */
export class IncomingFile {
  readonly tempPath: string;
  private readonly area: LandingArea;
  private readonly hash: Hash = createHash('sha256');
  private handle: FileHandle | null;
  private written = 0;
  private settled = false;

  constructor(area: LandingArea, tempPath: string, handle: FileHandle) {
    this.area = area;
    this.tempPath = tempPath;
    this.handle = handle;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.written;
  }

  /** @throws FileAccessError `landing_write_failed` (a full disk, say); the partial file stays until `discard`. */
  async write(chunk: Uint8Array): Promise<void> {
    const handle = this.openHandle();
    this.hash.update(chunk);
    this.written += chunk.byteLength;
    try {
      // FileHandle.write may write less than asked; loop until the chunk is all on disk.
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
    } catch (cause) {
      throw this.writeFailed(cause);
    }
  }

  /**
   * Completes the download: `<landingDir>/<sha256><ext>`. When that file is already there it
   * holds the same bytes (its name is their hash), so the partial file is simply deleted.
   */
  async finish(ext: string): Promise<LandedFile> {
    const handle = this.openHandle();
    const sha256 = this.hash.digest('hex');
    const path = this.area.pathOf(sha256, ext);
    try {
      // On disk before it gets its real name: after a power cut, a landing file named by its
      // hash must not turn out empty.
      await handle.datasync();
      await handle.close();
      this.handle = null;
      if (await exists(path)) {
        await unlink(this.tempPath);
      } else {
        // Two downloads of the same bytes racing here both rename; the second replaces the first
        // atomically with identical bytes, which no reader can tell apart.
        await rename(this.tempPath, path);
      }
    } catch (cause) {
      throw this.writeFailed(cause);
    }
    this.settled = true;
    return { path, sha256, sizeBytes: this.written };
  }

  /** Deletes the partial file. Safe to call more than once, and after `finish` (then it does nothing). */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
    // Already gone is fine: the point is that it is not there.
    await unlink(this.tempPath).catch((cause: unknown) => {
      if ((cause as { code?: string }).code !== 'ENOENT') throw this.writeFailed(cause);
    });
  }

  private openHandle(): FileHandle {
    if (this.handle === null || this.settled) {
      throw new Error(`IncomingFile ${this.tempPath} is already finished or discarded.`);
    }
    return this.handle;
  }

  private writeFailed(cause: unknown): FileAccessError {
    return new FileAccessError(
      this.tempPath,
      `Cannot write a download into the landing folder ${this.area.dir}: ${describeError(cause)}. Check the free disk space and the folder's permissions.`,
      { code: 'landing_write_failed', cause, exitCode: ExitCode.RunFailed },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') return false;
    throw cause;
  }
}
