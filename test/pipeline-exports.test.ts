/**
 * A pipeline's `exports`: files written after each run that loaded, under the run's lock, with
 * the run's date in the path; left alone when nothing new was loaded; a failed export fails the
 * run, whose loads stand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const today = new Date().toISOString().slice(0, 10);

function project(name: string, exports: Record<string, unknown>[]): void {
  writeFileSync(
    join(tmp(), 'pak.csv'),
    csvText(PLUS_HEADER, [
      plusRow(),
      plusRow({ partnerCode: 842, partnerISO: 'USA', partnerDesc: 'USA', primaryValue: 2500 }),
    ]),
  );
  writePipelineProject(tmp(), { name, sources: [{ source: 'comtrade', files: ['pak.csv'] }], exports });
}

describe('pipeline exports', () => {
  it('writes each export after a run that loaded, with {date} filled in, and leaves them alone when nothing is new', async () => {
    project('with-exports', [
      { table: 'trade_flows', format: 'csv', path: 'exports/{date}/' },
      {
        query: 'select reporter_iso3, count(*) as n from trade_flows group by 1 order by 1',
        format: 'json',
        path: 'exports/counts-{run}.json',
      },
    ]);
    const first = await cli(['run', 'with-exports', '--db', db()], tmp());
    expect(first.code).toBe(0);
    const csvPath = join(tmp(), 'exports', today, 'trade_flows.csv');
    expect(first.stderr).toContain(`EXPORT  ${csvPath}: 2 rows of trade_flows (csv, with datapackage.json)`);
    const rows = Papa.parse<Record<string, string>>(readFileSync(csvPath, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows.map((r) => r.partner_iso3)).toEqual(
      [...rows.map((r) => r.partner_iso3)].sort(), // in the table's key order
    );
    expect(rows).toHaveLength(scalar(db(), 'select count(*) from trade_flows'));
    expect(JSON.parse(readFileSync(join(tmp(), 'exports', 'counts-1.json'), 'utf8'))).toEqual([
      { reporter_iso3: 'PAK', n: 2 },
    ]);
    expect(existsSync(join(tmp(), 'exports', today, 'datapackage.json'))).toBe(true);

    const before = readFileSync(csvPath);
    const again = await cli(['run', 'with-exports', '--db', db()], tmp());
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`EXPORT  ${csvPath}: unchanged (nothing new loaded)`);
    expect(readFileSync(csvPath)).toEqual(before);
    // {run} names a new file, which does not exist yet: written though nothing is new.
    expect(existsSync(join(tmp(), 'exports', 'counts-2.json'))).toBe(true);
  });

  it('catches up on data a failed run loaded without exporting, though the next run loads nothing new', async () => {
    const good = csvText(PLUS_HEADER, [plusRow({ refYear: 2022, period: '2022' })]);
    writeFileSync(join(tmp(), 'b.csv'), good);
    writeFileSync(join(tmp(), 'a.csv'), csvText(PLUS_HEADER, [plusRow({ primaryValue: 1000 })]));
    writePipelineProject(tmp(), {
      name: 'catch-up-export',
      sources: [{ source: 'comtrade', files: ['a.csv', 'b.csv'] }],
      exports: [{ table: 'trade_flows', format: 'csv', path: 'out/' }],
    });
    const run = () => cli(['run', 'catch-up-export', '--db', db()], tmp());
    expect((await run()).code).toBe(0);
    const exported = () => readFileSync(join(tmp(), 'out', 'trade_flows.csv'), 'utf8');
    expect(exported()).toMatch(/,1000,/);

    // a.csv is revised and loads; b.csv is broken: the run fails and exports nothing.
    writeFileSync(join(tmp(), 'a.csv'), csvText(PLUS_HEADER, [plusRow({ primaryValue: 2000 })]));
    writeFileSync(join(tmp(), 'b.csv'), '%PDF-1.7 not a table');
    expect((await run()).code).toBe(1);
    expect(exported()).toMatch(/,1000,/);

    // b.csv is back as it was: nothing new loads, but the export catches up with a.csv.
    writeFileSync(join(tmp(), 'b.csv'), good);
    const fixed = await run();
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/Nothing new/);
    expect(exported()).toMatch(/,2000,/);
  });

  it('writes nothing on a dry run', async () => {
    project('dry-exports', [{ table: 'trade_flows', format: 'csv', path: 'exports/' }]);
    expect((await cli(['run', 'dry-exports', '--dry-run', '--db', db()], tmp())).code).toBe(0);
    expect(existsSync(join(tmp(), 'exports'))).toBe(false);
  });

  it('fails the run with exit 1 when an export fails, and keeps the loads', async () => {
    project('bad-export', [{ query: 'select * from no_such_table', format: 'csv', path: 'exports/x.csv' }]);
    const run = await cli(['run', 'bad-export', '--db', db()], tmp());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/corridor: export query \(csv\) to exports\/x\.csv failed: .*no_such_table/);
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(2);
    expect(existsSync(join(tmp(), 'exports', 'x.csv'))).toBe(false);
  });

  it('refuses an export that names neither a table nor a query, or both', async () => {
    project('neither', [{ format: 'csv', path: 'x.csv' }]);
    const run = await cli(['run', 'neither', '--db', db()], tmp());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exports\.0: name a `table` or a `query`, one of the two/);
  });
});
