/**
 * `corridor docs`: the data dictionary, every table and view with its columns, types, units and
 * meaning and each indicator's formula, as Markdown or one HTML page. It reads the dictionary's
 * definitions, not a warehouse, so it works before `corridor init` and says the same for every
 * warehouse of this version.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { DICTIONARY, DICTIONARY_AREAS, dictionaryCounts } from '../../../warehouse/dictionary/index.ts';
import { dictionaryHtml } from '../../docs/dictionary-html.ts';
import { dictionaryMarkdown } from '../../docs/dictionary-markdown.ts';
import { errorCodesMarkdown } from '../../docs/error-codes-markdown.ts';
import { ERROR_CODES } from '../../error-codes.ts';
import { ConfigError, ExitCode, FileAccessError } from '../../errors.ts';
import { sourceDeclarations } from '../../pipeline/source-registry.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { formatCount } from '../output.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

/** Each format, with the sources as they declare themselves (the dictionary's last section). */
const FORMATS = {
  markdown: () => dictionaryMarkdown(DICTIONARY, DICTIONARY_AREAS, sourceDeclarations()),
  html: () => dictionaryHtml(DICTIONARY, DICTIONARY_AREAS, sourceDeclarations()),
} as const;

type DocsFormat = keyof typeof FORMATS;

const isFormat = (value: string): value is DocsFormat => Object.hasOwn(FORMATS, value);

/** Writes the document, creating its folder (`docs/`) when needed. */
function writeDocument(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (cause) {
    throw new FileAccessError(
      path,
      `Cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}. Choose a path in a folder you can write to with --out.`,
      { code: 'file_not_writable', cause },
    );
  }
}

const OPTIONS = {
  format: {
    type: 'string',
    short: 'f',
    value: 'markdown|html',
    default: 'markdown',
    description: 'the page format',
  },
  out: {
    type: 'string',
    short: 'o',
    value: '<file>',
    default: 'standard output',
    description: 'write the page to this file',
  },
  codes: { type: 'boolean', description: 'print the table of error codes (Markdown) instead' },
} as const satisfies OptionSpecs;

export const docsCommand: Command = {
  name: 'docs',
  usage: 'corridor docs [--format markdown|html] [--out <file>] | corridor docs --codes',
  summary:
    'the data dictionary: every table, column, unit and indicator formula (--json: as JSON); --codes: every error and reject code',
  options: OPTIONS,
  examples: ['corridor docs --format html --out dictionary.html', 'corridor docs --codes'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const usageError = (message: string) =>
      new ConfigError(`${message}\nUsage: ${this.usage}`, { code: 'bad_arguments' });
    if (positionals.length > 0)
      throw usageError(`corridor docs takes no arguments, but was given "${positionals[0]}".`);
    const format = values.format ?? 'markdown';
    if (!isFormat(format))
      throw usageError(`Invalid value for option "--format": "${format}". Use markdown or html.`);
    if (values.out === '') throw usageError('Invalid value for option "--out": it needs a file path.');
    // The codes' table is one Markdown page (docs/error-codes.md), printed as it is committed.
    if (values.codes === true) {
      if (values.format !== undefined || values.out !== undefined)
        throw usageError('--codes prints the table of codes as Markdown; it takes no --format or --out.');
      if (ctx.out.json) ctx.out.document({ corridor_error_codes: 1, codes: ERROR_CODES });
      else ctx.out.write(errorCodesMarkdown(ERROR_CODES));
      return ExitCode.Success;
    }

    const counts = dictionaryCounts(DICTIONARY);
    const what = `${formatCount(counts.tables)} tables, ${formatCount(counts.views)} views and ${formatCount(counts.columns)} columns`;
    if (values.out === undefined) {
      if (ctx.out.json)
        ctx.out.document({
          corridor_dictionary: 1,
          areas: DICTIONARY_AREAS,
          tables: DICTIONARY,
          sources: sourceDeclarations(),
        });
      else {
        ctx.out.write(FORMATS[format]());
        ctx.out.progress(`Documented ${what}.`);
      }
      return ExitCode.Success;
    }

    const path = resolve(ctx.cwd, values.out);
    writeDocument(path, FORMATS[format]());
    const shown = relative(ctx.cwd, path).startsWith('..') ? path : relative(ctx.cwd, path);
    if (ctx.out.json) ctx.out.document({ file: path, format, ...counts });
    else
      ctx.out.line(
        `Wrote the data dictionary (${what}) to ${shown} as ${format === 'html' ? 'HTML' : 'Markdown'}.`,
      );
    return ExitCode.Success;
  },
};
