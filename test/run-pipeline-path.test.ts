/**
 * `corridor run <path>` (issue 23, point 4): a pipeline is named by its name (pipelines/<name>
 * .pipeline.ts) or by the path of its file, relative to the working folder; a path that does
 * not exist is refused naming it and the pipelines there are.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();

const HEADER =
  'freqCode,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,netWgt,primaryValue';

/** A project with `pipelines/<name>.pipeline.ts` loading one small Comtrade file. */
function project(name: string): string {
  const file = join(tmp(), 'flows.csv');
  writeFileSync(file, `${HEADER}\nA,2023,586,PAK,X,398,KAZ,TOTAL,,100\n`);
  writePipelineProject(tmp(), { name, sources: [{ source: 'comtrade', files: [file] }] });
  return file;
}

const run = (...args: string[]) => cli(['run', ...args, '--db', join(tmp(), 'w.db')], tmp());

describe('corridor run <path>', () => {
  it('runs a pipeline named by the path of its file, as by its name', async () => {
    project('by-path');
    const byPath = await run('pipelines/by-path.pipeline.ts', '--json');
    expect(byPath.code).toBe(0);
    expect(JSON.parse(byPath.stdout)).toMatchObject({ pipeline: 'by-path', status: 'succeeded' });
    expect(existsSync(join(tmp(), 'w.db'))).toBe(true);
  });

  it('takes a pipeline file outside pipelines/, named after its file', async () => {
    const file = project('home-pipeline');
    mkdirSync(join(tmp(), 'elsewhere'));
    writeFileSync(
      join(tmp(), 'elsewhere', 'away.pipeline.ts'),
      `export default ${JSON.stringify({ name: 'away', sources: [{ source: 'comtrade', files: [file] }] })};\n`,
    );
    const away = await run('./elsewhere/away.pipeline.ts', '--dry-run', '--json');
    expect(away.code).toBe(0);
    expect(JSON.parse(away.stdout)).toMatchObject({ pipeline: 'away' });
  });

  it('refuses a pipeline copied out of the project whose relative import names nothing, saying how to import', async () => {
    writeFileSync(
      join(tmp(), 'copied.pipeline.ts'),
      "import { definePipeline } from '../src/pipeline/define-pipeline.ts';\nexport default definePipeline({ name: 'copied', sources: [] });\n",
    );
    const copied = await run('copied.pipeline.ts', '--json');
    expect(copied.code).toBe(2);
    const error = JSON.parse(copied.stdout).error;
    expect(error.code).toBe('bad_pipeline');
    expect(error.message).toContain(
      `it imports "../src/pipeline/define-pipeline.ts", which would be ${join(tmp(), '..', 'src', 'pipeline', 'define-pipeline.ts')}, and there is no such file.`,
    );
    expect(error.message).toMatch(/or import it from "file:\/\/.*\/src\/pipeline\/define-pipeline\.ts"/);
  });

  it('refuses a path that does not exist, naming it and the pipelines there are', async () => {
    project('known-one');
    const missing = await run('pipelines/nightly.pipeline.ts', '--json');
    expect(missing.code).toBe(2);
    const error = JSON.parse(missing.stdout).error;
    expect(error.code).toBe('unknown_pipeline');
    expect(error.message).toContain(
      `No pipeline file ${join(tmp(), 'pipelines', 'nightly.pipeline.ts')}: it does not exist.`,
    );
    expect(error.message).toContain('Pipelines here: known-one.');

    const notPipeline = await run('flows.csv');
    expect(notPipeline.code).toBe(2);
    expect(notPipeline.stderr).toContain('is not a pipeline file');
  });
});
