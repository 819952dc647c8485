/**
 * Finds and validates a pipeline by name: pipelines/<name>.pipeline.ts under the working folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, describeError } from '../errors.ts';
import { isBundled } from '../runtime.ts';
import { type Pipeline, pipelineSchema } from './define-pipeline.ts';

export const PIPELINE_DIR = 'pipelines';
const SUFFIX = '.pipeline.ts';

export function pipelineNames(root: string = process.cwd()): string[] {
  const dir = join(root, PIPELINE_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

let tsxRegistered = false;

/** Pipelines are TypeScript: the bundled CLI registers tsx the first time it loads one. */
async function enableTypeScriptImports(): Promise<void> {
  if (!isBundled || tsxRegistered) return;
  const { register } = await import('tsx/esm/api');
  register();
  tsxRegistered = true;
}

export async function loadPipeline(name: string, root: string = process.cwd()): Promise<Pipeline> {
  const path = resolve(root, PIPELINE_DIR, `${name}${SUFFIX}`);
  if (!existsSync(path)) {
    const known = pipelineNames(root);
    throw new ConfigError(
      `No pipeline "${name}": ${path} does not exist. ${known.length > 0 ? `Pipelines here: ${known.join(', ')}.` : `Create ${PIPELINE_DIR}/${name}${SUFFIX}, or run from the project folder.`}`,
      { code: 'unknown_pipeline' },
    );
  }
  let exported: unknown;
  try {
    await enableTypeScriptImports();
    exported = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (cause) {
    throw new ConfigError(`Pipeline file ${path} does not load: ${describeError(cause)}`, {
      code: 'bad_pipeline',
      cause,
    });
  }
  const parsed = pipelineSchema.safeParse(exported);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new ConfigError(
      `Invalid pipeline ${path}:\n${problems}\nFix the file; every key is documented in src/pipeline/define-pipeline.ts.`,
      { code: 'bad_pipeline' },
    );
  }
  if (parsed.data.name !== name) {
    throw new ConfigError(
      `Pipeline file ${path} names itself "${parsed.data.name}"; the name must match the file name ("${name}").`,
      { code: 'bad_pipeline' },
    );
  }
  return parsed.data;
}
