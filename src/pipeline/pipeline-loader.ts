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

/**
 * Imports a pipeline file. Pipelines are TypeScript: the bundled CLI has tsx import them as ES
 * modules whatever folder they sit in (a folder without a package.json would otherwise make
 * them CommonJS); run from source, the TypeScript loader is already there.
 */
async function importPipeline(path: string): Promise<unknown> {
  const url = pathToFileURL(path).href;
  if (!isBundled) return ((await import(url)) as { default?: unknown }).default;
  const { tsImport } = await import('tsx/esm/api');
  const exported = ((await tsImport(url, import.meta.url)) as { default?: unknown }).default;
  // Outside a `"type": "module"` package tsx compiles the file to CommonJS, and the default
  // export arrives wrapped once more: { default: pipeline }.
  const wrapped = exported as { default?: unknown; __esModule?: boolean } | null;
  return wrapped !== null && typeof wrapped === 'object' && 'default' in wrapped && !('name' in wrapped)
    ? wrapped.default
    : exported;
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
    exported = await importPipeline(path);
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
      `Invalid pipeline ${path}:\n${problems}\nFix the file; every key is documented in src/pipeline/define-pipeline.ts${parsed.error.issues.some((i) => i.path.includes('table')) ? ", and a table layout's in sources/table/table-options.ts" : ''}.`,
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
