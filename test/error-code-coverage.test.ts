/**
 * Codes of the registry (src/error-codes.ts) that no other test produced: each case here runs
 * the real CLI on a small bad input and checks the code it ends with, and its exit code against
 * the registry's. test/error-codes.test.ts counts a code as tested once a test names it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../src/error-codes.ts';
import { usePreparedWarehouse, writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();
const warehouseAt = usePreparedWarehouse();
const db = () => join(tmp(), 'w.db');
beforeEach(() => warehouseAt(db()));

/** The code of a command that failed as a whole: `--json` prints `{ error: { code } }`. */
async function commandFailure(args: readonly string[]): Promise<{ code: string; exit: number }> {
  const run = await cli(['--json', ...args], tmp());
  const parsed = JSON.parse(run.stdout) as { error?: { code: string; exitCode: number } };
  if (parsed.error === undefined) throw new Error(`expected a failure, got exit ${run.code}: ${run.stdout}`);
  expect(parsed.error.exitCode).toBe(run.code);
  return { code: parsed.error.code, exit: run.code };
}

/** A command line of words without spaces, on this test's warehouse. */
const withDb = (line: string): string[] => [...line.split(' '), '--db', db()];

/** `exit` differs from the registry's only for a code raised in its second role (`alsoAs`). */
const expectCommandFails = async (
  code: ErrorCode,
  args: readonly string[],
  exit: number | null = ERROR_CODES[code].exit,
) => {
  const failure = await commandFailure(args);
  expect(failure.code).toBe(code);
  expect(failure.exit).toBe(exit);
};

describe('codes of a command that fails as a whole', () => {
  it('usage: bad_arguments, unknown_source, unknown_table, unknown_run, bad_as_of, cannot_revert', async () => {
    await expectCommandFails('bad_arguments', ['docs', 'extra']);
    await expectCommandFails('unknown_source', withDb('load x.csv --source nope'));
    await expectCommandFails('unknown_table', withDb('export nope --format csv --out x.csv'));
    await expectCommandFails(
      'unknown_run',
      withDb('export trade_flows --since 999 --format csv --out x.csv'),
    );
    await expectCommandFails('bad_as_of', ['sql', 'select 1', '--as-of', 'garbage', '--db', db()]);
    await expectCommandFails('cannot_revert', withDb('revert 999'));
    await expectCommandFails('bad_query', ['sql', 'select * from no_such_table', '--db', db()]);
  });

  it('files named: file_not_found, is_directory, no_match, file_not_writable, usage', async () => {
    mkdirSync(join(tmp(), 'folder'));
    writeFileSync(join(tmp(), 'plain.txt'), 'text\n');
    await expectCommandFails('file_not_found', withDb('load missing.csv --source comtrade'));
    await expectCommandFails('is_directory', withDb('load folder --source comtrade'));
    await expectCommandFails('no_match', withDb('load folder/*.csv --source comtrade'));
    await expectCommandFails('file_not_writable', ['docs', '--out', 'plain.txt/sub/dictionary.md']);
    await expectCommandFails('usage', withDb('add-correlation'));
  });

  it('warehouses: warehouse_missing, unsupported_database, not_a_warehouse', async () => {
    writeFileSync(join(tmp(), 'plain.txt'), 'text\n');
    await expectCommandFails('warehouse_missing', ['sql', 'select 1', '--db', join(tmp(), 'none.db')]);
    await expectCommandFails('unsupported_database', ['sql', 'select 1', '--db', 'mysql://u@host/db']);
    await expectCommandFails('not_a_warehouse', ['init', '--db', join(tmp(), 'plain.txt')]);
  });

  it('ports: bad_locode, name_taken, port_exists, alias_taken, country_mismatch, bad_port_file', async () => {
    const ports = (...args: string[]) => ['ports', ...args, '--db', db()];
    await expectCommandFails('bad_locode', ports('add', 'XX', '--name', 'Nowhere', '--country', 'PAK'));
    await expectCommandFails('name_taken', ports('add', 'PKZZZ', '--name', 'Karachi', '--country', 'PAK'));
    await expectCommandFails('port_exists', ports('add', 'PKKHI', '--name', 'Another', '--country', 'PAK'));
    await expectCommandFails(
      'country_mismatch',
      ports('add', 'PKZZZ', '--name', 'Nowhere', '--country', 'USA'),
    );
    await expectCommandFails('alias_taken', ports('alias', 'PKBQM', 'PKKHI'));
    writeFileSync(join(tmp(), 'ports.csv'), 'a,b\n1,2\n');
    // An absolute path: `ports import` reads its file from the process's folder, not the CLI's cwd.
    await expectCommandFails('bad_port_file', ports('import', join(tmp(), 'ports.csv')));
  });

  it('declarations and exports: bad_declaration, bad_data_package, sdmx_invalid_id', async () => {
    writeFileSync(join(tmp(), 'flows.csv'), 'x\n');
    await expectCommandFails('bad_declaration', withDb('load flows.csv --source comtrade --flow import'));
    mkdirSync(join(tmp(), 'package'));
    writeFileSync(join(tmp(), 'package', 'datapackage.json'), '{');
    await expectCommandFails('bad_data_package', withDb('export trade_flows --format csv --out package'));
    await expectCommandFails(
      'sdmx_invalid_id',
      withDb(
        'export trade_flows --format sdmx --agency bad/id --dataflow TRADE_FLOWS --version 1.0.0 --out flows.sdmx.csv',
      ),
    );
  });

  it('pipelines: unknown_pipeline, bad_pipeline, nothing_to_retry, bad_replace_scope, missing_environment, no_schedule, lock_held', async () => {
    await expectCommandFails('no_schedule', ['schedule']);
    await expectCommandFails('unknown_pipeline', withDb('run nope'));
    // A pipeline file whose name is not the one it gives itself.
    writePipelineProject(tmp(), { name: 'codes-project', sources: [] });
    writeFileSync(
      join(tmp(), 'pipelines', 'codes-renamed.pipeline.ts'),
      'export default { name: "another", sources: [{ source: "comtrade", files: ["x.csv"] }] };\n',
    );
    await expectCommandFails('bad_pipeline', withDb('run codes-renamed'));

    writePipelineProject(tmp(), {
      name: 'codes-retry',
      sources: [{ source: 'comtrade', files: ['flows.csv'] }],
    });
    await expectCommandFails('nothing_to_retry', withDb('run codes-retry --only-failed'));

    writePipelineProject(tmp(), {
      name: 'codes-scope',
      sources: [{ source: 'comtrade', files: ['flows.csv'], replaceScope: ['not_a_dimension'] }],
    });
    await expectCommandFails('bad_replace_scope', withDb('run codes-scope'));

    writePipelineProject(tmp(), {
      name: 'codes-environment',
      sources: [{ source: 'comtrade', files: ['https://127.0.0.1:9/flows.csv'] }],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the pipeline's placeholder, filled from the environment
      fetch: { headers: { Authorization: 'Bearer ${CORRIDOR_TEST_VARIABLE_NEVER_SET}' } },
    });
    await expectCommandFails('missing_environment', withDb('run codes-environment'));

    // A lease held by a live process (this one) on this host, expiring long after the test.
    const sqlite = new Database(db());
    const now = new Date().toISOString();
    sqlite
      .prepare(
        `insert into pipeline_locks (pipeline, holder, host, pid, process_stamp, purpose, acquired_at, heartbeat_at, expires_at)
         values (?, 'another holder', ?, ?, null, 'corridor run', ?, ?, '2999-01-01T00:00:00.000Z')`,
      )
      .run('codes-retry', hostname(), process.pid, now, now);
    sqlite.close();
    await expectCommandFails('lock_held', withDb('run codes-retry'));
  });
});

describe('codes of a run that fails', () => {
  it('check_failed: a table a check reads, replaced by hand with one of other columns', async () => {
    const sqlite = new Database(db());
    sqlite.exec(
      'drop view if exists ind_mirror; drop table if exists ind_mirror; create table ind_mirror (x)',
    );
    sqlite.close();
    await expectCommandFails('check_failed', withDb('check'));
  });
});

describe('codes of a file that fails, the run going on', () => {
  it('bad_gzip: a file with the gzip signature that does not inflate', async () => {
    writeFileSync(
      join(tmp(), 'flows.csv.gz'),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, ...Buffer.from('garbage!')]),
    );
    const run = await cli(withDb('--json load flows.csv.gz --source comtrade'), tmp());
    expect(run.code).toBe(ERROR_CODES.bad_gzip.exit);
    expect(run.stdout).toContain('"code": "bad_gzip"');
  });

  it('line_too_long: a CSV line longer than the limit fails the file before it fills memory', async () => {
    const header = 'typeCode,freqCode,refYear,period,reporterCode,flowCode,partnerCode,cmdCode,primaryValue';
    writeFileSync(
      join(tmp(), 'flows.csv'),
      `${header}\nC,A,2021,2021,586,X,398,"${'x'.repeat(200_000)}",1\n`,
    );
    const before = process.env.CORRIDOR_MAX_LINE_CHARS;
    process.env.CORRIDOR_MAX_LINE_CHARS = '65536';
    try {
      const run = await cli(withDb('--json load flows.csv --source comtrade'), tmp());
      expect(run.code).toBe(ERROR_CODES.line_too_long.exit);
      expect(run.stdout).toContain('"code": "line_too_long"');
      expect(run.stdout).toMatch(/more than 65,536 characters/);
    } finally {
      if (before === undefined) delete process.env.CORRIDOR_MAX_LINE_CHARS;
      else process.env.CORRIDOR_MAX_LINE_CHARS = before;
    }
  });

  it('value_too_long: a JSON value longer than the limit fails the file before it fills memory', async () => {
    writeFileSync(join(tmp(), 'reply.json'), `{"data": [{"cmdCode": "${'7'.repeat(200_000)}"}]}`);
    const before = process.env.CORRIDOR_MAX_LINE_CHARS;
    process.env.CORRIDOR_MAX_LINE_CHARS = '65536';
    try {
      const run = await cli(withDb('--json load reply.json --source comtrade'), tmp());
      expect(run.code).toBe(ERROR_CODES.value_too_long.exit);
      expect(run.stdout).toContain('"code": "value_too_long"');
    } finally {
      if (before === undefined) delete process.env.CORRIDOR_MAX_LINE_CHARS;
      else process.env.CORRIDOR_MAX_LINE_CHARS = before;
    }
  });

  it('correlation tables: no_correlation_sheet, not_hs_editions, bad_relationship, not_adjacent', async () => {
    const correlation = async (code: ErrorCode, text: string) => {
      writeFileSync(join(tmp(), `${code}.csv`), text);
      await expectCommandFails(code, withDb(`add-correlation ${code}.csv`));
    };
    await correlation('no_correlation_sheet', 'just,some\nwords,here\n');
    await correlation('not_hs_editions', 'HS2017,SITC4,Relationship\n010121,001,1:1\n');
    await correlation('bad_relationship', 'HS2017,HS2012,Relationship\n010121,010110,9:9\n');
    await correlation('not_adjacent', 'HS2022,HS2012,Relationship\n010121,010110,1:1\n');
  });

  it('unsupported_currency: a declared unit in another currency, refused before reading', async () => {
    writeFileSync(join(tmp(), 'flows.xls'), 'x\n');
    const args = ['load', 'flows.xls', '--source', 'kz-bns', '--unit', 'thousand euros', '--db', db()];
    await expectCommandFails('unsupported_currency', args, ERROR_CODES.bad_declaration.exit);
  });
});
