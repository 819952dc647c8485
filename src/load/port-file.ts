/**
 * The ports and aliases users added, as a CSV file to keep in version control
 * (`corridor ports export`) and to read back into another warehouse, or the same one after it
 * was rebuilt (`corridor ports import`). One row a port or an alias:
 *
 *   type,locode,name,country_iso3,fiscal_year_start,origin
 *   port,BRSUA,Suape,BRA,1,user
 *   alias,BRSUA,Porto de Suape,,,user
 *
 * UTF-8, LF line endings, every cell text. An import checks every row as `corridor ports add`
 * and `alias` do (ports first, so an alias may come before its port), then writes them all in
 * one transaction, or none. A row replaces what the bundled reference says (an alias the user
 * repointed with --force stays repointed), but not another row a user added, unless --force. Rows of origin `reference` (an `--all` export) are skipped: they
 * come with Corridor, and a release may correct them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import type { DB } from '../../warehouse/schema.ts';
import { ConfigError, FileAccessError } from '../errors.ts';
import { type ChangeAction, PortBook } from './user-ports.ts';

export const PORT_FILE_COLUMNS = [
  'type',
  'locode',
  'name',
  'country_iso3',
  'fiscal_year_start',
  'origin',
] as const;

/** Writes the ports and aliases users added (with `all`, the reference's too) to `path`. */
export async function exportPorts(
  db: Kysely<DB>,
  path: string,
  options: { all?: boolean } = {},
): Promise<{ ports: number; aliases: number }> {
  const book = await PortBook.read(db);
  const wanted = (origin: string) => options.all === true || origin === 'user';
  const ports = book
    .list()
    .map((p) => p.port)
    .filter((p) => wanted(p.origin));
  const aliases = book.aliases().filter((a) => wanted(a.origin));
  const rows = [
    ...ports.map((p) => ['port', p.locode, p.name, p.countryIso3, String(p.fiscalYearStart), p.origin]),
    ...aliases.map((a) => ['alias', a.locode, a.alias, '', '', a.origin]),
  ];
  const text = `${Papa.unparse({ fields: [...PORT_FILE_COLUMNS], data: rows }, { newline: '\n' })}\n`;
  try {
    writeFileSync(path, text, 'utf8');
  } catch (cause) {
    throw new FileAccessError(path, `${path} could not be written: ${(cause as Error).message}.`, {
      code: 'file_not_writable',
      cause,
    });
  }
  return { ports: ports.length, aliases: aliases.length };
}

export interface ImportSummary {
  readonly ports: Readonly<Record<ChangeAction, number>>;
  readonly aliases: Readonly<Record<ChangeAction, number>>;
  /** Rows of origin `reference`, left to the bundled reference. */
  readonly skipped: number;
}

const noChanges = (): Record<ChangeAction, number> => ({ added: 0, replaced: 0, repointed: 0, unchanged: 0 });

/** Reads a file `exportPorts` wrote (or one written by hand in its columns) into the warehouse. */
export async function importPorts(
  db: Kysely<DB>,
  path: string,
  options: { force?: boolean } = {},
): Promise<ImportSummary> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileAccessError(path, `${path} could not be read: ${(cause as Error).message}.`, { cause });
  }
  const name = basename(path);
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    dynamicTyping: false,
  });
  const first = parsed.errors[0];
  if (first !== undefined)
    throw new ConfigError(`${name} row ${(first.row ?? 0) + 2}: ${first.message}.`, {
      code: 'bad_port_file',
    });
  const missing = ['type', 'locode', 'name'].filter((c) => !(parsed.meta.fields ?? []).includes(c));
  if (missing.length > 0)
    throw new ConfigError(
      `${name} has no column ${missing.join(', ')}: a ports file has the columns ${PORT_FILE_COLUMNS.join(',')} (corridor ports export writes one).`,
      { code: 'bad_port_file' },
    );

  const book = await PortBook.read(db);
  const summary = { ports: noChanges(), aliases: noChanges(), skipped: 0 };
  const rows = parsed.data.map((row, i) => ({ row, where: `${name} row ${i + 2}` }));
  const cell = (row: Record<string, string>, column: string) => row[column]?.trim() ?? '';
  for (const { row, where } of rows) {
    const type = cell(row, 'type').toLowerCase();
    if (type !== 'port' && type !== 'alias')
      throw new ConfigError(`${where}: type "${cell(row, 'type')}" is neither port nor alias.`, {
        code: 'bad_port_file',
      });
  }
  // The file holds what a user decided: it wins over the bundled reference, as on every reload.
  const change = { force: options.force === true, overReference: true };
  // Ports first, so that an alias may be listed before the port it names.
  for (const kind of ['port', 'alias'] as const) {
    for (const { row, where } of rows) {
      if (cell(row, 'type').toLowerCase() !== kind) continue;
      if (cell(row, 'origin') === 'reference') {
        summary.skipped++;
        continue;
      }
      if (kind === 'port') {
        const start = cell(row, 'fiscal_year_start');
        const action = book.addPort(
          {
            locode: cell(row, 'locode'),
            name: cell(row, 'name'),
            country: cell(row, 'country_iso3'),
            ...(start === '' ? {} : { fiscalYearStart: Number(start) }),
          },
          { ...change, where },
        );
        summary.ports[action]++;
      } else {
        const action = book.addAlias(
          { alias: cell(row, 'name'), locode: cell(row, 'locode') },
          { ...change, where },
        );
        summary.aliases[action]++;
      }
    }
  }
  await book.save(db);
  return summary;
}
