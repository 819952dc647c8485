/**
 * The registry of codes (src/error-codes.ts) is closed both ways: every code the program stores
 * or prints is declared there, and every declared code is produced by some test, except the few
 * listed in UNTESTED with their reason. docs/error-codes.md is the registry as generated.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { errorCodesMarkdown } from '../src/docs/error-codes-markdown.ts';
import { ERROR_CODES, type ErrorCode, isErrorCode, type RowIssueCode } from '../src/error-codes.ts';
import type { RowIssueCode as RowIssueCodeOfRejects } from '../src/validate/row-issue.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';

/**
 * Codes no test produces yet, each with why. The list only shrinks: a test that starts naming
 * one of these fails this file until the code is taken off the list.
 */
const UNTESTED: Partial<Record<ErrorCode, string>> = {
  bad_direction: 'port-table tests count rejects of a bad direction but do not name the code',
  bad_companion: 'needs a BACI release whose product list is empty',
  bad_xls:
    'damaged .xls files are being moved to damaged_file (issue 20); what is left needs a SheetJS failure',
  count_mismatch: 'an invariant of the loader: reachable only through a bug',
  duplicate_period_columns: 'a layout refusal that needs a crafted two-level header',
  header_too_short: 'a layout refusal that needs a crafted workbook header',
  missing_context: 'a layout refusal that needs a crafted workbook without titles',
  partial_period: 'a layout refusal that needs a bureau workbook covering part of a year',
  unclear_period: 'a layout refusal that needs a workbook title naming an unplaceable period',
  unexpected_unit: 'a layout refusal that needs a workbook whose unit row contradicts the binding',
  not_a_workbook:
    'add-correlation reads a file that is no workbook as text, so it ends as no_correlation_sheet instead',
  read_failed: 'needs an I/O error in the middle of a read',
  warehouse_busy: 'needs another process writing to the warehouse for more than 5 s',
  file_not_readable: 'chmod does not stop root, the user the suite runs as in CI',
  landing_write_failed: 'needs a disk that fills up during a download',
  landing_not_writable: 'folder permissions do not stop root',
  derive_failed: 'needs a view the indicators read broken by hand',
  export_closed: 'a guard inside the export writers, not reachable from the CLI',
  export_no_columns: 'a guard inside the Parquet writer: the CLI always selects columns',
  export_not_writable: 'folder permissions do not stop root, and a missing folder is created',
  export_row_width: 'a guard inside the Parquet writer, not reachable from the CLI',
  export_stopped: 'needs a signal in the middle of an export',
  export_write_failed: 'needs a disk that fills up during an export',
  invalid_row_group_size: 'the row group size is not a CLI option',
  sdmx_bad_period: 'needs warehouse rows whose period is no year, month or fiscal year',
  sdmx_unknown_fiscal_year: 'needs port rows of a fiscal year whose port has no fiscal-year start',
  revert_failed: 'needs a revert that fails inside its transaction',
  migration_failed: 'needs a migration that fails',
  warehouse_error: 'the default of WarehouseError: every throw site today gives its own code',
  warehouse_unreadable: 'needs a warehouse file SQLite cannot open for a reason other than its format',
  warehouse_outdated: 'needs a warehouse from before migration 0008-vintages',
  reference_cache: 'needs both the temp folder and the warehouse folder read-only',
  reference_malformed: 'needs a broken copy of the reference files Corridor ships',
  reference_missing: 'needs an installation with a reference file deleted',
  bad_limit: 'the archive limits of issue 20 are being written (src/read/archive-limits.ts)',
  config_error: 'the default of ConfigError: every throw site today gives its own code',
};

/** Every .ts file under a folder of the project, as [path from the root, text]. */
function filesUnder(folder: string, keep: (path: string) => boolean = () => true): [string, string][] {
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|mjs)$/.test(name) && keep(path))
        found.push([relative(PROJECT_ROOT, path), readFileSync(path, 'utf8')]);
    }
  };
  walk(join(PROJECT_ROOT, folder));
  return found;
}

const CODE = '([a-z][a-z0-9_]*)';
/** The places a code is given in the source: as `code:`, or as a code argument of an error. */
const CODE_PLACES: readonly RegExp[] = [
  new RegExp(`\\bcode: '${CODE}'`, 'g'),
  new RegExp(`\\b(?:errorCode|error_code)\\s*[:=]\\s*'${CODE}'`, 'g'),
  new RegExp(`\\bissue: '${CODE}'`, 'g'),
  new RegExp(`\\bcode \\?\\? '${CODE}'`, 'g'),
  new RegExp(`new (?:\\w+Error|Interrupted)\\(\\s*'${CODE}'`, 'g'),
  new RegExp(`new SourceFormatError\\(\\s*[^,()]+,\\s*'${CODE}'`, 'g'),
  new RegExp(`new SchemaDriftError\\([^;]*?,\\s*'${CODE}',?\\s*\\);`, 'g'),
  new RegExp(`\\bsuper\\(\\s*'${CODE}'`, 'g'),
  new RegExp(`recordUnreadable\\(\\w+,\\s*'${CODE}'`, 'g'),
];
/** Literals in those places that are not Corridor's codes. */
const NOT_CODES: Readonly<Record<string, string>> = { custom: "zod's issue code for a refinement" };

/** Each code literal of src/ and sources/, with the files it is in. */
function codesInSource(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const files = [...filesUnder('src', (path) => !path.endsWith('error-codes.ts')), ...filesUnder('sources')];
  for (const [path, text] of files)
    for (const place of CODE_PLACES)
      for (const match of text.matchAll(place)) {
        const code = match[1]!;
        if (Object.hasOwn(NOT_CODES, code)) continue;
        if (!found.has(code)) found.set(code, new Set());
        found.get(code)!.add(path);
      }
  return found;
}

describe('the registry of codes', () => {
  it('declares every code the source gives', () => {
    const found = codesInSource();
    // The scan itself works: it finds codes of each way of giving one.
    for (const known of [
      'missing_value',
      'bad_gzip',
      'table_not_found',
      'lock_held',
      'config_error',
      'warehouse_busy',
    ])
      expect(found.has(known), `the scan no longer finds ${known}`).toBe(true);
    const undeclared: string[] = [...found]
      .filter(([code]) => !isErrorCode(code))
      .map(([code, files]) => `${code} (${[...files].join(', ')})`);
    expect(undeclared, 'codes used but not declared in src/error-codes.ts').toEqual([]);
  });

  it('declares the row codes once: the type of rejects is the registry type', () => {
    const rows = Object.entries(ERROR_CODES)
      .filter(([, entry]) => entry.kind === 'row')
      .map(([code]) => code);
    expect(rows).toContain('wrong_field_count');
    expectTypeOf<RowIssueCode>().toEqualTypeOf<RowIssueCodeOfRejects>();
  });

  it('gives each code an exit code that fits its kind, a meaning and a fix', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      const exit: number | null = entry.exit;
      if (entry.kind === 'row' || entry.kind === 'warning') expect(exit, code).toBeNull();
      else expect(exit, code).not.toBeNull();
      if (entry.kind === 'usage') expect(exit, code).toBe(2);
      expect(entry.meaning, code).toMatch(/^\S.*[.)]$/);
      expect(entry.fix, code).toMatch(/^\S.*[.)]$/);
    }
  });

  it('has every code produced by a test, except those listed as UNTESTED', () => {
    const tests = filesUnder('test', (path) => !path.endsWith('error-codes.test.ts'))
      .map(([, text]) => text)
      .join('\n');
    const named = (code: string) => new RegExp(`['"\`]${code}['"\`]`).test(tests);
    const codes = Object.keys(ERROR_CODES);
    expect(
      codes.filter((code) => !named(code) && !Object.hasOwn(UNTESTED, code)),
      'declared codes no test names: produce them in a test (test/error-code-coverage.test.ts)',
    ).toEqual([]);
    expect(
      codes.filter((code) => named(code) && Object.hasOwn(UNTESTED, code)),
      'codes a test now names: take them off UNTESTED',
    ).toEqual([]);
    expect(Object.keys(UNTESTED).filter((code) => !isErrorCode(code))).toEqual([]);
  });
});

describe('docs/error-codes.md', () => {
  it('is the table the registry writes (npm run docs:error-codes)', () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'docs', 'error-codes.md'), 'utf8');
    expect(
      errorCodesMarkdown(ERROR_CODES),
      'docs/error-codes.md is stale: run npm run docs:error-codes',
    ).toBe(committed);
  });

  it('lists every code once, with its kind and exit code', () => {
    const page = errorCodesMarkdown(ERROR_CODES);
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      const rows = page.split('\n').filter((line) => line.startsWith(`| \`${code}\` `));
      expect(rows, code).toHaveLength(1);
      expect(rows[0]).toMatch(
        new RegExp(`^\\| \`${code}\` +\\| ${entry.kind}\\b.*?\\| ${entry.exit ?? '—'} +\\|`),
      );
    }
  });

  it('is what corridor docs --codes prints, and --json gives the registry', async () => {
    const run = await cli(['docs', '--codes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(errorCodesMarkdown(ERROR_CODES));
    const json = await cli(['--json', 'docs', '--codes']);
    expect(JSON.parse(json.stdout)).toEqual({ corridor_error_codes: 1, codes: ERROR_CODES });
    const refused = await cli(['docs', '--codes', '--format', 'html']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--codes prints the table of codes as Markdown/);
  });
});
