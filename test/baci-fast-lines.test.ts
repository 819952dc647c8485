/**
 * BACI lines read in place (src/validate/fast-line-stage.ts, the BACI source's fastLines) must
 * load exactly what the general path loads: the same rows, the same rejects with the same
 * places and messages, the same journal. Each file here is loaded both ways, the general path
 * forced with CORRIDOR_FAST_LINES=0, into two real warehouses, and compared.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tmp = useTempDir();

afterEach(() => {
  delete process.env.CORRIDOR_FAST_LINES;
});

function writeRelease(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'country_codes_V202401b.csv'),
    'country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\n398,Kazakhstan,KZ,KAZ\n586,Pakistan,PK,PAK\n860,Uzbekistan,UZ,UZB\n',
  );
  writeFileSync(
    join(dir, 'product_codes_HS17_V202401b.csv'),
    'code,description\n010121,Horses\n080510,Oranges\n100630,Rice\n520100,Cotton\n',
  );
}

/** Loads `body` as a BACI HS17 file with and without the fast path; returns both warehouses' contents. */
async function loadBothWays(body: string) {
  const seen = [];
  for (const fast of [true, false]) {
    const dir = join(tmp(), fast ? 'fast' : 'general');
    writeRelease(dir);
    const file = join(dir, 'BACI_HS17_Y2021_V202401b.csv');
    writeFileSync(file, body);
    const db = join(dir, 'w.db');
    if (fast) delete process.env.CORRIDOR_FAST_LINES;
    else process.env.CORRIDOR_FAST_LINES = '0';
    const run = await cli(['load', file, '--source', 'baci', '--db', db]);
    seen.push({
      code: run.code,
      flows: query(db, 'select * from trade_flows order by source_row'),
      rejects: query(
        db,
        'select row_number, column_name, code, message, value, raw from rejects order by reject_id',
      ),
      journal: query(db, 'select status, rows_read, rows_loaded, rows_rejected, error_code from load_files'),
    });
  }
  return { fast: seen[0]!, general: seen[1]! };
}

describe('BACI lines read in place', () => {
  it('load the same rows as the general path, numbers converted alike', async () => {
    const { fast, general } = await loadBothWays(
      [
        't,i,j,k,v,q',
        '2021,586,398,520100,1234.567,89.1',
        '2021,586,398,100630,0.001,NA',
        '2021,586,860,080510,  12.5,     ',
        '2021,4,398,010121,.5,3.',
        '2021,860,586,520100,1e3,2',
      ].join('\r\n'),
    );
    expect(fast).toEqual(general);
    expect(fast.flows).toHaveLength(5);
    expect(fast.rejects).toEqual([]);
  });

  it('send every line they do not accept to the general path, which rejects or loads it as before', async () => {
    const { fast, general } = await loadBothWays(
      `${[
        't,i,j,k,v,q',
        '2021,586,398,520100,10,1',
        '',
        ',,,,,',
        '2021,586,398,520100,11,1', // a duplicate of the first line
        '2021,0586,860,520100,3,1', // a padded code: read by the general path
        '2021,586,860,10630,4,', // an HS code that lost its leading zero (010630: not in the list)
        '2021,586,999,080510,5,1', // an unknown importer
        '2021,586,398,999999,6,1', // an unknown product
        '1850,586,398,080510,7,1', // a year out of range
        '2021,586,398,080510,-8,1', // a negative value
        '2021,586,4,080510,"9",1', // a quoted value
        '2021,586,4,520100,9,1,', // a trailing delimiter
        '2021,586,4', // a cut-off line
        '2021,586,860,100630,1,N/A',
      ].join('\n')}\n`,
    );
    expect(fast).toEqual(general);
    expect(fast.rejects.map((r) => (r as { code: string }).code).sort()).toEqual([
      'bad_period',
      'duplicate_key',
      'negative_value',
      'unknown_country',
      'unknown_hs_code',
      'unknown_hs_code',
      'wrong_field_count',
    ]);
    expect(fast.journal).toEqual([
      { status: 'loaded', rows_read: 12, rows_loaded: 5, rows_rejected: 7, error_code: null },
    ]);
  });
});
