/**
 * All printing goes through here: results to stdout, progress and messages to stderr, so that
 * `corridor sql ... --format csv > out.csv` gets only data. `--json` makes every command print
 * one JSON document; `--quiet` drops progress lines. On a terminal, live progress lines
 * (progress-display.ts) stay at the foot of stderr: anything else is written above them.
 */
import Papa from 'papaparse';
import { cellText, formatCount, formatDuration } from '../human-format.ts';

export { cellText, formatCount, formatDuration };

export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** ESC[2K: erase the whole line the cursor is on. */
const CLEAR_LINE = '\x1b[2K';
/** ESC[1A: cursor up one line. */
const CURSOR_UP = '\x1b[1A';

/** Erases `count` lines drawn without a final newline, leaving the cursor at the start of the first. */
const eraseLines = (count: number): string =>
  count === 0 ? '' : `\r${CLEAR_LINE}${`${CURSOR_UP}${CLEAR_LINE}`.repeat(count - 1)}`;

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;
  /** The live lines now on the terminal, the cursor at the end of the last (see `live`). */
  #liveLines: readonly string[] = [];

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.#out = options.stdout ?? process.stdout;
    this.#err = options.stderr ?? process.stderr;
  }

  /** stderr's width when it is a terminal, where progress can be redrawn in place; null otherwise. */
  get terminal(): { readonly columns: number } | null {
    const err = this.#err as Partial<NodeJS.WriteStream>;
    // A terminal that does not say its width (0 under some emulators) is taken as 80 wide.
    return err.isTTY === true ? { columns: err.columns || 80 } : null;
  }

  /**
   * Replaces the live lines at the foot of the terminal (progress-display.ts) with `lines`;
   * none clears them. Each must fit the terminal's width, or the next redraw misses a row.
   * Dropped with --quiet or --json.
   */
  live(lines: readonly string[]): void {
    if (this.quiet || this.json) return;
    if (this.#liveLines.length === 0 && lines.length === 0) return;
    this.#err.write(eraseLines(this.#liveLines.length) + lines.join('\n'));
    this.#liveLines = lines;
  }

  /**
   * Writes `text` above the live lines: they are erased first and drawn again after, so a
   * warning in mid-run is never glued to half a progress line. One write when both go to
   * stderr; stdout may be the same terminal, so it gets the same care.
   */
  #write(stream: NodeJS.WritableStream, text: string): void {
    if (this.#liveLines.length === 0) {
      stream.write(text);
      return;
    }
    const erase = eraseLines(this.#liveLines.length);
    const redraw = this.#liveLines.join('\n');
    if (stream === this.#err) {
      stream.write(erase + text + redraw);
      return;
    }
    this.#err.write(erase);
    stream.write(text);
    this.#err.write(redraw);
  }

  /** A result line (stdout). */
  line(text = ''): void {
    this.#write(this.#out, `${text}\n`);
  }

  /** A progress line (stderr), dropped with --quiet or --json. */
  progress(text: string): void {
    if (!this.quiet && !this.json) this.#write(this.#err, `${text}\n`);
  }

  /** A warning or error message (stderr), always shown. */
  message(text: string): void {
    this.#write(this.#err, `${text}\n`);
  }

  /** One JSON document (stdout). */
  document(value: unknown): void {
    this.#write(this.#out, `${JSON.stringify(value, null, 2)}\n`);
  }

  write(text: string): void {
    this.#write(this.#out, text);
  }

  /** An aligned text table; long cells are cut so one row stays one line. */
  table(columns: readonly string[], rows: readonly (readonly unknown[])[], maxCell = 60): void {
    const text = rows.map((r) =>
      columns.map((_, i) => {
        const t = cellText(r[i]).replace(/\s+/g, ' ');
        return t.length > maxCell ? `${t.slice(0, maxCell - 1)}…` : t;
      }),
    );
    const numeric = columns.map(
      (_, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number'),
    );
    const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => r[i]!.length)));
    const pad = (t: string, i: number) => (numeric[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!));
    this.line(
      columns
        .map((c, i) => pad(c, i))
        .join('  ')
        .trimEnd(),
    );
    this.line(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of text)
      this.line(
        r
          .map((t, i) => pad(t, i))
          .join('  ')
          .trimEnd(),
      );
  }

  /** CSV (RFC 4180) with a header row. */
  csv(columns: readonly string[], rows: Iterable<readonly unknown[]>): void {
    // The first row is fetched before the header is written, so a query that fails at once
    // leaves stdout empty rather than holding a header without rows.
    const iterator = rows[Symbol.iterator]();
    const first = iterator.next();
    this.write(`${Papa.unparse([columns as string[]], { newline: '\n' })}\n`);
    const rest: Iterable<readonly unknown[]> = { [Symbol.iterator]: () => iterator };
    let batch: string[][] = first.done ? [] : [first.value.map(cellText)];
    const flush = () => {
      if (batch.length > 0) this.write(`${Papa.unparse(batch, { newline: '\n' })}\n`);
      batch = [];
    };
    for (const row of rest) {
      batch.push(row.map(cellText));
      if (batch.length >= 1000) flush();
    }
    flush();
  }
}
