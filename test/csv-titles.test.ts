/**
 * CSV files that open with title lines, as statistics offices export them: the header is the
 * first line in which the source finds its columns, the delimiter the one that splits the
 * table's lines (not the title's), and rejects keep the line numbers a spreadsheet shows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');

function file(name: string, lines: readonly string[]): string {
  const path = join(tmp(), name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('corridor load on a CSV with title lines above the table', () => {
  it('finds the header and the semicolon delimiter below a title that holds commas', async () => {
    const path = file('pak_exports.csv', [
      'Pakistan, exports to Kazakhstan, 2023',
      'US dollars',
      '',
      'freqCode;period;reporterCode;partnerCode;flowCode;classificationCode;cmdCode;primaryValue',
      'A;2023;586;398;X;H5;310420;1234,5',
      'A;2023;586;398;X;H5;100190;7',
    ]);

    const run = await cli(['load', path, '--source', 'comtrade', '--db', db(), '--reject-threshold', '1']);

    expect(run.code).toBe(0);
    expect(query(db(), 'select hs_code, value_usd, source_row from trade_flows')).toEqual([
      { hs_code: '310420', value_usd: 1234.5, source_row: 5 },
    ]);
    expect(query(db(), 'select row_number, code from rejects')).toEqual([
      { row_number: 6, code: 'unknown_hs_code' },
    ]);
    expect(query(db(), 'select delimiter, rows_read from load_files')).toEqual([
      { delimiter: ';', rows_read: 2 },
    ]);
  });

  it('reports the columns of the first line when no line is a header it knows', async () => {
    const path = file('notes.csv', ['Methodology notes', 'Nothing here is a table']);

    const run = await cli(['load', path, '--source', 'comtrade', '--db', db()]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Found 1 column: "Methodology notes"/);
  });
});
