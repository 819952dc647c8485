/**
 * What a run shows while its files download and load. On a terminal: one live line per file
 * in flight, rewritten in place (rows or bytes, rate, percent and time left when the size is
 * known), which gives way to the file's permanent OK/WARN/FAIL line when it ends. Elsewhere
 * (cron, CI, a pipe): a plain line per file at most every 10 s, without control characters,
 * so a log reads line by line. Nothing with --quiet or --json.
 */
import type { TransferProgress } from '../extract/transfer-progress.ts';
import type { FileProgress } from '../load/file-result.ts';
import { formatCount, type Output } from './output.ts';

export interface ProgressDisplayOptions {
  /**
   * Redraw one line per file in place, as on a terminal; false prints plain periodic lines.
   * @default whether stderr is a terminal
   */
  readonly live?: boolean;
  /** Width the live lines must fit, in characters. @default the terminal's width, else 80 */
  readonly columns?: number;
  /**
   * Least time between two plain lines about the same file, in milliseconds.
   * @default 10000, or CORRIDOR_PROGRESS_SECONDS × 1000 when that is set
   */
  readonly intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 10_000;
/** Least time between two redraws of a live line: a download may report every chunk it gets. */
const REDRAW_MS = 100;
/**
 * Rates are measured from a file's first report once this long has passed since it, so that
 * what came before the first row (hashing the file, starting the reader thread, connecting)
 * does not drag the rate down and the time left up.
 */
const RATE_WINDOW_MS = 1000;
/** A name is never cut shorter than this to make room for the figures. */
const MIN_NAME = 12;

/** The interval of plain lines: CORRIDOR_PROGRESS_SECONDS when it is a number ≥ 0, else 10 s. */
function intervalFromEnvironment(): number {
  const seconds = Number(process.env.CORRIDOR_PROGRESS_SECONDS ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_INTERVAL_MS;
}

/** One report: rows (a load) or bytes (a download) so far, and where the reader is in the file. */
interface Sample {
  readonly elapsedMs: number;
  readonly count: number;
  readonly bytes: number | null;
}

interface Entry {
  readonly kind: 'file' | 'fetch';
  /** `[2/5]` for a file's load, `↓` for a download. */
  readonly label: string;
  readonly name: string;
  /** The first report: rates are measured from it (RATE_WINDOW_MS). */
  first: Sample | null;
  /** What the live line shows after the name. */
  figures: string;
  printedAt: number;
  drawnAt: number;
}

interface Figures {
  /** Rows or bytes per second. */
  readonly rate: number | null;
  readonly percent: number | null;
  readonly secondsLeft: number | null;
}

/** Per second, from the first report when it is far enough back, else from the start. */
function rateOf(first: number | null, firstMs: number, now: number, nowMs: number): number | null {
  if (first !== null && nowMs - firstMs >= RATE_WINDOW_MS) return ((now - first) * 1000) / (nowMs - firstMs);
  return nowMs > 0 ? (now * 1000) / nowMs : null;
}

function figuresOf(first: Sample | null, now: Sample, totalBytes: number | null): Figures {
  const base = first ?? now;
  const rate = rateOf(first?.count ?? null, base.elapsedMs, now.count, now.elapsedMs);
  if (now.bytes === null || totalBytes === null || totalBytes <= 0)
    return { rate, percent: null, secondsLeft: null };
  const byteRate = rateOf(first?.bytes ?? null, base.elapsedMs, now.bytes, now.elapsedMs);
  // Readers run a chunk ahead of the rows: 100 % waits for the file's own done line.
  const percent = Math.min(99, Math.floor((100 * now.bytes) / totalBytes));
  const secondsLeft =
    byteRate === null || byteRate <= 0 ? null : Math.max(0, totalBytes - now.bytes) / byteRate;
  return { rate, percent, secondsLeft };
}

/** `12.4 MB`: decimal units, as download sizes and rates are usually given. */
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `0:14`, `12:05`, `1:02:09`: for a live line, whose width should not jump. */
function clockOf(seconds: number): string {
  const s = Math.ceil(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}

/** `about 14 s left`, `about 3 min left`, `about 1 h 05 min left`: for a log line. */
function wordsOf(seconds: number): string {
  const s = Math.ceil(seconds);
  // All bytes read, the last rows still on their way: "about 0 s left" would read as a stall.
  if (s === 0) return 'finishing';
  if (s < 90) return `about ${s} s left`;
  if (s < 3600) return `about ${Math.round(s / 60)} min left`;
  const minutes = Math.round((s % 3600) / 60);
  return `about ${Math.floor(s / 3600)} h ${String(minutes).padStart(2, '0')} min left`;
}

/** Width in characters, counting a character outside the BMP once. */
const widthOf = (text: string): number => [...text].length;

/** `comtr…2023.csv`: cut in the middle, where a file name or URL says least. */
function cutMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const tail = Math.ceil((width - 1) / 2);
  return `${chars.slice(0, width - 1 - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/**
 * Sends a run's download and load progress to stderr: live lines on a terminal, plain periodic
 * lines elsewhere (see the file's comment). The permanent line of a finished file is the
 * caller's to print (run-report.ts); Output writes it above whatever live lines remain.
 *
 * @example
 * const display = new ProgressDisplay(out);
 * display.fileStarted('comtrade_2023.csv', 1, 5);
 * display.fileProgress({ shown: 'comtrade_2023.csv', rowsRead: 412_000, rowsRejected: 0,
 *   elapsedMs: 10_600, bytesRead: 41_200_000, totalBytes: 67_500_000 });
 * // terminal:  "  [2/5] comtrade_2023.csv  412,000 rows  38,868 rows/s  61%  ETA 0:07"
 * // elsewhere: "[2/5] comtrade_2023.csv: 412,000 rows read (61%, 38,868 rows/s, about 7 s left)"
 * display.fileDone('comtrade_2023.csv');
 * out.progress('[2/5] OK    comtrade_2023.csv: 412,000 rows loaded in 11.2s');
 */
export class ProgressDisplay {
  readonly #out: Output;
  readonly #live: boolean;
  readonly #columns: number | undefined;
  readonly #intervalMs: number;
  readonly #silent: boolean;
  /** Files in flight, in the order they started: one live line each. */
  readonly #entries = new Map<string, Entry>();

  constructor(out: Output, options: ProgressDisplayOptions = {}) {
    this.#out = out;
    this.#live = options.live ?? out.terminal !== null;
    this.#columns = options.columns;
    this.#intervalMs = options.intervalMs ?? intervalFromEnvironment();
    this.#silent = out.quiet || out.json;
  }

  /** A file's load starts (`index` from 0, of `total` files in the run). */
  fileStarted(shown: string, index: number, total: number): void {
    if (this.#silent) return;
    const label = `[${index + 1}/${total}]`;
    this.#entries.set(`file:${shown}`, this.#entry('file', label, shown, 'starting'));
    if (this.#live) this.#draw();
    else this.#out.progress(`${label} reading ${shown}`);
  }

  fileProgress(progress: FileProgress): void {
    if (this.#silent) return;
    const entry = this.#find(`file:${progress.shown}`, 'file', progress.shown);
    const now: Sample = {
      elapsedMs: progress.elapsedMs,
      count: progress.rowsRead,
      bytes: progress.bytesRead,
    };
    entry.first ??= now;
    if (!this.#due(entry, progress.elapsedMs)) return;
    const { rate, percent, secondsLeft } = figuresOf(entry.first, now, progress.totalBytes);
    const rows = formatCount(progress.rowsRead);
    const rejected = progress.rowsRejected === 0 ? '' : `${formatCount(progress.rowsRejected)} rejected`;
    const perSecond = rate === null ? null : `${formatCount(Math.round(rate))} rows/s`;
    if (this.#live) {
      entry.figures = [
        `${rows} rows`,
        rejected,
        perSecond,
        percent === null ? null : `${percent}%`,
        secondsLeft === null ? null : `ETA ${clockOf(secondsLeft)}`,
      ]
        .filter((part) => part !== null && part !== '')
        .join('  ');
      this.#draw();
      return;
    }
    const details = [
      percent === null ? null : `${percent}%`,
      perSecond,
      secondsLeft === null ? null : wordsOf(secondsLeft),
    ].filter((part) => part !== null);
    this.#print(
      entry,
      `${rows} rows read${rejected === '' ? '' : `, ${rejected}`}${details.length === 0 ? '' : ` (${details.join(', ')})`}`,
    );
  }

  /** A file's load ended: its live line goes; the caller prints the permanent one. */
  fileDone(shown: string): void {
    this.#remove(`file:${shown}`);
  }

  /** A download starts. */
  fetchStarted(url: string): void {
    if (this.#silent) return;
    this.#entries.set(`fetch:${url}`, this.#entry('fetch', '↓', url, 'connecting'));
    if (this.#live) this.#draw();
    else this.#out.progress(`downloading ${url}`);
  }

  fetchProgress(progress: TransferProgress): void {
    if (this.#silent) return;
    const entry = this.#find(`fetch:${progress.shown}`, 'fetch', progress.shown);
    const now: Sample = { elapsedMs: progress.elapsedMs, count: progress.bytes, bytes: progress.bytes };
    entry.first ??= now;
    if (!this.#due(entry, progress.elapsedMs)) return;
    const { rate, percent, secondsLeft } = figuresOf(entry.first, now, progress.totalBytes);
    const size =
      progress.totalBytes === null
        ? formatBytes(progress.bytes)
        : `${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}`;
    const perSecond = rate === null ? null : `${formatBytes(rate)}/s`;
    if (this.#live) {
      entry.figures = [size, perSecond, secondsLeft === null ? null : `ETA ${clockOf(secondsLeft)}`]
        .filter((part) => part !== null)
        .join('  ');
      this.#draw();
      return;
    }
    const details = [
      percent === null ? null : `${percent}%`,
      perSecond,
      secondsLeft === null ? null : wordsOf(secondsLeft),
    ].filter((part) => part !== null);
    this.#print(entry, `${size}${details.length === 0 ? '' : ` (${details.join(', ')})`}`);
  }

  /** A download ended: its live line goes; the caller prints the permanent one. */
  fetchDone(url: string): void {
    this.#remove(`fetch:${url}`);
  }

  #entry(kind: Entry['kind'], label: string, name: string, figures: string): Entry {
    return { kind, label, name, first: null, figures, printedAt: 0, drawnAt: Number.NEGATIVE_INFINITY };
  }

  /** The entry of a file in flight; one is made for a report that came without a start. */
  #find(key: string, kind: Entry['kind'], name: string): Entry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = this.#entry(kind, kind === 'fetch' ? '↓' : '', name, '');
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** Whether a report is worth showing: a redraw at most every REDRAW_MS, a plain line every interval. */
  #due(entry: Entry, elapsedMs: number): boolean {
    if (this.#live) {
      if (elapsedMs - entry.drawnAt < REDRAW_MS) return false;
      entry.drawnAt = elapsedMs;
      return true;
    }
    if (elapsedMs - entry.printedAt < this.#intervalMs) return false;
    entry.printedAt = elapsedMs;
    return true;
  }

  #print(entry: Entry, figures: string): void {
    const who = entry.kind === 'fetch' ? `downloading ${entry.name}` : `${entry.label} ${entry.name}`.trim();
    this.#out.progress(`${who}: ${figures}`);
  }

  #remove(key: string): void {
    if (!this.#entries.delete(key) || this.#silent || !this.#live) return;
    this.#draw();
  }

  #draw(): void {
    // Read at each draw: the terminal may have been resized.
    const columns = Math.max(20, this.#columns ?? this.#out.terminal?.columns ?? 80);
    this.#out.live([...this.#entries.values()].map((entry) => this.#lineOf(entry, columns)));
  }

  /**
   * `  [2/5] comtrade_2023.csv  412,000 rows  38,950 rows/s  61%  ETA 0:14`, made to fit: the
   * name is cut in the middle first, then the line's end. The last column stays free, since a
   * line that fills it wraps on some terminals and the next redraw would miss a row.
   */
  #lineOf(entry: Entry, columns: number): string {
    const width = columns - 1;
    const prefix = `  ${entry.label === '' ? '' : `${entry.label} `}`;
    const figures = entry.figures === '' ? '' : `  ${entry.figures}`;
    const room = width - widthOf(prefix) - widthOf(figures);
    const line = prefix + cutMiddle(entry.name, Math.max(room, MIN_NAME)) + figures;
    return widthOf(line) <= width ? line : `${[...line].slice(0, width - 1).join('')}…`;
  }
}
