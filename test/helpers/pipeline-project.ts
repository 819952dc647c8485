/**
 * A project folder as `corridor run` expects one: `package.json` (ESM) and
 * `pipelines/<name>.pipeline.ts`, the pipeline written as a plain object (no imports), so the
 * test runs it exactly as a user's file is run; and a warehouse file to run it into.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { cli } from './run-cli.ts';

/**
 * Writes `pipeline` (JSON-serialisable, with a `name`) as `<dir>/pipelines/<name>.pipeline.ts`.
 * Pipelines are imported once per process: give a changed pipeline a new name, not a new body.
 *
 * @example
 * writePipelineProject(tmp(), { name: 'pak', sources: [{ source: 'comtrade', files: [url] }] });
 * await cli(['run', 'pak', '--db', join(tmp(), 'w.db')], tmp());
 */
export function writePipelineProject(
  dir: string,
  pipeline: { readonly name: string } & Record<string, unknown>,
): void {
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(
    join(dir, 'pipelines', `${pipeline.name}.pipeline.ts`),
    `export default ${JSON.stringify(pipeline, null, 2)};\n`,
  );
}

/**
 * A fresh warehouse per test without paying for its setup each time: `corridor init` (the
 * migrations and some 60,000 rows of reference data, about half a second) runs once per test
 * file, and each test gets its own copy of that closed SQLite file.
 *
 * @example
 * const warehouseAt = usePreparedWarehouse();
 * beforeEach(() => warehouseAt(join(tmp(), 'w.db')));
 */
export function usePreparedWarehouse(): (path: string) => void {
  let dir: string | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-warehouse-'));
    const init = await cli(['init', '--db', join(dir, 'template.db')], dir);
    if (init.code !== 0) throw new Error(`corridor init failed (exit ${init.code}): ${init.stderr}`);
  });
  afterAll(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  });
  return (path) => {
    if (dir === null) throw new Error('usePreparedWarehouse: call the copier from a test or a beforeEach');
    // Closed cleanly, the warehouse is all in this one file (no -wal beside it).
    copyFileSync(join(dir, 'template.db'), path);
  };
}
