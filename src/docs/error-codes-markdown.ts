/**
 * The codes Corridor gives machines, as a page people read: one Markdown table from the registry
 * (src/error-codes.ts), so the page can never list a code the program does not know, or miss one.
 * `corridor docs --codes` prints it; docs/error-codes.md is this text (`npm run docs:error-codes`).
 */
import type { ErrorCodeEntry, ErrorKind } from '../error-codes.ts';

/** The order the table lists codes in: what is stopped, from the least to the most. */
const KIND_ORDER: readonly ErrorKind[] = ['row', 'warning', 'file', 'run', 'usage'];

const KIND_WORDS: Record<ErrorKind, string> = {
  row: 'the row is rejected (stored in `rejects`); the rest of the file loads',
  warning: 'the file loads, with a warning in `load_files`',
  file: 'the file loads nothing (its `load_files.error_code`); the run goes on to the next file',
  run: 'the run or command fails',
  usage: 'an argument, option or settings file is wrong; nothing was done',
};

/** A table cell: one line, with the characters that would end the cell escaped. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

const exitText = (entry: ErrorCodeEntry): string => (entry.exit === null ? '—' : String(entry.exit));

const kindText = (entry: ErrorCodeEntry): string =>
  entry.alsoAs === undefined ? entry.kind : `${entry.kind} (also ${entry.alsoAs})`;

/** A table with its columns padded to one width, as the formatter (biome) leaves Markdown tables. */
function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/**
 * @example
 * errorCodesMarkdown(ERROR_CODES).split('\n')[0]; // '# Error and reject codes'
 */
export function errorCodesMarkdown(codes: Readonly<Record<string, ErrorCodeEntry>>): string {
  const entries = Object.entries(codes).sort(
    ([a, x], [b, y]) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || a.localeCompare(b),
  );
  const rows = entries.map(([code, entry]) => [
    `\`${code}\``,
    kindText(entry),
    exitText(entry),
    cell(entry.meaning),
    cell(entry.fix),
  ]);
  return [
    '# Error and reject codes',
    '',
    '<!-- Generated from src/error-codes.ts by `npm run docs:error-codes`; do not edit by hand. -->',
    '',
    'Every code Corridor stores or prints for machines: in `rejects.code`, `load_files.error_code`,',
    '`--json` output and alerts. A code never changes meaning once released. `corridor docs --codes`',
    'prints this table.',
    '',
    'What each kind stops:',
    '',
    ...KIND_ORDER.map((kind) => `- **${kind}**: ${KIND_WORDS[kind]}.`),
    '',
    'The exit column is the exit code of the command when the code is its outcome (see the',
    'docs/statistician.md for all exit codes); rejects alone end a run with 0, or 3 past the pipeline’s threshold.',
    '',
    ...alignedTable(['Code', 'Kind', 'Exit', 'Meaning', 'Fix'], rows),
    '',
  ].join('\n');
}
